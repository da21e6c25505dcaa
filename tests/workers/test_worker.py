"""Workers share the sources through the database: each feed fetched once, every article once."""

from __future__ import annotations

import asyncio
import ipaddress
from datetime import UTC, datetime
from pathlib import Path

from broadsheet.config import Settings
from broadsheet.core import make_broadsheet
from broadsheet.extract import extract
from broadsheet.types import FetchReport
from broadsheet.workers.worker import Worker
from tests.conftest import Clock
from tests.localserver import LocalServer, Reply
from tests.site import article_page

FEEDS = 12


def install_feeds(server: LocalServer, count: int = FEEDS) -> None:
    base = server.url("").rstrip("/")
    for n in range(count):
        items = ""
        for i in range(3):
            slug = f"{n}-{i}"
            title = f"Story {i} of desk {n}"
            text = f"Desk {n} reports item {i}. " + f"Detail sentence {n}.{i} explains more. " * 6
            server.routes[f"/a/{slug}"] = Reply(
                article_page(slug, title, text), headers={"Content-Type": "text/html"}
            )
            items += (
                f"<item><title>{title}</title><link>{base}/a/{slug}</link>"
                f"<pubDate>Fri, 20 Nov 2026 08:0{i}:00 GMT</pubDate></item>"
            )
        server.routes[f"/feed-{n}.xml"] = Reply(
            f'<rss version="2.0"><channel><title>Desk {n}</title>{items}</channel></rss>'.encode(),
            headers={"Content-Type": "application/rss+xml"},
        )


def test_two_workers_share_the_sources_and_store_each_article_once(
    server: LocalServer, database_url: str, tmp_path: Path, clock: Clock
) -> None:
    install_feeds(server)
    settings = Settings(
        data_dir=tmp_path, database_url=database_url, fetch_concurrency=3,
        allow_networks=(ipaddress.ip_network("127.0.0.0/8"),),
    )  # fmt: skip
    bs = make_broadsheet(settings, now=clock)
    for n in range(FEEDS):
        bs.store.add_source(server.url(f"/feed-{n}.xml"), now=clock())

    async def both() -> list[FetchReport]:
        async with bs.client() as client:
            workers = [
                Worker(bs.store, client, settings, extract, clock, owner=name)
                for name in ("w1", "w2")
            ]
            return list(await asyncio.gather(*(w.run(drain=True) for w in workers)))

    reports = asyncio.run(both())
    assert all(r.results for r in reports)  # both did some of the work
    fetched = [result.url for r in reports for result in r.results]
    assert sorted(fetched) == sorted(server.url(f"/feed-{n}.xml") for n in range(FEEDS))
    paths = [path for path, _ in server.requests]
    assert all(paths.count(f"/feed-{n}.xml") == 1 for n in range(FEEDS))
    assert bs.store.count_articles() == 3 * FEEDS
    bs.close()


def test_a_running_worker_stops_when_told(server: LocalServer, tmp_path: Path) -> None:
    install_feeds(server, 2)
    settings = Settings(
        data_dir=tmp_path, scheduler_tick_seconds=0.05,
        allow_networks=(ipaddress.ip_network("127.0.0.0/8"),),
    )  # fmt: skip
    bs = make_broadsheet(settings, now=lambda: datetime.now(UTC))

    async def run_then_stop() -> None:
        stop = asyncio.Event()
        task = asyncio.create_task(bs.run_worker(owner="w", stop=stop))
        while bs.store.count_articles() < 6:
            await asyncio.sleep(0.05)
        stop.set()
        await asyncio.wait_for(task, 10)

    for n in range(2):
        bs.store.add_source(server.url(f"/feed-{n}.xml"), now=datetime.now(UTC))
    asyncio.run(run_then_stop())
    assert all(s.status == "ok" for s in bs.list_sources())
    bs.close()
