"""In-process CPU time per request for home, story, article and search: the load-independent
figure to judge changes by while the machine is shared (wall-clock latency needs quiet cores).

    uv run python benchmarks/web_cpu.py --database sqlite:///tmp/bench.sqlite3 --requests 300

Requests go through the whole ASGI app (middleware, routing, templates) over an in-memory
transport, one at a time, over the addresses ``web_latency`` loads the server with; the first
pass finds caches cold, the second warm. The figure includes the in-memory client's own cost.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time

import httpx
from web_latency import addresses

from broadsheet.config import load_settings
from broadsheet.core import make_broadsheet
from broadsheet.web.app import create_app


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
    broadsheet = make_broadsheet(load_settings(database_url=args.database))
    listed = addresses(broadsheet.store, random.Random(7))
    transport = httpx.ASGITransport(app=create_app(broadsheet))
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        for kind in args.pages.split(","):
            rng = random.Random(kind)
            chosen = [rng.choice(listed[kind]) for _ in range(args.requests)]
            warm = await cpu_ms(client, chosen)
            again = await cpu_ms(client, chosen)
            print(f"{kind}: first pass {warm:.1f} ms CPU a request, second {again:.1f} ms")
    broadsheet.close()


if __name__ == "__main__":
    asyncio.run(main())
