"""Bytes → lxml tree, with the limits that keep hostile input harmless.

Hand-written because the limits are ours: a size cap before parsing, charset detection for bytes,
and a depth cap enforced on the parsed tree (deep nesting is flattened, never recursed into), so
every later pass can walk the tree without fear of pathological pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import lxml.etree
from lxml.etree import _Element as Element

from broadsheet.exceptions import ExtractionError

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_ELEMENTS",
    "MAX_PARSED_CHARS",
    "Element",
    "ParsedPage",
    "ancestors_and_self",
    "decode",
    "drop_tree",
    "parse",
    "squash",
    "text_of",
]  # fmt: skip

# ``Element`` is the plain lxml element: ``lxml.html`` element classes cost a lookup per node.

MAX_BYTES = 60_000_000
MAX_DEPTH = 200
MAX_PARSED_CHARS = 3_000_000
# Articles have a few thousand elements; this many makes every pass slow for nothing.
MAX_ELEMENTS = 150_000
_COUNT_ELEMENTS = lxml.etree.XPath("count(//*)")
# Openings of bulky content; the tag's attributes are bounded so a search never runs away.
_BULKY_OPEN = re.compile(r"<(script|style|svg)\b[^<>]{0,2000}>", re.I)
_INLINE_DATA = re.compile(r"""=\s*(["'])data:""")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def squash(text: str) -> str:
    """Collapse runs of whitespace to one space and strip the ends."""
    return " ".join(text.split())


def decode(data: bytes) -> str:
    """Decode page bytes: BOM, then ``<meta charset>``, then UTF-8, then detection."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", "replace")
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"), "replace")
        except LookupError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
        return data.decode(best.encoding if best else "cp1252", "replace")


@dataclass(frozen=True, slots=True)
class ParsedPage:
    """The tree, and whether the page was cut to ``MAX_PARSED_CHARS`` before parsing."""

    root: Element
    cut: bool = False


def _bounded(text: str) -> tuple[str, bool]:
    """Scripts, styles and inline data (base64 images) emptied on big pages, then the page cut
    if it is still too long."""
    if len(text) <= MAX_PARSED_CHARS:
        return text, False
    text = _without_inline_data(_without_bulky(text))
    if len(text) <= MAX_PARSED_CHARS:
        return text, False
    return text[:MAX_PARSED_CHARS], True


def _without_bulky(text: str) -> str:
    """The page with the insides of scripts, styles and SVG removed, in one pass (an unclosed
    one runs to the end of the page, as in a browser)."""
    lower = text.lower()
    parts: list[str] = []
    position = 0
    while (opening := _BULKY_OPEN.search(text, position)) is not None:
        parts.append(text[position : opening.end()])
        close = lower.find(f"</{opening.group(1).lower()}", opening.end())
        if close == -1:
            return "".join(parts)
        position = close
    parts.append(text[position:])
    return "".join(parts)


def _without_inline_data(text: str) -> str:
    """The page with ``data:`` URLs in attributes emptied, in one pass."""
    parts: list[str] = []
    position = 0
    while (found := _INLINE_DATA.search(text, position)) is not None:
        quote = found.group(1)
        end = text.find(quote, found.end())
        if end == -1:
            break
        parts.append(text[position : found.start()] + f"={quote}{quote}")
        position = end + 1
    parts.append(text[position:])
    return "".join(parts)


def parse(html: str | bytes) -> ParsedPage:
    """Parse a page into an lxml tree or raise ``ExtractionError`` with the reason.

    Input is bounded before the parser sees it: above ``MAX_BYTES`` it is refused, and above
    ``MAX_PARSED_CHARS`` of markup (scripts and styles aside) only the beginning is read; a
    tree of more than ``MAX_ELEMENTS`` elements is refused.
    """
    if len(html) > MAX_BYTES:
        raise ExtractionError(f"page too large ({len(html)} bytes, limit {MAX_BYTES})")
    text = decode(html) if isinstance(html, bytes) else html
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text)
    text, cut = _bounded(text)
    if not text.strip():
        raise ExtractionError("empty page")
    parser = lxml.etree.HTMLParser(remove_comments=True, remove_pis=True, default_doctype=False)
    try:
        root = lxml.etree.fromstring(text, parser=parser)
    except (lxml.etree.ParserError, ValueError) as e:
        raise ExtractionError(f"could not parse the page: {e}") from e
    if root is None:
        raise ExtractionError("could not parse the page")
    elements = int(_COUNT_ELEMENTS(root))
    if elements > MAX_ELEMENTS:
        raise ExtractionError(f"page too complex ({elements} elements, limit {MAX_ELEMENTS})")
    _flatten_deep(root)
    _break_lines(root)
    return ParsedPage(root, cut)


def _break_lines(root: Element) -> None:
    """Give each ``<br>`` a line break of text, so that the words it separates stay apart."""
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")


def ancestors_and_self(element: Element) -> Iterator[Element]:
    """``element``, then its parent, and so on up to the root."""
    yield element
    yield from element.iterancestors()


def text_of(element: Element) -> str:
    """All the text inside ``element`` (not its tail)."""
    return "".join(element.itertext())


def drop_tree(element: Element) -> None:
    """Remove ``element`` and its subtree, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + element.tail
        else:
            previous.tail = (previous.tail or "") + element.tail
    parent.remove(element)


_TOO_DEEP = lxml.etree.XPath("/" + "/".join(["*"] * MAX_DEPTH))


def _flatten_deep(root: Element) -> None:
    """Reduce elements nested deeper than ``MAX_DEPTH`` to their text so later passes stay shallow.

    The XPath walks the tree in C; it finds nothing on ordinary pages.
    """
    for element in _TOO_DEEP(root):
        text = text_of(element)
        for child in list(element):
            element.remove(child)
        element.text = text
