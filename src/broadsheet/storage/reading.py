"""What each reader keeps: saved articles, reading history, follows (sources, topics, people,
searches)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, and_, func, select

from broadsheet.storage.engine import reading
from broadsheet.storage.errors import storage_errors
from broadsheet.storage.schema import articles, follows, reading_history, saved_articles
from broadsheet.types import Article

__all__ = ["FOLLOW_KINDS", "Follow", "ReadingStore"]

FOLLOW_KINDS = ("source", "topic", "entity", "search")


@dataclass(frozen=True, slots=True)
class Follow:
    kind: str
    key: str
    label: str | None
    created_at: datetime


def _articles(conn: Any, query: Any) -> list[Article]:
    # Imported here: store.py attaches this module's class, so a top-level import would be circular.
    from broadsheet.storage.store import _article

    return [_article(row) for row in conn.execute(query)]


def _article_select() -> Any:
    from broadsheet.storage.store import _article_query

    return _article_query()


class ReadingStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # -- saved ---------------------------------------------------------------------------------

    @storage_errors("saving an article for later")
    def save(self, user_id: int, article_id: int, *, now: datetime) -> None:
        with self.engine.begin() as conn:
            if not self._is_saved(conn, user_id, article_id):
                conn.execute(
                    saved_articles.insert().values(
                        user_id=user_id, article_id=article_id, saved_at=now
                    )
                )

    @storage_errors("removing a saved article")
    def unsave(self, user_id: int, article_id: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(saved_articles.delete().where(_saved(user_id, article_id)))

    @storage_errors("reading saved articles")
    def is_saved(self, user_id: int, article_id: int) -> bool:
        with reading(self.engine) as conn:
            return self._is_saved(conn, user_id, article_id)

    @staticmethod
    def _is_saved(conn: Any, user_id: int, article_id: int) -> bool:
        query = select(saved_articles.c.user_id).where(_saved(user_id, article_id))
        return conn.execute(query).first() is not None

    @storage_errors("listing saved articles")
    def list_saved(self, user_id: int, *, limit: int = 50, offset: int = 0) -> list[Article]:
        """Most recently saved first."""
        query = (
            _article_select()
            .join(saved_articles, saved_articles.c.article_id == articles.c.id)
            .where(saved_articles.c.user_id == user_id)
            .order_by(saved_articles.c.saved_at.desc(), articles.c.id.desc())
            .limit(limit)
            .offset(offset)
        )
        with reading(self.engine) as conn:
            return _articles(conn, query)

    # -- history -------------------------------------------------------------------------------

    @storage_errors("recording a read")
    def record_read(self, user_id: int, article_id: int, *, now: datetime) -> None:
        where = and_(
            reading_history.c.user_id == user_id, reading_history.c.article_id == article_id
        )
        with self.engine.begin() as conn:
            if not conn.execute(reading_history.update().where(where).values(read_at=now)).rowcount:
                conn.execute(
                    reading_history.insert().values(
                        user_id=user_id, article_id=article_id, read_at=now
                    )
                )

    @storage_errors("listing reading history")
    def list_history(self, user_id: int, *, limit: int = 50, offset: int = 0) -> list[Article]:
        """Most recently read first."""
        query = (
            _article_select()
            .join(reading_history, reading_history.c.article_id == articles.c.id)
            .where(reading_history.c.user_id == user_id)
            .order_by(reading_history.c.read_at.desc(), articles.c.id.desc())
            .limit(limit)
            .offset(offset)
        )
        with reading(self.engine) as conn:
            return _articles(conn, query)

    @storage_errors("clearing reading history")
    def clear_history(self, user_id: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(reading_history.delete().where(reading_history.c.user_id == user_id))

    # -- follows -------------------------------------------------------------------------------

    @storage_errors("following")
    def follow(
        self, user_id: int, kind: str, key: str, *, now: datetime, label: str | None = None
    ) -> None:
        if kind not in FOLLOW_KINDS:
            raise ValueError(f"unknown kind of follow {kind!r}")
        with self.engine.begin() as conn:
            if conn.execute(select(follows.c.key).where(_follow(user_id, kind, key))).first():
                return
            conn.execute(
                follows.insert().values(
                    user_id=user_id, kind=kind, key=key, label=label, created_at=now
                )
            )

    @storage_errors("unfollowing")
    def unfollow(self, user_id: int, kind: str, key: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(follows.delete().where(_follow(user_id, kind, key)))

    @storage_errors("checking a follow")
    def is_following(self, user_id: int, kind: str, key: str, *, any_case: bool = False) -> bool:
        """Whether the reader follows ``key`` (in any case with ``any_case``: a name typed in
        Settings is kept as typed, a topic page's key is lower-case)."""
        same = func.lower(follows.c.key) == key.lower() if any_case else follows.c.key == key
        query = select(follows.c.key).where(
            follows.c.user_id == user_id, follows.c.kind == kind, same
        )
        with reading(self.engine) as conn:
            return conn.execute(query.limit(1)).first() is not None

    @storage_errors("listing follows")
    def list_follows(self, user_id: int) -> list[Follow]:
        query = (
            select(follows)
            .where(follows.c.user_id == user_id)
            .order_by(follows.c.kind, follows.c.key)
        )
        with reading(self.engine) as conn:
            return [Follow(r.kind, r.key, r.label, r.created_at) for r in conn.execute(query)]


def _saved(user_id: int, article_id: int) -> Any:
    return and_(saved_articles.c.user_id == user_id, saved_articles.c.article_id == article_id)


def _follow(user_id: int, kind: str, key: str) -> Any:
    return and_(follows.c.user_id == user_id, follows.c.kind == kind, follows.c.key == key)
