"""An entry's files (a podcast's audio, a photo) end to end on the web side: the reading view
plays or links them, and the sync APIs, the JSON API and outgoing feeds carry them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from broadsheet.config import Settings
from broadsheet.core import Broadsheet, make_broadsheet
from broadsheet.ingest.feeds import parse_feed
from broadsheet.types import Enclosure, ExtractedArticle
from broadsheet.web.app import create_app
from tests.web.test_sync_greader import _login
from tests.web.test_sync_miniflux import EMAIL, NOW, PASSWORD, _basic

AUDIO = Enclosure("https://pod.example/episode-12.mp3", "audio/mpeg", 3_000_000)
PHOTO = Enclosure("https://pod.example/cover.jpg", "image/jpeg")


@pytest.fixture
def broadsheet(tmp_path: Path) -> Iterator[Broadsheet]:
    bs = make_broadsheet(Settings(data_dir=tmp_path), now=lambda: NOW)
    source, _ = bs.store.add_source("https://pod.example/feed", now=NOW, title="Pod")
    article = ExtractedArticle(title="Episode 12", text="We talk about tides.",
                               html="<p>We talk about tides.</p>", enclosures=(AUDIO, PHOTO))  # fmt: skip
    bs.store.save_article(article, url="https://pod.example/12", source_id=source.id, now=NOW)
    bs.accounts.add_user(EMAIL, PASSWORD)
    yield bs
    bs.close()


def test_the_reading_view_plays_audio_and_shows_photos(broadsheet: Broadsheet) -> None:
    with TestClient(create_app(broadsheet)) as client:
        page = client.get("/articles/1")
    attached = page.text.split('id="enclosures-h"')[1].split("</section>")[0]
    assert f'<audio controls preload="none" src="{AUDIO.url}"' in attached
    assert f'<img src="{PHOTO.url}"' in attached and "3.0 MB" in attached
    assert "media-src 'self' https:" in page.headers["content-security-policy"]


def test_sync_apis_carry_the_files(broadsheet: Broadsheet) -> None:
    with TestClient(create_app(broadsheet)) as client:
        entries = client.get("/api/miniflux/v1/entries", headers=_basic()).json()["entries"]
        auth = _login(client)
        stream = client.get("/api/greader/reader/api/0/stream/contents/user/-/state/"
                            "com.google/reading-list", headers=auth).json()  # fmt: skip
    [files] = [e["enclosures"] for e in entries]
    assert [(f["url"], f["mime_type"], f["size"]) for f in files] == [
        (AUDIO.url, "audio/mpeg", 3_000_000), (PHOTO.url, "image/jpeg", 0),
    ]  # fmt: skip
    assert stream["items"][0]["enclosure"][0] == {
        "href": AUDIO.url,
        "type": "audio/mpeg",
        "length": "3000000",
    }


def test_feeds_and_the_json_api_carry_the_files(broadsheet: Broadsheet) -> None:
    user, _ = broadsheet.store.get_user_by_email(EMAIL)
    _, token = broadsheet.store.api_tokens.create(user.id, "t", now=NOW)
    with TestClient(create_app(broadsheet)) as client:
        rss = client.get("/feeds/latest.rss")
        json_feed = client.get("/feeds/latest.json").json()
        atom = client.get("/feeds/latest.atom").text
        api = client.get("/api/v1/articles/1", headers={"Authorization": f"Bearer {token}"})
    [entry] = parse_feed(rss.content, url="http://testserver/feeds/latest.rss").entries
    assert [(e.url, e.length) for e in entry.enclosures] == [(AUDIO.url, 3_000_000)]
    assert json_feed["items"][0]["attachments"][0] == {
        "url": AUDIO.url,
        "mime_type": "audio/mpeg",
        "size_in_bytes": 3_000_000,
    }
    assert AUDIO.url not in atom  # feedgen would turn it into a plain (alternate) link
    assert api.json()["enclosures"][1] == {"url": PHOTO.url, "type": "image/jpeg", "length": None}
