"""The JSON shape of our objects, shared by ``export``, the JSON API and anything else that
writes them, so they never drift apart."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from broadsheet.types import Article, Source, Story

__all__ = ["article_json", "iso", "source_json", "story_json"]


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def article_json(article: Article, *, body: bool = True) -> dict[str, Any]:
    """One article. ``url`` is the address it was fetched from; ``text`` the plain body."""
    data: dict[str, Any] = {
        "id": article.id,
        "url": article.url,
        "canonical_url": article.canonical_url,
        "title": article.title,
        "standfirst": article.standfirst,
        "authors": [a.name for a in article.authors],
        "bylines": [{"name": a.name, "role": a.role} for a in article.authors],
        "source": article.source_title,
        "source_id": article.source_id,
        "publisher": article.publisher,
        "section": article.section,
        "published": iso(article.published),
        "modified": iso(article.modified),
        "language": article.language,
        "attribution": article.attribution,
        "word_count": article.word_count,
        "lead_image": (
            {
                "url": article.lead_image.url,
                "caption": article.lead_image.caption,
                "credit": article.lead_image.credit,
            }
            if article.lead_image
            else None
        ),
        "enclosures": [
            {"url": e.url, "type": e.type, "length": e.length} for e in article.enclosures
        ],
    }
    if body:
        data["text"] = article.text
        data["html"] = article.html
    return data


def source_json(source: Source) -> dict[str, Any]:
    return {
        "id": source.id,
        "url": source.url,
        "title": source.title,
        "site_url": source.site_url,
        "status": source.status,
        "last_error": source.last_error,
        "last_success": iso(source.last_success_at),
        "last_fetch": iso(source.last_fetched_at),
        "next_fetch": iso(source.next_fetch_at),
    }


def story_json(story: Story) -> dict[str, Any]:
    return {
        "id": story.id,
        "headline": story.headline,
        "article_count": story.article_count,
        "outlet_count": story.outlet_count,
        "first_published": iso(story.first_published),
        "last_published": iso(story.last_published),
        "merged_into": story.merged_into,
    }
