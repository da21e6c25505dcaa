"""The worker: claims due sources through the database and keeps ``fetch_concurrency`` of them in
flight, so any number of workers (processes or hosts) share the work.

Each claimed source carries a lease that expires; a worker that dies holds its sources only until
then. A worker started again under the same ``owner`` name takes its leases back at once. Extraction
runs in a process pool when ``extract_processes`` > 0: parsing pages is CPU work that the event loop
must not wait on, and threads would share one core.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import random
import socket
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

import httpx

from broadsheet.config import Settings
from broadsheet.exceptions import StorageError
from broadsheet.storage import Store
from broadsheet.storage.ingestion import IngestStore
from broadsheet.types import ExtractedArticle, FetchReport, Source, SourceFetchResult
from broadsheet.workers.fetch_run import ExtractCall, Extractor, FetchRun, in_thread

__all__ = ["Worker", "default_owner", "extraction"]

log = logging.getLogger(__name__)


def default_owner(prefix: str = "worker") -> str:
    return f"{prefix}@{socket.gethostname()}:{os.getpid()}"


@asynccontextmanager
async def extraction(extractor: Extractor, processes: int) -> AsyncIterator[ExtractCall]:
    """An extraction call: in a pool of ``processes`` (spawned, so no fork of a threaded process),
    or in a thread when ``processes`` is 0."""
    if processes <= 0:
        yield in_thread(extractor)
        return
    pool: Executor = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"))

    async def call(html: str, url: str) -> ExtractedArticle:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(pool, partial(extractor, html, url=url))

    try:
        yield call
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


@dataclass
class Worker:
    """Claims and fetches due sources; ``drain`` runs until nothing is due, else until stopped."""

    store: Store
    client: httpx.AsyncClient
    settings: Settings
    extractor: Extractor
    now: Callable[[], datetime]
    owner: str = field(default_factory=default_owner)
    rng: random.Random = field(default_factory=random.Random)

    async def run(self, *, drain: bool, stop: asyncio.Event | None = None) -> FetchReport:
        ingest = IngestStore(self.store.engine)
        ingest.release_leases(self.owner)  # ours from an earlier life of this worker
        async with extraction(self.extractor, self.settings.extract_processes) as call:
            fetch = FetchRun(
                self.store, self.client, self.settings, self.extractor, self.now, rng=self.rng,
                extract_call=call,
            )  # fmt: skip
            try:
                results = await self._loop(fetch, ingest, drain, stop or asyncio.Event())
            finally:
                ingest.release_leases(self.owner)
        return FetchReport(tuple(results))

    def _claim(self, ingest: IngestStore, free: int) -> list[Source]:
        """Due sources for the free slots; none while the database cannot be reached, so the
        sources in flight still finish and the next tick tries again."""
        now = self.now()
        lease_until = now + timedelta(seconds=self.settings.lease_seconds)
        try:
            return ingest.claim_due_sources(
                owner=self.owner, now=now, lease_until=lease_until, limit=free
            )
        except StorageError as e:
            log.warning("cannot claim sources: %s", e)
            return []

    async def _loop(
        self, fetch: FetchRun, ingest: IngestStore, drain: bool, stop: asyncio.Event
    ) -> list[SourceFetchResult]:
        results: list[SourceFetchResult] = []
        flying: set[asyncio.Task[SourceFetchResult]] = set()
        tick = self.settings.scheduler_tick_seconds
        while True:
            free = self.settings.fetch_concurrency - len(flying)
            if free > 0 and not stop.is_set():
                for source in self._claim(ingest, free):
                    flying.add(asyncio.create_task(fetch.fetch_source(source)))
            if not flying:
                if drain or stop.is_set():
                    return results
                await _wait_or_stop(stop, tick)
                continue
            done, flying = await asyncio.wait(
                flying, timeout=None if drain else tick, return_when=asyncio.FIRST_COMPLETED
            )
            for task in done:
                _log_result(task.result())
                if drain:  # a worker that runs for days keeps no list of what it did
                    results.append(task.result())


def _log_result(result: SourceFetchResult) -> None:
    if result.ok:
        log.info("fetched %s: %d new, %d updated", result.url, result.new_articles,
                 result.updated_articles)  # fmt: skip
    else:
        log.info("failed %s: %s", result.url, result.error)


async def _wait_or_stop(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
