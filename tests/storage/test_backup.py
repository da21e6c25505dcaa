"""Backups of a live database, on SQLite and PostgreSQL, through the CLI."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from broadsheet.cli import main
from broadsheet.exceptions import StorageError
from broadsheet.storage import Store
from broadsheet.storage.backup import backup_database
from broadsheet.types import ExtractedArticle

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def _fill(store: Store) -> None:
    for i in range(3):
        article = ExtractedArticle(title=f"T{i}", text=f"Body {i}", html=f"<p>Body {i}</p>")
        store.save_article(article, url=f"https://x.example/{i}", source_id=None, now=NOW)


def test_backup_of_a_live_database(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store.open(database_url)
    _fill(store)
    target = tmp_path / "copy.backup"
    assert (
        main(["--data-dir", str(tmp_path), "--database", database_url, "backup", str(target)]) == 0
    )
    assert "backup written" in capsys.readouterr().out
    store.close()
    if database_url.startswith("sqlite"):
        with sqlite3.connect(target) as db:
            assert db.execute("SELECT count(*) FROM articles").fetchone() == (3,)
    else:
        listing = subprocess.run(
            [shutil.which("pg_restore") or "pg_restore", "--list", str(target)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        assert "TABLE DATA public articles" in listing.stdout


def test_backup_names_what_is_missing(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="no SQLite database"):
        backup_database(f"sqlite:///{tmp_path / 'none.sqlite3'}", tmp_path / "x")
    with pytest.raises(StorageError, match="no backup for mysql"):
        backup_database("mysql://db/x", tmp_path / "x")
