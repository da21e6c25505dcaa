"""Story membership in the database: which story each article is in, merges, and story stats.

The clustering itself lives in ``broadsheet.understand``; this module only keeps its decisions.
"""

from __future__ import annotations

import fcntl
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, and_, bindparam, func, select, text

from broadsheet.exceptions import NotFound
from broadsheet.storage.engine import reading
from broadsheet.storage.errors import storage_errors
from broadsheet.storage.schema import UTCDateTime, articles, sources, stories, story_articles
from broadsheet.types import Story

__all__ = ["AssignmentLead", "PendingArticle", "StoryMember", "StoryStore", "members_of"]


@dataclass(frozen=True, slots=True)
class PendingArticle:
    """What story assignment reads of an article."""

    id: int
    title: str
    text: str
    published: datetime
    source: str | None
    story_id: int | None = None
    syndication_group: int | None = None
    embedding: bytes | None = None
    embedding_model: str | None = None


class StoryStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @storage_errors("creating a story")
    def create_story(self, now: datetime) -> int:
        with self.engine.begin() as conn:
            result = conn.execute(stories.insert().values(created_at=now, updated_at=now))
            key = result.inserted_primary_key
            assert key is not None
            return int(key[0])

    @storage_errors("reading articles waiting for a story")
    def pending_articles(self, *, limit: int = 500, text_chars: int = 4000) -> list[PendingArticle]:
        """Stored articles not yet in a story, oldest first."""
        query = (
            _pending_select(text_chars)
            .where(story_articles.c.article_id.is_(None))
            .order_by(articles.c.id)
            .limit(limit)
        )
        with reading(self.engine) as conn:
            return [_pending(r) for r in conn.execute(query)]

    @storage_errors("reading recent story members")
    def assigned_since(self, since: datetime, *, text_chars: int = 4000) -> list[PendingArticle]:
        """Articles already in stories, published since ``since``, in the order they arrived (to
        rebuild the clusterer's window after a restart the way it was built)."""
        when = func.coalesce(articles.c.published, articles.c.created_at)
        query = (
            _pending_select(text_chars)
            .where(story_articles.c.article_id.is_not(None), when >= since)
            .order_by(articles.c.id)  # arrival order, as they were first assigned
        )
        with reading(self.engine) as conn:
            return [_pending(r) for r in conn.execute(query)]

    @storage_errors("recording a story assignment")
    def record_assignment(
        self,
        article_id: int,
        story_id: int,
        *,
        now: datetime,
        syndication_group: int | None = None,
        merged: Iterable[tuple[int, int]] = (),
        moved: Iterable[tuple[int, int]] = (),
        headline: str | None = None,
        embedding: bytes | None = None,
        embedding_model: str | None = None,
    ) -> None:
        """Put an article in a story, in one transaction with what that changed elsewhere:
        ``merged`` (old story, successor) folds a story into another, members and all, and the old
        id then points to its successor; ``moved`` (article, story) regroups earlier articles.
        ``embedding`` is the clusterer's sentence embedding of the article, kept for restarts
        with the name of the ``embedding_model`` that made it."""
        touched = {story_id}
        with self.engine.begin() as conn:
            conn.execute(
                story_articles.insert().values(
                    article_id=article_id, story_id=story_id,
                    syndication_group=syndication_group, assigned_at=now, embedding=embedding,
                    embedding_model=embedding_model if embedding is not None else None,
                )
            )  # fmt: skip
            for old, successor in merged:
                if old != successor:
                    _fold(conn, old, successor)
                    touched |= {old, successor}
            for moved_id, new_story in moved:
                previous = conn.execute(
                    select(story_articles.c.story_id).where(story_articles.c.article_id == moved_id)
                ).scalar_one_or_none()
                conn.execute(
                    story_articles.update()
                    .where(story_articles.c.article_id == moved_id)
                    .values(story_id=new_story)
                )
                touched |= {new_story} | ({previous} if previous is not None else set())
            for story in sorted(touched):
                _refresh(conn, story, now, headline if story == story_id else None)

    @storage_errors("keeping story embeddings")
    def keep_embeddings(self, embeddings: Mapping[int, bytes], embedding_model: str) -> None:
        """Store sentence embeddings made after their articles were assigned (a restart that
        had to encode members again), by article id, with the name of what made them."""
        if not embeddings:
            return
        update = (
            story_articles.update()
            .where(story_articles.c.article_id == bindparam("member"))
            .values(embedding=bindparam("vector"), embedding_model=embedding_model)
        )
        rows = [{"member": member, "vector": vector} for member, vector in embeddings.items()]
        with self.engine.begin() as conn:
            conn.execute(update, rows)

    @storage_errors("reading the newest story id")
    def newest_id(self) -> int:
        """The highest story id (0 for none): a cheap sign that stories have changed."""
        with reading(self.engine) as conn:
            return int(conn.execute(select(func.max(stories.c.id))).scalar_one() or 0)

    @storage_errors("reading a story")
    def get_story(self, story_id: int) -> Story:
        """The story, even when merged (``merged_into`` then names its successor)."""
        with reading(self.engine) as conn:
            row = conn.execute(_story_query(), {"id": story_id}).first()
        if row is None:
            raise NotFound(f"no story {story_id}")
        return _story(row)

    def resolve(self, story_id: int) -> Story:
        """The live story that ``story_id`` stands for now (following merges)."""
        story = self.get_story(story_id)
        seen = {story.id}
        while story.merged_into is not None and story.merged_into not in seen:
            story = self.get_story(story.merged_into)
            seen.add(story.id)
        return story

    @storage_errors("listing a story's articles")
    def member_ids(self, story_id: int) -> list[int]:
        """The story's article ids, oldest first."""
        when = func.coalesce(articles.c.published, articles.c.created_at)
        query = (
            select(articles.c.id)
            .join(story_articles, story_articles.c.article_id == articles.c.id)
            .where(story_articles.c.story_id == story_id)
            .order_by(when, articles.c.id)
        )
        with reading(self.engine) as conn:
            return [r.id for r in conn.execute(query)]

    @storage_errors("reading an article's story")
    def story_of(self, article_id: int) -> tuple[int, int | None] | None:
        """(story id, syndication group) of an article, or None while it waits."""
        query = select(story_articles.c.story_id, story_articles.c.syndication_group).where(
            story_articles.c.article_id == article_id
        )
        with reading(self.engine) as conn:
            row = conn.execute(query).first()
        return None if row is None else (row.story_id, row.syndication_group)

    @storage_errors("reading an article's story")
    def placement(self, article_id: int) -> tuple[Story, int | None] | None:
        """The live story an article is in (following merges) and its syndication group, or None
        while it waits: ``story_of`` and ``resolve`` in one query for the reading view."""
        with reading(self.engine) as conn:
            row = conn.execute(_placement_query(), {"article_id": article_id}).first()
        if row is None:
            return None
        story = _story(row)
        if story.merged_into is not None:
            story = self.resolve(story.id)
        return story, row.group_id

    @storage_errors("counting syndicated copies")
    def copies_of(self, syndication_group: int) -> list[int]:
        """Article ids in a syndication group, oldest first."""
        query = (
            select(story_articles.c.article_id)
            .where(story_articles.c.syndication_group == syndication_group)
            .order_by(story_articles.c.article_id)
        )
        with reading(self.engine) as conn:
            return [r.article_id for r in conn.execute(query)]

    def members(self, story_ids: Iterable[int]) -> list[StoryMember]:
        return members_of(self.engine, story_ids)

    @storage_errors("listing stories")
    def recent_stories(self, since: datetime, *, limit: int = 500) -> list[Story]:
        """Live (unmerged) stories with coverage since ``since``, the widest first."""
        query = (
            select(stories)
            .where(and_(stories.c.merged_into.is_(None), stories.c.last_published >= since))
            .order_by(stories.c.outlet_count.desc(), stories.c.last_published.desc())
            .limit(limit)
        )
        with reading(self.engine) as conn:
            return [_story(r) for r in conn.execute(query)]

    @storage_errors("reading the latest change to a story")
    def last_change(self) -> datetime | None:
        """When a story last changed (made, grown, merged); None without stories."""
        with reading(self.engine) as conn:
            latest = conn.execute(select(func.max(stories.c.updated_at))).scalar_one()
        found: datetime | None = _aware(latest)
        return found

    @storage_errors("listing changed stories")
    def changed_since(
        self, since: datetime | None, *, limit: int = 5000
    ) -> list[tuple[Story, datetime]]:
        """Stories (merged ones too) changed after ``since``, with when, oldest change first:
        what an index of stories has to update."""
        query = select(stories).order_by(stories.c.updated_at).limit(limit)
        if since is not None:
            query = query.where(stories.c.updated_at > since)
        with reading(self.engine) as conn:
            return [(_story(r), r.updated_at) for r in conn.execute(query)]

    @storage_errors("listing new stories")
    def stories_after(self, story_id: int, *, limit: int = 5000) -> list[Story]:
        """Live stories made after ``story_id``, oldest first (ids need no clock to agree)."""
        query = (
            select(stories)
            .where(stories.c.id > story_id, stories.c.merged_into.is_(None))
            .order_by(stories.c.id)
            .limit(limit)
        )
        with reading(self.engine) as conn:
            return [_story(r) for r in conn.execute(query)]


