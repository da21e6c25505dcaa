"""Crash safety: a worker killed with SIGKILL mid-run and started again ends with every article
stored once, and nothing stored before the kill is lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from broadsheet.storage import Store
from tests.localserver import LocalServer, Reply
from tests.site import article_page

FEEDS, ITEMS = 4, 8


def slow_site(server: LocalServer) -> None:
    """Feeds whose article pages take a while, so a kill lands in the middle of a run."""
    base = server.url("").rstrip("/")
    for n in range(FEEDS):
        items = ""
        for i in range(ITEMS):
            slug, title = f"{n}-{i}", f"Report {i} from desk {n}"
            text = f"Desk {n} files report {i}. " + f"It adds detail {n}.{i} to the record. " * 8
            page = article_page(slug, title, text)

            def route(handler: Any, page: bytes = page) -> Reply:
                time.sleep(0.15)
                return Reply(page, headers={"Content-Type": "text/html"})

            server.routes[f"/a/{slug}"] = route
            items += f"<item><title>{title}</title><link>{base}/a/{slug}</link></item>"
        server.routes[f"/feed-{n}.xml"] = Reply(
            f'<rss version="2.0"><channel><title>Desk {n}</title>{items}</channel></rss>'.encode(),
            headers={"Content-Type": "application/rss+xml"},
        )


def start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "broadsheet.cli", "worker", "--id", "durable"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def wait_for(condition: Callable[[], bool], what: str, limit: float = 90) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.1)


def article_ids(store: Store) -> set[int]:
    return {a.id for a in store.iter_articles()}


def test_a_worker_killed_mid_run_loses_nothing_and_duplicates_nothing(
    server: LocalServer, tmp_path: Path
) -> None:
    # SQLite, the default; the same transactions run on PostgreSQL (see test_worker.py), and two
    # worker processes starting cost half a minute of a loaded two-core test run.
    database_url = f"sqlite:///{tmp_path / 'durable.sqlite3'}"
    slow_site(server)
    store = Store.open(database_url)
    for n in range(FEEDS):
        store.add_source(server.url(f"/feed-{n}.xml"), now=_now())
    env = {
        **os.environ, "BROADSHEET_DATABASE_URL": database_url,
        "BROADSHEET_DATA_DIR": str(tmp_path), "BROADSHEET_ALLOW_NETWORKS": "127.0.0.0/8",
        "BROADSHEET_SCHEDULER_TICK_SECONDS": "0.2",
    }  # fmt: skip

    first = start_worker(env)
    wait_for(lambda: store.count_articles() >= 5, "the first articles")
    first.send_signal(signal.SIGKILL)
    first.wait()
    before = article_ids(store)
    assert 5 <= len(before) < FEEDS * ITEMS  # killed mid-run

    second = start_worker(env)
    try:
        wait_for(lambda: all(s.last_success_at for s in store.list_sources()), "a full run")
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(30)
    after = article_ids(store)
    assert before <= after
    assert len(after) == store.count_articles() == FEEDS * ITEMS
    urls = [a.url for a in store.iter_articles()]
    assert len(set(urls)) == len(urls)
    store.close()


def _now() -> datetime:
    return datetime.now(UTC)
