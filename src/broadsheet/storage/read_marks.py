"""Which articles each reader has marked read (the state sync APIs carry between devices)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import Engine, and_, delete, exists, func, select

from broadsheet.storage.engine import reading
from broadsheet.storage.errors import storage_errors
from broadsheet.storage.schema import articles, read_marks, saved_articles

__all__ = ["ReadMarks", "page_by_id", "select_entries"]


class ReadMarks:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @storage_errors("marking articles read")
    def mark(self, user_id: int, article_ids: Iterable[int], *, read: bool, now: datetime) -> int:
        """Mark existing articles read or unread; returns how many ids named a stored article."""
        ids = sorted(set(article_ids))
        if not ids:
            return 0
        with self.engine.begin() as conn:
            known = [
                r.id for r in conn.execute(select(articles.c.id).where(articles.c.id.in_(ids)))
            ]
            mine = and_(read_marks.c.user_id == user_id, read_marks.c.article_id.in_(known))
            conn.execute(delete(read_marks).where(mine))
            if read and known:
                conn.execute(
                    read_marks.insert(),
                    [{"user_id": user_id, "article_id": i, "read_at": now} for i in known],
                )
        return len(known)

    @storage_errors("reading read marks")
    def read_among(self, user_id: int, article_ids: Iterable[int]) -> set[int]:
        ids = list(article_ids)
        if not ids:
            return set()
        query = select(read_marks.c.article_id).where(
            read_marks.c.user_id == user_id, read_marks.c.article_id.in_(ids)
        )
        with reading(self.engine) as conn:
            return {r.article_id for r in conn.execute(query)}


@storage_errors("listing entries")
def select_entries(
    engine: Engine,
    user_id: int,
    *,
    source_id: int | None = None,
    source_ids: Sequence[int] | None = None,
    status: str | None = None,
    starred: bool = False,
    newest_first: bool = True,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[int], int]:
    """Article ids for a sync client, and the total count: one source, some sources or all; read
    or unread; only the reader's starred (saved) ones."""
    when = func.coalesce(articles.c.published, articles.c.created_at)
    conditions = []
    if source_id is not None:
        conditions.append(articles.c.source_id == source_id)
    if source_ids is not None:
        conditions.append(articles.c.source_id.in_(list(source_ids)))
    if status in ("read", "unread"):
        marked = exists(
            select(1).where(
                read_marks.c.user_id == user_id, read_marks.c.article_id == articles.c.id
            )
        )
        conditions.append(marked if status == "read" else ~marked)
    if starred:
        conditions.append(
            exists(
                select(1).where(
                    saved_articles.c.user_id == user_id,
                    saved_articles.c.article_id == articles.c.id,
                )
            )
        )
    order = (when.desc(), articles.c.id.desc()) if newest_first else (when, articles.c.id)
    query = select(articles.c.id).where(*conditions).order_by(*order).limit(limit).offset(offset)
    count = select(func.count()).select_from(articles).where(*conditions)
    with reading(engine) as conn:
        ids = [r.id for r in conn.execute(query)]
        total = int(conn.execute(count).scalar_one())
    return ids, total


@storage_errors("paging articles by id")
def page_by_id(
    engine: Engine,
    *,
    after: int | None = None,
    before: int | None = None,
    ids: Sequence[int] | None = None,
    limit: int = 50,
) -> list[int]:
    """Article ids in id order, as apps that page by id ask: after an id (ascending), before
    one (descending), or among given ids."""
    query = select(articles.c.id).limit(limit)
    if ids is not None:
        query = query.where(articles.c.id.in_(list(ids))).order_by(articles.c.id)
    elif before is not None:
        query = query.where(articles.c.id < before).order_by(articles.c.id.desc())
    else:
        query = query.where(articles.c.id > (after or 0)).order_by(articles.c.id)
    with reading(engine) as conn:
        return [r.id for r in conn.execute(query)]
