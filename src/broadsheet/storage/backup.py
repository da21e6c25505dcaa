"""A consistent copy of the database while the service runs.

SQLite: the database's own online backup (pages copied under its locks, so a running writer never
leaves a torn copy). PostgreSQL: ``pg_dump`` in its custom format, restorable with ``pg_restore``;
the client must be installed (Debian: ``postgresql-client``).
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import make_url

from broadsheet.exceptions import StorageError
from broadsheet.storage.engine import normalize_url

__all__ = ["backup_database"]


def backup_database(url: str, target: Path) -> Path:
    """Write a backup of the database at ``url`` to ``target``; returns the file written."""
    parsed = make_url(normalize_url(url))
    target.parent.mkdir(parents=True, exist_ok=True)
    if parsed.get_backend_name() == "sqlite":
        _sqlite(Path(parsed.database or ""), target)
    elif parsed.get_backend_name() == "postgresql":
        _postgres(parsed.set(drivername="postgresql").render_as_string(hide_password=False), target)
    else:
        raise StorageError(f"no backup for {parsed.get_backend_name()} databases")
    return target


def _sqlite(source: Path, target: Path) -> None:
    if not source.is_file():
        raise StorageError(f"no SQLite database at {source}")
    try:
        with closing(sqlite3.connect(source)) as live, closing(sqlite3.connect(target)) as copy:
            live.backup(copy)
    except sqlite3.Error as e:
        raise StorageError(f"backing up {source}: {e}") from e


def _postgres(url: str, target: Path) -> None:
    if shutil.which("pg_dump") is None:
        raise StorageError("pg_dump is not installed: install the PostgreSQL client to back up")
    run = subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", f"--file={target}", f"--dbname={url}"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if run.returncode != 0:
        raise StorageError(f"pg_dump failed: {run.stderr.strip() or run.returncode}")