def _pending_select(text_chars: int) -> Any:
    when = func.coalesce(articles.c.published, articles.c.created_at).label("when")
    return select(
        articles.c.id,
        articles.c.title,
        func.substr(articles.c.text, 1, text_chars).label("text"),
        when,
        func.coalesce(sources.c.title, articles.c.publisher).label("source"),
        story_articles.c.story_id,
        story_articles.c.syndication_group,
        story_articles.c.embedding,
        story_articles.c.embedding_model,
    ).select_from(
        articles.outerjoin(sources, sources.c.id == articles.c.source_id).outerjoin(
            story_articles, story_articles.c.article_id == articles.c.id
        )
    )


def _pending(row: Any) -> PendingArticle:
    return PendingArticle(
        row.id, row.title or "", row.text or "", _aware(row.when), row.source,
        row.story_id, row.syndication_group, row.embedding, row.embedding_model,
    )  # fmt: skip


def _fold(conn: Any, old: int, successor: int) -> None:
    conn.execute(
        story_articles.update().where(story_articles.c.story_id == old).values(story_id=successor)
    )
    conn.execute(stories.update().where(stories.c.id == old).values(merged_into=successor))


def _refresh(conn: Any, story_id: int, now: datetime, headline: str | None) -> None:
    """Recompute a story's counts and time span from its members."""
    when = func.coalesce(articles.c.published, articles.c.created_at)
    outlet = func.coalesce(articles.c.source_id, -articles.c.id)
    stats = conn.execute(
        select(func.count(), func.count(func.distinct(outlet)), func.min(when), func.max(when))
        .select_from(story_articles.join(articles, articles.c.id == story_articles.c.article_id))
        .where(story_articles.c.story_id == story_id)
    ).one()
    values: dict[str, Any] = {
        "article_count": stats[0], "outlet_count": stats[1], "updated_at": now,
        "first_published": _aware(stats[2]), "last_published": _aware(stats[3]),
    }  # fmt: skip
    chosen = _headline(conn, story_id) or headline
    if chosen:
        values["headline"] = chosen
    conn.execute(stories.update().where(stories.c.id == story_id).values(**values))


