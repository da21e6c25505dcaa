"""Politeness: how many requests run at once, overall and per host; which hosts asked us to wait.

A host that answers 429 or 503 with ``Retry-After`` is held until then: later requests to it in the
same process fail at once instead of knocking again. The clock is a parameter.
"""

from __future__ import annotations

import asyncio
import email.utils
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from broadsheet.exceptions import FetchError

__all__ = ["MAX_HOLD", "Throttle", "retry_after_until"]

MAX_HOLD = timedelta(days=1)


def retry_after_until(value: str | None, now: datetime) -> datetime | None:
    """When a ``Retry-After`` header (seconds or an HTTP date) says to come back, at most a day."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return now + min(timedelta(seconds=int(value)), MAX_HOLD)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    return min(max(when, now), now + MAX_HOLD)


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


class Throttle:
    """An overall cap on concurrent requests, a cap per host, and holds on hosts that said wait."""

    def __init__(self, *, total: int, per_host: int, now: Callable[[], datetime]) -> None:
        self._total = asyncio.Semaphore(total)
        self._per_host = per_host
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._held: dict[str, datetime] = {}
        self._now = now

    @asynccontextmanager
    async def slot(self, url: str) -> AsyncIterator[None]:
        """Wait for room on ``url``'s host and overall; fail at once if the host said wait."""
        host = host_of(url)
        self.check(host)
        gate = self._hosts.setdefault(host, asyncio.Semaphore(self._per_host))
        async with gate, self._total:
            self.check(host)
            yield

    def check(self, host: str) -> None:
        until = self._held.get(host)
        if until is not None and until > self._now():
            raise FetchError(
                f"rate limited: {host} asked us to wait until {until:%Y-%m-%d %H:%M:%S} UTC"
            )

    def hold(self, url: str, retry_after: str) -> None:
        until = retry_after_until(retry_after, self._now())
        if until is not None:
            self._held[host_of(url)] = until
