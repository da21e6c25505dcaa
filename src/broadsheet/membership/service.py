"""Membership over the store: who the reader is, the decision for one article and what it records,
the preview a gated reader sees, the account summary, and the admin's changes.

Anonymous readers are told apart by a random id in a signed cookie (the key lives in the
database, so every process agrees); signed-up readers by their account.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from markupsafe import escape

from broadsheet.config import Settings
from broadsheet.membership.policy import (
    STAFF_ROLES,
    AccessDecision,
    Membership,
    MembershipSettings,
    PlanStatus,
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
from broadsheet.storage import Store
from broadsheet.storage.membership import LedgerRead
from broadsheet.types import Article, User

__all__ = ["AccountSummary", "Memberships", "preview_of"]

log = logging.getLogger(__name__)
_COOKIE_KEY = "anonymous-reader"


@dataclass(frozen=True, slots=True)
class AccountSummary:
    """What a reader's account page shows about membership."""

    enabled: bool
    plan: PlanStatus
    reads_left: int | None
    free_per_month: int
    staff: bool = False


def first_paragraph(article: Article) -> str:
    return next((p.strip() for p in article.text.split("\n") if p.strip()), "")


def preview_of(article: Article) -> Article:
    """The article as a gated reader sees it: headline, standfirst and first paragraph only."""
    first = first_paragraph(article)
    return replace(article, text=first, html=f"<p>{escape(first)}</p>" if first else "")


@dataclass
class Memberships:
    store: Store
    settings: Settings
    now: Callable[[], datetime]

    @property
    def rules(self) -> MembershipSettings:
        return MembershipSettings.from_settings(self.settings)

    @property
    def enabled(self) -> bool:
        return self.settings.membership_enabled

    # -- the anonymous reader's cookie ---------------------------------------------------------

    def _sign(self, reader_id: str) -> str:
        key = self.settings.secret_key or self.store.membership.key(_COOKIE_KEY)
        return hmac.new(key.encode(), reader_id.encode(), hashlib.sha256).hexdigest()[:32]

    def new_anonymous_cookie(self) -> str:
        reader_id = secrets.token_urlsafe(18)
        return f"{reader_id}.{self._sign(reader_id)}"

    def anonymous_id(self, cookie: str | None) -> str | None:
        """The reader id of a cookie whose signature holds, else None."""
        reader_id, _, signature = (cookie or "").partition(".")
        if reader_id and hmac.compare_digest(signature, self._sign(reader_id)):
            return reader_id
        return None

    # -- readers and decisions -----------------------------------------------------------------

    def membership_of(self, user: User) -> Membership | None:
        """The account's membership; a reader seen for the first time gets the trial that
        sign-up starts, counted from the account's creation."""
        found = self.store.membership.get(user.id)
        if found is not None or not self.enabled or user.role in STAFF_ROLES:
            return found
        trial = start_trial(user.id, start=user.created_at, now=self.now(),
                            days=self.rules.trial_days)  # fmt: skip
        return self.store.membership.add_if_missing(trial)

    def reader_state(self, user: User | None, anonymous_id: str | None) -> ReaderState:
        if user is None:
            key = f"a:{anonymous_id}" if anonymous_id else None
            reads = self.store.membership.free_reads(key, month_of(self.now())) if key else None
            return ReaderState(key or "a:", free_reads=reads or frozenset())
        key = f"u:{user.id}"
        return ReaderState(
            key, user.id, user.role, self.membership_of(user),
            self.store.membership.free_reads(key, month_of(self.now())),
        )  # fmt: skip

    def peek(self, reader: ReaderState, article: Article) -> bool:
        """Whether the reader may see the whole article without it counting as a read (search
        snippets, background fetches): only when reading it would cost nothing."""
        decision = decide_access(reader, article, now=self.now(), settings=self.rules)
        return decision.full and not decision.consumes_free_read

    def listable(self, user: User, found: list[Article]) -> list[Article]:
        """Articles as a sync API (Miniflux, Google Reader, Fever) may list them to ``user``:
        entries are listed, not read, so each carries its whole body only when reading it would
        cost the reader nothing, else the preview."""
        if not self.enabled:
            return found
        reader = self.reader_state(user, None)
        return [a if self.peek(reader, a) else preview_of(a) for a in found]

    def open(self, reader: ReaderState, article: Article) -> AccessDecision:
        """Decide one full read and record it: a free read is counted; a trial reader's or
        member's read goes into the ledger once per day."""
        now = self.now()
        decision = decide_access(reader, article, now=now, settings=self.rules)
        if decision.consumes_free_read:
            self.store.membership.add_free_read(reader.reader_key, month_of(now), article.id,
                                                now=now)  # fmt: skip
        elif decision.paid_read and reader.user_id is not None:
            publisher = article.source_title or article.publisher or "Unknown publisher"
            self.store.membership.record_read(LedgerRead(
                reader.user_id, article.id, article.source_id, publisher, decision.reason, now,
            ))  # fmt: skip
        return decision

    def summary(self, reader: ReaderState) -> AccountSummary:
        now = self.now()
        return AccountSummary(
            self.enabled, plan_status(reader.membership, now=now),
            reads_left(reader, now=now, settings=self.rules), self.rules.free_articles_per_month,
            staff=reader.role in STAFF_ROLES,
        )  # fmt: skip

    # -- changes by an admin or the payment provider -------------------------------------------

    def grant(self, user_id: int, *, until: datetime | None = None, **provider: str | None) -> (
        Membership
    ):  # fmt: skip
        granted = grant_membership(self.store.membership.get(user_id), user_id, now=self.now(),
                                   until=until, **provider)  # fmt: skip
        self.store.membership.save(granted)
        log.info("membership granted", extra={"user_id": user_id, "until": until})
        return granted

    def extend(self, user_id: int, days: int) -> Membership:
        current = self.store.membership.get(user_id)
        extended = extend_membership(current, user_id, now=self.now(), days=days)
        self.store.membership.save(extended)
        log.info("membership extended", extra={"user_id": user_id, "days": days})
        return extended

    def end(self, user_id: int) -> Membership | None:
        current = self.store.membership.get(user_id)
        if current is None:
            return None
        ended = end_membership(current, now=self.now())
        self.store.membership.save(ended)
        log.info("membership ended", extra={"user_id": user_id})
        return ended
