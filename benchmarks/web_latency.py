"""Web latency: p50/p95/p99 and requests/s for home, story, article and search under 50 concurrent
clients, on SQLite or PostgreSQL, over synthetic articles and stories (``web_data``).

    uv run python benchmarks/web_latency.py --database sqlite:///tmp/bench.sqlite3 \
        --articles 1000000 --stories 100000

The load generator is Debian's ``wrk`` with ``web_paths.lua``: each request picks one of many
addresses of the page kind (stories and articles of the last days, middling search words). Each
page is run twice after a warm-up: as fast as the server answers (closed loop: 50 connections,
each sending its next request on the last answer) and paced near ``--rate`` requests a second
(each connection waits a random pause first), which is the goal's "p99 at 300 requests/s" (50 a
second for search, which costs several times as much). The
server is uvicorn with ``--workers`` processes on this machine, so wrk takes its share of the same
cores. The data set is made once per database; re-runs reuse it.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from web_data import WORDS, build

from broadsheet.storage import Store
from broadsheet.storage.schema import stories, story_articles

HERE = Path(__file__).parent
STORY_PATHS = 2000  # recent stories that readers open (each process keeps 2,048 story pages)
ARTICLE_PATHS = 10_000


@dataclass(frozen=True)
class Run:
    """One wrk run's figures."""

    requests: int
    seconds: float
    p50: float
    p95: float
    p99: float
    errors: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def cells(self) -> str:
        return (f"{self.p50:.1f} | {self.p95:.1f} | {self.p99:.1f} | {self.rate:.0f} | "
                f"{self.errors}")  # fmt: skip


def wrk(base: str, paths: Path, *, seconds: float, connections: int, pause_ms: float = 0) -> Run:
    """Run wrk over the addresses in ``paths`` and read its figures."""
    script = str(HERE / "web_paths.lua")
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds:.0f}s", "--timeout", "10s",
               "-s", script, base, "--", str(paths), str(pause_ms)]  # fmt: skip
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    found = re.search(
        r"RESULT requests=(\d+) seconds=([\d.]+) p50=([\d.]+) p95=([\d.]+) p99=([\d.]+) "
        r"errors=(\d+)", out,
    )  # fmt: skip
    if found is None:
        raise RuntimeError(f"wrk said: {out}")
    n, secs, p50, p95, p99, errors = found.groups()
    return Run(int(n), float(secs), float(p50), float(p95), float(p99), int(errors))


def addresses(store: Store, rng: random.Random) -> dict[str, list[str]]:
    """Addresses per page kind: home; stories of the data's last two days; articles of those
    stories; searches. The same on every run over the same data."""
    with store.engine.connect() as conn:
        latest = conn.execute(select(func.max(stories.c.last_published))).scalar_one()
        recent = select(stories.c.id).where(stories.c.last_published >= latest - timedelta(days=2))
        story_ids = rng.sample(sorted(r.id for r in conn.execute(recent)), STORY_PATHS)
        members = select(story_articles.c.article_id).where(
            story_articles.c.story_id.in_(story_ids)
        )
        article_ids = sorted(r.article_id for r in conn.execute(members))
    return {
        "home": ["/"],
        "story": [f"/stories/{i}" for i in story_ids],
        "article": [f"/articles/{i}" for i in rng.sample(article_ids, ARTICLE_PATHS)],
        "search": [f"/search?q={_query(rng)}" for _ in range(2000)],
    }


def _query(rng: random.Random) -> str:
    """One or two words of middling frequency, as people search for names and topics."""
    return "+".join(rng.choice(WORDS[50:1500]) for _ in range(rng.randint(1, 2)))


