"""Each article's sections and named entities, and the topic pages and follows they feed."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, bindparam, exists, func, select

from broadsheet.storage.engine import reading
from broadsheet.storage.errors import storage_errors
from broadsheet.storage.schema import UTCDateTime, article_labels, articles, story_articles
from broadsheet.types import Article
from broadsheet.understand.topics import Label

__all__ = ["LabelStore", "LabelledArticle", "TopicCount"]

# Articles a labeller may have skipped because they committed after a later id (PostgreSQL hands
# out ids before commit): the pending scan looks this far back from the newest labelled one.
_REVISIT = 2000
_NONE = Label("none", "", "")  # marks an article labelled with nothing, so it is not revisited


@dataclass(frozen=True, slots=True)
class LabelledArticle:
    """What the labeller needs of a stored article that has no labels yet."""

    id: int
    title: str
    text: str
    section: str | None
    at: datetime


@dataclass(frozen=True, slots=True)
class TopicCount:
    kind: str
    key: str
    name: str
    articles: int


class LabelStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @storage_errors("finding articles to label")
    def pending(self, *, limit: int = 500, text_chars: int = 3000) -> list[LabelledArticle]:
        """Stored articles without labels, oldest first."""
        with reading(self.engine) as conn:
            newest = conn.execute(select(func.max(article_labels.c.article_id))).scalar()
            labelled = exists().where(article_labels.c.article_id == articles.c.id)
            when = func.coalesce(articles.c.published, articles.c.created_at, type_=UTCDateTime())
            query = (
                select(articles.c.id, articles.c.title, func.substr(articles.c.text, 1, text_chars),
                       articles.c.section, when)
                .where(articles.c.id > (newest or 0) - _REVISIT, ~labelled)
                .order_by(articles.c.id)
                .limit(limit)
            )  # fmt: skip
            return [
                LabelledArticle(r[0], r[1] or "", r[2] or "", r[3], r[4])
                for r in conn.execute(query)
            ]

    @storage_errors("saving article labels")
    def record(self, labelled: Sequence[tuple[LabelledArticle, Sequence[Label]]]) -> None:
        """Store each article's labels, replacing any it had."""
        if not labelled:
            return
        rows = [
            {
                "article_id": a.id,
                "key": label.key,
                "kind": label.kind,
                "name": label.name,
                "at": a.at,
            }
            for a, labels in labelled
            for label in _unique(labels)
        ]
        with self.engine.begin() as conn:
            ids = [a.id for a, _ in labelled]
            conn.execute(article_labels.delete().where(article_labels.c.article_id.in_(ids)))
            conn.execute(article_labels.insert(), rows)

    @storage_errors("reading an article's labels")
    def labels_of(self, article_id: int) -> list[Label]:
        """The article's sections first, then its entities."""
        with reading(self.engine) as conn:
            rows = conn.execute(_labels_query(), {"article_id": article_id})
            found = [Label(r.kind, r.key, r.name) for r in rows]
        return sorted(found, key=lambda label: label.kind != "section")

    @storage_errors("naming a topic")
    def describe(self, key: str) -> Label | None:
        """The topic ``key`` as most recently labelled, or None when no article has it."""
        query = (
            select(article_labels.c.kind, article_labels.c.key, article_labels.c.name)
            .where(article_labels.c.key == key.lower())
            .order_by(article_labels.c.at.desc())
            .limit(1)
        )
        with reading(self.engine) as conn:
            row = conn.execute(query).first()
        return Label(row.kind, row.key, row.name) if row else None

    @storage_errors("listing a topic's articles")
    def list_articles(self, key: str, *, limit: int = 30, offset: int = 0) -> list[Article]:
        """Newest articles labelled ``key``."""
        return self._newest(key, limit=limit, offset=offset)

    @storage_errors("listing followed articles")
    def list_following(
        self, keys: Sequence[str], source_ids: Sequence[int], *, limit: int = 30
    ) -> list[Article]:
        """Newest articles in any of the topics ``keys`` or from any of ``source_ids``."""
        if not keys and not source_ids:
            return []
        found = [a for key in keys for a in self._newest(key, limit=limit)]
        found += self._from_sources(source_ids, limit) if source_ids else []
        merged = {a.id: a for a in found}
        newest = sorted(merged.values(), key=lambda a: (a.published or a.created_at, a.id))
        return newest[::-1][:limit]

    @storage_errors("counting topics")
    def popular(
        self, *, since: datetime, limit: int = 30, newest: int = 20_000
    ) -> list[TopicCount]:
        """Sections and entities by how many articles since ``since`` carry them, among the
        ``newest`` labelled articles (a bound on the rows counted, however big the store)."""
        with reading(self.engine) as conn:
            top = conn.execute(select(func.max(article_labels.c.article_id))).scalar() or 0
        count = func.count().label("n")
        query = (
            select(article_labels.c.kind, article_labels.c.key, func.max(article_labels.c.name),
                   count)
            .where(article_labels.c.article_id > top - newest, article_labels.c.at >= since,
                   article_labels.c.kind != "none")
            .group_by(article_labels.c.kind, article_labels.c.key)
            .order_by(count.desc(), article_labels.c.key)
            .limit(limit)
        )  # fmt: skip
        with reading(self.engine) as conn:
            return [TopicCount(r[0], r[1], r[2], r[3]) for r in conn.execute(query)]

    @storage_errors("reading stories' sections")
    def story_sections(self, story_ids: Iterable[int]) -> dict[int, str]:
        """Each story's section: the one most of its labelled articles are in (ties: by name)."""
        ids = list(story_ids)
        if not ids:
            return {}
        count = func.count().label("n")
        query = (
            select(story_articles.c.story_id, article_labels.c.key, count)
            .select_from(story_articles.join(
                article_labels, article_labels.c.article_id == story_articles.c.article_id))
            .where(story_articles.c.story_id.in_(ids), article_labels.c.kind == "section")
            .group_by(story_articles.c.story_id, article_labels.c.key)
        )  # fmt: skip
        best: dict[int, tuple[int, str]] = {}
        with reading(self.engine) as conn:
            for story_id, key, n in conn.execute(query):
                if story_id not in best or (-n, key) < (-best[story_id][0], best[story_id][1]):
                    best[story_id] = (n, key)
        return {story_id: key for story_id, (_, key) in best.items()}

    @storage_errors("reading a story's topics")
    def story_topics(self, story_id: int, *, limit: int = 10) -> list[Label]:
        """The sections and names the story's articles carry, sections first, then by how many
        articles share them (a name only one article of several gives is left out)."""
        with reading(self.engine) as conn:
            rows = conn.execute(_story_topics_query(), {"story_id": story_id}).all()
            members = conn.execute(_story_size_query(), {"story_id": story_id}).scalar_one()
        wanted = 1 if members < 2 else 2
        rows = [r for r in rows if r[0] == "section" or r[3] >= wanted]
        rows.sort(key=lambda r: (r[0] != "section", -r[3], r[1]))
        return [Label(r[0], r[1], r[2]) for r in rows[:limit]]

    @storage_errors("reading recent labels")
    def labels_since(self, since: datetime) -> dict[int, list[Label]]:
        """Every label of the articles published (or stored) since ``since``, by article."""
        query = select(
            article_labels.c.article_id, article_labels.c.kind, article_labels.c.key,
            article_labels.c.name,
        ).where(article_labels.c.at >= since, article_labels.c.kind != "none")  # fmt: skip
        found: dict[int, list[Label]] = {}
        with reading(self.engine) as conn:
            for r in conn.execute(query):
                found.setdefault(r.article_id, []).append(Label(r.kind, r.key, r.name))
        return found

    def _newest(self, key: str, *, limit: int, offset: int = 0) -> list[Article]:
        """Syndicated copies folded into the first of their group, as on every list."""
        from broadsheet.storage.store import _article, _article_query, _is_syndicated_copy

        query = (
            _article_query()
            .join(article_labels, article_labels.c.article_id == articles.c.id)
            .where(article_labels.c.key == key.lower(), ~_is_syndicated_copy())
            .order_by(article_labels.c.at.desc(), articles.c.id.desc())
            .limit(limit)
            .offset(offset)
        )  # walks ix_article_labels_key_at from the newest end
        with reading(self.engine) as conn:
            return [_article(r) for r in conn.execute(query)]

    def _from_sources(self, source_ids: Sequence[int], limit: int) -> list[Article]:
        from broadsheet.storage.store import _article, _article_query

        newest = func.coalesce(articles.c.published, articles.c.created_at)
        query = (
            _article_query()
            .where(articles.c.source_id.in_(list(source_ids)))
            .order_by(newest.desc(), articles.c.id.desc())
            .limit(limit)
        )
        with reading(self.engine) as conn:
            return [_article(r) for r in conn.execute(query)]


