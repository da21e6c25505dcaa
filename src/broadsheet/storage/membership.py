"""Membership storage: memberships, free reads per month, the reading ledger and its publisher
report, webhook event ids (replays are refused) and the key that signs anonymous reader cookies."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, distinct, func, select
from sqlalchemy.exc import IntegrityError

from broadsheet.membership.policy import Membership
from broadsheet.storage.engine import reading
from broadsheet.storage.errors import storage_errors
from broadsheet.storage.schema import (
    free_reads,
    membership_keys,
    memberships,
    read_ledger,
    webhook_events,
)

__all__ = ["LedgerRead", "MembershipStore", "PublisherReport", "PublisherRow"]

_FIELDS = (
    "plan", "status", "started_at", "trial_ends_at", "ends_at", "provider", "provider_customer",
    "provider_subscription", "updated_at",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class LedgerRead:
    """One full read by a trial reader or member."""

    user_id: int
    article_id: int
    source_id: int | None
    publisher: str
    plan: str
    at: datetime


@dataclass(frozen=True, slots=True)
class PublisherRow:
    publisher: str
    reads: int
    readers: int
    share: float  # of the month's reads, 0..1


@dataclass(frozen=True, slots=True)
class PublisherReport:
    """A month's reads by publisher, most read first."""

    month: str
    rows: tuple[PublisherRow, ...]
    reads: int
    readers: int


