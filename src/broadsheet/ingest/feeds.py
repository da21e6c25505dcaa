"""Feed documents → ``ParsedFeed``: RSS 0.9x/1.0/2.0 and Atom through feedparser; JSON Feed 1.x and
news sitemaps here (feedparser reads neither, and both formats are small)."""

from __future__ import annotations

import calendar
import json
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from broadsheet.exceptions import NotAFeed
from broadsheet.types import Enclosure, FeedEntry, ParsedFeed

__all__ = ["parse_feed"]


def parse_feed(content: bytes, *, url: str, content_type: str = "") -> ParsedFeed:
    """Parse a feed document; raises ``NotAFeed`` with the reason when it is none."""
    head = content[:512].lstrip().lower()
    if "json" in content_type or head.startswith(b"{"):
        return _parse_json_feed(content)
    if b"<urlset" in content[:2048]:
        return _parse_news_sitemap(content)
    return _parse_xml_feed(content, url, head)


def _parse_xml_feed(content: bytes, url: str, head: bytes) -> ParsedFeed:
    import feedparser

    parsed = feedparser.parse(content, response_headers={"content-location": url})
    if not parsed.get("version"):
        if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
            raise NotAFeed("not a feed: the address returned an HTML page")
        reason = parsed.get("bozo_exception")
        raise NotAFeed(f"not a feed: {reason}" if reason else "not a feed")
    feed = parsed.feed
    entries = tuple(_xml_entry(e) for e in parsed.entries)
    broken = parsed.get("bozo") and not isinstance(
        parsed.get("bozo_exception"), feedparser.CharacterEncodingOverride
    )
    if broken and not any(e.link or e.title for e in entries):
        # A feed the lenient parser recovered nothing useful from is an error, not an empty feed.
        raise NotAFeed(f"not a feed: invalid XML ({parsed.get('bozo_exception')})")
    return ParsedFeed(
        title=feed.get("title") or None,
        site_url=feed.get("link") or None,
        entries=entries,
        format=parsed.version,
    )


def _struct_time(value: time.struct_time | None) -> datetime | None:
    if value is None:
        return None
    return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)


def _xml_entry(entry: Any) -> FeedEntry:
    content = entry.get("content") or []
    authors = tuple(a.get("name", "") for a in entry.get("authors", []) if a.get("name"))
    enclosures = _enclosures(
        (e.get("href"), e.get("type"), e.get("length")) for e in entry.get("enclosures", [])
    )
    return FeedEntry(
        guid=entry.get("id") or None,
        link=entry.get("link") or None,
        title=entry.get("title") or None,
        summary=entry.get("summary") or None,
        content_html=content[0].get("value") if content else None,
        authors=authors,
        published=_struct_time(entry.get("published_parsed") or entry.get("updated_parsed")),
        updated=_struct_time(entry.get("updated_parsed")),
        enclosures=enclosures,
    )


def _iso(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _parse_json_feed(content: bytes) -> ParsedFeed:
    try:
        document = json.loads(content)
    except (ValueError, UnicodeDecodeError) as e:
        raise NotAFeed(f"not a feed: invalid JSON ({e})") from e
    version = document.get("version", "") if isinstance(document, dict) else ""
    if not str(version).startswith("https://jsonfeed.org/version/"):
        raise NotAFeed("not a feed: JSON without a JSON Feed version")
    items = document.get("items")
    if not isinstance(items, list):
        raise NotAFeed("not a feed: JSON Feed without items")
    entries = tuple(_json_entry(item) for item in items if isinstance(item, dict))
    return ParsedFeed(
        title=document.get("title") or None,
        site_url=document.get("home_page_url") or None,
        entries=entries,
        format="json" + str(version).rsplit("/", 1)[-1].replace(".", ""),
    )


def _json_entry(item: dict[str, Any]) -> FeedEntry:
    authors = item.get("authors") or (
        [item["author"]] if isinstance(item.get("author"), dict) else []
    )
    names = tuple(str(a["name"]) for a in authors if isinstance(a, dict) and a.get("name"))
    attachments = item.get("attachments") or []
    return FeedEntry(
        guid=str(item["id"]) if item.get("id") is not None else None,
        link=item.get("url") or item.get("external_url") or None,
        title=item.get("title") or None,
        summary=item.get("summary") or item.get("content_text") or None,
        content_html=item.get("content_html") or None,
        authors=names,
        published=_iso(item.get("date_published") or item.get("date_modified")),
        updated=_iso(item.get("date_modified")),
        enclosures=_enclosures(
            (a.get("url"), a.get("mime_type"), a.get("size_in_bytes"))
            for a in attachments
            if isinstance(a, dict)
        ),
    )


def _enclosures(found: Iterable[tuple[Any, Any, Any]]) -> tuple[Enclosure, ...]:
    """Web addresses only (a feed may name anything); a size that is no number is left out."""
    kept = []
    for url, media_type, length in found:
        if not isinstance(url, str) or not url.lower().startswith(("https://", "http://")):
            continue
        size = int(length) if str(length or "").strip().isdigit() else None
        kept.append(Enclosure(url, str(media_type)[:100] if media_type else None, size))
    return tuple(kept[:20])


_SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def _parse_news_sitemap(content: bytes) -> ParsedFeed:
    """A Google News sitemap: each ``<url>`` with a ``<news:news>`` block is an entry."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as e:
        raise NotAFeed(f"not a feed: invalid XML in the sitemap ({e})") from e
    entries = []
    for url in root.iter(f"{_SITEMAP}url"):
        loc = (url.findtext(f"{_SITEMAP}loc") or "").strip()
        news = url.find(f"{_NEWS}news")
        if not loc or news is None:
            continue
        entries.append(
            FeedEntry(
                guid=None,
                link=loc,
                title=(news.findtext(f"{_NEWS}title") or "").strip() or None,
                published=_iso((news.findtext(f"{_NEWS}publication_date") or "").strip()),
            )
        )
    if not entries:
        raise NotAFeed("not a feed: a sitemap without news entries")
    name = root.findtext(f".//{_NEWS}publication/{_NEWS}name")
    return ParsedFeed(title=name, site_url=None, entries=tuple(entries), format="news-sitemap")
