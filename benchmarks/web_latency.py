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
from datetime import UTC, datetime
from typing import Any

import httpx
from web_data import WORDS, build

from broadsheet.storage import Store


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
    build(store.engine, args.articles, args.stories, datetime.now(UTC))
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
