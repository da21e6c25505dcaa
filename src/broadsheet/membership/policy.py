"""The membership rules, pure: who may read an article in full, what plan a reader is on, and how
an admin or the payment provider changes a membership. Nothing here touches storage or the clock;
``now`` is always a parameter.

Plans: a *free* reader (anonymous, or signed up without a membership) reads
``free_articles_per_month`` articles in full each calendar month (UTC), then sees the preview; a
*trial* reader and a *member* read everything; *staff* (editors and admins) read everything and are
not counted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal, Protocol

from broadsheet.config import Settings

__all__ = [
    "STAFF_ROLES",
    "AccessDecision",
    "Membership",
    "MembershipSettings",
    "PlanStatus",
    "ReaderState",
    "decide_access",
    "end_membership",
    "extend_membership",
    "grant_membership",
    "month_of",
    "plan_status",
    "start_trial",
]

Plan = Literal["free", "trial", "member"]
Status = Literal["trial", "active", "ended"]
Reason = Literal["open", "staff", "member", "trial", "free", "counted", "limit"]
STAFF_ROLES = frozenset({"editor", "admin"})
DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class MembershipSettings:
    """The operator's plans, taken once from ``Settings``."""

    enabled: bool = False
    free_articles_per_month: int = 3
    trial_days: int = 14

    @classmethod
    def from_settings(cls, settings: Settings) -> MembershipSettings:
        return cls(
            enabled=settings.membership_enabled,
            free_articles_per_month=max(0, settings.free_articles_per_month),
            trial_days=max(0, settings.trial_days),
        )


@dataclass(frozen=True, slots=True)
class Membership:
    """One account's membership: a trial, an active membership (``ends_at`` None: until ended), or
    an ended one. Provider ids tie it to the payment provider's customer and subscription."""

    user_id: int
    status: Status
    started_at: datetime
    updated_at: datetime
    trial_ends_at: datetime | None = None
    ends_at: datetime | None = None
    plan: str = "member"
    provider: str | None = None
    provider_customer: str | None = None
    provider_subscription: str | None = None


@dataclass(frozen=True, slots=True)
class PlanStatus:
    """What a reader's account page says: the plan now, and the trial days left."""

    plan: Plan
    trial_days_left: int | None = None
    ends_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ReaderState:
    """Everything the decision needs about one reader, read before deciding.

    ``free_reads`` are the articles this reader read in full for free this month: reading one of
    them again costs nothing.
    """

    reader_key: str
    user_id: int | None = None
    role: str | None = None
    membership: Membership | None = None
    free_reads: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class AccessDecision:
    """May this reader see the whole article, why, and how many free reads are left after it
    (None when the reader is not counted)."""

    full: bool
    reason: Reason
    reads_left: int | None = None

    @property
    def consumes_free_read(self) -> bool:
        return self.reason == "free"

    @property
    def paid_read(self) -> bool:
        """A full read that goes into the reading ledger (trial readers and members)."""
        return self.reason in ("trial", "member")


class HasId(Protocol):
    @property
    def id(self) -> int: ...


def month_of(now: datetime) -> str:
    """The calendar month (UTC) that free reads are counted in, as ``YYYY-MM``."""
    return f"{now:%Y-%m}"


def plan_status(membership: Membership | None, *, now: datetime) -> PlanStatus:
    if membership is None:
        return PlanStatus("free")
    if membership.status == "active" and (membership.ends_at is None or now < membership.ends_at):
        return PlanStatus("member", ends_at=membership.ends_at)
    trial_end = membership.trial_ends_at
    if membership.status == "trial" and trial_end is not None and now < trial_end:
        days_left = math.ceil((trial_end - now) / DAY)
        return PlanStatus("trial", trial_days_left=days_left, ends_at=trial_end)
    return PlanStatus("free")


def decide_access(
    reader: ReaderState, article: HasId, *, now: datetime, settings: MembershipSettings
) -> AccessDecision:
    """The paywall's one decision. It only decides: the caller records a free read when
    ``consumes_free_read`` and a ledger entry when ``paid_read``."""
    if not settings.enabled:
        return AccessDecision(True, "open")
    if reader.role in STAFF_ROLES:
        return AccessDecision(True, "staff")
    plan = plan_status(reader.membership, now=now).plan
    if plan != "free":
        return AccessDecision(True, plan)
    used = len(reader.free_reads)
    limit = settings.free_articles_per_month
    if article.id in reader.free_reads:
        return AccessDecision(True, "counted", max(0, limit - used))
    if used < limit:
        return AccessDecision(True, "free", limit - used - 1)
    return AccessDecision(False, "limit", 0)


def reads_left(reader: ReaderState, *, now: datetime, settings: MembershipSettings) -> int | None:
    """Free reads left this month, or None when the reader is not counted."""
    if not settings.enabled or reader.role in STAFF_ROLES:
        return None
    if plan_status(reader.membership, now=now).plan != "free":
        return None
    return max(0, settings.free_articles_per_month - len(reader.free_reads))


# -- changes: each returns the new membership ----------------------------------------------------


def start_trial(user_id: int, *, start: datetime, now: datetime, days: int) -> Membership:
    """The trial that sign-up starts: ``days`` from ``start`` (the account's creation)."""
    return Membership(user_id, "trial", start, now, trial_ends_at=start + days * DAY)


def grant_membership(
    current: Membership | None, user_id: int, *, now: datetime, until: datetime | None = None,
    provider: str | None = None, customer: str | None = None, subscription: str | None = None,
) -> Membership:  # fmt: skip
    """Make the account a member from ``now`` until ``until`` (None: until ended)."""
    base = current or Membership(user_id, "active", now, now)
    return replace(
        base, status="active", started_at=now if base.status != "active" else base.started_at,
        updated_at=now, ends_at=until, provider=provider or base.provider,
        provider_customer=customer or base.provider_customer,
        provider_subscription=subscription or base.provider_subscription,
    )  # fmt: skip


def extend_membership(current: Membership | None, user_id: int, *, now: datetime,
                      days: int) -> Membership:  # fmt: skip
    """Add ``days``: to a running membership's end (an open-ended one stays open), to a trial
    (an expired trial restarts from now); an ended or missing membership becomes a member for
    ``days`` from now."""
    if current is not None and plan_status(current, now=now).plan == "member":
        ends = None if current.ends_at is None else current.ends_at + days * DAY
        return replace(current, ends_at=ends, updated_at=now)
    if current is not None and current.status == "trial":
        start = max(current.trial_ends_at or now, now)
        return replace(current, trial_ends_at=start + days * DAY, updated_at=now)
    return grant_membership(current, user_id, now=now, until=now + days * DAY)


def end_membership(current: Membership, *, now: datetime) -> Membership:
    """End it now: the reader falls back to the free plan."""
    trial_end = current.trial_ends_at
    return replace(
        current, status="ended", updated_at=now,
        ends_at=now if current.ends_at is None else min(current.ends_at, now),
        trial_ends_at=None if trial_end is None else min(trial_end, now),
    )  # fmt: skip
