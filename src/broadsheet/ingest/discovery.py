"""Finding a site's feeds from its home page (``<link rel="alternate">``)."""

from __future__ import annotations

from urllib.parse import urljoin

__all__ = ["FEED_TYPES", "discover_feeds", "looks_like_html"]

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
