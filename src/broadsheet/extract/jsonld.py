"""Structured data: schema.org objects from JSON-LD ``<script>`` blocks.

Hand-written because publishers' JSON-LD is often invalid (trailing commas, raw newlines inside
strings, HTML entities) and nested in many shapes (``@graph``, lists, ``mainEntity``); we need only
the article-like objects, found leniently and without ever raising.
"""

from __future__ import annotations

import contextlib
import html
import json
import re
from collections.abc import Iterator
from typing import Any

from broadsheet.extract.dom import Element

__all__ = ["ARTICLE_TYPES", "article_objects", "json_objects"]

ARTICLE_TYPES = frozenset(
    {
        "Article", "NewsArticle", "BlogPosting", "ReportageNewsArticle", "AnalysisNewsArticle",
        "OpinionNewsArticle", "ReviewNewsArticle", "BackgroundNewsArticle", "ScholarlyArticle",
        "TechArticle", "SocialMediaPosting", "LiveBlogPosting", "Report", "WebPage", "Review",
        "AdvertiserContentArticle", "SatiricalArticle", "MedicalScholarlyArticle", "Recipe",
    }
)  # fmt: skip
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_MAX_SCRIPT = 5_000_000


def _load(text: str) -> Any:
    text = text.strip().removeprefix("<!--").removesuffix("-->").strip()
    for attempt in (text, _TRAILING_COMMA.sub(r"\1", text)):
        try:
            return json.loads(attempt, strict=False)
        except (ValueError, RecursionError):
            continue
    return None


def _walk(value: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 8:
        return
    if isinstance(value, list):
        for item in value:
            yield from _walk(item, depth + 1)
    elif isinstance(value, dict):
        yield value
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement"):
            if key in value:
                yield from _walk(value[key], depth + 1)


def json_objects(root: Element) -> list[dict[str, Any]]:
    """Every JSON object found in the page's JSON-LD scripts, outer objects first."""
    found: list[dict[str, Any]] = []
    for script in root.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        text = script.text or ""
        if len(text) <= _MAX_SCRIPT:
            found.extend(_walk(_load(text)))
    return found


def types_of(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.rsplit("/", 1)[-1] for k in kinds if isinstance(k, str)}


def article_objects(root: Element) -> list[dict[str, Any]]:
    """The article-like objects of the page, articles before plain web pages."""
    objects = [obj for obj in json_objects(root) if types_of(obj) & ARTICLE_TYPES]
    return sorted(objects, key=lambda obj: "WebPage" in types_of(obj))


def text_value(value: Any) -> str | None:
    """A string field as plain text: entities decoded, markup removed, whitespace tidied."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), None)
    if not isinstance(value, str):
        return None
    text = html.unescape(value)
    if "<" in text:
        import lxml.html

        with contextlib.suppress(ValueError, TypeError):
            text = lxml.html.fromstring(f"<div>{text}</div>").text_content()
    text = text.strip()
    return text or None