def _headline(conn: Any, story_id: int) -> str:
    """The title most like the others among the story's first forty members: kept with the story,
    so every list and the story page show the same headline as coverage grows."""
    from broadsheet.understand.story_text import MemberText, choose_headline

    titles = conn.execute(
        select(articles.c.id, articles.c.title)
        .select_from(story_articles.join(articles, articles.c.id == story_articles.c.article_id))
        .where(story_articles.c.story_id == story_id, articles.c.title.is_not(None))
        .order_by(articles.c.id)
        .limit(40)
    ).all()
    return choose_headline([MemberText("", r.title, "") for r in titles])


def _aware(value: Any) -> Any:
    """Aggregates bypass column types (SQLite returns them as text): make them aware UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return UTCDateTime().process_result_value(value, None)  # type: ignore[arg-type]


def _story(row: Any) -> Story:
    return Story(
        row.id, row.headline, row.article_count, row.outlet_count,
        row.first_published, row.last_published, row.merged_into,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class StoryMember:
    """One article's place in a story: enough to rank stories and fold syndicated copies."""

    story_id: int
    article_id: int
    source_id: int | None
    published: datetime
    syndication_group: int | None


@storage_errors("reading story members")
def members_of(engine: Engine, story_ids: Iterable[int]) -> list[StoryMember]:
    """Members of the given stories, oldest first."""
    ids = list(story_ids)
    if not ids:
        return []
    with reading(engine) as conn:
        return [
            StoryMember(r.story_id, r.id, r.source_id, _aware(r.when), r.syndication_group)
            for r in conn.execute(_members_query(), {"ids": ids})
        ]


