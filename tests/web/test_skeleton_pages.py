"""The first pages in-process: empty home, sources with the CSRF-protected add form, the reading
view's sanitized body, error pages and security headers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from broadsheet.config import Settings
from broadsheet.core import Broadsheet, make_broadsheet
from broadsheet.types import ExtractedArticle
from broadsheet.web.app import create_app

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def broadsheet(tmp_path: Path) -> Iterator[Broadsheet]:
    bs = make_broadsheet(Settings(data_dir=tmp_path), now=lambda: NOW)
    yield bs
    bs.close()


@pytest.fixture
def client(broadsheet: Broadsheet) -> Iterator[TestClient]:
    with TestClient(create_app(broadsheet)) as c:
        yield c


def test_fresh_install_home_invites_to_add_sources(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "Add a source" in response.text
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"


def test_add_form_requires_the_csrf_token(client: TestClient) -> None:
    page = client.get("/sources")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token is not None
    refused = client.post("/sources", data={"url": "https://x.example/feed", "csrf": "forged"})
    assert refused.status_code == 403
    empty = client.post("/sources", data={"url": " ", "csrf": token.group(1)})
    assert empty.status_code == 400 and "Give a feed or site address" in empty.text


def test_add_form_shows_the_reason_a_source_failed(client: TestClient) -> None:
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/sources").text)
    assert token is not None
    response = client.post("/sources", data={"url": "http://127.0.0.1:9/", "csrf": token.group(1)})
    assert response.status_code == 422 and "blocked address" in response.text


def test_reading_view_sanitizes_even_stored_html(
    broadsheet: Broadsheet, client: TestClient
) -> None:
    hostile = ExtractedArticle(
        title="Hostile <b>title</b>", text="Body text", published=NOW,
        html='<p>Body text</p><script>alert(1)</script><img src="x" onerror="alert(2)">',
    )  # fmt: skip
    saved = broadsheet.store.save_article(
        hostile, url="https://x.example/1", source_id=None, now=NOW
    )
    page = client.get(f"/articles/{saved.id}")
    assert page.status_code == 200
    assert "<p>Body text</p>" in page.text
    assert "alert(" not in page.text and "onerror" not in page.text
    assert "Hostile &lt;b&gt;title&lt;/b&gt;" in page.text
    assert 'href="https://x.example/1"' in page.text
    home = client.get("/")
    assert f'href="/articles/{saved.id}"' in home.text


def test_missing_pages_are_readable_404s(client: TestClient) -> None:
    for path in ("/articles/12345", "/sources/999", "/nowhere"):
        response = client.get(path)
        assert response.status_code == 404 and "Not found." in response.text


def test_healthz(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_metrics_for_prometheus(broadsheet: Broadsheet, client: TestClient) -> None:
    broadsheet.store.add_source("https://a.example/feed", now=NOW)
    article = ExtractedArticle(title="T", text="Body", html="<p>Body</p>")
    broadsheet.store.save_article(article, url="https://a.example/1", source_id=None, now=NOW)
    response = client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    assert 'broadsheet_sources{status="ok"} 1.0' in response.text
    assert "broadsheet_articles 1.0" in response.text
    assert "broadsheet_stories 0.0" in response.text
    assert 'broadsheet_backlog{stage="stories"} 1.0' in response.text
    assert 'broadsheet_backlog{stage="labels"} 1.0' in response.text
    broadsheet.label_articles()
    assert 'broadsheet_backlog{stage="labels"} 0.0' in client.get("/metrics").text


def test_only_editors_manage_sources_once_accounts_exist(
    broadsheet: Broadsheet, client: TestClient
) -> None:
    assert 'action="/sources"' in client.get("/sources").text  # a fresh install: set it up
    broadsheet.accounts.add_user("admin@example.org", "a long enough password")
    page = client.get("/sources").text
    assert 'action="/sources"' not in page and "Editors add and manage sources" in page
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/signin").text)
    assert token is not None
    refused = client.post(
        "/sources", data={"url": "https://x.example/feed", "csrf": token.group(1)},
        follow_redirects=False,
    )  # fmt: skip
    assert refused.status_code in (303, 401, 403) and broadsheet.list_sources() == []
