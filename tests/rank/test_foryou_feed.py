from __future__ import annotations

import itertools
from collections import Counter

import numpy as np

from broadsheet.rank.foryou import (
    CoReading,
    FeedItem,
    ForYouConfig,
    Signal,
    build_for_you,
    build_profile,
    erase_signals,
)
from broadsheet.rank.foryou.candidates import CandidateIndex
from tests.rank.foryou_fakes import NOW, TOPICS, signal, world

TOP = ("story-markets-0", "story-films-1", "story-science-2")


def page(
    signals: list[Signal], index: CandidateIndex | None = None, **kw: object
) -> list[FeedItem]:
    idx = index if index is not None else world()
    profile = build_profile("ann", signals, idx, now=NOW)
    kw.setdefault("limit", 12)
    return build_for_you(profile, idx, now=NOW, top_story_ids=TOP, **kw)  # type: ignore[arg-type]


def topic_of(item: FeedItem) -> str:
    return item.article_id.split("-")[0]


def test_cold_start_is_top_stories_and_popular() -> None:
    items = page([])
    assert {i.story_id for i in items[:3]} == set(TOP)
    assert all(i.reason in ("top story", "popular now", "new") for i in items)
    assert [i.reason for i in items[:3]] == ["top story"] * 3


def test_follow_gives_reason_and_lifts_topic() -> None:
    items = page([signal("follow", "iran", target_kind="topic")])
    followed = [i for i in items if i.why == "follow"]
    assert followed and all(i.reason == "because you follow iran" for i in followed)
    assert topic_of(items[0]) == "iran"


def test_labels_name_what_is_followed() -> None:
    index = world()
    profile = build_profile("ann", [signal("follow", "iran", target_kind="topic")], index, now=NOW)
    items = build_for_you(profile, index, now=NOW, labels={"iran": "Iran"}, limit=5)
    assert "because you follow Iran" in {i.reason for i in items}


def test_a_new_signal_changes_the_next_page() -> None:
    before = page([])
    likes = [signal("read_end", f"climate-{n}-0") for n in range(3)]
    after = page(likes)
    assert [i.article_id for i in before] != [i.article_id for i in after]
    climate = [i for i in after if topic_of(i) == "climate"]
    assert len(climate) >= 3
    assert any(i.reason.startswith("because you read about") or i.why == "similar" for i in climate)


def test_read_articles_and_hidden_stories_leave_the_page() -> None:
    signals = [signal("open", "climate-1-0"), signal("hide", "iran-2-0")]
    ids = {i.article_id for i in page(signals, limit=48)}
    assert "climate-1-0" not in ids
    assert "iran-2-0" not in ids


def test_hide_and_less_push_a_topic_down() -> None:
    liked = [signal("save", "football-1-0"), signal("save", "football-2-0")]
    base = Counter(topic_of(i) for i in page(liked))
    disliked = [*liked, signal("less", "markets", target_kind="topic")]
    disliked += [signal("hide", f"markets-{n}-0") for n in range(3)]
    after = Counter(topic_of(i) for i in page(disliked))
    assert after["markets"] < max(base["markets"], 1)


def test_erasing_signals_resets_to_cold_start() -> None:
    signals = [signal("follow", "iran", target_kind="topic"), signal("save", "films-3-0")]
    assert page(signals) != page([])
    remaining = erase_signals(signals, "ann")
    assert page(remaining) == page([])


def test_one_item_per_story() -> None:
    index = world(copies=3)
    items = page([signal("read_end", "science-1-0")], index, limit=30)
    stories = [i.story_id for i in items]
    assert len(stories) == len(set(stories))


def test_no_run_of_one_topic() -> None:
    signals = [signal("save", f"iran-{n}-0", hours_ago=n) for n in range(6)]
    signals.append(signal("follow", "iran", target_kind="topic"))
    items = page(signals, limit=12)
    topics = [topic_of(i) for i in items]
    assert all(a != b for a, b in itertools.pairwise(topics))
    assert Counter(topics)["iran"] <= 5


