"""Fetching one source once, and a run over many.

Per source: fetch the feed (conditional GET, politeness) → parse → decide which entries are new or
changed (``ingest.entries``, pure) → fetch and extract their pages (robots.txt, bounded
concurrency) → store each entry with its article in one transaction → record the source's health
and next fetch. The network and extraction steps touch no storage; only this module ties them to the
store, and every failure stays with its source or its entry.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

import httpx
from selectolax.lexbor import LexborHTMLParser

from broadsheet.config import Settings
from broadsheet.exceptions import (
    BlockedAddress,
    BroadsheetError,
    ExtractionError,
    FetchError,
    StorageError,
    TooLarge,
)
from broadsheet.extract.sanitize import sanitize_html
from broadsheet.ingest.charset import decode_page
from broadsheet.ingest.entries import EntryPlan, identify, plan_entries
from broadsheet.ingest.feeds import parse_feed
from broadsheet.ingest.fetch import FetchResponse, HTTPStatusError, fetch_url
from broadsheet.ingest.robots import RobotsCache
from broadsheet.ingest.schedule import (
    Bounds,
    adaptive_interval,
    items_per_day,
    next_fetch_after_error,
    next_fetch_after_success,
)
from broadsheet.ingest.throttle import Throttle, retry_after_until
from broadsheet.storage import Store
from broadsheet.storage.ingestion import FULL_TEXT_PENDING, EntryWrite, IngestStore, PendingPage
from broadsheet.types import (
    Author,
    ExtractedArticle,
    FeedEntry,
    ParsedFeed,
    Source,
    SourceFetchResult,
)

__all__ = ["ExtractCall", "Extractor", "FetchRun"]

log = logging.getLogger(__name__)
Extractor = Callable[..., ExtractedArticle]
ExtractCall = Callable[[str, str], Awaitable[ExtractedArticle]]
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, "
    "text/xml;q=0.9, */*;q=0.5"
)
PAGE_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"
# Pages tried again when a feed has not changed: enough to catch up, few enough that a 304
# stays cheap.
PAGES_RETRIED_PER_FETCH = 10


def in_thread(extractor: Extractor) -> ExtractCall:
    """Run ``extractor`` in a thread (the default; a process pool is the faster choice)."""

    async def call(html: str, url: str) -> ExtractedArticle:
        return await asyncio.to_thread(extractor, html, url=url)

    return call


@dataclass
class FetchRun:
    """Fetches sources into ``store``; time, randomness, network and extraction are passed in."""

    store: Store
    client: httpx.AsyncClient
    settings: Settings
    extractor: Extractor
    now: Callable[[], datetime]
    rng: random.Random = field(default_factory=random.Random)
    extract_call: ExtractCall | None = None
    throttle: Throttle | None = None
    robots: RobotsCache | None = None

    def __post_init__(self) -> None:
        self.ingest = IngestStore(self.store.engine)
        self.extract_call = self.extract_call or in_thread(self.extractor)
        settings = self.settings
        self.throttle = self.throttle or Throttle(
            total=settings.fetch_concurrency * 2, per_host=settings.fetch_per_host, now=self.now
        )
        self.robots = self.robots or RobotsCache(
            self.client, user_agent=settings.user_agent, now=self.now, throttle=self.throttle,
            ttl=timedelta(seconds=settings.robots_cache_seconds),
            timeout=min(settings.total_timeout, 10.0),
        )  # fmt: skip
        self.bounds = Bounds(
            settings.fetch_interval_seconds, settings.min_interval_seconds,
            settings.max_interval_seconds,
        )  # fmt: skip

    async def fetch_source(self, source: Source) -> SourceFetchResult:
        """Fetch one source; its failure is recorded on it in words, never raised."""
        budget = self.settings.lease_seconds * 0.8  # finish well inside the lease
        try:
            async with asyncio.timeout(budget):
                return await self._fetch_source(source)
        except TimeoutError:
            return self._failed(source, f"timeout: the source took longer than {budget:g} s")
        except (FetchError, StorageError) as e:
            return self._failed(source, str(e), e)
        except Exception as e:  # a bug or a library surprise must not end the run
            log.exception("unexpected error fetching source", extra={"source": source.url})
            return self._failed(source, f"internal error: {e.__class__.__name__}: {e}")

    def _interval(self, source: Source, rate: float | None) -> int:
        return source.interval_seconds or adaptive_interval(rate, self.bounds)

    def _failed(
        self, source: Source, reason: str, error: BaseException | None = None
    ) -> SourceFetchResult:
        now, count = self.now(), source.error_count + 1
        retry_at = None
        if isinstance(error, HTTPStatusError):
            retry_at = retry_after_until(error.retry_after, now)
        interval = min(self._interval(source, source.items_per_day), self.bounds.default)
        next_at = next_fetch_after_error(now, interval, count, rng=self.rng, not_before=retry_at)
        pause = _pause_reason(error, count, self.settings.pause_after_errors)
        self.ingest.record_failure(
            source.id, now=now, error=reason, next_fetch_at=next_at, pause_reason=pause
        )
        log.info("source failed", extra={"source": source.url, "reason": reason})
        return SourceFetchResult(source.id, source.url, ok=False, error=reason)

    async def _fetch_source(self, source: Source) -> SourceFetchResult:
        response = await self._fetch(
            source.url, etag=source.etag, last_modified=source.last_modified, accept=FEED_ACCEPT
        )
        if response.not_modified:
            self._succeeded(source, response, source.items_per_day)
            retried = await self._retry_pending_pages(source)
            return SourceFetchResult(source.id, source.url, ok=True, updated_articles=retried,
                                     not_modified=True)  # fmt: skip
        feed = parse_feed(response.content, url=response.url, content_type=response.content_type)
        new, updated = await self._store_entries(source, feed)
        rate = items_per_day((e.published for e in feed.entries), self.now())
        self._succeeded(source, response, rate, feed)
        return SourceFetchResult(source.id, source.url, True, new, updated)

    def _succeeded(
        self, source: Source, response: FetchResponse, rate: float | None,
        feed: ParsedFeed | None = None,
    ) -> None:  # fmt: skip
        now = self.now()
        next_at = next_fetch_after_success(
            now, self._interval(source, rate), response.max_age, maximum=self.bounds.maximum
        )
        etag, modified = (
            (source.etag, source.last_modified) if response.not_modified
            else (response.etag, response.last_modified)
        )  # fmt: skip
        self.ingest.record_success(
            source.id, now=now, next_fetch_at=next_at, etag=etag, last_modified=modified,
            items_per_day=rate, title=feed.title if feed else None,
            site_url=feed.site_url if feed else None,
        )  # fmt: skip

    async def _fetch(self, url: str, **options: str | None) -> FetchResponse:
        settings = self.settings
        return await fetch_url(
            self.client, url, max_bytes=settings.max_body_bytes,
            total_timeout=settings.total_timeout, max_download_bytes=settings.max_download_bytes,
            throttle=self.throttle, **options,  # type: ignore[arg-type]
        )  # fmt: skip

    async def _store_entries(self, source: Source, feed: ParsedFeed) -> tuple[int, int]:
        """Fetch the pages of new and changed entries, then store them in one transaction."""
        entries = list(feed.entries)
        known = self.ingest.find_entries(source.id, [identify(e) for e in entries])
        todo = [p for p in plan_entries(entries, known) if p.action != "unchanged"]
        gate = asyncio.Semaphore(self.settings.fetch_per_host)
        writes = await asyncio.gather(*(self._prepare_entry(source, p, gate) for p in todo))
        saved = self.ingest.save_entries(source.id, writes, now=self.now())
        new = sum(1 for s in saved if s is not None and s.created)
        return new, sum(1 for s in saved if s is not None and not s.created)

    async def _retry_pending_pages(self, source: Source) -> int:
        """Fetch again the pages that failed for a passing reason (a few a fetch): an unchanged
        feed plans nothing, so without this they waited for the feed to change. The article
        keeps what the feed gave it (authors, files) where the page says nothing."""
        if not source.full_text:
            return 0
        pending = self.ingest.pending_pages(source.id, limit=PAGES_RETRIED_PER_FETCH)
        gate = asyncio.Semaphore(self.settings.fetch_per_host)

        async def retry(page: PendingPage) -> EntryWrite | None:
            link = page.entry.link or ""
            async with gate:
                try:
                    article = await self._page_article(link, page.entry)
                except (FetchError, ExtractionError) as e:
                    if _passing(e):
                        return None  # still failing for now: tried again next time
                    return EntryWrite(page.key, page.entry, page.content_hash, error=str(e))
            kept = self.store.get_articles([page.article_id])
            if kept:
                article = replace(
                    article, authors=article.authors or kept[0].authors,
                    enclosures=kept[0].enclosures,
                )  # fmt: skip
            return EntryWrite(page.key, page.entry, page.content_hash, link, article)

        writes = [w for w in await asyncio.gather(*(retry(p) for p in pending)) if w is not None]
        if writes:
            self.ingest.save_entries(source.id, writes, now=self.now())
        return sum(1 for w in writes if w.article is not None)

    async def _prepare_entry(
        self, source: Source, plan: EntryPlan, gate: asyncio.Semaphore
    ) -> EntryWrite:
        """Fetch and extract one entry's article; a failure is kept on the entry."""
        content_hash = plan.identity.content_hash
        async with gate:
            try:
                url, article, pending = await self._article_for(source, plan.entry)
            except BroadsheetError as e:
                return EntryWrite(plan.key, plan.entry, content_hash, error=str(e))
        return EntryWrite(plan.key, plan.entry, content_hash, url, article, error=pending)

    async def _article_for(
        self, source: Source, entry: FeedEntry
    ) -> tuple[str, ExtractedArticle, str | None]:
        """The entry's article: its page extracted, or the feed's own content when that fails;
        then also a note (when the page may answer later) that makes the next fetch try again."""
        page_error: BroadsheetError | None = None
        if entry.link and source.full_text:
            try:
                return entry.link, await self._page_article(entry.link, entry), None
            except (FetchError, ExtractionError) as e:
                page_error = e
        content = entry.content_html or entry.summary
        if not content:
            raise page_error or ExtractionError("the entry has no link and no content")
        url = entry.link or entry.guid or f"urn:broadsheet:entry:{entry.guid or entry.title}"
        pending = f"{FULL_TEXT_PENDING}: {page_error}" if _passing(page_error) else None
        return url, _article_from_feed(entry, content), pending

    async def _page_article(self, link: str, entry: FeedEntry) -> ExtractedArticle:
        assert self.robots is not None and self.extract_call is not None
        if not await self.robots.allowed(link):
            raise FetchError("robots.txt does not allow fetching the article page")
        response = await self._fetch(link, accept=PAGE_ACCEPT)
        html = decode_page(response.content, response.content_type)
        try:
            article = await self.extract_call(html, response.url)
        except ExtractionError:
            raise
        except Exception as e:  # a bug in extraction costs this page its full text, nothing more
            log.exception("extraction failed", extra={"url": response.url})
            raise ExtractionError(f"extraction failed: {e.__class__.__name__}: {e}") from e
        return _with_feed_metadata(article, entry)


def _passing(error: BroadsheetError | None) -> bool:
    """Whether a page's failure may pass (a timeout, a dropped connection, a server error or a
    rate limit), as a refusal, a block, an oversized page or a 404 will not."""
    if not isinstance(error, FetchError) or isinstance(error, (BlockedAddress, TooLarge)):
        return False
    if isinstance(error, HTTPStatusError):
        return error.status >= 500 or error.status in (408, 429)
    return "robots.txt" not in str(error)


def _pause_reason(error: BaseException | None, count: int, limit: int) -> str | None:
    if isinstance(error, HTTPStatusError) and error.status == 410:
        return "paused: the feed is gone for good (HTTP 410)"
    if count >= limit:
        return f"paused after {count} failed fetches in a row"
    return None


def _with_feed_metadata(article: ExtractedArticle, entry: FeedEntry) -> ExtractedArticle:
    """Fill what the page did not say from what the feed said."""
    return replace(
        article,
        title=article.title or entry.title,
        published=article.published or entry.published,
        authors=article.authors or tuple(Author(a) for a in entry.authors),
        enclosures=entry.enclosures,
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
        enclosures=entry.enclosures,
    )
