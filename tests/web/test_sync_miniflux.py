"""The Miniflux-compatible API: in-process for its shapes, and with Debian's newsboat as the real
client (skipped with a reason where newsboat is not installed)."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from broadsheet.config import Settings
from broadsheet.core import Broadsheet, make_broadsheet
from broadsheet.types import Author, ExtractedArticle
from broadsheet.web.app import create_app
from tests.liveserver import serve_app
from tests.web.newsboat import Newsboat, needs_newsboat

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
EMAIL, PASSWORD = "ada@example.org", "a long enough password"


@pytest.fixture
def broadsheet(tmp_path: Path) -> Iterator[Broadsheet]:
    bs = make_broadsheet(Settings(data_dir=tmp_path / "data"), now=lambda: NOW)
    for s, name in enumerate(["Harbour Times", "Valley News"]):
        source, _ = bs.store.add_source(f"https://{s}.example/feed", now=NOW, title=name)
        for i in range(3):
            article = ExtractedArticle(
                title=f"{name} story {i}", text=f"Body {s}-{i}.",
                html=f'<p>Body {s}-{i}.</p><script>steal()</script>',
                authors=(Author("Kim Reporter"),), published=NOW - timedelta(hours=i + s),
            )  # fmt: skip
            bs.store.save_article(
                article, url=f"https://{s}.example/{i}", source_id=source.id, now=NOW
            )
    bs.accounts.add_user(EMAIL, PASSWORD)
    yield bs
    bs.close()


def _basic(email: str = EMAIL, password: str = PASSWORD) -> dict[str, str]:
    raw = base64.b64encode(f"{email}:{password}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


def test_feeds_entries_and_status(broadsheet: Broadsheet) -> None:
    with TestClient(create_app(broadsheet)) as client:
        assert client.get("/api/miniflux/v1/feeds").status_code == 401
        assert (
            client.get("/api/miniflux/v1/feeds", headers=_basic(password="wrong")).status_code
            == 401
        )
        feeds = client.get("/api/miniflux/v1/feeds", headers=_basic()).json()
        assert [f["title"] for f in feeds] == ["Harbour Times", "Valley News"]
        assert feeds[0]["category"] == {"id": 1, "title": "All", "user_id": 1}
        listing = client.get(
            f"/api/miniflux/v1/feeds/{feeds[0]['id']}/entries?direction=desc&limit=2",
            headers=_basic(),
        ).json()
        assert listing["total"] == 3
        first = listing["entries"][0]
        assert first["title"] == "Harbour Times story 0" and first["status"] == "unread"
        assert "steal" not in first["content"] and first["author"] == "Kim Reporter"
        marked = client.put(
            "/api/miniflux/v1/entries", headers=_basic(),
            json={"entry_ids": [first["id"], 999], "status": "read"},
        )  # fmt: skip
        assert marked.status_code == 204
        unread = client.get("/api/miniflux/v1/entries?status=unread", headers=_basic()).json()
        assert unread["total"] == 5
        assert (
            client.put(
                f"/api/miniflux/v1/entries/{first['id']}/bookmark", headers=_basic()
            ).status_code
            == 204
        )
        assert client.get(f"/api/miniflux/v1/entries/{first['id']}", headers=_basic()).json()[
            "starred"
        ]
        bad = client.put("/api/miniflux/v1/entries", headers=_basic(), json={"status": "gone"})
        assert bad.status_code == 422
        assert client.get("/api/miniflux/v1/feeds/999", headers=_basic()).status_code == 404


@needs_newsboat
def test_newsboat_reads_and_syncs(broadsheet: Broadsheet, tmp_path: Path) -> None:
    with serve_app(create_app(broadsheet)) as base:
        newsboat = Newsboat(
            tmp_path,
            f'urls-source "miniflux"\nminiflux-url "{base}/api/miniflux"\n'
            f'miniflux-login "{EMAIL}"\nminiflux-password "{PASSWORD}"\n',
        )
        printed, titles = newsboat.refresh()
        assert "6 unread articles" in printed
        assert titles == {
            f"{n} story {i}" for n in ("Harbour Times", "Valley News") for i in range(3)
        }
        reader, _ = broadsheet.store.get_user_by_email(EMAIL)
        broadsheet.store.read_marks.mark(reader.id, [1, 2], read=True, now=NOW)
        printed, _ = newsboat.refresh()
        assert "4 unread articles" in printed, printed
