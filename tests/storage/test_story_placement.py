"""An article's live story and syndication group in one read, following merges, on SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from broadsheet.storage import Store
from broadsheet.types import ExtractedArticle

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def _article(store: Store, n: int) -> int:
    extracted = ExtractedArticle(title=f"T {n}", text=f"Text {n}.", html="<p>x</p>")
    return store.save_article(extracted, url=f"https://p.example/{n}", source_id=None, now=NOW).id


def test_placement_follows_merges(store: Store) -> None:
    waiting, first, second = (_article(store, n) for n in range(3))
    assert store.stories.placement(waiting) is None
    old, new = store.stories.create_story(NOW), store.stories.create_story(NOW)
    store.stories.record_assignment(first, old, now=NOW, syndication_group=7)
    placed = store.stories.placement(first)
    assert placed is not None and (placed[0].id, placed[1]) == (old, 7)
    store.stories.record_assignment(second, new, now=NOW, merged=[(old, new)])
    placed = store.stories.placement(first)
    assert placed is not None and placed[0].id == new and placed[0].article_count == 2
