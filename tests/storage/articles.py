"""Numbered articles for the storage tests: article ``n`` is published ``n`` hours before NOW."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from broadsheet.storage import Store
from broadsheet.types import ExtractedArticle

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def save_numbered(
    store: Store, n: int, source_id: int | None = None, section: str | None = None
) -> int:
    article = ExtractedArticle(
        title=f"Title {n}", text=f"Body {n}", html=f"<p>Body {n}</p>", section=section,
        published=NOW - timedelta(hours=n),
    )  # fmt: skip
    return store.save_article(
        article, url=f"https://x.example/{n}", source_id=source_id, now=NOW
    ).id
