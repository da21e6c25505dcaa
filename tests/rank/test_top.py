"""Top stories: breadth weighted by standing, recency, originality, and the two diversity rules
(repeated headline words pushed down, no section holding more than its share of the page)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from broadsheet.rank.top import Coverage, rank_top_stories

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def story(
    story_id: int, outlets: int, *, hours_ago: float = 1, headline: str = "", copies: int = 0,
    topic: str | None = None,
) -> Coverage:  # fmt: skip
    times = tuple(NOW - timedelta(hours=hours_ago) for _ in range(outlets))
    return Coverage(story_id, headline or f"Story number {story_id}", tuple(range(outlets)),
                    times, copies, topic)  # fmt: skip


def ids(coverage: list[Coverage], **kw: object) -> list[int]:
    return [r.story_id for r in rank_top_stories(coverage, now=NOW, **kw)]  # type: ignore[arg-type]


def test_breadth_recency_and_originality_order_the_page() -> None:
    assert ids([story(1, 2), story(2, 9), story(3, 5)]) == [2, 3, 1]
    assert ids([story(1, 5, hours_ago=30), story(2, 5, hours_ago=1)]) == [2, 1]
    assert ids([story(1, 5, copies=4), story(2, 5)]) == [2, 1]


def test_an_editors_standing_weighs_an_outlet() -> None:
    few_trusted = Coverage(1, "Alpha event", (100,), (NOW,))
    many = Coverage(2, "Beta happening", (1, 2), (NOW, NOW))
    assert ids([few_trusted, many]) == [2, 1]
    assert ids([few_trusted, many], standing={100: 5.0}) == [1, 2]


def test_headlines_repeating_chosen_words_are_pushed_down() -> None:
    coverage = [
        story(1, 9, headline="Iran nuclear talks resume"),
        story(2, 8, headline="Iran nuclear talks stall"),
        story(3, 7, headline="Harvest festival opens"),
    ]
    assert ids(coverage) == [1, 3, 2]
    assert ids(coverage, overlap_penalty=0.0) == [1, 2, 3]


def test_one_section_cannot_fill_the_page() -> None:
    politics = [story(i, 20 - i, topic="politics") for i in range(1, 9)]
    others = [story(20, 3, topic="sport"), story(21, 2, topic="science"), story(22, 1)]
    page = ids(politics + others, limit=5)
    assert page[:2] == [1, 2] and sum(1 for s in page if s < 20) == 2  # 40% of five
    assert set(page) >= {20, 21, 22}
    assert ids(politics, limit=5) == [1, 2, 3, 4, 5]  # nothing else: a full page beats the cap
