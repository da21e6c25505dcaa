"""The Broadsheet object: the one API that the CLI, the web app and the workers call."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from broadsheet.config import Settings
from broadsheet.exceptions import BroadsheetError, FetchError
from broadsheet.ingest.discovery import discover_feeds, looks_like_html
from broadsheet.ingest.feeds import parse_feed
from broadsheet.ingest.fetch import fetch_url, make_client
from broadsheet.ingest.guard import Resolver, system_resolver
from broadsheet.storage import Store
from broadsheet.types import Article, FetchReport, Source, StoryCard, StoryCoverage

__all__ = ["AddResult", "Broadsheet", "make_broadsheet"]

log = logging.getLogger(__name__)


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class AddResult:
    """The outcome of adding one URL: the source, or the reason it could not be added."""

    url: str
    source: Source | None = None
    created: bool = False
    error: str | None = None


@dataclass
class Broadsheet:
    """Everything Broadsheet does, over one store, with injectable clock and network."""

    settings: Settings
    store: Store
    now: Callable[[], datetime] = _utcnow
    transport: httpx.AsyncBaseTransport | None = None
    resolver: Resolver = system_resolver
    _closed: bool = field(default=False, repr=False)
    _assigner: Any = field(default=None, repr=False)

    def client(self) -> httpx.AsyncClient:
        """A new HTTP client with the address guard (or the injected transport)."""
        return make_client(self.settings, transport=self.transport, resolver=self.resolver)

    # -- sources -------------------------------------------------------------------------------

    async def add_source(self, url: str) -> AddResult:
        """Add a feed by its URL, or a site by its page (its announced feeds are discovered)."""
        url = url.strip()
        if "://" not in url:
            url = "https://" + url
        try:
            async with self.client() as client:
                feeds = await self._feeds_at(client, url)
        except BroadsheetError as e:
            return AddResult(url, error=str(e))
        source, created = self.store.add_source(feeds[0][0], now=self.now(), title=feeds[0][1])
        return AddResult(url, source, created)

    async def _feeds_at(self, client: httpx.AsyncClient, url: str) -> list[tuple[str, str | None]]:
        response = await fetch_url(
            client, url, max_bytes=self.settings.max_body_bytes,
            total_timeout=self.settings.total_timeout,
        )  # fmt: skip
        if looks_like_html(response.content, response.content_type):
            found = discover_feeds(response.content, base_url=response.url)
            if not found:
                raise FetchError(f"no feed found: {url} is a web page that announces no feed")
            return [(feed_url, None) for feed_url in found]
        feed = parse_feed(response.content, url=response.url, content_type=response.content_type)
        return [(url, feed.title)]

    def list_sources(self) -> list[Source]:
        return self.store.list_sources()

    def get_source(self, source_id: int) -> Source:
        return self.store.get_source(source_id)

    # -- fetching ------------------------------------------------------------------------------

    async def fetch_due(self, *, all_sources: bool = False) -> FetchReport:
        """Fetch every due source once (or every source) and store new articles."""
        from broadsheet.extract import extract
        from broadsheet.workers.fetch_run import FetchRun

        sources = self.store.list_sources() if all_sources else None
        if sources is not None:
            sources = [s for s in sources if s.status != "paused"]
        async with self.client() as client:
            run = FetchRun(self.store, client, self.settings, extract, self.now)
            return await run.run(sources)

    # -- articles ------------------------------------------------------------------------------

    def list_articles(
        self, *, limit: int = 50, offset: int = 0, source_id: int | None = None
    ) -> list[Article]:
        return self.store.list_articles(limit=limit, offset=offset, source_id=source_id)

    def get_article(self, article_id: int) -> Article:
        return self.store.get_article(article_id)

    def iter_articles(self) -> Iterator[Article]:
        return self.store.iter_articles()

    # -- stories -------------------------------------------------------------------------------

    def assign_stories(self, *, limit: int = 1000) -> int:
        """Give every stored article that waits for one a story; returns how many were placed."""
        from broadsheet.workers.story_run import StoryAssigner

        if self._assigner is None:
            self._assigner = StoryAssigner(self.store, now=self.now)
        count: int = self._assigner.assign_pending(limit=limit)
        return count

    def top_stories(self, *, limit: int = 20) -> list[StoryCard]:
        from broadsheet.coverage import top_story_cards

        return top_story_cards(self.store, now=self.now(), limit=limit)

    def story_coverage(self, story_id: int) -> StoryCoverage:
        from broadsheet.coverage import story_coverage

        return story_coverage(self.store, story_id)

    def close(self) -> None:
        if not self._closed:
            self.store.close()
            self._closed = True


def make_broadsheet(
    settings: Settings,
    *,
    now: Callable[[], datetime] = _utcnow,
    transport: httpx.AsyncBaseTransport | None = None,
    resolver: Resolver = system_resolver,
    migrate: bool = True,
) -> Broadsheet:
    """Open the store named by ``settings`` (migrating it) and build the Broadsheet over it."""
    store = Store.open(settings.resolved_database_url, migrate=migrate)
    return Broadsheet(settings, store, now=now, transport=transport, resolver=resolver)
