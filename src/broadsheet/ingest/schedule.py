"""When to fetch a source next: its interval after success, exponential backoff after errors."""

from __future__ import annotations

from datetime import datetime, timedelta

__all__ = ["MAX_BACKOFF", "next_fetch_after_error", "next_fetch_after_success"]

MAX_BACKOFF = timedelta(days=1)


def next_fetch_after_success(now: datetime, interval_seconds: int) -> datetime:
    return now + timedelta(seconds=interval_seconds)


def next_fetch_after_error(now: datetime, interval_seconds: int, error_count: int) -> datetime:
    """Double the wait for each consecutive error (``error_count`` counts this one), up to a day."""
    wait = timedelta(seconds=interval_seconds) * (2 ** min(max(error_count - 1, 0), 16))
    return now + min(wait, MAX_BACKOFF)