def test_top_story_slot_is_kept_for_a_warm_reader() -> None:
    signals = [signal("save", f"iran-{n}-0") for n in range(4)]
    items = page(signals, limit=10)
    assert any(i.story_id in TOP for i in items)


def test_readers_like_you() -> None:
    others = [
        Signal(r, "read_end", a, NOW, "article")
        for r in ("bob", "cy", "dee")
        for a in ("films-1-0", "science-5-0")
    ]
    coread = CoReading.fit(others)
    mine = [signal("read_end", "films-1-0")]
    cfg = ForYouConfig(content=0.0, affinity=0.0, coread=3.0)
    items = page(mine, coread=coread, config=cfg)
    match = [i for i in items if i.article_id == "science-5-0"]
    assert match and match[0].reason == "readers like you read this"


def test_same_inputs_same_page_and_rng_only_explores_when_asked() -> None:
    signals = [signal("open", "films-2-0")]
    assert page(signals, rng=np.random.default_rng(1)) == page(signals)
    cfg = ForYouConfig(explore=5.0)
    assert page(signals, rng=np.random.default_rng(1), config=cfg) != page(signals, config=cfg)


def test_old_articles_and_empty_index() -> None:
    index = CandidateIndex([])
    profile = build_profile("ann", [], index, now=NOW)
    assert build_for_you(profile, index, now=NOW) == []
    cfg = ForYouConfig(max_age_days=0.1)
    assert all(topic_of(i) in TOPICS for i in page([], config=cfg))
    assert len(page([], config=cfg)) == 6  # one per topic published within ~2.4 h


def test_follow_and_likes_change_the_page_with_reasons_and_erasing_resets_it() -> None:
    """The issue's "done when": follow a topic, like a few articles, see why; erase, start over."""
    cold = page([])
    signals = [signal("follow", "climate", target_kind="topic", hours_ago=3)]
    signals += [signal("more", f"science-{n}-0", hours_ago=2 - n / 2) for n in range(3)]
    warm = page(signals)
    reasons = {i.reason for i in warm}
    assert "because you follow climate" in reasons
    assert any(
        r.startswith("because you read about") or r == "like articles you read" for r in reasons
    )
    assert [i.article_id for i in warm] != [i.article_id for i in cold]
    assert page(erase_signals(signals, "ann")) == cold


def test_reading_a_story_removes_its_other_versions_published_by_then() -> None:
    index = world(copies=3)  # copy k of story n is published 2 + 3n + k hours ago
    read = [signal("read_end", "films-1-0", hours_ago=0.5)]
    ids = {i.article_id for i in page(read, index, limit=48)}
    assert not ids & {"films-1-0", "films-1-1", "films-1-2"}
    early = [signal("read_end", "films-0-2", hours_ago=3.5)]  # copies 0 and 1 came later
    ids = {i.article_id for i in page(early, index, limit=48)}
    assert ids & {"films-0-0", "films-0-1"}


def test_a_followed_saved_search_brings_its_matches_with_its_name() -> None:
    index = world()
    follow = [signal("follow", "search-7", target_kind="search")]
    profile = build_profile("ann", follow, index, now=NOW)
    items = build_for_you(
        profile,
        index,
        now=NOW,
        limit=6,
        labels={"search-7": '"rate cut"'},
        search_hits={"search-7": ["markets-6-0", "markets-7-0"]},
    )
    matched = [i for i in items if i.why == "follow"]
    assert {i.article_id for i in matched} == {"markets-6-0", "markets-7-0"}
    assert matched[0].reason == 'because you follow "rate cut"'
    assert matched[0].about == "search-7"


def test_a_page_with_everything_read_is_empty_not_an_error() -> None:
    index = world(per_topic=1)
    everything = [signal("open", c.article_id) for c in index.candidates]
    assert page(everything, index) == []
    assert len(page([], index, limit=100)) == len(TOPICS)
