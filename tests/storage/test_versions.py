"""The content version moves on with every write a cached page depends on, on SQLite and
PostgreSQL, and stays put otherwise."""

from __future__ import annotations

from datetime import UTC, datetime

from broadsheet.storage import Store
from broadsheet.storage.versions import content_version
from broadsheet.types import ExtractedArticle

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_every_change_a_page_shows_moves_the_version(store: Store) -> None:
    seen = [content_version(store.engine)]

    def moved() -> bool:
        seen.append(content_version(store.engine))
        return seen[-1] != seen[-2]

    assert not moved()  # reading changes nothing
    source, _ = store.add_source("https://a.example/feed", now=NOW)
    assert moved()
    article = store.save_article(
        ExtractedArticle(title="T", text="x", html="<p>x</p>"), url="https://a.example/1",
        source_id=source.id, now=NOW,
    ).id  # fmt: skip
    assert moved()
    story = store.stories.create_story(NOW)
    assert moved()
    store.stories.record_assignment(article, story, now=NOW.replace(minute=1), headline="T")
    assert moved()
    pick = store.curation.create_pick(article_id=article, note="n", starts_at=NOW, ends_at=None,
                                      now=NOW)  # fmt: skip
    assert moved()
    store.curation.delete_pick(pick)
    assert moved()
    store.curation.set_standing(source.id, 2.0, now=NOW)
    assert moved()
    store.curation.set_standing(source.id, 3.0, now=NOW)  # the same instant, another weight
    assert moved()
    assert not moved()
