"""In-process CPU time per request for home, story, article and search: the load-independent
figure to judge changes by while the machine is shared (wall-clock latency needs quiet cores).

    uv run python benchmarks/web_cpu.py --database sqlite:///tmp/bench.sqlite3 --requests 300

Requests go through the whole ASGI app (middleware, routing, templates) over an in-memory
transport, one at a time, after a warm-up pass over the same addresses.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time

import httpx
from sqlalchemy import func, select
from web_data import WORDS

from broadsheet.config import load_settings
from broadsheet.core import make_broadsheet
from broadsheet.storage.schema import articles, stories
from broadsheet.web.app import create_app


def paths(kind: str, n: int, n_articles: int, n_stories: int, rng: random.Random) -> list[str]:
    """``n`` addresses of one page kind, spread over many stories and articles."""
    if kind == "home":
        return ["/"] * n
    if kind == "story":
        return [f"/stories/{rng.randint(1, n_stories)}" for _ in range(n)]
    if kind == "article":
        return [f"/articles/{rng.randint(1, n_articles)}" for _ in range(n)]
    return [f"/search?q={search_words(rng)}" for _ in range(n)]


def search_words(rng: random.Random) -> str:
    """One or two words of middling frequency, as people search for names and topics."""
    return "+".join(rng.choice(WORDS[50:1500]) for _ in range(rng.randint(1, 2)))


async def cpu_ms(client: httpx.AsyncClient, addresses: list[str]) -> float:
    started = time.process_time()
    for address in addresses:
        response = await client.get(address)
        assert response.status_code == 200, (address, response.status_code)
    return (time.process_time() - started) * 1000 / len(addresses)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--pages", default="home,story,article,search")
    args = parser.parse_args()
    broadsheet = make_broadsheet(load_settings(database_url=args.database), migrate=False)
    with broadsheet.store.engine.connect() as conn:
        n_articles = conn.execute(select(func.max(articles.c.id))).scalar_one()
        n_stories = conn.execute(select(func.max(stories.c.id))).scalar_one()
    transport = httpx.ASGITransport(app=create_app(broadsheet))
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        for kind in args.pages.split(","):
            addresses = paths(kind, args.requests, n_articles, n_stories, random.Random(kind))
            warm = await cpu_ms(client, addresses)
            again = await cpu_ms(client, addresses)
            print(f"{kind}: first pass {warm:.1f} ms CPU a request, second {again:.1f} ms")
    broadsheet.close()


if __name__ == "__main__":
    asyncio.run(main())
