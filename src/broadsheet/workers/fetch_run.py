"""One fetch run: every due source fetched once, concurrently, each failure kept to its source.

Per source: fetch the feed (conditional GET) → parse → find entries not yet stored → fetch and extract
their pages (bounded concurrency) → store articles and entries → record the source's health. The
network and extraction steps touch no storage; only this module ties them to the store.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

import httpx
from selectolax.lexbor import LexborHTMLParser

from broadsheet.config import Settings
from broadsheet.exceptions import BroadsheetError, ExtractionError, FetchError, StorageError
from broadsheet.extract.sanitize import sanitize_html
from broadsheet.ingest.feeds import parse_feed
from broadsheet.ingest.fetch import fetch_url
from broadsheet.ingest.schedule import next_fetch_after_error, next_fetch_after_success
from broadsheet.storage import Store
from broadsheet.types import (
    Author,
    ExtractedArticle,
    FeedEntry,
    FetchReport,
    Source,
    SourceFetchResult,
)

__all__ = ["Extractor", "FetchRun", "entry_key"]

log = logging.getLogger(__name__)
Extractor = Callable[..., ExtractedArticle]
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, "
    "text/xml;q=0.9, */*;q=0.5"
)


def entry_key(entry: FeedEntry) -> str:
    """How an entry is recognised again: its link, else its GUID, else a hash of what it says.

    The link comes first because publishers change GUIDs far more often than article addresses.
    """
    if entry.link:
        return "link:" + entry.link
    if entry.guid:
        return "guid:" + entry.guid
    digest = hashlib.sha256(f"{entry.title}\n{entry.summary}".encode()).hexdigest()
    return "hash:" + digest


@dataclass
class FetchRun:
    """Fetches due sources into ``store``; time, network and extractor are passed in."""

    store: Store
    client: httpx.AsyncClient
    settings: Settings
    extractor: Extractor
    now: Callable[[], datetime]

    async def run(self, sources: list[Source] | None = None) -> FetchReport:
        """Fetch ``sources`` (default: every due one) once; never raises for a bad source."""
        due = self.store.list_due_sources(self.now()) if sources is None else sources
        gate = asyncio.Semaphore(self.settings.fetch_concurrency)

        async def one(source: Source) -> SourceFetchResult:
            async with gate:
                return await self.fetch_source(source)

        results = await asyncio.gather(*(one(s) for s in due))
        return FetchReport(tuple(results))

    async def fetch_source(self, source: Source) -> SourceFetchResult:
        interval = source.interval_seconds or self.settings.fetch_interval_seconds
        try:
            result = await self._fetch_source(source, interval)
        except (FetchError, StorageError) as e:
            return self._failed(source, str(e), interval)
        except Exception as e:  # a bug or a library surprise must not end the run
            log.exception("unexpected error fetching source", extra={"source": source.url})
            return self._failed(source, f"internal error: {e.__class__.__name__}: {e}", interval)
        return result

    def _failed(self, source: Source, reason: str, interval: int) -> SourceFetchResult:
        now = self.now()
        retry_at = next_fetch_after_error(now, interval, source.error_count + 1)
        self.store.record_fetch_failure(source.id, now=now, error=reason, next_fetch_at=retry_at)
        log.info("source failed", extra={"source": source.url, "reason": reason})
        return SourceFetchResult(source.id, source.url, ok=False, error=reason)

    async def _fetch_source(self, source: Source, interval: int) -> SourceFetchResult:
        response = await fetch_url(
            self.client, source.url, max_bytes=self.settings.max_body_bytes,
            total_timeout=self.settings.total_timeout, etag=source.etag,
            last_modified=source.last_modified, accept=FEED_ACCEPT,
        )  # fmt: skip
        now = self.now()
        next_at = next_fetch_after_success(now, interval)
        if response.not_modified:
            self.store.record_fetch_success(
                source.id, now=now, next_fetch_at=next_at, etag=source.etag,
                last_modified=source.last_modified,
            )  # fmt: skip
            return SourceFetchResult(source.id, source.url, ok=True, not_modified=True)
        feed = parse_feed(response.content, url=response.url, content_type=response.content_type)
        new, updated = await self._store_entries(source, list(feed.entries))
        self.store.record_fetch_success(
            source.id, now=self.now(), next_fetch_at=next_at, etag=response.etag,
            last_modified=response.last_modified, title=feed.title, site_url=feed.site_url,
        )  # fmt: skip
        return SourceFetchResult(source.id, source.url, True, new, updated)

    async def _store_entries(
        self, source: Source, feed_entries: list[FeedEntry]
    ) -> tuple[int, int]:
        keyed = {entry_key(e): e for e in feed_entries}
        known = self.store.known_entry_keys(source.id, keyed)
        fresh = [(k, e) for k, e in keyed.items() if k not in known]
        gate = asyncio.Semaphore(self.settings.fetch_per_host)
        outcomes = await asyncio.gather(*(self._store_entry(source, k, e, gate) for k, e in fresh))
        return sum(1 for o in outcomes if o == "new"), sum(1 for o in outcomes if o == "updated")

    async def _store_entry(
        self, source: Source, key: str, entry: FeedEntry, gate: asyncio.Semaphore
    ) -> str:
        """Fetch, extract and store one entry's article; a failure is kept on the entry."""
        async with gate:
            try:
                url, article = await self._article_for(source, entry)
            except BroadsheetError as e:
                self.store.save_entry(
                    source.id, key, entry, now=self.now(), article_id=None, error=str(e)
                )
                return "failed"
        saved = self.store.save_article(article, url=url, source_id=source.id, now=self.now())
        self.store.save_entry(source.id, key, entry, now=self.now(), article_id=saved.id)
        return "new" if saved.created else "updated"

    async def _article_for(self, source: Source, entry: FeedEntry) -> tuple[str, ExtractedArticle]:
        """The entry's article: its page extracted, or the feed's own content when that fails."""
        page_error: BroadsheetError | None = None
        if entry.link and source.full_text:
            try:
                response = await fetch_url(
                    self.client, entry.link, max_bytes=self.settings.max_body_bytes,
                    total_timeout=self.settings.total_timeout, accept="text/html,*/*;q=0.8",
                )  # fmt: skip
                article = await asyncio.to_thread(
                    self.extractor, response.content, url=response.url
                )
                return entry.link, _with_feed_metadata(article, entry)
            except (FetchError, ExtractionError) as e:
                page_error = e
        content = entry.content_html or entry.summary
        if not content:
            raise page_error or ExtractionError("the entry has no link and no content")
        url = entry.link or entry.guid or f"urn:broadsheet:entry:{entry_key(entry)}"
        return url, _article_from_feed(entry, content)


def _with_feed_metadata(article: ExtractedArticle, entry: FeedEntry) -> ExtractedArticle:
    """Fill what the page did not say from what the feed said."""
    return replace(
        article,
        title=article.title or entry.title,
        published=article.published or entry.published,
        authors=article.authors or tuple(Author(a) for a in entry.authors),
    )


def _article_from_feed(entry: FeedEntry, content_html: str) -> ExtractedArticle:
    text = LexborHTMLParser(f"<div>{content_html}</div>").text(separator="\n").strip()
    if not text:
        raise ExtractionError("the entry's content is empty")
    return ExtractedArticle(
        title=entry.title,
        text=text,
        html=sanitize_html(content_html),
        authors=tuple(Author(a) for a in entry.authors),
        published=entry.published,
        modified=entry.updated,
        url=entry.link,
    )