def _month_bounds(month: str) -> tuple[date, date]:
    year, number = (int(part) for part in month.split("-"))
    start = date(year, number, 1)
    end = date(year + number // 12, number % 12 + 1, 1)
    return start, end


class MembershipStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # -- memberships ---------------------------------------------------------------------------

    @storage_errors("reading a membership")
    def get(self, user_id: int) -> Membership | None:
        with reading(self.engine) as conn:
            row = conn.execute(select(memberships).where(memberships.c.user_id == user_id)).first()
        return _membership(row) if row is not None else None

    @storage_errors("finding a membership by the provider's ids")
    def find_by_provider(self, *, subscription: str | None = None,
                         customer: str | None = None) -> Membership | None:  # fmt: skip
        for column, value in ((memberships.c.provider_subscription, subscription),
                              (memberships.c.provider_customer, customer)):  # fmt: skip
            if value:
                with reading(self.engine) as conn:
                    row = conn.execute(select(memberships).where(column == value)).first()
                if row is not None:
                    return _membership(row)
        return None

    @storage_errors("saving a membership")
    def save(self, membership: Membership) -> None:
        values = {name: getattr(membership, name) for name in _FIELDS}
        with self.engine.begin() as conn:
            done = conn.execute(
                memberships.update().where(memberships.c.user_id == membership.user_id)
                .values(**values)
            ).rowcount  # fmt: skip
            if not done:
                conn.execute(memberships.insert().values(user_id=membership.user_id, **values))

    @storage_errors("adding a membership")
    def add_if_missing(self, membership: Membership) -> Membership:
        """Insert ``membership`` unless the account has one; returns the stored one."""
        values = {name: getattr(membership, name) for name in _FIELDS}
        try:
            with self.engine.begin() as conn:
                conn.execute(memberships.insert().values(user_id=membership.user_id, **values))
        except IntegrityError:  # there already, or made meanwhile by another request
            pass
        stored = self.get(membership.user_id)
        assert stored is not None
        return stored

    @storage_errors("listing memberships")
    def list_all(self) -> list[Membership]:
        with reading(self.engine) as conn:
            rows = conn.execute(select(memberships).order_by(memberships.c.user_id)).all()
        return [_membership(r) for r in rows]

    # -- free reads ----------------------------------------------------------------------------

    @storage_errors("reading free reads")
    def free_reads(self, reader_key: str, month: str) -> frozenset[int]:
        query = select(free_reads.c.article_id).where(
            free_reads.c.reader_key == reader_key, free_reads.c.month == month
        )
        with reading(self.engine) as conn:
            return frozenset(conn.execute(query).scalars())

    @storage_errors("counting a free read")
    def add_free_read(self, reader_key: str, month: str, article_id: int, *, now: datetime) -> None:
        row = {"reader_key": reader_key, "month": month, "article_id": article_id, "read_at": now}
        try:
            with self.engine.begin() as conn:
                conn.execute(free_reads.insert().values(**row))
        except IntegrityError:  # counted already: reading it again is free
            pass

    # -- the reading ledger --------------------------------------------------------------------

    @storage_errors("recording a read")
    def record_read(self, read: LedgerRead) -> bool:
        """Record one full read; False when this reader read this article today already."""
        row = {
            "user_id": read.user_id, "article_id": read.article_id, "source_id": read.source_id,
            "publisher": read.publisher, "plan": read.plan, "day": read.at.date(),
            "read_at": read.at,
        }  # fmt: skip
        try:
            with self.engine.begin() as conn:
                conn.execute(read_ledger.insert().values(**row))
        except IntegrityError:
            return False
        return True

    @storage_errors("listing the ledger's months")
    def ledger_months(self) -> list[str]:
        with reading(self.engine) as conn:
            days = conn.execute(select(read_ledger.c.day).distinct()).scalars().all()
        return sorted({f"{d:%Y-%m}" for d in days}, reverse=True)

    @storage_errors("building the publisher report")
    def publisher_report(self, month: str) -> PublisherReport:
        """Reads, unique readers and share of the month's reads for each publisher."""
        start, end = _month_bounds(month)
        in_month = (read_ledger.c.day >= start, read_ledger.c.day < end)
        reads, readers = func.count(), func.count(distinct(read_ledger.c.user_id))
        query = (
            select(read_ledger.c.publisher, reads.label("reads"), readers.label("readers"))
            .where(*in_month).group_by(read_ledger.c.publisher)
            .order_by(reads.desc(), read_ledger.c.publisher)
        )  # fmt: skip
        with reading(self.engine) as conn:
            rows = conn.execute(query).all()
            total_readers = conn.execute(select(readers).where(*in_month)).scalar_one()
        total = sum(r.reads for r in rows)
        return PublisherReport(
            month, tuple(PublisherRow(r.publisher, r.reads, r.readers, r.reads / total)
                         for r in rows), total, total_readers,
        )  # fmt: skip

    # -- webhook events and keys ---------------------------------------------------------------

    @storage_errors("remembering a webhook event")
    def remember_event(self, event_id: str, event_type: str, *, now: datetime) -> bool:
        """True the first time an event id is seen; False for a replay."""
        try:
            with self.engine.begin() as conn:
                conn.execute(webhook_events.insert().values(
                    event_id=event_id, type=event_type[:64], received_at=now))  # fmt: skip
        except IntegrityError:
            return False
        return True

    @storage_errors("reading a signing key")
    def key(self, name: str) -> str:
        """A random key kept in the database, made on first use (the same for every process)."""
        query = select(membership_keys.c.value).where(membership_keys.c.name == name)
        with reading(self.engine) as conn:
            value = conn.execute(query).scalar()
        if value is not None:
            return str(value)
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    membership_keys.insert().values(name=name, value=secrets.token_hex(32))
                )
        except IntegrityError:  # made meanwhile by another process: use theirs
            pass
        with reading(self.engine) as conn:
            return str(conn.execute(query).scalar_one())


def _membership(row: Any) -> Membership:
    return Membership(
        user_id=row.user_id, status=row.status, started_at=row.started_at,
        updated_at=row.updated_at, trial_ends_at=row.trial_ends_at, ends_at=row.ends_at,
        plan=row.plan, provider=row.provider, provider_customer=row.provider_customer,
        provider_subscription=row.provider_subscription,
    )  # fmt: skip
