"""Membership storage on SQLite and PostgreSQL: memberships, free reads, the ledger once per
reader, article and day, the publisher report, webhook replays, keys."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from broadsheet.membership.policy import grant_membership, start_trial
from broadsheet.storage import Store
from broadsheet.storage.membership import LedgerRead
from broadsheet.types import ExtractedArticle

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def _user(store: Store, email: str) -> int:
    return store.accounts.create_user(email, "hash", now=NOW, role="reader").id


def _article(store: Store, n: int) -> int:
    article = ExtractedArticle(title=f"A{n}", text=f"Body {n}", html=f"<p>Body {n}</p>")
    return store.save_article(article, url=f"https://news.example/{n}", source_id=None, now=NOW).id


def test_memberships_save_get_and_find_by_provider(store: Store) -> None:
    user = _user(store, "ada@example.org")
    assert store.membership.get(user) is None
    trial = store.membership.add_if_missing(start_trial(user, start=NOW, now=NOW, days=14))
    assert trial.status == "trial" and trial.trial_ends_at == NOW + timedelta(days=14)
    again = store.membership.add_if_missing(start_trial(user, start=NOW, now=NOW, days=1))
    assert again.trial_ends_at == trial.trial_ends_at  # the first one stays
    member = grant_membership(trial, user, now=NOW, customer="cus_1", subscription="sub_1")
    store.membership.save(member)
    assert store.membership.get(user) == member
    assert store.membership.find_by_provider(subscription="sub_1") == member
    assert store.membership.find_by_provider(customer="cus_1") == member
    assert store.membership.find_by_provider(subscription="nope") is None
    assert [m.user_id for m in store.membership.list_all()] == [user]


def test_free_reads_count_each_article_once_a_month(store: Store) -> None:
    a, b = _article(store, 1), _article(store, 2)
    store.membership.add_free_read("a:x", "2026-11", a, now=NOW)
    store.membership.add_free_read("a:x", "2026-11", a, now=NOW)
    store.membership.add_free_read("a:x", "2026-11", b, now=NOW)
    store.membership.add_free_read("a:x", "2026-12", a, now=NOW)
    assert store.membership.free_reads("a:x", "2026-11") == {a, b}
    assert store.membership.free_reads("a:x", "2026-12") == {a}
    assert store.membership.free_reads("a:y", "2026-11") == frozenset()


def test_ledger_once_per_reader_article_day_and_the_report(store: Store) -> None:
    ada, bob = _user(store, "ada@example.org"), _user(store, "bob@example.org")
    a, b, c = (_article(store, n) for n in (1, 2, 3))

    def read(user: int, article: int, publisher: str, at: datetime) -> bool:
        return store.membership.record_read(
            LedgerRead(user, article, None, publisher, "member", at)
        )

    assert read(ada, a, "Daily", NOW)
    assert not read(ada, a, "Daily", NOW + timedelta(hours=3))  # same day: once
    assert read(ada, a, "Daily", NOW + timedelta(days=1))  # the next day counts again
    assert read(bob, a, "Daily", NOW)
    assert read(bob, b, "Weekly", NOW)
    assert read(bob, c, "Daily", datetime(2026, 12, 1, tzinfo=UTC))
    report = store.membership.publisher_report("2026-11")
    assert report.reads == 4 and report.readers == 2
    assert [(r.publisher, r.reads, r.readers) for r in report.rows] == [
        ("Daily", 3, 2), ("Weekly", 1, 1),
    ]  # fmt: skip
    assert [r.share for r in report.rows] == [0.75, 0.25]
    assert store.membership.publisher_report("2026-12").reads == 1
    assert store.membership.publisher_report("2025-01").rows == ()
    assert store.membership.ledger_months() == ["2026-12", "2026-11"]


def test_webhook_events_are_remembered_and_keys_kept(store: Store) -> None:
    assert store.membership.remember_event("evt_1", "membership.started", now=NOW)
    assert not store.membership.remember_event("evt_1", "membership.started", now=NOW)
    key = store.membership.key("anonymous-reader")
    assert len(key) == 64 and store.membership.key("anonymous-reader") == key


def test_the_broadsheet_object_lists_articles_for_sync_apps(tmp_path: Path) -> None:
    from broadsheet.config import Settings
    from broadsheet.core import make_broadsheet

    bs = make_broadsheet(Settings(data_dir=tmp_path, membership_enabled=True), now=lambda: NOW)
    admin = bs.accounts.add_user("ada@example.org", "a long enough password")  # the first
    bs.accounts.add_user("bob@example.org", "a long enough password")
    bob = bs.store.get_user_by_email("bob@example.org")[0]
    ids = [_article(bs.store, n) for n in (1, 2)]
    found = [bs.get_article(i) for i in ids]
    assert [a.text for a in bs.membership.listable(bob, found)] == ["Body 1", "Body 2"]  # trial
    bs.membership.end(bob.id)
    article = ExtractedArticle(title="Long", text="First.\nSecond.", html="<p>First.</p>")
    long = bs.store.save_article(article, url="https://x.example/l", source_id=None, now=NOW)
    assert bs.membership.listable(bob, [bs.get_article(long.id)])[0].text == "First."
    assert bs.membership.listable(admin, [bs.get_article(long.id)])[0].text == "First.\nSecond."
    bs.close()
