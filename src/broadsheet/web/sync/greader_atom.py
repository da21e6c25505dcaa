"""A Google Reader stream as Atom (the FeedHQ flavour of the API), built from the JSON stream so
both flavours say the same. lxml writes the XML; read and starred states travel as categories."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from lxml import etree

__all__ = ["render_stream"]

ATOM = "http://www.w3.org/2005/Atom"
GR = "http://www.google.com/schemas/reader/atom/"
SCHEME = "http://www.google.com/reader/"


def _iso(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, tz=UTC).isoformat().replace("+00:00", "Z")


def _sub(parent: Any, tag: str, text: str | None = None, **attrs: str) -> Any:
    element = etree.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def _entry(feed: Any, item: dict[str, Any]) -> None:
    entry = _sub(feed, "entry")
    entry.set(f"{{{GR}}}crawl-timestamp-msec", item["crawlTimeMsec"])
    _sub(entry, "id", item["id"])
    for category in item["categories"]:
        _sub(entry, "category", term=category, scheme=SCHEME, label=category.rsplit("/", 1)[-1])
    _sub(entry, "title", item["title"], type="html")
    _sub(entry, "published", _iso(item["published"]))
    _sub(entry, "updated", _iso(item["updated"]))
    for link in item["alternate"]:
        _sub(entry, "link", rel="alternate", href=link["href"], type="text/html")
    _sub(entry, "content", item["summary"]["content"], type="html")
    if item["author"]:
        _sub(_sub(entry, "author"), "name", item["author"])
    source = _sub(entry, "source")
    source.set(f"{{{GR}}}stream-id", item["origin"]["streamId"])
    _sub(source, "title", item["origin"]["title"])


def render_stream(contents: dict[str, Any]) -> bytes:
    """Atom for a stream, from ``stream/contents`` JSON."""
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM, "gr": GR})
    _sub(feed, "id", f"tag:google.com,2005:reader/{contents['id']}")
    _sub(feed, "title", contents["id"])
    _sub(feed, "updated", _iso(contents["updated"]))
    if "continuation" in contents:
        feed.set(f"{{{GR}}}continuation", contents["continuation"])
    for item in contents["items"]:
        _entry(feed, item)
    document: bytes = etree.tostring(feed, xml_declaration=True, encoding="utf-8")
    return document
