"""Reader signals in the database: recorded as they happen, listed and erased by their reader."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, delete, func, select

from broadsheet.storage.engine import reading
from broadsheet.storage.errors import storage_errors
from broadsheet.storage.schema import articles, reader_signals, sources, story_articles

__all__ = ["CandidateRow", "SignalRecord", "SignalStore", "open_counts", "recent_candidates"]


@dataclass(frozen=True, slots=True)
class SignalRecord:
    id: int
    user_id: int
    kind: str
    target_kind: str
    target: str
    weight: float
    at: datetime


class SignalStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @storage_errors("recording a signal")
    def record(
        self, user_id: int, kind: str, target_kind: str, target: str, *, now: datetime,
        weight: float = 1.0,
    ) -> None:  # fmt: skip
        with self.engine.begin() as conn:
            conn.execute(
                reader_signals.insert().values(
                    user_id=user_id,
                    kind=kind,
                    target_kind=target_kind,
                    target=target,
                    weight=weight,
                    at=now,
                )
            )

    @storage_errors("listing signals")
    def list_for(self, user_id: int, *, limit: int = 5000) -> list[SignalRecord]:
        """The reader's signals, newest first (what they see when they ask for their data)."""
        query = (
            select(reader_signals)
            .where(reader_signals.c.user_id == user_id)
            .order_by(reader_signals.c.at.desc(), reader_signals.c.id.desc())
            .limit(limit)
        )
        with reading(self.engine) as conn:
            return [_record(r) for r in conn.execute(query)]

    @storage_errors("listing recent signals")
    def since(self, moment: datetime, *, limit: int = 200_000) -> list[SignalRecord]:
        """Everyone's signals since ``moment`` (for co-reading), newest first."""
        query = (
            select(reader_signals)
            .where(reader_signals.c.at >= moment)
            .order_by(reader_signals.c.at.desc())
            .limit(limit)
        )
        with reading(self.engine) as conn:
            return [_record(r) for r in conn.execute(query)]

    @storage_errors("erasing signals")
    def erase(self, user_id: int) -> int:
        """Forget every signal of the reader; returns how many there were."""
        with self.engine.begin() as conn:
            result = conn.execute(delete(reader_signals).where(reader_signals.c.user_id == user_id))
        return int(result.rowcount or 0)

    @storage_errors("counting signals")
    def count_for(self, user_id: int) -> int:
        query = select(func.count()).where(reader_signals.c.user_id == user_id)
        with reading(self.engine) as conn:
            return int(conn.execute(query).scalar_one())


def _record(row: Any) -> SignalRecord:
    return SignalRecord(
        row.id, row.user_id, row.kind, row.target_kind, row.target, row.weight, row.at
    )


@dataclass(frozen=True, slots=True)
class CandidateRow:
    """What For you needs of a recent article."""

    article_id: int
    story_id: int | None
    source_id: int | None
    source: str | None
    title: str
    lead: str
    section: str | None
    published: datetime


@storage_errors("reading recent articles for For you")
def recent_candidates(
    engine: Engine, since: datetime, *, limit: int = 100_000
) -> list[CandidateRow]:
    """Articles published (or stored) since ``since``, newest first, with their story."""
    when = func.coalesce(articles.c.published, articles.c.created_at).label("when")
    query = (
        select(
            articles.c.id,
            story_articles.c.story_id,
            articles.c.source_id,
            sources.c.title.label("source"),
            articles.c.title,
            func.substr(articles.c.text, 1, 600).label("lead"),
            articles.c.section,
            when,
        )
        .select_from(
            articles.outerjoin(
                story_articles, story_articles.c.article_id == articles.c.id
            ).outerjoin(sources, sources.c.id == articles.c.source_id)
        )
        .where(when >= since)
        .order_by(when.desc())
        .limit(limit)
    )
    from broadsheet.storage.stories import _aware

    with reading(engine) as conn:
        return [
            CandidateRow(
                r.id,
                r.story_id,
                r.source_id,
                r.source,
                r.title or "",
                r.lead or "",
                r.section,
                _aware(r.when),
            )
            for r in conn.execute(query)
        ]


@storage_errors("counting recent opens")
def open_counts(engine: Engine, since: datetime) -> dict[str, int]:
    """How often each article was opened since ``since``, by anyone (popularity)."""
    query = (
        select(reader_signals.c.target, func.count())
        .where(
            reader_signals.c.at >= since,
            reader_signals.c.target_kind == "article",
            reader_signals.c.kind.in_(("open", "read_end", "save")),
        )
        .group_by(reader_signals.c.target)
    )
    with reading(engine) as conn:
        return {target: int(count) for target, count in conn.execute(query)}
