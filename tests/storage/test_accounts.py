"""Accounts storage on SQLite and PostgreSQL: first user admin, roles, sessions, resets, invites."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from broadsheet.exceptions import NotFound, StorageError
from broadsheet.storage import Store

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=1)


def test_first_user_is_admin_then_readers(store: Store) -> None:
    first = store.accounts.create_user("Ada@Example.org", "h1", now=NOW)
    second = store.accounts.create_user("bob@example.org", "h2", now=NOW)
    assert (first.email, first.role, second.role) == ("ada@example.org", "admin", "reader")
    with pytest.raises(StorageError, match="exists already"):
        store.accounts.create_user("ADA@example.org", "h3", now=NOW)
    store.accounts.set_role(second.id, "editor")
    assert [u.role for u in store.accounts.list_users()] == ["admin", "editor"]
    with pytest.raises(ValueError):
        store.accounts.set_role(second.id, "emperor")
    with pytest.raises(NotFound):
        store.accounts.set_role(999, "reader")


def test_sessions_expire_and_end(store: Store) -> None:
    user = store.accounts.create_user("ada@example.org", "h", now=NOW)
    store.accounts.create_session(user.id, "tok", now=NOW, expires=LATER)
    assert store.accounts.session_user("tok", now=NOW) == user
    assert store.accounts.session_user("tok", now=LATER) is None
    assert store.accounts.session_user("other", now=NOW) is None
    store.accounts.delete_session("tok")
    assert store.accounts.session_user("tok", now=NOW) is None


def test_new_password_ends_sessions(store: Store) -> None:
    user = store.accounts.create_user("ada@example.org", "h", now=NOW)
    store.accounts.create_session(user.id, "tok", now=NOW, expires=LATER)
    store.accounts.set_password_hash(user.id, "h2")
    assert store.accounts.session_user("tok", now=NOW) is None
    assert store.get_user_by_email("ada@example.org")[1] == "h2"


def test_reset_requests_and_tokens(store: Store) -> None:
    user = store.accounts.create_user("ada@example.org", "old", now=NOW)
    store.accounts.request_reset(user.id, now=NOW)
    [request] = store.accounts.open_reset_requests()
    assert request.user == user and request.requested_at == NOW
    store.accounts.create_reset(user.id, "secret", now=NOW, expires=NOW + timedelta(hours=1))
    assert store.accounts.open_reset_requests() == []
    assert store.accounts.use_reset("wrong", "new", now=NOW) is None
    assert store.accounts.use_reset("secret", "new", now=NOW + timedelta(hours=2)) is None
    assert store.accounts.use_reset("secret", "new", now=NOW) == user
    assert store.accounts.use_reset("secret", "newer", now=NOW) is None  # spent
    assert store.get_user_by_email("ada@example.org")[1] == "new"


def test_invitations_are_single_use(store: Store) -> None:
    store.accounts.create_invitation("inv", role="editor", created_by=None, now=NOW, expires=LATER)
    assert store.accounts.invitation_role("inv", now=NOW) == "editor"
    assert store.accounts.invitation_role("inv", now=LATER) is None
    assert store.accounts.spend_invitation("inv", now=NOW)
    assert not store.accounts.spend_invitation("inv", now=NOW)
    assert store.accounts.invitation_role("inv", now=NOW) is None


def test_failed_sign_ins_are_counted_per_key_and_forgotten(store: Store) -> None:
    keys = ("email:ada@example.org", "client:abc")
    for minute in range(3):
        store.accounts.record_login_failure(
            keys, now=NOW + timedelta(minutes=minute), forget=NOW - timedelta(hours=1)
        )
    store.accounts.record_login_failure(("client:abc",), now=NOW, forget=NOW - timedelta(hours=1))
    assert store.accounts.count_login_failures(keys, since=NOW - timedelta(minutes=1)) == 4
    assert store.accounts.count_login_failures(("email:ada@example.org",), since=NOW) == 2
    store.accounts.clear_login_failures("client:abc")
    assert store.accounts.count_login_failures(keys, since=NOW - timedelta(minutes=1)) == 3
    later = NOW + timedelta(hours=2)  # a new failure drops those older than the window
    store.accounts.record_login_failure(("x",), now=later, forget=later - timedelta(hours=1))
    assert store.accounts.count_login_failures(keys, since=NOW - timedelta(days=1)) == 0
