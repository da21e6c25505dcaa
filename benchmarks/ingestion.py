"""Ingestion benchmark: ``broadsheet fetch`` end to end against a local site of many feeds.

A local server (its own process, hand-written on asyncio because ``http.server`` would cost more
CPU than the thing measured) serves FEEDS feeds of ITEMS items each and every article page, spread
over 100 loopback addresses so the per-host cap behaves as with 100 real sites. We run the real
command-line ``broadsheet fetch`` (with N processes side by side on PostgreSQL, sharing the work
through leases) and report sources/s, articles/s and the peak memory of all its processes together;
beside it, extraction alone over the same pages in two processes.

    uv run python benchmarks/ingestion.py [--feeds 1000] [--items 20] [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HOSTS = 100
WORDS = " ".join(
    (
        "the council said on tuesday that a new plan for the harbour would cost more than expected",
        "while residents asked for answers about flooding schools transport budgets and the river",
        "ministers officials reported figures showing growth in jobs housing and energy prices",
    )
).split(" ")


def host(n: int) -> str:
    return f"127.0.0.{n % HOSTS + 1}"


def article(n: int, i: int) -> bytes:
    rng = random.Random(n * 1000 + i)
    paragraphs = "".join(
        "<p>" + " ".join(rng.choice(WORDS) for _ in range(rng.randint(30, 70))).capitalize()
        + f". Desk {n} item {i}.</p>"
        for _ in range(10)
    )  # fmt: skip
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Story {i} of desk {n} | Bench News</title><meta property="og:title" content="Story {i}">
<meta name="author" content="A Writer"><link rel="canonical" href="/a/{n}/{i}"></head>
<body><header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
</header><main><article><h1>Story {i} of desk {n}</h1><p class="byline">By A Writer</p>
{paragraphs}</article>
<aside><h2>Related</h2><ul><li><a href="/x">Other story</a></li></ul></aside></main>
<footer>Copyright Bench News. <a href="/privacy">Privacy</a></footer></body></html>""".encode()


def feed(n: int, items: int, port: int) -> bytes:
    base = f"http://{host(n)}:{port}"
    entries = "".join(
        f"<item><title>Story {i} of desk {n}</title><link>{base}/a/{n}/{i}</link>"
        f"<guid>desk-{n}-{i}</guid><description>Summary of story {i}.</description>"
        f"<pubDate>Fri, 20 Nov 2026 {i % 24:02d}:00:00 GMT</pubDate></item>"
        for i in range(items)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Desk {n}</title>'
        f"<link>{base}/</link>{entries}</channel></rss>"
    ).encode()


# -- the server --------------------------------------------------------------------------------


def answer(path: str, items: int, port: int) -> tuple[int, bytes, str]:
    parts = path.strip("/").split("/")
    if parts[0].startswith("feed-"):
        return 200, feed(int(parts[0][5:-4]), items, port), "application/rss+xml"
    if parts[0] == "a" and len(parts) == 3:
        return 200, article(int(parts[1]), int(parts[2])), "text/html; charset=utf-8"
    return 404, b"not here", "text/plain"


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, items: int,
                 port: int) -> None:  # fmt: skip
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            path = head.split(b" ", 2)[1].decode()
            status, body, kind = answer(path, items, port)
            writer.write(
                f"HTTP/1.1 {status} {'OK' if status == 200 else 'Not Found'}\r\n"
                f"Content-Type: {kind}\r\nContent-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


def serve(port: int, items: int, ready: multiprocessing.synchronize.Event) -> None:
    async def main() -> None:
        hosts = [f"127.0.0.{h + 1}" for h in range(HOSTS)]
        server = await asyncio.start_server(
            lambda r, w: handle(r, w, items, port), hosts, port, backlog=1024
        )
        ready.set()
        await server.serve_forever()

    asyncio.run(main())


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- measuring -------------------------------------------------------------------------------


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants, from /proc."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += next(int(line.split()[1]) * 1024 for line in status.splitlines()
                          if line.startswith("VmRSS:"))  # fmt: skip
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration):
            continue
    return total


