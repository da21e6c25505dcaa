"""Kept text analyses on SQLite and PostgreSQL: read back only for the state they were made of."""

from __future__ import annotations

from datetime import UTC, datetime

from broadsheet.storage import Store
from broadsheet.storage.story_texts import StoryTexts

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_an_analysis_is_read_back_only_at_its_version(store: Store) -> None:
    texts = StoryTexts(store.engine)
    story = store.stories.create_story(NOW)
    assert texts.get(story, "v1") is None
    texts.put(story, "v1", {"summary": ["One."]}, now=NOW)
    assert texts.get(story, "v1") == {"summary": ["One."]}
    texts.put(story, "v2", {"summary": ["Two."]}, now=NOW)  # the story grew: replaced
    assert texts.get(story, "v1") is None
    assert texts.get(story, "v2") == {"summary": ["Two."]}
    texts.put(story, "v2", {"summary": ["Again."]}, now=NOW)  # made twice at once: both succeed
    assert texts.get(story, "v2") == {"summary": ["Again."]}
