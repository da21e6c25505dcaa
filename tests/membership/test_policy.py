"""The pure rules: the free limit per calendar month, trial expiry, grant / extend / end, staff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from broadsheet.config import Settings
from broadsheet.membership.policy import (
    MembershipSettings,
    ReaderState,
    decide_access,
    end_membership,
    extend_membership,
    grant_membership,
    month_of,
    plan_status,
    reads_left,
    start_trial,
)

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
ON = MembershipSettings(enabled=True, free_articles_per_month=3, trial_days=14)


@dataclass(frozen=True)
class Item:
    id: int


def test_off_by_default_everyone_reads_everything() -> None:
    settings = MembershipSettings.from_settings(Settings())
    assert not settings.enabled
    over = ReaderState("a:x", free_reads=frozenset({1, 2, 3, 4}))
    decision = decide_access(over, Item(9), now=NOW, settings=settings)
    assert decision.full and decision.reason == "open" and decision.reads_left is None


def test_free_reader_reads_the_limit_then_sees_the_preview() -> None:
    reads: frozenset[int] = frozenset()
    for n, left in ((1, 2), (2, 1), (3, 0)):
        decision = decide_access(ReaderState("a:x", free_reads=reads), Item(n), now=NOW,
                                 settings=ON)  # fmt: skip
        assert decision.full and decision.consumes_free_read and decision.reads_left == left
        reads |= {n}
    state = ReaderState("a:x", free_reads=reads)
    gated = decide_access(state, Item(4), now=NOW, settings=ON)
    assert not gated.full and gated.reason == "limit" and gated.reads_left == 0
    again = decide_access(state, Item(2), now=NOW, settings=ON)  # read already: costs nothing
    assert again.full and not again.consumes_free_read and again.reason == "counted"
    assert reads_left(state, now=NOW, settings=ON) == 0


def test_free_reads_are_counted_per_calendar_month() -> None:
    assert month_of(NOW) == "2026-11"
    assert month_of(datetime(2026, 11, 30, 23, 59, tzinfo=UTC)) == "2026-11"
    assert month_of(datetime(2026, 12, 1, 0, 0, tzinfo=UTC)) == "2026-12"


def test_trial_runs_fourteen_days_then_falls_back_to_free() -> None:
    trial = start_trial(5, start=NOW, now=NOW, days=14)
    reader = ReaderState("u:5", 5, "reader", trial, frozenset({1, 2, 3}))
    assert plan_status(trial, now=NOW).trial_days_left == 14
    later = NOW + timedelta(days=13, hours=1)
    assert plan_status(trial, now=later).trial_days_left == 1
    decision = decide_access(reader, Item(9), now=later, settings=ON)
    assert decision.full and decision.paid_read and decision.reason == "trial"
    expired = NOW + timedelta(days=14)
    assert plan_status(trial, now=expired).plan == "free"
    assert not decide_access(reader, Item(9), now=expired, settings=ON).full
    assert reads_left(reader, now=expired, settings=ON) == 0
    assert reads_left(reader, now=NOW, settings=ON) is None  # not counted while on trial


def test_grant_extend_and_end() -> None:
    member = grant_membership(None, 5, now=NOW, until=NOW + timedelta(days=30), customer="c1")
    assert plan_status(member, now=NOW).plan == "member"
    assert member.provider_customer == "c1"
    longer = extend_membership(member, 5, now=NOW, days=10)
    assert longer.ends_at == NOW + timedelta(days=40)
    assert plan_status(longer, now=NOW + timedelta(days=39)).plan == "member"
    assert plan_status(longer, now=NOW + timedelta(days=40)).plan == "free"
    ended = end_membership(longer, now=NOW + timedelta(days=1))
    assert (
        ended.status == "ended" and plan_status(ended, now=NOW + timedelta(days=1)).plan == "free"
    )
    open_ended = grant_membership(ended, 5, now=NOW, customer=None)
    assert open_ended.ends_at is None and open_ended.provider_customer == "c1"
    assert extend_membership(open_ended, 5, now=NOW, days=5).ends_at is None


def test_extending_a_trial_or_nothing() -> None:
    trial = start_trial(5, start=NOW, now=NOW, days=14)
    assert extend_membership(trial, 5, now=NOW, days=7).trial_ends_at == NOW + timedelta(days=21)
    late = NOW + timedelta(days=30)  # an expired trial restarts from now
    assert extend_membership(trial, 5, now=late, days=7).trial_ends_at == late + timedelta(days=7)
    fresh = extend_membership(None, 6, now=NOW, days=30)
    assert fresh.status == "active" and fresh.ends_at == NOW + timedelta(days=30)


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_staff_read_everything_uncounted(role: str) -> None:
    staff = ReaderState("u:1", 1, role, None, frozenset({1, 2, 3}))
    decision = decide_access(staff, Item(9), now=NOW, settings=ON)
    assert decision.full and decision.reason == "staff" and not decision.paid_read


def test_zero_free_articles_gates_at_once() -> None:
    settings = MembershipSettings(enabled=True, free_articles_per_month=0)
    assert not decide_access(ReaderState("a:x"), Item(1), now=NOW, settings=settings).full