# Built once: building these took longer than running them on PostgreSQL (the article and
# story pages run them on every request).
@functools.cache
def _members_query() -> Any:
    when = func.coalesce(articles.c.published, articles.c.created_at).label("when")
    return (
        select(
            story_articles.c.story_id,
            articles.c.id,
            articles.c.source_id,
            when,
            story_articles.c.syndication_group,
        )
        .join(articles, articles.c.id == story_articles.c.article_id)
        .where(story_articles.c.story_id.in_(bindparam("ids", expanding=True)))
        .order_by(when, articles.c.id)
    )


@functools.cache
def _story_query() -> Any:
    return select(stories).where(stories.c.id == bindparam("id"))


@functools.cache
def _placement_query() -> Any:
    return (
        select(stories, story_articles.c.syndication_group.label("group_id"))
        .join(story_articles, story_articles.c.story_id == stories.c.id)
        .where(story_articles.c.article_id == bindparam("article_id"))
    )


class AssignmentLead:
    """Makes one process at a time the one that assigns stories.

    On PostgreSQL a session advisory lock, held on a connection kept open for as long as this
    process leads: a process that dies drops the connection and with it the lead. On SQLite an
    exclusive lock on a file beside the database (``….lead``), which the system drops with the
    process: ``serve --workers`` and a ``broadsheet fetch`` beside ``serve`` run in several
    processes over one file. An in-memory database has one process, which always leads.
    """

    LOCK_KEY = 0x62726F6164  # "broad"

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._connection: Any = None
        self._file: Any = None

    def acquire(self) -> bool:
        """Whether this process leads (now or from before)."""
        if self.engine.dialect.name != "postgresql":
            return self._acquire_file()
        if self._connection is not None:
            return True
        connection = self.engine.connect()
        held = connection.execute(
            text("SELECT pg_try_advisory_lock(:key)"), {"key": self.LOCK_KEY}
        ).scalar_one()
        connection.commit()
        if held:
            self._connection = connection
        else:
            connection.close()
        return bool(held)

    def _acquire_file(self) -> bool:
        database = self.engine.url.database
        if not database or database == ":memory:" or self._file is not None:
            return True
        handle = open(f"{database}.lead", "a")  # noqa: SIM115 (held open while leading)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # another process leads
            handle.close()
            return False
        self._file = handle
        return True

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None
        if self._connection is not None:
            # Unlock explicitly: closing only returns the connection to the pool, lock and all.
            self._connection.execute(
                text("SELECT pg_advisory_unlock(:key)"), {"key": self.LOCK_KEY}
            )
            self._connection.close()
            self._connection = None
