"""Stories' text analyses kept in the database: computing one reads and analyses up to forty
members' text (several milliseconds), so it is done once per state of a story and shared by every
web process, instead of once per process and per restart."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from broadsheet.storage.engine import reading
from broadsheet.storage.errors import storage_errors
from broadsheet.storage.schema import story_texts

__all__ = ["StoryTexts"]


class StoryTexts:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @storage_errors("reading a story's text analysis")
    def get(self, story_id: int, version: str) -> dict[str, Any] | None:
        """The analysis kept for the story at ``version``; None when there is none, or only one
        of an earlier state of the story."""
        query = select(story_texts.c.analysis).where(
            story_texts.c.story_id == story_id, story_texts.c.version == version
        )
        with reading(self.engine) as conn:
            found: dict[str, Any] | None = conn.execute(query).scalar_one_or_none()
        return found

    @storage_errors("keeping a story's text analysis")
    def put(self, story_id: int, version: str, analysis: dict[str, Any], *, now: datetime) -> None:
        """Keep ``analysis`` for the story at ``version``, replacing any older one (two processes
        that made it at once both succeed)."""
        make = postgres_insert if self.engine.dialect.name == "postgresql" else sqlite_insert
        values = {"story_id": story_id, "version": version, "analysis": analysis,
                  "computed_at": now}  # fmt: skip
        statement = make(story_texts).values(**values)
        statement = statement.on_conflict_do_update(
            index_elements=[story_texts.c.story_id],
            set_={"version": version, "analysis": analysis, "computed_at": now},
        )
        with self.engine.begin() as conn:
            conn.execute(statement)
