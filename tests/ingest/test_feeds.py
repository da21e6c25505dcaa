"""Each feed format parses to the same shape (golden inputs in data/)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from broadsheet.exceptions import NotAFeed
from broadsheet.ingest.feeds import parse_feed

DATA = Path(__file__).parent / "data"


def parse(name: str) -> object:
    return parse_feed((DATA / name).read_bytes(), url=f"https://feeds.example/{name}")


@pytest.mark.parametrize(
    ("name", "fmt", "title", "link", "first_title"),
    [
        ("rss091.xml", "rss091u", "Old Wire", "https://old.example/harbour", "Harbour reopens after storm"),
        ("rss10.rdf", "rss10", "RDF Times", "https://rdf.example/a", "Council votes on budget"),
        ("rss20.xml", "rss20", "Daily Example", "https://daily.example/rates", "Rates held steady"),
        ("atom03.xml", "atom03", "Atom Zero Three", "https://a03.example/bridge", "Bridge opens"),
        ("atom10.xml", "atom10", "Atom Post", "https://atom.example/election", "Election results are in"),
        ("jsonfeed11.json", "json11", "JSON Daily", "https://json.example/moon", "Probe lands on the moon"),
        ("jsonfeed10.json", "json1", "JSON One", "https://j1.example/x", "Old style"),
    ],
)  # fmt: skip
def test_formats(name: str, fmt: str, title: str, link: str, first_title: str) -> None:
    feed = parse(name)
    assert feed.format.startswith(fmt[:5]) and feed.title == title  # type: ignore[attr-defined]
    first = feed.entries[0]  # type: ignore[attr-defined]
    assert (first.link, first.title) == (link, first_title)


def test_rss20_details() -> None:
    feed = parse("rss20.xml")
    entry = feed.entries[0]  # type: ignore[attr-defined]
    assert entry.guid == "daily-123"
    assert entry.published == datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    assert entry.authors == ("Sam Banker",)
    assert entry.content_html == "<p>The central bank held rates <b>again</b>.</p>"
    assert [(e.url, e.kind) for e in entry.enclosures] == [
        ("https://daily.example/rates.mp3", "audio")
    ]
    assert len(feed.entries) == 2  # type: ignore[attr-defined]


def test_times_are_utc() -> None:
    atom = parse("atom10.xml").entries[0]  # type: ignore[attr-defined]
    assert atom.published == datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
    rdf = parse("rss10.rdf").entries[0]  # type: ignore[attr-defined]
    assert rdf.published == datetime(2026, 11, 20, 7, 30, tzinfo=UTC)
    assert rdf.authors == ("Jo Clerk",)


def test_json_feed_details() -> None:
    feed = parse("jsonfeed11.json")
    first, second = feed.entries  # type: ignore[attr-defined]
    assert first.authors == ("Kim Astronomer",)
    assert [(e.url, e.kind) for e in first.enclosures] == [
        ("https://json.example/moon.jpg", "image")
    ]
    assert first.published == datetime(2026, 11, 22, 18, 0, tzinfo=UTC)
    assert second.guid == "2" and second.summary == "Plain text."
    assert parse("jsonfeed10.json").entries[0].authors == ("Solo Writer",)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"<!DOCTYPE html><html><body>Hello</body></html>", "HTML page"),
        (b"<rss><channel><item>", "invalid XML"),
        (b"{not json", "invalid JSON"),
        (b'{"version": "1", "items": []}', "JSON Feed version"),
        (b"", "not a feed"),
    ],
)
def test_not_a_feed(content: bytes, reason: str) -> None:
    with pytest.raises(NotAFeed, match=reason):
        parse_feed(content, url="https://x.example/feed")


def test_enclosures_keep_type_and_size_and_only_web_addresses() -> None:
    document = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Pod</title>
<item><title>Episode</title><link>https://pod.example/1</link>
<enclosure url="https://pod.example/1.mp3" length="4096" type="audio/mpeg"/>
<enclosure url="javascript:alert(1)" length="1" type="audio/mpeg"/>
<enclosure url="https://pod.example/cover" length="big" type="image/png"/></item>
</channel></rss>"""
    [entry] = parse_feed(document, url="https://pod.example/feed").entries
    assert [(e.url, e.type, e.length, e.kind) for e in entry.enclosures] == [
        ("https://pod.example/1.mp3", "audio/mpeg", 4096, "audio"),
        ("https://pod.example/cover", "image/png", None, "image"),
    ]
