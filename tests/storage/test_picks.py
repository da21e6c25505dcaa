"""Editors' picks (scheduled and expiring) and source standing on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from broadsheet.exceptions import NotFound
from broadsheet.storage import Store
from broadsheet.types import ExtractedArticle

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def test_picks_show_between_start_and_end(store: Store) -> None:
    source, _ = store.add_source("https://a.example/feed", now=NOW, title="A News")
    article = store.save_article(
        ExtractedArticle(title="Pinned", text="x", html="<p>x</p>"),
        url="https://a.example/1", source_id=source.id, now=NOW,
    ).id  # fmt: skip
    now_on = store.curation.create_pick(
        article_id=article, note=" Read this ", starts_at=NOW - HOUR, ends_at=NOW + HOUR, now=NOW
    )
    store.curation.create_pick(article_id=article, note="later", starts_at=NOW + HOUR,
                               ends_at=None, now=NOW)  # fmt: skip
    [pick] = store.curation.active_picks(NOW)
    assert (pick.id, pick.note, pick.title, pick.source_title) == (
        now_on,
        "Read this",
        "Pinned",
        "A News",
    )
    assert pick.href == f"/articles/{article}" and pick.active(NOW)
    assert [p.note for p in store.curation.active_picks(NOW + 2 * HOUR)] == ["later"]
    assert len(store.curation.list_picks()) == 2
    store.curation.delete_pick(now_on)
    with pytest.raises(NotFound):
        store.curation.delete_pick(now_on)
    with pytest.raises(ValueError):
        store.curation.create_pick(note="", starts_at=NOW, ends_at=None, now=NOW)


def test_source_standing(store: Store) -> None:
    source, _ = store.add_source("https://a.example/feed", now=NOW)
    assert store.curation.standings() == {}
    store.curation.set_standing(source.id, 2.5, now=NOW)
    store.curation.set_standing(source.id, 3.0, now=NOW)
    assert store.curation.standings() == {source.id: 3.0}
    with pytest.raises(ValueError):
        store.curation.set_standing(source.id, -1, now=NOW)
    with pytest.raises(NotFound):
        store.curation.set_standing(999, 1.0, now=NOW)
