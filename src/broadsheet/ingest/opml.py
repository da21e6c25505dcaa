"""OPML in and out: subscription lists from other readers, folders kept as categories.

Parsed with lxml with entities and network off (an OPML file is untrusted upload). Writing is a few
lines of ElementTree; no OPML library is worth a dependency for this.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit
from xml.etree import ElementTree

from broadsheet.exceptions import BroadsheetError, NotAFeed
from broadsheet.types import Source

__all__ = ["ImportResult", "OpmlEntry", "import_entries", "parse_opml", "render_opml"]

MAX_OPML_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class OpmlEntry:
    """One outline: a feed URL (or only a site URL), its title and its folder."""

    url: str | None
    title: str | None
    category: str | None
    site_url: str | None = None
    line: int | None = None

    @property
    def label(self) -> str:
        return self.title or self.url or self.site_url or f"outline on line {self.line}"


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What became of one entry: the source added (or found), or why not."""

    entry: OpmlEntry
    source: Source | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.source is not None


def parse_opml(document: bytes) -> list[OpmlEntry]:
    """Every outline that names a feed or a site, with the path of folders above it as category."""
    from lxml import etree

    if len(document) > MAX_OPML_BYTES:
        raise NotAFeed(f"not an OPML file: over {MAX_OPML_BYTES:,} bytes")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=False)
    try:
        root = etree.fromstring(document, parser)
    except etree.XMLSyntaxError as e:
        raise NotAFeed(f"not an OPML file: invalid XML ({e})") from e
    body = root.find("body") if root.tag == "opml" else None
    if body is None:
        raise NotAFeed("not an OPML file: no <opml><body>")
    return list(_outlines(body, ()))


def _outlines(parent: object, folders: tuple[str, ...]) -> Iterable[OpmlEntry]:
    for outline in parent.iterfind("outline"):  # type: ignore[attr-defined]
        attrs = {k.lower(): (v or "").strip() for k, v in outline.attrib.items()}
        title = attrs.get("title") or attrs.get("text") or None
        url, site = attrs.get("xmlurl") or None, attrs.get("htmlurl") or None
        if url or site:
            category = " / ".join(folders) or None
            yield OpmlEntry(url, title, category, site, outline.sourceline)
        elif len(outline):
            yield from _outlines(outline, (*folders, title) if title else folders)


def check_url(url: str) -> str:
    """A feed address fit to store: http(s) with a host; raises with the reason otherwise."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise BroadsheetError(f"not a web address: {url!r} (only http and https)")
    if not parts.hostname:
        raise BroadsheetError(f"not a web address: {url!r} has no host")
    return url


Add = Callable[[str, str | None, str | None, bool], Awaitable[Source]]


async def import_entries(
    entries: Sequence[OpmlEntry],
    *,
    add: Add,
    progress: Callable[[ImportResult], None] | None = None,
    concurrency: int = 8,
) -> list[ImportResult]:
    """Add each entry with ``add(url, title, category, discover)``; results in input order.

    A feed URL is added as it is (its first fetch tells whether it works); an entry with only a
    site URL is looked up for its feed. Any error stays with its entry.
    """
    gate = asyncio.Semaphore(concurrency)

    async def one(entry: OpmlEntry) -> ImportResult:
        async with gate:
            result = await _import_one(entry, add)
        if progress is not None:
            progress(result)
        return result

    return list(await asyncio.gather(*(one(e) for e in entries)))


async def _import_one(entry: OpmlEntry, add: Add) -> ImportResult:
    try:
        url = check_url(entry.url or entry.site_url or "")
        source = await add(url, entry.title, entry.category, entry.url is None)
    except BroadsheetError as e:
        return ImportResult(entry, error=str(e))
    return ImportResult(entry, source=source)


def render_opml(sources: Iterable[Source], *, title: str = "Broadsheet sources") -> bytes:
    """An OPML 2.0 document of ``sources``, one folder per category."""
    root = ElementTree.Element("opml", version="2.0")
    ElementTree.SubElement(ElementTree.SubElement(root, "head"), "title").text = title
    body = ElementTree.SubElement(root, "body")
    folders: dict[str, ElementTree.Element] = {}
    for source in sorted(sources, key=lambda s: (s.category or "", s.title or s.url)):
        parent = body
        if source.category:
            parent = folders.get(source.category) or ElementTree.SubElement(
                body, "outline", text=source.category, title=source.category
            )
            folders[source.category] = parent
        attrs = {"type": "rss", "text": source.title or source.url, "xmlUrl": source.url}
        if source.title:
            attrs["title"] = source.title
        if source.site_url:
            attrs["htmlUrl"] = source.site_url
        ElementTree.SubElement(parent, "outline", attrs)
    ElementTree.indent(root)
    document: bytes = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return document + b"\n"
