"""An ``ExtractedArticle`` as JSON, Markdown or plain text, for the CLI and for export.

Hand-written because the Markdown is made from our own sanitized body HTML, whose small tag set
(paragraphs, headings, lists, quotes, figures, tables) maps directly; a general converter would be
a dependency for twenty lines.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict
from datetime import datetime
from typing import Any

import lxml.html

from broadsheet.extract.dom import Element, squash, text_of
from broadsheet.types import ExtractedArticle

__all__ = ["FORMATS", "render"]

FORMATS = ("json", "markdown", "text")


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def to_json(article: ExtractedArticle) -> str:
    data = _jsonable(asdict(article))
    del data["enclosures"]  # an entry's files come from its feed, never from the page
    data["word_count"] = article.word_count
    data["reading_minutes"] = article.reading_minutes
    return json.dumps(data, ensure_ascii=False, indent=2)


def _byline(article: ExtractedArticle) -> str:
    return "; ".join(f"{a.name} ({a.role})" if a.role else a.name for a in article.authors)


def _credit(attribution: str | None) -> str:
    if not attribution:
        return ""
    return attribution if attribution.startswith("originally") else f"via {attribution}"


def _header_lines(article: ExtractedArticle) -> Iterator[str]:
    facts = [
        _byline(article),
        article.publisher or "",
        article.published.isoformat() if article.published else "",
        _credit(article.attribution),
    ]
    line = " · ".join(f for f in facts if f)
    if line:
        yield line
    if article.standfirst:
        yield f"*{article.standfirst}*"


def _inline(element: Element) -> str:
    parts: list[str] = [element.text or ""]
    for child in element:
        inner = _inline(child)
        if child.tag in ("strong", "b"):
            inner = f"**{inner.strip()}**" if inner.strip() else inner
        elif child.tag in ("em", "i"):
            inner = f"*{inner.strip()}*" if inner.strip() else inner
        elif child.tag == "a" and child.get("href"):
            inner = f"[{inner.strip()}]({child.get('href')})"
        elif child.tag == "br":
            inner = "  \n"
        parts.extend((inner, child.tail or ""))
    return "".join(parts)


def _block_markdown(element: Element) -> Iterator[str]:
    tag = element.tag
    if tag in ("h2", "h3", "h4", "h5", "h6"):
        yield f"{'#' * int(tag[1])} {squash(text_of(element))}"
    elif tag in ("ul", "ol"):
        items = [li for li in element if li.tag == "li"]
        yield "\n".join(
            f"{f'{number}.' if tag == 'ol' else '-'} {squash(_inline(item))}"
            for number, item in enumerate(items, 1)
        )
    elif tag == "blockquote":
        yield "\n".join(f"> {line}" for line in squash(_inline(element)).split("\n"))
    elif tag == "figure":
        yield from _figure_markdown(element)
    elif tag == "img" and element.get("src"):
        yield f"![{element.get('alt', '')}]({element.get('src')})"
    elif tag == "table":
        yield from _table_markdown(element)
    elif tag == "pre":
        yield f"```\n{text_of(element).strip()}\n```"
    elif len(element) and any(child.tag in _BLOCKS for child in element):
        for child in element:
            yield from _block_markdown(child)
    else:
        text = squash(_inline(element))
        if text:
            yield text


_BLOCKS = frozenset({"p", "ul", "ol", "blockquote", "figure", "table", "pre", "h2", "h3", "h4"})


def _figure_markdown(figure: Element) -> Iterator[str]:
    for image in figure.iter("img"):
        yield f"![{image.get('alt', '')}]({image.get('src', '')})"
    caption = next(figure.iter("figcaption"), None)
    if caption is not None and squash(text_of(caption)):
        yield f"*{squash(text_of(caption))}*"


def _table_markdown(table: Element) -> Iterator[str]:
    rows = [[squash(text_of(c)) for c in row if c.tag in ("td", "th")] for row in table.iter("tr")]
    rows = [r for r in rows if r]
    if not rows:
        return
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    yield "\n".join(
        [f"| {' | '.join(rows[0])} |", "|" + "---|" * width]
        + [f"| {' | '.join(r)} |" for r in rows[1:]]
    )


def to_markdown(article: ExtractedArticle) -> str:
    lines: list[str] = [f"# {article.title}"] if article.title else []
    lines.extend(_header_lines(article))
    if article.html.strip():
        fragment = lxml.html.fragment_fromstring(article.html, create_parent="div")
        lines.extend(_block_markdown(fragment))
    else:
        lines.extend(article.text.split("\n"))
    return "\n\n".join(line for line in lines if line.strip()) + "\n"


def to_text(article: ExtractedArticle) -> str:
    head = [article.title or "", *(_header_lines(article))]
    return "\n\n".join([h for h in head if h] + [article.text]) + "\n"


def render(article: ExtractedArticle, fmt: str) -> str:
    """``article`` as ``json``, ``markdown`` or ``text``; ``ValueError`` for any other format."""
    if fmt == "json":
        return to_json(article) + "\n"
    if fmt == "markdown":
        return to_markdown(article)
    if fmt == "text":
        return to_text(article)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
