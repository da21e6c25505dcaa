"""Saved articles, history and follows on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from broadsheet.storage import Store
from tests.storage.articles import NOW, save_numbered


def test_saved_articles_newest_saved_first(store: Store) -> None:
    user = store.accounts.create_user("ada@example.org", "h", now=NOW)
    a, b = save_numbered(store, 1), save_numbered(store, 2)
    store.reading.save(user.id, a, now=NOW)
    store.reading.save(user.id, b, now=NOW + timedelta(minutes=1))
    store.reading.save(user.id, b, now=NOW + timedelta(minutes=2))  # idempotent
    assert [x.id for x in store.reading.list_saved(user.id)] == [b, a]
    assert store.reading.is_saved(user.id, a)
    store.reading.unsave(user.id, a)
    assert not store.reading.is_saved(user.id, a)
    assert [x.id for x in store.reading.list_saved(user.id)] == [b]


def test_history_keeps_the_last_read(store: Store) -> None:
    user = store.accounts.create_user("ada@example.org", "h", now=NOW)
    a, b = save_numbered(store, 1), save_numbered(store, 2)
    store.reading.record_read(user.id, a, now=NOW)
    store.reading.record_read(user.id, b, now=NOW + timedelta(minutes=1))
    store.reading.record_read(user.id, a, now=NOW + timedelta(minutes=2))
    assert [x.id for x in store.reading.list_history(user.id)] == [a, b]
    store.reading.clear_history(user.id)
    assert store.reading.list_history(user.id) == []


def test_follows_are_kept_once_and_unfollowed(store: Store) -> None:
    user = store.accounts.create_user("ada@example.org", "h", now=NOW)
    source, _ = store.add_source("https://a.example/feed", now=NOW, title="A")
    store.reading.follow(user.id, "source", str(source.id), now=NOW, label="A")
    store.reading.follow(user.id, "topic", "science", now=NOW)
    store.reading.follow(user.id, "topic", "science", now=NOW)
    assert [(f.kind, f.key) for f in store.reading.list_follows(user.id)] == [
        ("source", str(source.id)), ("topic", "science"),
    ]  # fmt: skip
    assert store.reading.is_following(user.id, "source", str(source.id))
    assert not store.reading.is_following(user.id, "topic", "Science")
    assert store.reading.is_following(user.id, "topic", "Science", any_case=True)
    store.reading.unfollow(user.id, "topic", "science")
    assert not store.reading.is_following(user.id, "topic", "science")
    assert [(f.kind, f.key) for f in store.reading.list_follows(user.id)] == [
        ("source", str(source.id))
    ]
