"""The one storage interface, on SQLAlchemy Core; the same code runs on SQLite and PostgreSQL.

Every public method maps database failures to ``StorageError`` (keeping the cause) and unknown ids
to ``NotFound``.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Row, and_, bindparam, exists, func, or_, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from broadsheet.exceptions import NotFound, StorageError
from broadsheet.storage import engine as engine_module
from broadsheet.storage.accounts import AccountStore
from broadsheet.storage.api_tokens import ApiTokenStore
from broadsheet.storage.engine import reading
from broadsheet.storage.errors import storage_errors
from broadsheet.storage.labels import LabelStore
from broadsheet.storage.membership import MembershipStore
from broadsheet.storage.picks import CurationStore
from broadsheet.storage.read_marks import ReadMarks
from broadsheet.storage.reading import ReadingStore
from broadsheet.storage.retention import RetentionStore
from broadsheet.storage.schema import articles, sources, story_articles, users
from broadsheet.storage.search import SearchIndex
from broadsheet.storage.signals import SignalStore
from broadsheet.storage.stories import StoryStore
from broadsheet.types import (
    Article,
    Author,
    Enclosure,
    ExtractedArticle,
    LeadImage,
    Source,
    User,
)

__all__ = ["SavedArticle", "Store", "text_hash"]


def text_hash(text: str) -> str:
    """A hash of the text that ignores whitespace and case, so re-flowed copies match."""
    normalized = " ".join(text.lower().split())
    return hashlib.sha256(normalized.encode()).hexdigest()


class SavedArticle:
    """What ``save_article`` did: the article's id and whether it was new."""

    __slots__ = ("created", "id")

    def __init__(self, id: int, created: bool) -> None:
        self.id = id
        self.created = created


