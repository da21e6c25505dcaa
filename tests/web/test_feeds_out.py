"""Outgoing feeds round-trip through our own feed parser, in every format."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from broadsheet.config import Settings
from broadsheet.core import Broadsheet, make_broadsheet
from broadsheet.ingest.feeds import parse_feed
from broadsheet.types import Author, ExtractedArticle
from broadsheet.web.app import create_app

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def broadsheet(tmp_path: Path) -> Iterator[Broadsheet]:
    bs = make_broadsheet(Settings(data_dir=tmp_path), now=lambda: NOW)
    for i in range(3):
        article = ExtractedArticle(
            title=f"Headline {i}", text=f"First paragraph {i}.\nSecond.",
            html=f'<p>First paragraph {i}.</p><script>bad()</script><p onclick="x()">Second.</p>',
            authors=(Author("Ada Writer"),), published=NOW - timedelta(hours=i),
        )  # fmt: skip
        bs.store.save_article(article, url=f"https://news.example/{i}", source_id=None, now=NOW)
    yield bs
    bs.close()


@pytest.mark.parametrize(
    ("fmt", "media", "parsed_format"),
    [("atom", "application/atom+xml", "atom10"), ("rss", "application/rss+xml", "rss20"),
     ("json", "application/feed+json", "json11")],
)  # fmt: skip
def test_latest_feed_round_trips(
    broadsheet: Broadsheet, fmt: str, media: str, parsed_format: str
) -> None:
    with TestClient(create_app(broadsheet)) as client:
        response = client.get(f"/feeds/latest.{fmt}")
    assert response.status_code == 200 and response.headers["content-type"].startswith(media)
    assert "bad()" not in response.text and "onclick" not in response.text
    feed = parse_feed(response.content, url=f"http://testserver/feeds/latest.{fmt}")
    assert feed.format == parsed_format
    assert [e.title for e in feed.entries] == ["Headline 0", "Headline 1", "Headline 2"]
    first = feed.entries[0]
    assert first.link == "http://testserver/articles/1"
    assert first.published == NOW
    assert first.authors == ("Ada Writer",)
    assert "First paragraph 0." in (first.content_html or "")


def test_unknown_format_and_story(broadsheet: Broadsheet) -> None:
    with TestClient(create_app(broadsheet)) as client:
        assert client.get("/feeds/latest.xml").status_code == 404
        assert client.get("/feeds/stories/999.atom").status_code == 404


def test_pages_announce_their_feeds(broadsheet: Broadsheet) -> None:
    with TestClient(create_app(broadsheet)) as client:
        home = client.get("/").text
    assert (
        'type="application/atom+xml" title="Broadsheet — latest" href="/feeds/latest.atom"' in home
    )


def test_topic_and_search_feeds(broadsheet: Broadsheet) -> None:
    sport = ExtractedArticle(title="Cup final", text="The team won the match.",
                             html="<p>The team won the match.</p>", section="Football",
                             published=NOW - timedelta(hours=5))  # fmt: skip
    broadsheet.store.save_article(sport, url="https://news.example/s", source_id=None, now=NOW)
    broadsheet.label_articles()
    with TestClient(create_app(broadsheet)) as client:
        topic = client.get("/feeds/topics/sport.atom")
        page = client.get("/topics/sport").text
        found = client.get("/feeds/search.rss", params={"q": "paragraph"})
        narrowed = client.get("/feeds/search.json", params={"q": "match", "topic": "sport"})
        empty = client.get("/feeds/search.atom")
        search_page = client.get("/search", params={"q": "paragraph"}).text
    assert [e.title for e in parse_feed(topic.content, url="http://t/f.atom").entries] == [
        "Cup final"
    ]
    assert "Broadsheet — Sport" in topic.text and 'href="/feeds/topics/sport.atom"' in page
    entries = parse_feed(found.content, url="http://t/f.rss").entries
    assert [e.title for e in entries] == ["Headline 0", "Headline 1", "Headline 2"]  # newest first
    assert [i["title"] for i in narrowed.json()["items"]] == ["Cup final"]
    assert empty.status_code == 400
    assert 'href="/feeds/search.atom?q=paragraph"' in search_page
