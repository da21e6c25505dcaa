from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from broadsheet.exceptions import FetchError
from broadsheet.ingest.discovery import Fetch, discover_feeds, find_feeds, looks_like_html
from broadsheet.ingest.feeds import parse_feed
from broadsheet.ingest.fetch import FetchResponse

PAGE = b"""<!doctype html><html><head>
<link rel="alternate" type="application/rss+xml" href="/feed.xml" title="RSS">
<link rel="alternate" type="application/atom+xml" href="https://cdn.example/atom">
<link rel="alternate" type="application/feed+json" href="feed.json">
<link rel="alternate" type="text/html" hreflang="fr" href="/fr/">
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/rss+xml" href="/feed.xml">
</head><body><a href="/rss">RSS</a></body></html>"""


def test_discovers_announced_feeds_in_order_without_repeats() -> None:
    assert discover_feeds(PAGE, base_url="https://site.example/news/") == [
        "https://site.example/feed.xml",
        "https://cdn.example/atom",
        "https://site.example/news/feed.json",
    ]


def test_page_without_feeds() -> None:
    assert discover_feeds(b"<html><head></head></html>", base_url="https://x.example/") == []


def test_html_sniffing() -> None:
    assert looks_like_html(PAGE)
    assert looks_like_html(b"...", "text/html; charset=utf-8")
    assert not looks_like_html(b"<?xml version='1.0'?><rss/>", "application/rss+xml")


RSS = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Found</title>'
    b"<item><title>One</title><link>https://site.example/1</link></item></channel></rss>"
)
NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://site.example/a</loc><news:news>
    <news:publication><news:name>Site News</news:name><news:language>en</news:language></news:publication>
    <news:publication_date>2026-11-22T10:00:00+01:00</news:publication_date>
    <news:title>Harbour reopens</news:title></news:news></url>
  <url><loc>https://site.example/about</loc></url>
</urlset>"""


def fake_site(pages: dict[str, tuple[bytes, str]]) -> Fetch:
    async def fetch(url: str) -> FetchResponse:
        if url not in pages:
            raise FetchError("HTTP 404 Not Found")
        body, kind = pages[url]
        return FetchResponse(url, 200, body, kind)

    return fetch


def test_a_page_without_announced_feeds_is_probed_at_common_paths() -> None:
    fetch = fake_site({
        "https://site.example/": (b"<html><head></head></html>", "text/html"),
        "https://site.example/rss": (b"<html>a page, not a feed</html>", "text/html"),
        "https://site.example/index.xml": (RSS, "application/rss+xml"),
    })  # fmt: skip
    assert asyncio.run(find_feeds(fetch, "https://site.example/")) == [
        ("https://site.example/index.xml", "Found")
    ]


def test_a_news_sitemap_is_a_feed() -> None:
    fetch = fake_site({
        "https://site.example/": (b"<html></html>", "text/html"),
        "https://site.example/news-sitemap.xml": (NEWS_SITEMAP, "application/xml"),
    })  # fmt: skip
    [(url, title)] = asyncio.run(find_feeds(fetch, "https://site.example/"))
    assert (url, title) == ("https://site.example/news-sitemap.xml", "Site News")
    parsed = parse_feed(NEWS_SITEMAP, url=url)
    [entry] = parsed.entries
    assert (entry.link, entry.title) == ("https://site.example/a", "Harbour reopens")
    assert entry.published == datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def test_a_site_with_no_feed_anywhere_says_so() -> None:
    fetch = fake_site({"https://site.example/": (b"<html></html>", "text/html")})
    with pytest.raises(FetchError, match="no feed found"):
        asyncio.run(find_feeds(fetch, "https://site.example/"))


def test_a_feed_url_is_its_own_feed() -> None:
    fetch = fake_site({"https://site.example/feed": (RSS, "application/rss+xml")})
    assert asyncio.run(find_feeds(fetch, "https://site.example/feed")) == [
        ("https://site.example/feed", "Found")
    ]