def run_fetch(database_url: str, workers: int, data_dir: str) -> tuple[float, int]:
    """Run ``workers`` ``broadsheet fetch`` processes at once; wall seconds and peak memory.

    The clock stops when every process has printed its fetch summary: ``fetch`` then goes on to
    place the new articles in stories, which is not ingestion (see the Stories benchmark).
    """
    env = {
        **os.environ, "BROADSHEET_DATABASE_URL": database_url, "BROADSHEET_DATA_DIR": data_dir,
        "BROADSHEET_ALLOW_NETWORKS": "127.0.0.0/8",
        "BROADSHEET_EXTRACT_PROCESSES": str(max(1, 2 // workers)),
    }  # fmt: skip
    command = [sys.executable, "-m", "broadsheet.cli", "fetch"]
    start = time.perf_counter()
    procs = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(workers)
    ]
    done = [threading.Event() for _ in procs]
    for proc, event in zip(procs, done, strict=True):
        threading.Thread(target=_watch_summary, args=(proc, event), daemon=True).start()
    peak = 0
    while not all(event.is_set() for event in done):
        peak = max(peak, sum(tree_rss(p.pid) for p in procs))
        time.sleep(0.2)
    seconds = time.perf_counter() - start
    for proc in procs:
        proc.terminate()
        proc.wait()
    return seconds, peak


def _watch_summary(proc: subprocess.Popen[str], event: threading.Event) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("sources ok:"):
            break
    event.set()


def prepare(database_url: str, feeds: int, port: int) -> None:
    from datetime import UTC, datetime

    from broadsheet.storage import Store

    store = Store.open(database_url)
    now = datetime.now(UTC)
    for n in range(feeds):
        store.add_source(f"http://{host(n)}:{port}/feed-{n}.xml", now=now)
    store.close()


def count(database_url: str) -> int:
    from broadsheet.storage import Store

    store = Store.open(database_url, migrate=False)
    try:
        return store.count_articles()
    finally:
        store.close()


def new_postgres(admin_url: str) -> str:
    import psycopg

    name = f"broadsheet_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + "/" + name


def drop_postgres(admin_url: str, url: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def extract_one(job: tuple[bytes, str]) -> int:
    from broadsheet.exceptions import ExtractionError
    from broadsheet.extract import extract
    from broadsheet.ingest.charset import decode_page

    try:
        return len(extract(decode_page(job[0], "text/html"), url=job[1]).text)
    except ExtractionError:
        return 0


def extraction_alone(feeds: int, items: int, processes: int = 2) -> float:
    """Pages per second extracting the same pages with ``processes`` processes."""
    jobs = [(article(n, i), f"http://{host(n)}/a/{n}/{i}") for n in range(feeds)
            for i in range(items)]  # fmt: skip
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(processes, mp_context=context) as pool:
        list(pool.map(extract_one, jobs[: processes * 4]))  # start-up and imports, not measured
        start = time.perf_counter()
        list(pool.map(extract_one, jobs, chunksize=64))
        return len(jobs) / (time.perf_counter() - start)


def row(label: str, feeds: int, articles: int, seconds: float, peak: int) -> str:
    return (f"| {label} | {feeds / seconds:.1f} | {articles / seconds:.1f} | "
            f"{peak / 2**20:.0f} MiB | {articles} | {seconds:.0f} s |")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--workers", default="1,2,4", help="PostgreSQL worker counts")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()

    port = free_port()
    ready = multiprocessing.get_context("spawn").Event()
    server = multiprocessing.get_context("spawn").Process(
        target=serve, args=(port, args.items, ready), daemon=True
    )
    server.start()
    ready.wait(30)
    rows = ["| run | sources/s | articles/s | peak memory | articles stored | wall |",
            "| --- | ---: | ---: | ---: | ---: | ---: |"]  # fmt: skip
    try:
        with tempfile.TemporaryDirectory() as tmp:
            if not args.skip_sqlite:
                url = f"sqlite:///{tmp}/bench.sqlite3"
                prepare(url, args.feeds, port)
                seconds, peak = run_fetch(url, 1, tmp)
                label = "`broadsheet fetch`, SQLite"
                rows.append(row(label, args.feeds, count(url), seconds, peak))
                print(rows[-1], flush=True)
            for workers in [int(w) for w in args.workers.split(",") if w]:
                url = new_postgres(args.postgres)
                try:
                    prepare(url, args.feeds, port)
                    seconds, peak = run_fetch(url, workers, tmp)
                    label = f"PostgreSQL, {workers} worker{'s' if workers > 1 else ''}"
                    rows.append(row(label, args.feeds, count(url), seconds, peak))
                    print(rows[-1], flush=True)
                finally:
                    drop_postgres(args.postgres, url)
        rate = extraction_alone(args.feeds, args.items)
        rows.append(f"| extraction alone, 2 processes | | {rate:.1f} | | | |")
        print(rows[-1], flush=True)
    finally:
        server.terminate()
    print("\n".join(rows))


if __name__ == "__main__":
    main()
