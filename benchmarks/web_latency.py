"""Web latency: p50/p99 and requests/s for home, story, article and search under concurrent
clients, on SQLite or PostgreSQL, over synthetic articles and stories.

    uv run python benchmarks/web_latency.py --database sqlite:///tmp/bench.sqlite3 \
        --articles 100000 --stories 10000 --clients 50 --seconds 15

The data set is made once per database (re-runs reuse it). The server is uvicorn with ``--workers``
processes on this machine; the load generator runs here too, so it takes its share of the cores.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import func, insert, select

from broadsheet.storage import Store
from broadsheet.storage.schema import articles, sources, stories, story_articles

SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ra",
    "ten",
    "su",
    "vo",
    "ne",
    "ba",
    "ri",
    "do",
    "pel",
    "an",
    "tor",
    "is",
    "mu",
    "gra",
    "fe",
    "li",
    "os",
]


def _vocabulary(size: int = 4000) -> list[str]:
    """Pseudo-words, most common first: text drawn from them follows a Zipf-like law, so a
    query's selectivity resembles that of real news text."""
    rng = random.Random(0)
    words: dict[str, None] = {}
    while len(words) < size:
        words["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))] = None
    return list(words)


WORDS = _vocabulary()
WEIGHTS = [1 / (rank + 1) for rank in range(len(WORDS))]
BATCH = 5000


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choices(WORDS, WEIGHTS, k=n)).capitalize() + "."


def build(store: Store, n_articles: int, n_stories: int, now: datetime, seed: int = 1) -> None:
    """Synthetic sources, articles (≈150 words each) and stories, unless already there."""
    with store.engine.connect() as conn:
        if conn.execute(select(func.count()).select_from(articles)).scalar_one() >= n_articles:
            return
    rng = random.Random(seed)
    with store.engine.begin() as conn:
        conn.execute(insert(sources), [
            {"url": f"https://outlet{i}.example/feed", "title": f"Outlet {i}", "created_at": now}
            for i in range(200)
        ])  # fmt: skip
        conn.execute(insert(stories), [
            {"headline": _text(rng, 8), "created_at": now, "updated_at": now}
            for _ in range(n_stories)
        ])  # fmt: skip
    for start in range(0, n_articles, BATCH):
        _insert_batch(store, rng, range(start, min(start + BATCH, n_articles)), n_stories, now)
        print(f"  {min(start + BATCH, n_articles)} articles", file=sys.stderr, flush=True)
    _story_stats(store)
    with store.engine.begin() as conn:  # planner statistics, as autovacuum would gather them
        conn.exec_driver_sql("ANALYZE")


def _insert_batch(
    store: Store, rng: random.Random, ids: range, n_stories: int, now: datetime
) -> None:
    rows, members = [], []
    for i in ids:
        body = _text(rng, 150)
        when = now - timedelta(seconds=rng.randint(0, 30 * 86400))
        rows.append({
            "id": i + 1, "url": f"https://outlet{i % 200}.example/a/{i}", "source_id": i % 200 + 1,
            "title": _text(rng, 9), "authors": [{"name": f"Reporter {i % 997}"}],
            "published": when, "html": f"<p>{body}</p>", "text": body, "text_hash": f"{i:064x}",
            "word_count": 150, "created_at": now, "language": "en", "section": "world",
        })  # fmt: skip
        members.append({"article_id": i + 1, "story_id": i % n_stories + 1, "assigned_at": now})
    with store.engine.begin() as conn:
        conn.execute(insert(articles), rows)
        conn.execute(insert(story_articles), members)


def _story_stats(store: Store) -> None:
    sa, a = story_articles, articles
    stats = (
        select(sa.c.story_id, func.count().label("n"),
               func.count(func.distinct(a.c.source_id)).label("outlets"),
               func.min(a.c.published).label("first"), func.max(a.c.published).label("last"))
        .join(a, a.c.id == sa.c.article_id).group_by(sa.c.story_id)
    )  # fmt: skip
    with store.engine.begin() as conn:
        for row in conn.execute(stats).all():
            conn.execute(stories.update().where(stories.c.id == row.story_id).values(
                article_count=row.n, outlet_count=row.outlets, first_published=row.first,
                last_published=row.last,
            ))  # fmt: skip


@dataclass
class Result:
    name: str
    latencies: list[float]
    errors: int
    seconds: float

    def row(self) -> str:
        ms = sorted(x * 1000 for x in self.latencies)
        q = statistics.quantiles(ms, n=100) if len(ms) > 1 else [ms[0]] * 99
        rps = len(ms) / self.seconds
        return (f"| {self.name} | {q[49]:.0f} | {q[94]:.0f} | {q[98]:.0f} | {rps:.0f} | "
                f"{self.errors} |")  # fmt: skip


async def load(base: str, name: str, paths: list[str], clients: int, seconds: float) -> Result:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    rng = random.Random(name)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client_loop(client: httpx.AsyncClient) -> None:
        nonlocal errors
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            response = await client.get(rng.choice(paths))
            latencies.append(time.perf_counter() - started)
            errors += response.status_code != 200

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        await asyncio.gather(*(client_loop(client) for _ in range(clients)))
    return Result(name, latencies, errors, seconds)


def app_factory() -> Any:
    """For ``uvicorn --factory``: the app over BENCH_DATABASE_URL, no background fetching."""
    from broadsheet.config import load_settings
    from broadsheet.core import make_broadsheet
    from broadsheet.web.app import create_app

    settings = load_settings(database_url=os.environ["BENCH_DATABASE_URL"])
    return create_app(make_broadsheet(settings, migrate=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()

    store = Store.open(args.database)
    started = time.perf_counter()
    build(store, args.articles, args.stories, datetime.now(UTC))
    print(f"data ready in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    store.close()
    env = {**os.environ, "BENCH_DATABASE_URL": args.database, "PYTHONPATH": "benchmarks"}
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "web_latency:app_factory",
         "--port", str(args.port), "--workers", str(args.workers), "--log-level", "warning"],
        env=env,
    )  # fmt: skip
    try:
        asyncio.run(_measure(args))
    finally:
        server.terminate()
        server.wait(timeout=30)


async def _measure(args: argparse.Namespace) -> None:
    base = f"http://127.0.0.1:{args.port}"
    await _wait_for(base)
    rng = random.Random(7)
    cases = {
        "home": ["/"],
        "story": [f"/stories/{rng.randint(1, args.stories)}" for _ in range(2000)],
        "article": [f"/articles/{rng.randint(1, args.articles)}" for _ in range(2000)],
        "search": [f"/search?q={_query(rng)}" for _ in range(2000)],
    }
    print("| page | p50 ms | p95 ms | p99 ms | requests/s | errors |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, paths in cases.items():
        await load(base, name, paths[:50], 4, 2)  # warm up
        print((await load(base, name, paths, args.clients, args.seconds)).row(), flush=True)


def _query(rng: random.Random) -> str:
    """One or two words of middling frequency, as people search for names and topics."""
    return "+".join(rng.choice(WORDS[50:1500]) for _ in range(rng.randint(1, 2)))


async def _wait_for(base: str) -> None:
    async with httpx.AsyncClient(base_url=base) as client:
        for _ in range(600):
            try:
                if (await client.get("/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                await asyncio.sleep(0.1)
    raise RuntimeError("the server did not start")


if __name__ == "__main__":
    main()
