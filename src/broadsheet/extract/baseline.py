"""Baseline extractor on trafilatura, used until our own extractor replaces it."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from broadsheet.exceptions import ExtractionError
from broadsheet.extract.sanitize import sanitize_html
from broadsheet.types import Author, ExtractedArticle, LeadImage

__all__ = ["extract"]


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def extract(html: str | bytes, *, url: str | None = None) -> ExtractedArticle:
    """Extract the main article of ``html`` (trafilatura, precision-first)."""
    import trafilatura

    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    try:
        result = trafilatura.extract(
            html, url=url, output_format="json", with_metadata=True, include_images=True,
            favor_precision=True, include_comments=False,
        )  # fmt: skip
        body_html = trafilatura.extract(
            html, url=url, output_format="html", favor_precision=True, include_comments=False,
            include_images=True,
        )  # fmt: skip
    except Exception as e:  # trafilatura raises many kinds on hostile input
        raise ExtractionError(f"could not parse the page: {e}") from e
    if not result:
        raise ExtractionError("no article text found on the page")
    data = json.loads(result)
    text = (data.get("text") or "").strip()
    if not text:
        raise ExtractionError("no article text found on the page")
    authors = tuple(
        Author(name.strip()) for name in (data.get("author") or "").split(";") if name.strip()
    )
    image = data.get("image")
    return ExtractedArticle(
        title=data.get("title"),
        text=text,
        html=sanitize_html(body_html or ""),
        authors=authors,
        standfirst=data.get("description"),
        publisher=data.get("sitename"),
        section=(data.get("categories") or None),
        published=_parse_date(data.get("date")),
        language=data.get("language"),
        canonical_url=data.get("source") or url,
        url=url,
        lead_image=LeadImage(image) if image else None,
    )
