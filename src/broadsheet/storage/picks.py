"""Curation in the database: editors' picks (scheduled, expiring) and each source's standing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, or_, select

from broadsheet.exceptions import NotFound
from broadsheet.storage.engine import reading
from broadsheet.storage.errors import storage_errors
from broadsheet.storage.schema import articles, picks, source_standing, sources, stories

__all__ = ["CurationStore", "Pick"]


@dataclass(frozen=True, slots=True)
class Pick:
    """An article or a story pinned by an editor, with a note, shown from ``starts_at`` until
    ``ends_at`` (forever when None)."""

    id: int
    note: str
    starts_at: datetime
    ends_at: datetime | None
    article_id: int | None = None
    story_id: int | None = None
    title: str | None = None
    source_title: str | None = None
    created_by: int | None = None

    @property
    def href(self) -> str:
        return f"/stories/{self.story_id}" if self.story_id else f"/articles/{self.article_id}"

    def active(self, now: datetime) -> bool:
        return self.starts_at <= now and (self.ends_at is None or now < self.ends_at)


class CurationStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @storage_errors("pinning a pick")
    def create_pick(
        self,
        *,
        note: str,
        starts_at: datetime,
        ends_at: datetime | None,
        now: datetime,
        article_id: int | None = None,
        story_id: int | None = None,
        created_by: int | None = None,
    ) -> int:
        if (article_id is None) == (story_id is None):
            raise ValueError("a pick is of one article or one story")
        values = {
            "article_id": article_id, "story_id": story_id, "note": note.strip(),
            "starts_at": starts_at, "ends_at": ends_at, "created_by": created_by,
            "created_at": now,
        }  # fmt: skip
        with self.engine.begin() as conn:
            key = conn.execute(picks.insert().values(**values)).inserted_primary_key
        assert key is not None
        return int(key[0])

    @storage_errors("removing a pick")
    def delete_pick(self, pick_id: int) -> None:
        with self.engine.begin() as conn:
            if not conn.execute(picks.delete().where(picks.c.id == pick_id)).rowcount:
                raise NotFound(f"no pick {pick_id}")

    @storage_errors("listing picks")
    def active_picks(self, now: datetime, *, limit: int = 10) -> list[Pick]:
        """Picks showing at ``now``, newest start first."""
        showing = (picks.c.starts_at <= now) & or_(picks.c.ends_at.is_(None), picks.c.ends_at > now)
        return self._picks(_pick_query().where(showing).limit(limit))

    @storage_errors("listing picks")
    def list_picks(self, *, limit: int = 200) -> list[Pick]:
        """Every pick, scheduled, showing or expired, newest start first."""
        return self._picks(_pick_query().limit(limit))

    def _picks(self, query: Any) -> list[Pick]:
        with reading(self.engine) as conn:
            return [_pick(row) for row in conn.execute(query)]

    # -- source standing -----------------------------------------------------------------------

    @storage_errors("setting a source's standing")
    def set_standing(self, source_id: int, weight: float, *, now: datetime) -> None:
        """How much a source's coverage counts in ranking (1.0 is the norm; 0 ignores it)."""
        if not 0.0 <= weight <= 10.0:
            raise ValueError("standing is between 0 and 10")
        where = source_standing.c.source_id == source_id
        with self.engine.begin() as conn:
            if conn.execute(select(sources.c.id).where(sources.c.id == source_id)).first() is None:
                raise NotFound(f"no source {source_id}")
            values = {"weight": weight, "updated_at": now}
            if not conn.execute(source_standing.update().where(where).values(**values)).rowcount:
                conn.execute(source_standing.insert().values(source_id=source_id, **values))

    @storage_errors("reading source standing")
    def standings(self) -> dict[int, float]:
        """Each source's standing where an editor set one; the rest stand at 1.0."""
        with reading(self.engine) as conn:
            rows = conn.execute(select(source_standing.c.source_id, source_standing.c.weight))
            return {int(r.source_id): float(r.weight) for r in rows}


def _pick_query() -> Any:
    title = func.coalesce(articles.c.title, stories.c.headline)
    return (
        select(picks, title.label("title"), sources.c.title.label("source_title"))
        .select_from(
            picks.outerjoin(articles, articles.c.id == picks.c.article_id)
            .outerjoin(stories, stories.c.id == picks.c.story_id)
            .outerjoin(sources, sources.c.id == articles.c.source_id)
        )
        .order_by(picks.c.starts_at.desc(), picks.c.id.desc())
    )


def _pick(row: Any) -> Pick:
    return Pick(
        id=row.id, note=row.note, starts_at=row.starts_at, ends_at=row.ends_at,
        article_id=row.article_id, story_id=row.story_id, title=row.title,
        source_title=row.source_title, created_by=row.created_by,
    )  # fmt: skip
