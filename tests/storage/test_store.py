"""The storage contract, run on SQLite and on PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect

from broadsheet.exceptions import NotFound, StorageError
from broadsheet.storage import Store
from broadsheet.storage.schema import include_object, metadata
from broadsheet.types import Author, Enclosure, ExtractedArticle, LeadImage

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def _article(text: str = "Body text of the article.", **kw: object) -> ExtractedArticle:
    values: dict[str, object] = {
        "title": "A title",
        "text": text,
        "html": f"<p>{text}</p>",
        "authors": (Author("Ada Reporter", "Science editor"),),
        "published": NOW - timedelta(hours=1),
        "lead_image": LeadImage("https://img.example/a.jpg", "A caption", "Photo: AP"),
    }
    values.update(kw)
    return ExtractedArticle(**values)  # type: ignore[arg-type]


def test_migrations_create_the_schema_the_code_expects(store: Store) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        diff = compare_metadata(context, metadata)
    assert diff == []
    assert {"sources", "entries", "articles", "users"} <= set(
        inspect(store.engine).get_table_names()
    )


def test_add_source_is_idempotent(store: Store) -> None:
    source, created = store.add_source("https://news.example/feed", now=NOW, title="News")
    again, created_again = store.add_source("https://news.example/feed", now=NOW)
    assert created and not created_again
    assert again.id == source.id and again.title == "News"
    assert store.get_source(source.id).next_fetch_at == NOW


def test_article_round_trip_keeps_metadata_and_aware_times(store: Store) -> None:
    source, _ = store.add_source("https://a.example/feed", now=NOW, title="A News")
    saved = store.save_article(_article(), url="https://a.example/1", source_id=source.id, now=NOW)
    article = store.get_article(saved.id)
    assert saved.created
    assert article.title == "A title" and article.source_title == "A News"
    assert article.authors == (Author("Ada Reporter", "Science editor"),)
    assert article.lead_image == LeadImage("https://img.example/a.jpg", "A caption", "Photo: AP")
    assert article.published == NOW - timedelta(hours=1)
    assert article.published is not None and article.published.tzinfo is not None
    assert article.word_count == 5


def test_enclosures_round_trip(store: Store) -> None:
    files = (
        Enclosure("https://a.example/show.mp3", "audio/mpeg", 1234),
        Enclosure("https://a.example/p"),
    )
    saved = store.save_article(replace(_article(), enclosures=files), url="https://a.example/2",
                               source_id=None, now=NOW)  # fmt: skip
    assert store.get_article(saved.id).enclosures == files
    plain = store.save_article(replace(_article(), text="Other words entirely here."),
                               url="https://a.example/3", source_id=None, now=NOW)  # fmt: skip
    assert store.get_article(plain.id).enclosures == ()


def test_same_article_is_stored_once(store: Store) -> None:
    first = store.save_article(_article(), url="https://a.example/1", source_id=None, now=NOW)
    same_url = store.save_article(
        _article("Corrected body."), url="https://a.example/1", source_id=None, now=NOW
    )
    same_text = store.save_article(
        _article("corrected   BODY."), url="https://mirror.example/x", source_id=None, now=NOW
    )
    same_canonical = store.save_article(
        _article("Other words", canonical_url="https://a.example/1"),
        url="https://a.example/1?utm=x", source_id=None, now=NOW,
    )  # fmt: skip
    assert not same_url.created and not same_text.created and not same_canonical.created
    assert {first.id, same_url.id, same_text.id, same_canonical.id} == {first.id}
    assert store.count_articles() == 1
    assert store.get_article(first.id).text == "Other words"


def test_list_articles_newest_first_and_by_source(store: Store) -> None:
    s1, _ = store.add_source("https://a.example/feed", now=NOW)
    s2, _ = store.add_source("https://b.example/feed", now=NOW)
    for i in range(5):
        store.save_article(
            _article(f"Text {i}", published=NOW - timedelta(hours=i)),
            url=f"https://x.example/{i}", source_id=s1.id if i % 2 else s2.id, now=NOW,
        )  # fmt: skip
    listed = store.list_articles(limit=3)
    assert [a.text for a in listed] == ["Text 0", "Text 1", "Text 2"]
    assert [a.text for a in store.list_articles(source_id=s1.id)] == ["Text 1", "Text 3"]
    assert [a.text for a in store.iter_articles(batch=2)] == [f"Text {i}" for i in range(5)]


def test_users(store: Store) -> None:
    assert store.count_users() == 0
    user = store.create_user("Ada@Example.org", "hash", role="admin", now=NOW)
    found, password_hash = store.get_user_by_email("ada@example.org")
    assert found == user and password_hash == "hash" and found.role == "admin"
    with pytest.raises(StorageError):
        store.create_user("ada@example.org", "other", role="reader", now=NOW)


def test_unknown_ids_raise_not_found(store: Store) -> None:
    with pytest.raises(NotFound):
        store.get_article(999)
    with pytest.raises(NotFound):
        store.get_source(999)
    with pytest.raises(NotFound):
        store.get_user_by_email("nobody@example.org")


def test_naive_datetimes_are_refused(store: Store) -> None:
    with pytest.raises(StorageError):
        store.add_source("https://a.example/feed", now=datetime(2026, 1, 1))


def test_database_errors_become_storage_errors(tmp_path: object) -> None:
    store = Store.open("sqlite:///:memory:", migrate=False)
    with pytest.raises(StorageError, match="listing sources"):
        store.list_sources()
