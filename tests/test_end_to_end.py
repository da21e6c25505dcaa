"""A new user's path: add a site → fetch → articles on the home page and in export, on both
databases, through the real CLI and a real local HTTP server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from broadsheet.cli import main
from broadsheet.config import load_settings
from broadsheet.core import make_broadsheet
from broadsheet.web.app import create_app
from tests.localserver import LocalServer
from tests.site import STORIES, install_site


def test_site_to_reading_view(
    server: LocalServer, database_url: str, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    install_site(server)
    monkeypatch.setenv("BROADSHEET_ALLOW_NETWORKS", "127.0.0.0/8")
    base = ["--data-dir", str(tmp_path), "--database", database_url]

    assert main([*base, "add", server.url("/")]) == 0
    assert "added" in capsys.readouterr().out
    assert main([*base, "fetch"]) == 0
    fetched = capsys.readouterr().out
    assert "sources ok: 1, failed: 0, new articles: 3" in fetched
    assert "placed 3 articles in stories" in fetched

    assert main([*base, "export", "--format", "jsonl"]) == 0
    exported = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    by_title = {row["title"]: row for row in exported}
    assert set(by_title) == {title for _, title, _ in STORIES}
    for slug, title, body in STORIES:
        row = by_title[title]
        assert row["url"] == server.url(f"/articles/{slug}")
        assert body.split(". ")[1] in row["text"]
        assert "alert" not in row["text"] and "Privacy" not in row["text"]
        assert row["source"] == "Example News"
        assert row["published"].startswith("2026-11-20T")

    settings = load_settings(data_dir=tmp_path, database_url=database_url)
    broadsheet = make_broadsheet(settings)
    with TestClient(create_app(broadsheet)) as client:
        home = client.get("/")
        assert all(title in home.text for _, title, _ in STORIES)
        first = broadsheet.list_articles()[0]
        page = client.get(f"/articles/{first.id}")
        assert page.status_code == 200 and first.title in page.text
        assert "<script" not in page.text.split("<main", 1)[1] and "onclick" not in page.text
    broadsheet.close()

    assert main([*base, "fetch", "--all"]) == 0
    assert "new articles: 0" in capsys.readouterr().out  # nothing stored twice
