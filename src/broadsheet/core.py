"""The Broadsheet object: the one API that the CLI, the web app and the workers call."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import httpx

from broadsheet.accounts import Accounts, SmtpMailer
from broadsheet.config import Settings
from broadsheet.exceptions import BroadsheetError
from broadsheet.ingest.fetch import FetchResponse, fetch_url, make_client
from broadsheet.ingest.guard import Resolver, system_resolver
from broadsheet.ingest.opml import ImportResult
from broadsheet.storage import Store
from broadsheet.storage.ingestion import IngestStore, SourceSettings
from broadsheet.types import Article, FetchReport, Source, StoryCard, StoryCoverage

if TYPE_CHECKING:
    from broadsheet.coverage import ArticleContext, StoryReader
    from broadsheet.for_you import ForYou
    from broadsheet.membership.service import Memberships

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
    _labeller: Any = field(default=None, repr=False)
    _analysed_since: datetime | None = field(default=None, repr=False)

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
        from broadsheet.ingest.discovery import find_feeds

        async def fetch(address: str) -> FetchResponse:
            return await fetch_url(
                client, address, max_bytes=self.settings.max_body_bytes,
                total_timeout=self.settings.total_timeout,
                max_download_bytes=self.settings.max_download_bytes,
            )  # fmt: skip

        return await find_feeds(fetch, url)

    def list_sources(self) -> list[Source]:
        return self.store.list_sources()

    def get_source(self, source_id: int) -> Source:
        return self.store.get_source(source_id)

    # -- fetching ------------------------------------------------------------------------------

    async def fetch_due(
        self, *, all_sources: bool = False, owner: str | None = None
    ) -> FetchReport:
        """Fetch every due source once (or every unpaused source) and store new articles.

        Sources are claimed through leases, so a worker running beside this never fetches the
        same source at the same time.
        """
        from broadsheet.workers.worker import default_owner

        if all_sources:
            self.ingest.make_all_due(self.now())
        return await self._run_worker(owner or default_owner("fetch"), drain=True)

    async def run_worker(
        self, *, owner: str | None = None, stop: asyncio.Event | None = None
    ) -> None:
        """Fetch due sources until ``stop`` is set: ``broadsheet worker`` and ``serve``."""
        from broadsheet.workers.worker import default_owner

        await self._run_worker(owner or default_owner(), drain=False, stop=stop)

    async def _run_worker(
        self, owner: str, *, drain: bool, stop: asyncio.Event | None = None
    ) -> FetchReport:
        from broadsheet.extract import extract
        from broadsheet.workers.worker import Worker

        async with self.client() as client:
            worker = Worker(self.store, client, self.settings, extract, self.now, owner=owner)
            return await worker.run(drain=drain, stop=stop)

    # -- source settings, health, OPML ---------------------------------------------------------

    @property
    def ingest(self) -> IngestStore:
        return IngestStore(self.store.engine)

    def retry_source(self, source_id: int) -> Source:
        """Unpause a source and fetch it at the next chance."""
        return self.ingest.retry_source(source_id, now=self.now())

    def update_source(self, source_id: int, settings: SourceSettings) -> Source:
        return self.ingest.update_settings(source_id, settings, now=self.now())

    async def import_opml(
        self, document: bytes, *, progress: Callable[[ImportResult], None] | None = None
    ) -> list[ImportResult]:
        """Add every feed of an OPML document; each entry has its own result, none stops others."""
        from broadsheet.ingest.opml import import_entries, parse_opml

        async with self.client() as client:
            return await import_entries(
                parse_opml(document), add=self._importer(client), progress=progress,
                concurrency=self.settings.fetch_concurrency,
            )  # fmt: skip

    def _importer(self, client: httpx.AsyncClient) -> Callable[..., Awaitable[Source]]:
        async def add(url: str, title: str | None, category: str | None, discover: bool) -> Source:
            if discover:
                url, found_title = (await self._feeds_at(client, url))[0]
                title = title or found_title
            source, created = self.store.add_source(url, now=self.now(), title=title)
            if created and category:
                self.ingest.set_category(source.id, category)
                source = self.store.get_source(source.id)
            return source

        return add

    def export_opml(self) -> bytes:
        from broadsheet.ingest.opml import render_opml

        return render_opml(self.store.list_sources())

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

    def expire_articles(self) -> int:
        """Remove the articles past their source's retention (or the site-wide ``retention_days``;
        saved articles stay); returns how many."""
        return self.store.retention.expire(
            now=self.now(), default_days=self.settings.retention_days
        )

    def label_articles(self, *, limit: int = 500) -> int:
        """Give every stored article without them its sections and named entities (for topic
        pages and follows); returns how many were labelled."""
        from broadsheet.workers.label_run import default_labeller, label_pending

        if self._assigner is not None and not self._assigner.lead.acquire():
            return 0  # another process leads the story stage, and labels with it
        if self._labeller is None:
            if not self.store.labels.pending(limit=1):
                return 0  # nothing to label: the model (seconds to load) can wait
            self._labeller = default_labeller()
        return label_pending(self.store, self._labeller, limit=limit)

    def analyse_stories(self, *, limit: int = 100) -> int:
        """Keep the text analysis (summary, names, what each outlet adds) of up to ``limit``
        stories changed since the last call, oldest change first, so that a story page opens
        without making it; returns how many were analysed. The first call looks back a day."""
        if self._assigner is not None and not self._assigner.lead.acquire():
            return 0  # another process leads the story stage, and analyses with it
        since = self._analysed_since or self.now() - timedelta(days=1)
        done, self._analysed_since = self.story_reader.analyse_changed(
            since, now=self.now(), limit=limit
        )
        return done

    def top_stories(self, *, limit: int = 20) -> list[StoryCard]:
        from broadsheet.coverage import top_story_cards

        standing = self.store.curation.standings()  # editors' weights for each source
        return top_story_cards(self.store, now=self.now(), limit=limit, standing=standing)

    def story_coverage(self, story_id: int) -> StoryCoverage:
        return self.story_reader.story_coverage(story_id, now=self.now())

    def article_context(self, article_id: int) -> ArticleContext:
        """The article's story, syndicated copies and related stories, for the reading view."""
        return self.story_reader.article_context(article_id, now=self.now())

    @property
    def story_reader(self) -> StoryReader:
        """Story pages' reading side, with its caches (one a process)."""
        reader: StoryReader | None = self.__dict__.get("_story_reader")
        if reader is None:
            from broadsheet.coverage import StoryReader

            reader = StoryReader(self.store)
            self.__dict__["_story_reader"] = reader
        return reader

    def close(self) -> None:
        if not self._closed:
            if self._assigner is not None:
                self._assigner.lead.release()
            self.store.close()
            self._closed = True

    # -- the reader ----------------------------------------------------------------------------

    @property
    def accounts(self) -> Accounts:
        """Sign-up, sign-in, sessions and resets; mail goes out through SMTP when configured."""
        accounts: Accounts | None = self.__dict__.get("_accounts")
        if accounts is None:
            mailer = SmtpMailer(self.settings) if self.settings.smtp_host else None
            accounts = Accounts(self.store, self.settings, self.now, mailer)
            self.__dict__["_accounts"] = accounts
        return accounts

    @property
    def membership(self) -> Memberships:
        """Plans, the paywall's decisions, grants and the reading ledger (all open while
        ``membership_enabled`` is off)."""
        from broadsheet.membership.service import Memberships

        return Memberships(self.store, self.settings, self.now)

    @property
    def for_you(self) -> ForYou:
        """For you pages and the signals they learn from (one warm candidate index a process)."""
        service: ForYou | None = self.__dict__.get("_for_you")
        if service is None:
            from broadsheet.for_you import ForYou

            service = ForYou(self.store, now=self.now)
            self.__dict__["_for_you"] = service
        return service


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
