"""When to fetch a source next: as often as it publishes (within bounds), later when the server
asks (``Cache-Control``, ``Retry-After``), with exponential backoff and jitter after errors, and a
pause after too many failures in a row. Pure functions; the random source is a parameter.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = [
    "MAX_BACKOFF",
    "Bounds",
    "adaptive_interval",
    "items_per_day",
    "next_fetch_after_error",
    "next_fetch_after_success",
]

MAX_BACKOFF = timedelta(days=1)
DAY = 86400.0
RATE_WINDOW = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class Bounds:
    """The fetch interval when the rate is unknown, and its limits, in seconds."""

    default: int = 1800
    minimum: int = 900
    maximum: int = 86400


def items_per_day(published: Iterable[datetime | None], now: datetime) -> float | None:
    """Publishing rate from entry dates of the last 30 days; ``None`` with fewer than two dates."""
    recent = sorted(d for d in published if d is not None and now - RATE_WINDOW <= d <= now)
    if len(recent) < 2:
        return None
    span = max((now - recent[0]).total_seconds(), 3600.0)
    return round(len(recent) * DAY / span, 2)


def adaptive_interval(rate: float | None, bounds: Bounds) -> int:
    """Fetch about twice per expected gap between items, within ``bounds``."""
    if not rate:
        return bounds.default
    return int(min(max(DAY / rate / 2, bounds.minimum), bounds.maximum))


def next_fetch_after_success(
    now: datetime, interval_seconds: int, max_age: int | None = None, *, maximum: int = 86400
) -> datetime:
    """After ``interval_seconds``, but not before a ``Cache-Control: max-age`` runs out."""
    wait = max(interval_seconds, min(max_age or 0, maximum))
    return now + timedelta(seconds=wait)


def next_fetch_after_error(
    now: datetime,
    interval_seconds: int,
    error_count: int,
    *,
    rng: random.Random | None = None,
    not_before: datetime | None = None,
) -> datetime:
    """Double the wait for each consecutive error (``error_count`` counts this one), up to a day,
    then take a random half to a whole of it so that failing sources do not return in step; never
    before ``not_before`` (a ``Retry-After``)."""
    wait = timedelta(seconds=interval_seconds) * (2 ** min(max(error_count - 1, 0), 16))
    wait = min(wait, MAX_BACKOFF)
    if rng is not None:
        wait *= 0.5 + rng.random() / 2
    at: datetime = now + wait
    return max(at, not_before) if not_before is not None else at