class Store:
    """Sources, feed entries, articles and users in one SQL database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.stories = StoryStore(engine)
        self.api_tokens = ApiTokenStore(engine)
        self.read_marks = ReadMarks(engine)
        self.signals = SignalStore(engine)
        self.accounts = AccountStore(engine)
        self.reading = ReadingStore(engine)
        self.search = SearchIndex(engine)
        self.curation = CurationStore(engine)
        self.membership = MembershipStore(engine)
        self.labels = LabelStore(engine)
        self.retention = RetentionStore(engine)

    @classmethod
    def open(cls, url: str, *, migrate: bool = True) -> Store:
        """Connect to ``url`` and, unless told not to, bring its schema up to date."""
        try:
            engine = engine_module.connect(url)
            if migrate:
                engine_module.upgrade(engine)
        except SQLAlchemyError as e:
            raise StorageError(f"opening the database: {e}") from e
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    # -- sources -------------------------------------------------------------------------------

    @storage_errors("adding a source")
    def add_source(
        self, url: str, *, now: datetime, title: str | None = None, site_url: str | None = None
    ) -> tuple[Source, bool]:
        """Add a source by feed URL; returns it and whether it was new (an existing one is kept)."""
        with self.engine.begin() as conn:
            row = conn.execute(select(sources).where(sources.c.url == url)).first()
            if row is not None:
                return _source(row), False
            try:
                with conn.begin_nested():  # a savepoint: PostgreSQL aborts the whole transaction
                    conn.execute(
                        sources.insert().values(
                            url=url,
                            title=title,
                            site_url=site_url,
                            created_at=now,
                            next_fetch_at=now,
                        )
                    )
            except IntegrityError:  # added meanwhile by another process
                pass
            row = conn.execute(select(sources).where(sources.c.url == url)).one()
        return _source(row), True

    @storage_errors("reading a source")
    def get_source(self, source_id: int) -> Source:
        with reading(self.engine) as conn:
            row = conn.execute(select(sources).where(sources.c.id == source_id)).first()
        if row is None:
            raise NotFound(f"no source {source_id}")
        return _source(row)

    @storage_errors("reading sources")
    def get_sources(self, source_ids: Iterable[int]) -> dict[int, Source]:
        """The sources with these ids that exist, by id, in one query."""
        ids = list(source_ids)
        if not ids:
            return {}
        with reading(self.engine) as conn:
            rows = conn.execute(_sources_by_ids(), {"ids": ids}).all()
        return {r.id: _source(r) for r in rows}

    @storage_errors("listing sources")
    def list_sources(self) -> list[Source]:
        with reading(self.engine) as conn:
            rows = conn.execute(select(sources).order_by(sources.c.title, sources.c.url)).all()
        return [_source(r) for r in rows]

    # -- articles ------------------------------------------------------------------------------

    @storage_errors("saving an article")
    def save_article(
        self, extracted: ExtractedArticle, *, url: str, source_id: int | None, now: datetime
    ) -> SavedArticle:
        """Store an article once: an article at the same URL, canonical URL or with the same text is
        updated in place instead of stored again. When that changes its title or text, the
        sentence embedding kept with its story assignment (made from the old ones) is dropped,
        so a restart encodes the new words rather than restoring a vector of ones it has lost."""
        digest = text_hash(extracted.text)
        values = _article_values(extracted, digest)
        with self.engine.begin() as conn:
            existing = _find_same_article(conn, url, extracted.canonical_url, digest)
            if existing is not None:
                article_id, old_words = existing
                conn.execute(articles.update().where(articles.c.id == article_id).values(**values))
                if old_words != (extracted.title, digest):
                    conn.execute(
                        story_articles.update()
                        .where(story_articles.c.article_id == article_id)
                        .values(embedding=None, embedding_model=None)
                    )
                return SavedArticle(article_id, created=False)
            result = conn.execute(
                articles.insert().values(url=url, source_id=source_id, created_at=now, **values)
            )
            new_id = result.inserted_primary_key
            assert new_id is not None
            return SavedArticle(int(new_id[0]), created=True)

    @storage_errors("reading an article")
    def get_article(self, article_id: int) -> Article:
        with reading(self.engine) as conn:
            row = conn.execute(_article_by_id(), {"id": article_id}).first()
        if row is None:
            raise NotFound(f"no article {article_id}")
        return _article(row)

    @storage_errors("listing articles")
    def list_articles(
        self,
        *,
        limit: int = 50,
        offset: int = 0,
        source_id: int | None = None,
        fold_copies: bool = True,
    ) -> list[Article]:
        """Newest first, by publication time (or arrival time where a page gives none).

        Syndicated copies are folded into the first of their group unless ``fold_copies`` is off
        or one source's own articles are asked for.
        """
        # Two walks down the published index (dated articles, then undated ones by arrival),
        # merged here: sorting every row by an expression no index covers made the home page take
        # seconds on a large store.
        wanted = limit + offset
        by_date = (articles.c.published.desc(), articles.c.id.desc())
        by_arrival = (articles.c.created_at.desc(), articles.c.id.desc())
        queries = [
            _article_query().where(articles.c.published.is_not(None)).order_by(*by_date),
            _article_query().where(articles.c.published.is_(None)).order_by(*by_arrival),
        ]
        if source_id is not None:
            queries = [q.where(articles.c.source_id == source_id) for q in queries]
        elif fold_copies:
            queries = [q.where(~_is_syndicated_copy()) for q in queries]
        with reading(self.engine) as conn:
            rows = [r for q in queries for r in conn.execute(q.limit(wanted)).all()]
        rows.sort(key=lambda r: (r.published or r.created_at, r.id), reverse=True)
        return [_article(r) for r in rows[offset:wanted]]

    @storage_errors("counting syndicated copies")
    def copy_counts(self, article_ids: list[int]) -> dict[int, int]:
        """How many other articles of each one's syndication group there are (absent: none), for
        the "also in N outlets" of lists that fold copies into their first."""
        return {i: copies for i, (_, copies) in self.syndication(article_ids).items()}

    @storage_errors("reading syndication groups")
    def syndication(self, article_ids: list[int]) -> dict[int, tuple[int, int]]:
        """The syndication group of each of these articles that has copies, and how many other
        articles the group holds: what a list needs to fold copies, in one query."""
        if not article_ids:
            return {}
        with reading(self.engine) as conn:
            rows = conn.execute(_syndication_query(), {"ids": article_ids})
            return {int(r[0]): (int(r[1]), int(r[2])) for r in rows}

    @storage_errors("reading articles")
    def get_articles(self, article_ids: list[int]) -> list[Article]:
        """The articles with these ids that exist, in the order given, in one query."""
        if not article_ids:
            return []
        with reading(self.engine) as conn:
            rows = conn.execute(_articles_by_ids(), {"ids": article_ids}).all()
        found = {r.id: _article(r) for r in rows}
        return [found[i] for i in article_ids if i in found]

    @storage_errors("reading the newest article id")
    def newest_article_id(self) -> int:
        """The highest article id (0 for none): a cheap sign that articles have arrived."""
        with reading(self.engine) as conn:
            return int(conn.execute(select(func.max(articles.c.id))).scalar_one() or 0)

    @storage_errors("counting articles")
    def count_articles(self, *, source_id: int | None = None) -> int:
        query = select(func.count()).select_from(articles)
        if source_id is not None:
            query = query.where(articles.c.source_id == source_id)
        with reading(self.engine) as conn:
            return int(conn.execute(query).scalar_one())

    def iter_articles(self, *, batch: int = 500) -> Iterator[Article]:
        """Every stored article in id order, read in batches so memory stays flat."""
        last = 0
        while True:
            with reading(self.engine) as conn:
                try:
                    rows = conn.execute(
                        _article_query()
                        .where(articles.c.id > last)
                        .order_by(articles.c.id)
                        .limit(batch)
                    ).all()
                except SQLAlchemyError as e:
                    raise StorageError("reading articles") from e
            if not rows:
                return
            yield from (_article(r) for r in rows)
            last = rows[-1].id

    # -- users ---------------------------------------------------------------------------------

    @storage_errors("creating a user")
    def create_user(self, email: str, password_hash: str, *, role: str, now: datetime) -> User:
        with self.engine.begin() as conn:
            result = conn.execute(
                users.insert().values(
                    email=email.lower(), password_hash=password_hash, role=role, created_at=now
                )
            )
            key = result.inserted_primary_key
            assert key is not None
            return User(int(key[0]), email.lower(), role, now)

    @storage_errors("reading a user")
    def get_user_by_email(self, email: str) -> tuple[User, str]:
        """The user and their password hash."""
        with reading(self.engine) as conn:
            row = conn.execute(select(users).where(users.c.email == email.lower())).first()
        if row is None:
            raise NotFound(f"no user {email}")
        return User(row.id, row.email, row.role, row.created_at), row.password_hash

    @storage_errors("counting users")
    def count_users(self) -> int:
        with reading(self.engine) as conn:
            return int(conn.execute(select(func.count()).select_from(users)).scalar_one())


def _find_same_article(
    conn: Any, url: str, canonical: str | None, digest: str
) -> tuple[int, tuple[str | None, str]] | None:
    """The id, title and text hash of the stored article this one is (None: it is new)."""
    same = [articles.c.url == url, articles.c.text_hash == digest]
    if canonical:
        same += [articles.c.canonical_url == canonical, articles.c.url == canonical]
    found = select(articles.c.id, articles.c.title, articles.c.text_hash)
    row = conn.execute(found.where(or_(*same)).order_by(articles.c.id)).first()
    return None if row is None else (int(row.id), (row.title, str(row.text_hash)))


def _article_values(extracted: ExtractedArticle, digest: str) -> dict[str, Any]:
    image = extracted.lead_image
    return {
        "canonical_url": extracted.canonical_url,
        "title": extracted.title,
        "standfirst": extracted.standfirst,
        "authors": [asdict(a) for a in extracted.authors],
        "publisher": extracted.publisher,
        "section": extracted.section,
        "published": extracted.published,
        "modified": extracted.modified,
        "language": extracted.language,
        "lead_image": asdict(image) if image else None,
        "enclosures": [asdict(e) for e in extracted.enclosures] or None,
        "attribution": extracted.attribution,
        "html": extracted.html,
        "text": extracted.text,
        "text_hash": digest,
        "word_count": extracted.word_count,
    }


def _is_syndicated_copy() -> Any:
    """True for an article whose syndication group has an older member."""
    mine, older = story_articles.alias("mine"), story_articles.alias("older")
    pair = and_(
        older.c.syndication_group == mine.c.syndication_group,
        older.c.article_id < mine.c.article_id,
    )
    return exists(
        select(1).select_from(mine.join(older, pair)).where(mine.c.article_id == articles.c.id)
    )


@functools.cache
def _syndication_query() -> Any:
    """Each of the articles ``ids``' syndication group and how many others it holds; built
    once (building it cost more than running it)."""
    mine, other = story_articles.alias("mine"), story_articles.alias("other")
    pair = and_(
        other.c.syndication_group == mine.c.syndication_group,
        other.c.article_id != mine.c.article_id,
    )
    return (
        select(mine.c.article_id, mine.c.syndication_group, func.count())
        .select_from(mine.join(other, pair))
        .where(mine.c.article_id.in_(bindparam("ids", expanding=True)))
        .group_by(mine.c.article_id, mine.c.syndication_group)
    )


# Statements the pages run on every request, built once: building one (its joins, labels and
# cache key) took longer than the query itself on PostgreSQL.
@functools.cache
def _article_by_id() -> Any:
    return _article_query().where(articles.c.id == bindparam("id"))


@functools.cache
def _articles_by_ids() -> Any:
    return _article_query().where(articles.c.id.in_(bindparam("ids", expanding=True)))


@functools.cache
def _sources_by_ids() -> Any:
    return select(sources).where(sources.c.id.in_(bindparam("ids", expanding=True)))


def _article_query() -> Any:
    return select(articles, sources.c.title.label("source_title")).select_from(
        articles.outerjoin(sources, articles.c.source_id == sources.c.id)
    )


def _article(row: Row[Any]) -> Article:
    image = row.lead_image
    return Article(
        id=row.id,
        url=row.url,
        source_id=row.source_id,
        source_title=row.source_title,
        title=row.title,
        text=row.text,
        html=row.html,
        created_at=row.created_at,
        canonical_url=row.canonical_url,
        authors=tuple(Author(**a) for a in row.authors or ()),
        standfirst=row.standfirst,
        publisher=row.publisher,
        section=row.section,
        published=row.published,
        modified=row.modified,
        language=row.language,
        lead_image=LeadImage(**image) if image else None,
        enclosures=tuple(Enclosure(**e) for e in row.enclosures or ()),
        attribution=row.attribution,
        word_count=row.word_count,
    )


def _source(row: Row[Any]) -> Source:
    return Source(
        id=row.id,
        url=row.url,
        title=row.title,
        site_url=row.site_url,
        status=row.status,
        last_error=row.last_error,
        last_fetched_at=row.last_fetched_at,
        last_success_at=row.last_success_at,
        next_fetch_at=row.next_fetch_at,
        error_count=row.error_count,
        etag=row.etag,
        last_modified=row.last_modified,
        category=row.category,
        full_text=bool(row.full_text),
        interval_seconds=row.interval_seconds,
        created_at=row.created_at,
        items_per_day=row.items_per_day,
        paused_reason=row.paused_reason,
        retention_days=row.retention_days,
    )
