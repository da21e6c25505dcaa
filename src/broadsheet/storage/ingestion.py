"""What ingestion keeps in the database: leases on sources, source health and settings, and each
feed entry stored together with its article in one transaction.

Leases are one ``UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING``: atomic on
SQLite (one writer) and, on PostgreSQL, workers skip the rows another worker is claiming. A lease
expires, so the sources of a worker that died are claimed again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, and_, bindparam, func, or_, select
from sqlalchemy.exc import IntegrityError

from broadsheet.exceptions import NotFound, StorageError
from broadsheet.ingest.entries import EntryIdentity, KnownEntry
from broadsheet.storage.engine import reading
from broadsheet.storage.errors import storage_errors
from broadsheet.storage.retention import EXPIRED
from broadsheet.storage.schema import article_labels, articles, entries, sources
from broadsheet.storage.store import (
    SavedArticle,
    _article_values,
    _source,
    text_hash,
)
from broadsheet.types import ExtractedArticle, FeedEntry, Source

__all__ = ["FULL_TEXT_PENDING", "EntryWrite", "IngestStore", "PendingPage", "SourceSettings"]


@dataclass(frozen=True, slots=True)
class SourceSettings:
    """What an operator may set on a source; ``None`` for interval means the adaptive one."""

    title: str | None
    category: str | None
    interval_seconds: int | None
    full_text: bool
    paused: bool
    retention_days: int | None = None  # None: the site-wide setting


class IngestStore:
    """Ingestion's part of the store, over the same engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # -- leases --------------------------------------------------------------------------------

    @storage_errors("claiming due sources")
    def claim_due_sources(
        self, *, owner: str, now: datetime, lease_until: datetime, limit: int,
        due_before: datetime | None = None,
    ) -> list[Source]:  # fmt: skip
        """Lease up to ``limit`` due, unpaused, unleased sources to ``owner``, soonest due first."""
        due_at = now if due_before is None else due_before
        free = or_(sources.c.lease_expires_at.is_(None), sources.c.lease_expires_at < now)
        due = or_(sources.c.next_fetch_at.is_(None), sources.c.next_fetch_at <= due_at)
        pick = (
            select(sources.c.id)
            .where(and_(due, free, sources.c.status != "paused"))
            .order_by(sources.c.next_fetch_at, sources.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        claim = (
            sources.update()
            .where(sources.c.id.in_(pick.scalar_subquery()))
            .values(lease_owner=owner, lease_expires_at=lease_until)
            .returning(*sources.c)
        )
        with self.engine.begin() as conn:
            rows = conn.execute(claim).all()
        return sorted((_source(r) for r in rows), key=lambda s: (s.next_fetch_at or now, s.id))

    @storage_errors("releasing leases")
    def release_leases(self, owner: str) -> None:
        """Give back every lease ``owner`` holds (a worker stopping cleanly)."""
        with self.engine.begin() as conn:
            conn.execute(
                sources.update()
                .where(sources.c.lease_owner == owner)
                .values(lease_owner=None, lease_expires_at=None)
            )

    @storage_errors("making sources due")
    def make_all_due(self, now: datetime) -> None:
        """Every unpaused source becomes due now (``broadsheet fetch --all``)."""
        with self.engine.begin() as conn:
            conn.execute(
                sources.update().where(sources.c.status != "paused").values(next_fetch_at=now)
            )

    # -- health --------------------------------------------------------------------------------

    @storage_errors("recording a fetch")
    def record_success(
        self, source_id: int, *, now: datetime, next_fetch_at: datetime, etag: str | None,
        last_modified: str | None, items_per_day: float | None = None,
        title: str | None = None, site_url: str | None = None,
    ) -> None:  # fmt: skip
        """A fetch worked: the source is healthy again and its lease is given back."""
        values: dict[str, Any] = {
            "status": "ok", "last_error": None, "error_count": 0, "etag": etag,
            "last_modified": last_modified, "last_fetched_at": now, "last_success_at": now,
            "next_fetch_at": next_fetch_at, "lease_owner": None, "lease_expires_at": None,
        }  # fmt: skip
        if items_per_day is not None:
            values["items_per_day"] = items_per_day
        with self.engine.begin() as conn:
            current = conn.execute(
                select(sources.c.title, sources.c.site_url).where(sources.c.id == source_id)
            ).one()
            if title and not current.title:
                values["title"] = title
            if site_url and not current.site_url:
                values["site_url"] = site_url
            conn.execute(sources.update().where(sources.c.id == source_id).values(**values))

    @storage_errors("recording a failed fetch")
    def record_failure(
        self, source_id: int, *, now: datetime, error: str, next_fetch_at: datetime,
        pause_reason: str | None = None,
    ) -> None:  # fmt: skip
        """A fetch failed: keep the reason; ``pause_reason`` also pauses the source."""
        values: dict[str, Any] = {
            "status": "paused" if pause_reason else "error", "last_error": error,
            "error_count": sources.c.error_count + 1, "last_fetched_at": now,
            "next_fetch_at": next_fetch_at, "lease_owner": None, "lease_expires_at": None,
        }  # fmt: skip
        if pause_reason:
            values["paused_reason"] = pause_reason
        with self.engine.begin() as conn:
            conn.execute(sources.update().where(sources.c.id == source_id).values(**values))

    @storage_errors("retrying a source")
    def retry_source(self, source_id: int, *, now: datetime) -> Source:
        """Unpause a source and make it due now, its error count reset."""
        with self.engine.begin() as conn:
            row = conn.execute(select(sources).where(sources.c.id == source_id)).first()
            if row is None:
                raise NotFound(f"no source {source_id}")
            conn.execute(
                sources.update()
                .where(sources.c.id == source_id)
                .values(
                    status="error" if row.last_error else "ok",
                    paused_reason=None,
                    error_count=0,
                    next_fetch_at=now,
                    lease_owner=None,
                    lease_expires_at=None,
                )
            )
            return _source(conn.execute(select(sources).where(sources.c.id == source_id)).one())

    @storage_errors("changing a source's settings")
    def update_settings(self, source_id: int, settings: SourceSettings, *, now: datetime) -> Source:
        """Apply an operator's settings; pausing keeps the reason, unpausing makes it due now."""
        with self.engine.begin() as conn:
            row = conn.execute(select(sources).where(sources.c.id == source_id)).first()
            if row is None:
                raise NotFound(f"no source {source_id}")
            values: dict[str, Any] = {
                "title": settings.title, "category": settings.category,
                "interval_seconds": settings.interval_seconds, "full_text": settings.full_text,
                "retention_days": settings.retention_days,
            }  # fmt: skip
            if settings.paused and row.status != "paused":
                values.update(status="paused", paused_reason="paused by the operator")
            elif not settings.paused and row.status == "paused":
                values.update(
                    status="error" if row.last_error else "ok", paused_reason=None,
                    error_count=0, next_fetch_at=now,
                )  # fmt: skip
            conn.execute(sources.update().where(sources.c.id == source_id).values(**values))
            return _source(conn.execute(select(sources).where(sources.c.id == source_id)).one())

    @storage_errors("setting a source's category")
    def set_category(self, source_id: int, category: str | None) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                sources.update().where(sources.c.id == source_id).values(category=category)
            )

    # -- entries -------------------------------------------------------------------------------

    @storage_errors("reading entries whose pages wait")
    def pending_pages(self, source_id: int, *, limit: int) -> list[PendingPage]:
        """The source's newest entries kept from the feed's text while their page failed for a
        passing reason, as the feed gave them."""
        query = (
            select(entries)
            .where(
                entries.c.source_id == source_id,
                entries.c.article_id.is_not(None),
                entries.c.link.is_not(None),
                entries.c.error.startswith(FULL_TEXT_PENDING),
            )
            .order_by(entries.c.id.desc())
            .limit(limit)
        )
        with reading(self.engine) as conn:
            rows = conn.execute(query).all()
        return [
            PendingPage(
                r.key,
                r.content_hash or "",
                r.article_id,
                FeedEntry(
                    r.guid, r.link, r.title, r.summary, published=r.published, updated=r.updated
                ),
            )
            for r in rows
        ]

    @storage_errors("reading entries")
    def find_entries(self, source_id: int, wanted: Sequence[EntryIdentity]) -> list[KnownEntry]:
        """Stored entries of a source sharing a GUID, a link or a content hash with ``wanted``."""
        guids = {w.guid for w in wanted if w.guid}
        links = {w.link for w in wanted if w.link}
        hashes = {w.content_hash for w in wanted}
        if not wanted:
            return []
        query = select(
            entries.c.id, entries.c.key, entries.c.guid, entries.c.link, entries.c.content_hash,
            entries.c.updated, entries.c.article_id,
            func.coalesce(entries.c.error, "").startswith(FULL_TEXT_PENDING),
            func.coalesce(entries.c.error, "").startswith(EXPIRED),
        ).where(
            entries.c.source_id == source_id,
            or_(entries.c.guid.in_(guids), entries.c.link.in_(links),
                entries.c.content_hash.in_(hashes)),
        )  # fmt: skip
        with reading(self.engine) as conn:
            return [
                KnownEntry(r[0], r[1], r[2], r[3], r[4], r[5], r[6], bool(r[7]), bool(r[8]))
                for r in conn.execute(query)
            ]

    def save_entry_article(
        self, source_id: int, key: str, entry: FeedEntry, *, content_hash: str, now: datetime,
        url: str | None = None, article: ExtractedArticle | None = None,
        error: str | None = None,
    ) -> SavedArticle | None:  # fmt: skip
        """Store one entry and its article (see ``save_entries``)."""
        write = EntryWrite(key, entry, content_hash, url, article, error)
        return self.save_entries(source_id, [write], now=now)[0]

    def save_entries(
        self, source_id: int, writes: Sequence[EntryWrite], *, now: datetime
    ) -> list[SavedArticle | None]:
        """Store entries with their articles in one transaction, so a crash keeps all or none.

        An article that was stored meanwhile under the same URL (another source, another worker)
        is updated instead: the unique URL makes a second copy impossible.
        """
        for _attempt in range(2):
            try:
                return self._save_entries(source_id, writes, now)
            except StorageErrorRetry as e:
                conflict = e
        raise StorageError("saving entries and articles: concurrent writes conflicted") from (
            conflict
        )

    @storage_errors("saving entries and articles")
    def _save_entries(
        self, source_id: int, writes: Sequence[EntryWrite], now: datetime
    ) -> list[SavedArticle | None]:
        saved: list[SavedArticle | None] = []
        try:
            with self.engine.begin() as conn:
                for w in writes:
                    article = None
                    if w.article is not None and w.url is not None:
                        article = _upsert_article(conn, w.article, w.url, source_id, now)
                    values = _entry_values(w.entry, w.content_hash, article, w.error)
                    _upsert_entry(conn, source_id, w.key, values, now)
                    saved.append(article)
        except IntegrityError as e:
            raise StorageErrorRetry() from e
        return saved


@dataclass(frozen=True, slots=True)
class PendingPage:
    """An entry whose article was kept from the feed's text: its page is to be tried again."""

    key: str
    content_hash: str
    article_id: int
    entry: FeedEntry


# How an entry's error starts when its article was kept from the feed's own text because the page
# could not be fetched for now: the next fetch of the feed tries the page again.
FULL_TEXT_PENDING = "full text not fetched yet"


@dataclass(frozen=True, slots=True)
class EntryWrite:
    """One entry to store, with its article or the reason it has none."""

    key: str
    entry: FeedEntry
    content_hash: str
    url: str | None = None
    article: ExtractedArticle | None = None
    error: str | None = None


class StorageErrorRetry(Exception):
    """A concurrent insert won the race; the caller retries once and finds the row."""


def _entry_values(
    entry: FeedEntry, content_hash: str, saved: SavedArticle | None, error: str | None
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "guid": entry.guid, "link": entry.link, "title": entry.title, "summary": entry.summary,
        "published": entry.published, "updated": entry.updated, "content_hash": content_hash,
        "error": error,
    }  # fmt: skip
    if saved is not None:
        values["article_id"] = saved.id
    return values


# Statements built once: SQLAlchemy then compiles each once, not once per article.
_ENTRY_UPDATE = entries.update().where(
    entries.c.source_id == bindparam("b_source"), entries.c.key == bindparam("b_key")
)
_SAME_ARTICLE = (
    select(articles.c.id, articles.c.text_hash)
    .where(
        or_(
            articles.c.url == bindparam("b_url"),
            articles.c.text_hash == bindparam("b_hash"),
            articles.c.canonical_url == bindparam("b_canonical"),
            articles.c.url == bindparam("b_canonical"),
        )
    )
    .order_by(articles.c.id)
    .limit(1)
)
_ARTICLE_UPDATE = articles.update().where(articles.c.id == bindparam("b_id"))
_LABELS_DROP = article_labels.delete().where(article_labels.c.article_id == bindparam("b_id"))


def _upsert_entry(
    conn: Any, source_id: int, key: str, values: dict[str, Any], now: datetime
) -> None:
    if not conn.execute(_ENTRY_UPDATE, {"b_source": source_id, "b_key": key, **values}).rowcount:
        conn.execute(
            entries.insert(), {"source_id": source_id, "key": key, "created_at": now, **values}
        )


def _upsert_article(
    conn: Any, extracted: ExtractedArticle, url: str, source_id: int, now: datetime
) -> SavedArticle:
    """Insert the article, or update the one with the same URL, canonical URL or text."""
    digest = text_hash(extracted.text)
    values = _article_values(extracted, digest)
    same = {"b_url": url, "b_hash": digest, "b_canonical": extracted.canonical_url}
    existing = conn.execute(_SAME_ARTICLE, same).first()
    if existing is not None:
        conn.execute(_ARTICLE_UPDATE, {"b_id": existing.id, **values})
        if existing.text_hash != digest:  # new text (the full page after the feed's summary):
            conn.execute(_LABELS_DROP, {"b_id": existing.id})  # labelled again from it
        return SavedArticle(int(existing.id), created=False)
    result = conn.execute(
        articles.insert(), {"url": url, "source_id": source_id, "created_at": now, **values}
    )
    return SavedArticle(int(result.inserted_primary_key[0]), created=True)
