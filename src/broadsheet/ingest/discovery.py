"""Finding a site's feeds: the page's ``<link rel="alternate">``, else common feed paths and news
sitemaps."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import urljoin

from broadsheet.exceptions import FetchError
from broadsheet.ingest.feeds import parse_feed
from broadsheet.ingest.fetch import FetchResponse

__all__ = ["COMMON_PATHS", "FEED_TYPES", "discover_feeds", "find_feeds", "looks_like_html"]

FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/feed+json",
        "application/json",
        "application/rdf+xml",
        "text/xml",
        "application/xml",
    }
)


def looks_like_html(content: bytes, content_type: str = "") -> bool:
    head = content[:1024].lstrip().lower()
    return "html" in content_type or head.startswith((b"<!doctype html", b"<html"))


def discover_feeds(html: bytes | str, *, base_url: str) -> list[str]:
    """Absolute URLs of the feeds a page announces, in page order, without repeats."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html if isinstance(html, str) else html.decode("utf-8", "replace"))
    found: list[str] = []
    for link in tree.css("link[rel][href]"):
        rels = (link.attributes.get("rel") or "").lower().split()
        kind = (link.attributes.get("type") or "").lower().split(";")[0].strip()
        href = (link.attributes.get("href") or "").strip()
        if "alternate" in rels and kind in FEED_TYPES and href:
            url = urljoin(base_url, href)
            if url not in found:
                found.append(url)
    return found


COMMON_PATHS = (
    "/feed", "/rss", "/feed.xml", "/rss.xml", "/atom.xml", "/index.xml", "/feed/",
    "/rss/", "/feeds/posts/default", "/?feed=rss2", "/news-sitemap.xml", "/sitemap_news.xml",
)  # fmt: skip
Fetch = Callable[[str], Awaitable[FetchResponse]]


async def find_feeds(fetch: Fetch, url: str) -> list[tuple[str, str | None]]:
    """The feeds at ``url``: itself if it is a feed, else the feeds its page announces, else the
    first that answers of the common feed paths and news sitemaps. Each as (URL, title or None).

    Raises ``FetchError`` (or ``NotAFeed``) saying why nothing was found.
    """
    response = await fetch(url)
    if not looks_like_html(response.content, response.content_type):
        feed = parse_feed(response.content, url=response.url, content_type=response.content_type)
        return [(url, feed.title)]
    announced = discover_feeds(response.content, base_url=response.url)
    if announced:
        return [(feed_url, None) for feed_url in announced]
    for candidate in _common_candidates(response.url):
        found = await _try_feed(fetch, candidate)
        if found is not None:
            return [found]
    raise FetchError(f"no feed found: {url} is a web page that announces no feed")


def _common_candidates(page_url: str) -> list[str]:
    return list(dict.fromkeys(urljoin(page_url, path) for path in COMMON_PATHS))


async def _try_feed(fetch: Fetch, url: str) -> tuple[str, str | None] | None:
    try:
        response = await fetch(url)
        if looks_like_html(response.content, response.content_type):
            return None
        feed = parse_feed(response.content, url=response.url, content_type=response.content_type)
    except FetchError:
        return None
    return (response.url, feed.title) if feed.entries else None
