"""robots.txt for article pages, fetched once per host and kept for a while.

Rules are read by the standard library's ``urllib.robotparser``; only the fetching (through our
guarded client, with caps) and the caching are ours. Following RFC 9309: a robots.txt that is
missing (4xx) allows everything; one that cannot be fetched (5xx, network failure) allows nothing
until it can.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from broadsheet.exceptions import FetchError
from broadsheet.ingest.fetch import HTTPStatusError, fetch_url
from broadsheet.ingest.throttle import Throttle

__all__ = ["RobotsCache"]

log = logging.getLogger(__name__)
ROBOTS_MAX_BYTES = 512 * 1024


class RobotsCache:
    """Answers "may we fetch this page?" for one user agent, one fetch of robots.txt per host."""

    def __init__(
        self, client: httpx.AsyncClient, *, user_agent: str, now: Callable[[], datetime],
        ttl: timedelta = timedelta(hours=24), timeout: float = 10.0,
        throttle: Throttle | None = None,
    ) -> None:  # fmt: skip
        self._client = client
        self._agent = user_agent.split("/", 1)[0]
        self._now = now
        self._ttl = ttl
        self._timeout = timeout
        self._throttle = throttle
        self._rules: dict[str, tuple[datetime, RobotFileParser | bool]] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        async with self._locks.setdefault(origin, asyncio.Lock()):
            cached = self._rules.get(origin)
            if cached is None or cached[0] <= self._now():
                cached = (self._now() + self._ttl, await self._load(origin))
                self._rules[origin] = cached
        rules = cached[1]
        return rules if isinstance(rules, bool) else rules.can_fetch(self._agent, url)

    async def _load(self, origin: str) -> RobotFileParser | bool:
        """The rules, or ``True``/``False`` for "everything allowed"/"nothing allowed"."""
        try:
            response = await fetch_url(
                self._client, origin + "/robots.txt", max_bytes=ROBOTS_MAX_BYTES,
                total_timeout=self._timeout, accept="text/plain", throttle=self._throttle,
            )  # fmt: skip
        except HTTPStatusError as e:
            return 400 <= e.status < 500 and e.status != 429
        except FetchError as e:
            log.info("robots.txt unreachable", extra={"origin": origin, "reason": str(e)})
            return False
        rules = RobotFileParser()
        rules.parse(response.content.decode("utf-8", errors="replace").splitlines())
        return rules
