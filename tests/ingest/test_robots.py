"""robots.txt: fetched once per host, its rules applied to article pages, RFC 9309 on failures."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from broadsheet.ingest.fetch import make_client
from broadsheet.ingest.robots import RobotsCache
from tests.conftest import Clock
from tests.ingest.test_fetch import LOOPBACK
from tests.localserver import LocalServer, Reply

RULES = b"User-agent: *\nDisallow: /private/\n\nUser-agent: Broadsheet\nDisallow: /members/\n"


def ask(server: LocalServer, clock: Clock, paths: list[str], advance: float = 0) -> list[bool]:
    async def go() -> list[bool]:
        async with make_client(LOOPBACK) as client:
            robots = RobotsCache(client, user_agent="Broadsheet/0.1 (+x)", now=clock,
                                 ttl=timedelta(hours=1))  # fmt: skip
            answers = [await robots.allowed(server.url(p)) for p in paths]
            clock.advance(seconds=advance)
            answers.append(await robots.allowed(server.url(paths[0])))
            return answers

    return asyncio.run(go())


def test_rules_for_our_agent_apply_and_are_fetched_once(server: LocalServer, clock: Clock) -> None:
    server.routes["/robots.txt"] = Reply(RULES, headers={"Content-Type": "text/plain"})
    answers = ask(server, clock, ["/news/1", "/members/2", "/private/3"])
    assert answers == [True, False, True, True]  # our own group replaces the * group
    assert [p for p, _ in server.requests].count("/robots.txt") == 1


def test_cached_rules_expire(server: LocalServer, clock: Clock) -> None:
    server.routes["/robots.txt"] = Reply(RULES)
    ask(server, clock, ["/news/1"], advance=7200)
    assert [p for p, _ in server.requests].count("/robots.txt") == 2


def test_missing_robots_allows_all_and_failing_robots_allows_nothing(
    server: LocalServer, clock: Clock
) -> None:
    assert ask(server, clock, ["/news/1"]) == [True, True]  # 404
    server.routes["/robots.txt"] = Reply(b"", 503)
    assert ask(server, clock, ["/news/1"]) == [False, False]
