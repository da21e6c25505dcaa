"""Every ingestion setting and command is in the README's tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadsheet.config import Settings

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()
INGESTION = (
    "fetch_concurrency", "fetch_per_host", "connect_timeout", "read_timeout", "total_timeout",
    "max_body_bytes", "max_download_bytes", "max_redirects", "fetch_interval_seconds",
    "min_interval_seconds", "max_interval_seconds", "pause_after_errors", "lease_seconds",
    "extract_processes", "robots_cache_seconds", "user_agent", "allow_networks",
)  # fmt: skip


@pytest.mark.parametrize("name", INGESTION)
def test_setting_is_documented(name: str) -> None:
    assert hasattr(Settings(), name)
    assert f"`{name}`" in README


@pytest.mark.parametrize(
    "command", ["broadsheet import-opml", "broadsheet export-opml", "broadsheet retry",
                "broadsheet worker", "broadsheet sources [--format json]"],
)  # fmt: skip
def test_command_is_documented(command: str) -> None:
    assert f"`{command}" in README
