"""Debian's newsboat as a real client of our sync APIs: one refresh, then what it stored."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

needs_newsboat = pytest.mark.skipif(
    shutil.which("newsboat") is None, reason="Debian's newsboat is not installed"
)


@dataclass
class Newsboat:
    """A newsboat profile in ``home`` configured with ``settings`` (its config file's lines)."""

    home: Path
    settings: str

    def refresh(self) -> tuple[str, set[str]]:
        """Reload every feed from the server; returns what it printed and the titles it holds."""
        config, urls, cache = self.home / "config", self.home / "urls", self.home / "cache.db"
        config.write_text(self.settings)
        urls.write_text("")
        command = ["newsboat", "-C", str(config), "-u", str(urls), "-c", str(cache),
                   "-x", "reload", "print-unread"]  # fmt: skip
        run = subprocess.run(
            command, capture_output=True, text=True, timeout=60, env={"HOME": str(self.home)}
        )
        assert run.returncode == 0, run.stderr
        with sqlite3.connect(cache) as db:
            titles = {row[0] for row in db.execute("SELECT title FROM rss_item")}
        return run.stdout + run.stderr, titles

    def forget(self) -> None:
        """Drop newsboat's cache, so the next refresh takes read states from the server alone."""
        (self.home / "cache.db").unlink()