def warm(store: Store) -> None:
    """Read the whole database into the system's file cache first, as a server that has run for
    a while holds it: the SQLite and PostgreSQL copies do not both fit beside each other, so the
    one measured second found its pages evicted by the first (search then waited on the disk)."""
    if store.engine.dialect.name == "postgresql":
        with store.engine.begin() as conn:  # pg_prewarm ships with PostgreSQL (contrib)
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
            conn.exec_driver_sql(
                "SELECT pg_prewarm(c.oid::regclass, 'read') FROM pg_class c JOIN pg_namespace n "
                "ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i', 't')"
            )
        return
    database = store.engine.url.database
    with open(database or "", "rb") as handle:
        while handle.read(1 << 24):
            pass


def analyse_stories(database: str, story_paths: list[str]) -> None:
    """What the story stage leaves behind for each story it changes: its text analysis, kept in
    the database (done here in one pass, as a day of assignments would have)."""
    from broadsheet.config import load_settings
    from broadsheet.core import make_broadsheet

    broadsheet = make_broadsheet(load_settings(database_url=database), migrate=False)
    for path in story_paths:
        broadsheet.story_coverage(int(path.rsplit("/", 1)[1]))
    broadsheet.close()


def app_factory() -> Any:
    """For ``uvicorn --factory``: the app over BENCH_DATABASE_URL as ``serve`` makes it, without
    background fetching."""
    from broadsheet.config import load_settings
    from broadsheet.core import make_broadsheet
    from broadsheet.web.app import create_app
    from broadsheet.web.home import in_a_thread

    settings = load_settings(database_url=os.environ["BENCH_DATABASE_URL"])
    return create_app(make_broadsheet(settings, migrate=False), refresh_home=in_a_thread)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=30)
    parser.add_argument("--rate", type=float, default=300, help="paced run's target requests/s")
    parser.add_argument("--search-rate", type=float, default=50, help="the same for search")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--pages", default="home,story,article,search")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")

    store = Store.open(args.database)
    started = time.perf_counter()
    build(store.engine, args.articles, args.stories, datetime.now(UTC))
    print(f"data ready in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    paths = addresses(store, random.Random(7))
    warm(store)
    store.close()
    analyse_stories(args.database, paths["story"])
    # What else runs on these cores (this run's own server and wrk count only once it starts).
    print("load average before the run: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    with _server(args) as base, tempfile.TemporaryDirectory() as folder:
        print("| page | run | p50 ms | p95 ms | p99 ms | requests/s | errors |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for name in args.pages.split(","):
            listed = Path(folder) / f"{name}.txt"
            listed.write_text("\n".join(paths[name]) + "\n")
            _measure(base, name, listed, args)


def _measure(base: str, name: str, listed: Path, args: argparse.Namespace) -> None:
    # Warm-up: each process fills its caches (a story's page is made once per process and state).
    wrk(base, listed, seconds=args.warmup, connections=args.connections)
    flat_out = wrk(base, listed, seconds=args.seconds, connections=args.connections)
    print(f"| {name} | as fast as served | {flat_out.cells()} |", flush=True)
    rate = args.search_rate if name == "search" else args.rate
    pause = 1000 * args.connections / rate
    paced = wrk(base, listed, seconds=args.seconds, connections=args.connections, pause_ms=pause)
    print(f"| {name} | paced at {rate:.0f}/s | {paced.cells()} |", flush=True)


class _server:
    """uvicorn with ``--workers`` processes over the database, for the length of a ``with``."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> str:
        env = {**os.environ, "BENCH_DATABASE_URL": self.args.database, "PYTHONPATH": str(HERE)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "web_latency:app_factory",
             "--port", str(self.args.port), "--workers", str(self.args.workers),
             "--log-level", "warning", "--no-access-log"],
            env=env,
        )  # fmt: skip
        base = f"http://127.0.0.1:{self.args.port}"
        _wait_for(base)
        return base

    def __exit__(self, *exc: object) -> None:
        assert self.process is not None
        self.process.terminate()
        self.process.wait(timeout=30)


def _wait_for(base: str) -> None:
    for _ in range(600):
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start")


if __name__ == "__main__":
    main()
