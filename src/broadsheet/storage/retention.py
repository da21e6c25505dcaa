"""Retention: articles older than their source's retention (or the site-wide one) are removed,
except those a reader saved. Their feed entries are marked so that the next fetch does not bring
them back, and the stories they were in are recounted; reads already paid to publishers stay in
the ledger (its rows lose only the article)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine, exists, func, select

from broadsheet.storage.engine import reading
from broadsheet.storage.errors import storage_errors
from broadsheet.storage.schema import (
    UTCDateTime,
    articles,
    entries,
    saved_articles,
    sources,
    story_articles,
)

__all__ = ["EXPIRED", "MIN_RETENTION_DAYS", "RetentionStore"]

EXPIRED = "expired"  # how an entry's error starts once retention removed its article
MIN_RETENTION_DAYS = 7  # well beyond the story and syndication windows, which hold article ids


class RetentionStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @storage_errors("removing expired articles")
    def expire(self, *, now: datetime, default_days: int, batch: int = 500) -> int:
        """Remove every expired article, ``batch`` per transaction; returns how many."""
        with reading(self.engine) as conn:
            plans = [(r.id, r.retention_days) for r in conn.execute(select(sources))]
        plans.append((None, None))  # articles whose source was removed
        removed = 0
        for source_id, days in plans:
            keep = days if days is not None else default_days
            if keep <= 0:
                continue
            cutoff = now - timedelta(days=max(keep, MIN_RETENTION_DAYS))
            while (done := self._expire_batch(source_id, cutoff, keep, now, batch)) > 0:
                removed += done
                if done < batch:
                    break
        return removed

    def _expire_batch(
        self, source_id: int | None, cutoff: datetime, days: int, now: datetime, limit: int
    ) -> int:
        from broadsheet.storage.stories import _refresh

        when = func.coalesce(articles.c.published, articles.c.created_at, type_=UTCDateTime())
        saved = exists().where(saved_articles.c.article_id == articles.c.id)
        mine = articles.c.source_id.is_(None) if source_id is None else (
            articles.c.source_id == source_id)  # fmt: skip
        with self.engine.begin() as conn:
            query = select(articles.c.id).where(mine, when < cutoff, ~saved).limit(limit)
            ids = [r[0] for r in conn.execute(query)]
            if not ids:
                return 0
            in_stories = select(story_articles.c.story_id).where(
                story_articles.c.article_id.in_(ids)
            )
            touched = {r[0] for r in conn.execute(in_stories.distinct())}
            note = f"{EXPIRED}: the article was removed after {days} days"
            conn.execute(entries.update().where(entries.c.article_id.in_(ids)).values(error=note))
            conn.execute(articles.delete().where(articles.c.id.in_(ids)))
            for story_id in touched:
                _refresh(conn, story_id, now, None)
        return len(ids)
