from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from broadsheet.ingest.schedule import (
    MAX_BACKOFF,
    Bounds,
    adaptive_interval,
    items_per_day,
    next_fetch_after_error,
    next_fetch_after_success,
)
from broadsheet.ingest.throttle import retry_after_until

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
BOUNDS = Bounds(default=1800, minimum=900, maximum=86400)


def test_rate_counts_recent_dated_entries() -> None:
    hourly = [NOW - timedelta(hours=h) for h in range(1, 25)]
    assert items_per_day(hourly, NOW) == 24.0
    assert items_per_day([NOW - timedelta(days=40), NOW - timedelta(days=50)], NOW) is None
    assert items_per_day([None, NOW - timedelta(hours=1)], NOW) is None
    assert (
        items_per_day(
            [NOW + timedelta(days=3), NOW - timedelta(days=2), NOW - timedelta(days=1)], NOW
        )
        == 1.0
    )  # a date in the future is a publisher's mistake, ignored


def test_interval_follows_the_rate_within_bounds() -> None:
    assert adaptive_interval(None, BOUNDS) == 1800
    assert adaptive_interval(24.0, BOUNDS) == 1800  # an item an hour: fetch every half hour
    assert adaptive_interval(500.0, BOUNDS) == 900  # never more often than the minimum
    assert adaptive_interval(0.1, BOUNDS) == 86400  # never less often than the maximum


def test_cache_control_delays_but_within_the_maximum() -> None:
    assert next_fetch_after_success(NOW, 1800) == NOW + timedelta(seconds=1800)
    assert next_fetch_after_success(NOW, 1800, 7200) == NOW + timedelta(seconds=7200)
    assert next_fetch_after_success(NOW, 1800, 10**9, maximum=86400) == NOW + timedelta(days=1)


def test_errors_back_off_exponentially_with_jitter_up_to_a_day() -> None:
    rng = random.Random(7)
    waits = [next_fetch_after_error(NOW, 600, n, rng=rng) - NOW for n in range(1, 8)]
    for n, wait in enumerate(waits, start=1):
        full = min(timedelta(seconds=600) * 2 ** (n - 1), MAX_BACKOFF)
        assert full / 2 <= wait <= full
    assert next_fetch_after_error(NOW, 600, 40) - NOW == MAX_BACKOFF
    jittered = {next_fetch_after_error(NOW, 600, 3, rng=rng) for _ in range(5)}
    assert len(jittered) > 1  # failing sources do not all come back at the same moment


def test_retry_after_is_honoured() -> None:
    later = NOW + timedelta(hours=2)
    assert next_fetch_after_error(NOW, 600, 1, not_before=later) == later
    assert retry_after_until("120", NOW) == NOW + timedelta(seconds=120)
    assert retry_after_until("Mon, 23 Nov 2026 13:00:00 GMT", NOW) == NOW + timedelta(hours=1)
    assert retry_after_until("99999999", NOW) == NOW + timedelta(days=1)  # capped
    assert retry_after_until("soon", NOW) is None
