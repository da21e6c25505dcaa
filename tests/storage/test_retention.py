"""Retention on SQLite and PostgreSQL: old articles go, saved ones and recent ones stay, a
source's own setting wins over the site-wide one, entries remember, stories are recounted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from broadsheet.ingest.entries import plan_entries
from broadsheet.storage import Store
from broadsheet.storage.ingestion import EntryWrite, IngestStore, SourceSettings
from broadsheet.types import ExtractedArticle, FeedEntry

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def _stored(store: Store, source_id: int, n: int, days_old: float) -> int:
    article = ExtractedArticle(title=f"T{n}", text=f"Body number {n}.", html=f"<p>{n}</p>",
                               published=NOW - timedelta(days=days_old))  # fmt: skip
    entry = FeedEntry(guid=f"g{n}", link=f"https://a.example/{n}", title=f"T{n}")
    [plan] = plan_entries([entry], [])
    write = EntryWrite(plan.key, entry, plan.identity.content_hash, entry.link, article)
    [saved] = IngestStore(store.engine).save_entries(source_id, [write], now=NOW)
    assert saved is not None
    return saved.id


def test_old_articles_go_saved_and_recent_ones_stay(store: Store) -> None:
    source, _ = store.add_source("https://a.example/feed", now=NOW, title="A")
    old, kept_by_reader, recent = (
        _stored(store, source.id, n, d) for n, d in ((1, 40), (2, 40), (3, 2))
    )
    user = store.accounts.create_user("ada@example.org", "h", now=NOW)
    store.reading.save(user.id, kept_by_reader, now=NOW)
    story = store.stories.create_story(NOW)
    for article_id in (old, recent):
        store.stories.record_assignment(article_id, story, now=NOW)
    assert store.retention.expire(now=NOW, default_days=0) == 0  # kept for ever by default
    assert store.retention.expire(now=NOW, default_days=30) == 1
    assert {a.id for a in store.list_articles()} == {kept_by_reader, recent}
    assert store.stories.get_story(story).article_count == 1  # recounted
    # the entry remembers, so the next fetch of the feed does not bring the article back
    entry = FeedEntry(guid="g1", link="https://a.example/1", title="T1")
    [known] = IngestStore(store.engine).find_entries(
        source.id, [plan_entries([entry], [])[0].identity]
    )
    assert known.expired and known.article_id is None
    assert plan_entries([entry], [known])[0].action == "unchanged"


def test_a_sources_own_retention_wins_and_has_a_floor(store: Store) -> None:
    short, _ = store.add_source("https://short.example/feed", now=NOW, title="Short")
    forever, _ = store.add_source("https://keep.example/feed", now=NOW, title="Keep")
    ingest = IngestStore(store.engine)
    ingest.update_settings(short.id, SourceSettings(None, None, None, True, False, 1), now=NOW)
    ingest.update_settings(forever.id, SourceSettings(None, None, None, True, False, 0), now=NOW)
    a = _stored(store, short.id, 1, 5)  # younger than the 7-day floor
    _stored(store, short.id, 2, 8)  # older than the floor: goes
    c = _stored(store, forever.id, 3, 400)
    assert store.retention.expire(now=NOW, default_days=30) == 1
    assert {x.id for x in store.list_articles()} == {a, c}
    assert store.get_source(short.id).retention_days == 1
