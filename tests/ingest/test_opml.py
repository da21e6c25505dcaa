"""OPML: folders become categories, bad outlines are reported one by one, export round-trips."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from broadsheet.exceptions import BroadsheetError, NotAFeed
from broadsheet.ingest.opml import ImportResult, import_entries, parse_opml, render_opml
from broadsheet.types import Source

DOCUMENT = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>Mine</title></head><body>
  <outline text="News" title="News">
    <outline type="rss" text="Wire" xmlUrl="https://wire.example/feed" htmlUrl="https://wire.example/"/>
    <outline text="Europe">
      <outline type="rss" text="Alpine Post" xmlUrl="https://alpine.example/rss"/>
    </outline>
  </outline>
  <outline type="rss" text="No folder" xmlURL="https://loose.example/atom"/>
  <outline text="Site only" htmlUrl="https://site.example/"/>
  <outline type="rss" text="Bad scheme" xmlUrl="ftp://files.example/feed"/>
  <outline type="rss" text="No host" xmlUrl="https:///feed"/>
  <outline text="Empty folder"/>
</body></opml>"""


def test_outlines_keep_their_folders_as_categories() -> None:
    entries = parse_opml(DOCUMENT)
    assert [(e.url, e.category) for e in entries[:3]] == [
        ("https://wire.example/feed", "News"),
        ("https://alpine.example/rss", "News / Europe"),
        ("https://loose.example/atom", None),
    ]
    assert entries[3].url is None and entries[3].site_url == "https://site.example/"
    assert len(entries) == 6


@pytest.mark.parametrize(
    ("document", "reason"),
    [(b"<opml><body><outline", "invalid XML"), (b"<rss/>", "no <opml><body>"),
     (b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><opml><body>'
      b'<outline xmlUrl="&e;"/></body></opml>', "")],
)  # fmt: skip
def test_bad_documents_are_refused_and_entities_never_expanded(
    document: bytes, reason: str
) -> None:
    try:
        entries = parse_opml(document)
    except NotAFeed as e:
        assert reason in str(e)
    else:
        assert reason == "" and all("root:" not in (e.url or "") for e in entries)


def test_each_entry_gets_its_result_and_one_failure_stops_nothing() -> None:
    added: list[tuple[str, str | None, bool]] = []
    seen: list[ImportResult] = []

    async def add(url: str, title: str | None, category: str | None, discover: bool) -> Source:
        if "alpine" in url:
            raise BroadsheetError("HTTP 503 Service Unavailable")
        added.append((url, category, discover))
        return Source(len(added), url, title, None, "ok", None, None, None, None)

    results = asyncio.run(import_entries(parse_opml(DOCUMENT), add=add, progress=seen.append))
    assert len(seen) == len(results) == 6
    failed = {r.entry.label: r.error for r in results if not r.ok}
    assert failed == {
        "Alpine Post": "HTTP 503 Service Unavailable",
        "Bad scheme": "not a web address: 'ftp://files.example/feed' (only http and https)",
        "No host": "not a web address: 'https:///feed' has no host",
    }
    assert ("https://site.example/", None, True) in added  # a site only: its feed is looked up
    assert ("https://wire.example/feed", "News", False) in added


def test_export_groups_by_category_and_reads_back() -> None:
    now = datetime(2026, 11, 23, tzinfo=UTC)
    sources = [
        Source(1, "https://a.example/feed", "A & Co", "https://a.example/", "ok", None, None,
               None, now, category="Tech"),
        Source(2, "https://b.example/feed", None, None, "ok", None, None, None, now),
    ]  # fmt: skip
    document = render_opml(sources)
    assert document.startswith(b"<?xml")
    back = parse_opml(document)
    assert [(e.url, e.title, e.category, e.site_url) for e in back] == [
        ("https://b.example/feed", "https://b.example/feed", None, None),
        ("https://a.example/feed", "A & Co", "Tech", "https://a.example/"),
    ]
