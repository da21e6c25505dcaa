"""The sources pages: OPML upload with progress, per-source settings and retry, CSRF on each form."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from broadsheet.config import Settings
from broadsheet.core import Broadsheet, make_broadsheet
from broadsheet.web.app import create_app
from tests.conftest import Clock

OPML = b"""<?xml version="1.0"?><opml version="2.0"><body><outline text="Tech">
<outline type="rss" text="One" xmlUrl="https://one.example/feed"/>
<outline type="rss" text="Two" xmlUrl="https://two.example/feed"/>
<outline type="rss" text="Bad" xmlUrl="mailto:someone@example.org"/>
</outline></body></opml>"""


@pytest.fixture
def app(tmp_path: Path, clock: Clock) -> Iterator[tuple[TestClient, Broadsheet]]:
    bs = make_broadsheet(Settings(data_dir=tmp_path), now=clock)
    with TestClient(create_app(bs)) as client:
        yield client, bs
    bs.close()


def token(client: TestClient, path: str = "/sources") -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    assert found is not None
    return found.group(1)


def test_opml_upload_shows_progress_and_each_failure(app: tuple[TestClient, Broadsheet]) -> None:
    client, bs = app
    files = {"file": ("subs.opml", OPML, "text/x-opml")}
    refused = client.post("/sources/import", data={"csrf": "forged"}, files=files)
    assert refused.status_code == 403 and bs.list_sources() == []

    started = client.post("/sources/import", data={"csrf": token(client)}, files=files,
                          follow_redirects=False)  # fmt: skip
    assert started.status_code == 303
    page = client.get(started.headers["location"])
    for _ in range(100):  # the import runs in the app's event loop; it finishes in moments
        if "Import finished" in page.text:
            break
        time.sleep(0.05)
        page = client.get(started.headers["location"])
    assert "3 of 3 entries, 1 failed" in page.text
    assert "not a web address: &#39;mailto:someone@example.org&#39;" in page.text
    assert {(s.url, s.category) for s in bs.list_sources()} == {
        ("https://one.example/feed", "Tech"), ("https://two.example/feed", "Tech"),
    }  # fmt: skip


def test_a_broken_upload_is_a_readable_error(app: tuple[TestClient, Broadsheet]) -> None:
    client, _ = app
    files = {"file": ("x.opml", b"<html>not opml", "text/html")}
    page = client.post("/sources/import", data={"csrf": token(client)}, files=files)
    assert page.status_code == 422 and "not an OPML file" in page.text


def test_settings_form_and_retry_button(app: tuple[TestClient, Broadsheet], clock: Clock) -> None:
    client, bs = app
    source, _ = bs.store.add_source("https://one.example/feed", now=clock())
    bs.ingest.record_failure(source.id, now=clock(), error="DNS failure: cannot resolve one.example",
                             next_fetch_at=clock(), pause_reason="paused after 10 failed fetches in a row")  # fmt: skip
    page = client.get(f"/sources/{source.id}")
    assert "paused after 10 failed fetches in a row" in page.text and "Retry now" in page.text
    csrf = token(client, f"/sources/{source.id}")

    assert client.post(f"/sources/{source.id}/retry", data={"csrf": "x"}).status_code == 403
    retried = client.post(f"/sources/{source.id}/retry", data={"csrf": csrf})
    assert "fetched at the next chance" in retried.text
    assert bs.get_source(source.id).status == "error"

    form = {"csrf": csrf, "title": "One News", "category": "World", "interval_minutes": "90",
            "paused": "on"}  # fmt: skip
    saved = client.post(f"/sources/{source.id}/settings", data=form)
    assert saved.status_code == 200 and "Settings saved" in saved.text
    changed = bs.get_source(source.id)
    assert (changed.title, changed.category, changed.interval_seconds) == (
        "One News",
        "World",
        5400,
    )
    assert not changed.full_text and changed.status == "paused"
    bad = client.post(f"/sources/{source.id}/settings", data={**form, "interval_minutes": "1"})
    assert bad.status_code == 400 and "number of minutes" in bad.text
    short = client.post(f"/sources/{source.id}/settings", data={**form, "retention_days": "3"})
    assert short.status_code == 400 and "7 days or more" in short.text
    kept = client.post(f"/sources/{source.id}/settings", data={**form, "retention_days": "30"})
    assert (
        "Articles kept</dt><dd>30 days" in kept.text
        and bs.get_source(source.id).retention_days == 30
    )
    listing = client.get("/sources").text
    assert "One News" in listing and "paused by the operator" in listing