def _unique(labels: Sequence[Label]) -> list[Label]:
    """One label per key (the first), or the marker when there are none."""
    seen: dict[str, Label] = {}
    for label in labels:
        if label.key:
            seen.setdefault(label.key, label)
    return list(seen.values()) or [_NONE]


# Statements the article and story pages run on every request, built once: building one took
# longer than running it on PostgreSQL.
@functools.cache
def _labels_query() -> Any:
    return select(article_labels.c.kind, article_labels.c.key, article_labels.c.name).where(
        article_labels.c.article_id == bindparam("article_id"), article_labels.c.kind != "none"
    )


@functools.cache
def _story_topics_query() -> Any:
    """The labels of a story's articles, with how many carry each."""
    count = func.count().label("n")
    return (
        select(article_labels.c.kind, article_labels.c.key,
               func.max(article_labels.c.name), count)
        .select_from(story_articles.join(
            article_labels, article_labels.c.article_id == story_articles.c.article_id))
        .where(story_articles.c.story_id == bindparam("story_id"), article_labels.c.kind != "none")
        .group_by(article_labels.c.kind, article_labels.c.key)
    )  # fmt: skip


@functools.cache
def _story_size_query() -> Any:
    return select(func.count()).where(story_articles.c.story_id == bindparam("story_id"))
