"""SQLite connections get the settings the store relies on (WAL, foreign keys) and those the web
reader's speed does (memory-mapped reads, a larger page cache)."""

from __future__ import annotations

from pathlib import Path

from broadsheet.storage.engine import SQLITE_CACHE_KIB, SQLITE_MMAP_BYTES, connect


def test_sqlite_connections_are_set_up(tmp_path: Path) -> None:
    engine = connect(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    with engine.connect() as conn:

        def pragma(name: str) -> object:
            return conn.exec_driver_sql(f"PRAGMA {name}").scalar()

        assert pragma("journal_mode") == "wal" and pragma("foreign_keys") == 1
        assert pragma("mmap_size") == SQLITE_MMAP_BYTES
        assert pragma("cache_size") == -SQLITE_CACHE_KIB
    engine.dispose()
