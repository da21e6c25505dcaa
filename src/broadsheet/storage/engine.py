"""Connecting to the database and bringing its schema up to date (Alembic)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url

__all__ = ["connect", "downgrade", "normalize_url", "reading", "upgrade"]

_MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_MMAP_BYTES = 1 << 30
SQLITE_CACHE_KIB = 16 * 1024


def normalize_url(url: str) -> str:
    """Use psycopg 3 for plain ``postgresql://`` URLs."""
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Reads are most of a web process's work: map the file rather than copy pages through read()
    # calls, and give each connection a page cache larger than the 2 MB default.
    cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
    cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cursor.close()


def connect(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, foreign keys and a busy timeout, and its folder."""
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # No ping before each use: it was a round trip per read. A call that meets a connection the
    # server dropped (a restart) is made again (``storage_errors``), and the pool has then
    # replaced every older connection.
    # A pool that holds what a busy process uses at once (up to about as many requests as the
    # server's thread pool runs): a connection made and dropped past the pool's size cost the
    # server a new session each time (ten a second under load, with 10 kept). At most 30 a
    # process, as before.
    return create_engine(url, pool_size=25, max_overflow=5)


def reading(engine: Engine) -> Connection:
    """A connection for reads. On PostgreSQL it runs outside a transaction (autocommit): at its
    default isolation each statement sees the latest data either way, and the BEGIN and ROLLBACK
    around every read were two round trips that cost more than a look-up by key (400 µs against
    170). Writes keep ``engine.begin()``."""
    connection = engine.connect()
    if engine.dialect.name == "postgresql":
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
    return connection


@functools.cache
def _script_heads() -> frozenset[str]:
    from alembic.script import ScriptDirectory

    return frozenset(ScriptDirectory(str(_MIGRATIONS)).get_heads())


def _current_heads(engine: Engine) -> frozenset[str]:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return frozenset()
        rows = conn.execute(text("SELECT version_num FROM alembic_version"))
        return frozenset(r[0] for r in rows)


def upgrade(engine: Engine, revision: str = "heads") -> None:
    """Apply Alembic migrations up to ``revision`` (every branch head by default: features add
    their own migration branches off the initial revision). A database already at every head is
    left alone without starting Alembic, which keeps opening a store cheap."""
    if revision == "heads" and _current_heads(engine) == _script_heads():
        return
    from alembic import command

    _migrate(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Undo migrations down to ``revision`` (``"0024-1"`` steps back that revision's branch
    only): for rolling back a release, and for testing a migration on the data before it."""
    from alembic import command

    _migrate(engine, command.downgrade, revision)


def _migrate(engine: Engine, step: Callable[[Any, str], None], revision: str) -> None:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        step(config, revision)
