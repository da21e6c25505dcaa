from __future__ import annotations

import numpy as np

from broadsheet.rank.foryou import build_profile
from broadsheet.rank.foryou.profile import affinity_of
from tests.rank.foryou_fakes import NOW, signal, topic_vector, world


def test_empty_profile_is_cold() -> None:
    profile = build_profile("ann", [], world(), now=NOW)
    assert profile.is_cold
    assert not profile.vector.any()
    assert profile.signal_count == 0


def test_reads_shape_content_and_topic_affinity() -> None:
    index = world()
    profile = build_profile(
        "ann", [signal("read_end", f"iran-{n}-0") for n in range(3)], index, now=NOW
    )
    assert not profile.is_cold
    assert float(profile.vector @ index.vectors[index.row_of["iran-5-0"]]) > 0.5
    iran = affinity_of(index.topics, profile.topic_affinity, "iran")
    films = affinity_of(index.topics, profile.topic_affinity, "films")
    assert iran > 0 > films  # read only Iran: films is read less than its share of the index
    assert profile.seen == {"iran-0-0", "iran-1-0", "iran-2-0"}


def test_other_readers_signals_are_ignored() -> None:
    index = world()
    profile = build_profile("ann", [signal("save", "iran-1-0", reader="bob")], index, now=NOW)
    assert profile.is_cold and profile.signal_count == 0


def test_old_behaviour_fades_but_follows_do_not() -> None:
    index = world()
    recent = build_profile(
        "ann",
        [
            signal("open", "films-1-0", hours_ago=1),
            signal("open", "markets-1-0", hours_ago=24 * 60),
        ],
        index,
        now=NOW,
    )
    films = affinity_of(index.topics, recent.topic_affinity, "films")
    markets = affinity_of(index.topics, recent.topic_affinity, "markets")
    assert films > markets
    follow = build_profile(
        "ann", [signal("follow", "iran", target_kind="topic", hours_ago=24 * 365)], index, now=NOW
    )
    assert follow.followed("topic") == {"iran"}


def test_hide_marks_article_and_story_and_dislike() -> None:
    index = world()
    profile = build_profile("ann", [signal("hide", "climate-2-0")], index, now=NOW)
    assert profile.hidden_articles == {"climate-2-0"}
    assert profile.hidden_stories == {"story-climate-2"}
    assert float(profile.dislike @ topic_vector("climate")) > 0.5
    assert "climate-2-0" not in profile.seen


def test_direct_more_and_less_on_a_topic_and_unknown_targets() -> None:
    index = world()
    profile = build_profile(
        "ann",
        [
            signal("more", "science", target_kind="topic"),
            signal("less", "films", target_kind="topic"),
            signal("less", "nowhere", target_kind="topic"),
            signal("open", "gone-article"),
            signal("follow", "q=rates", target_kind="search"),
        ],
        index,
        now=NOW,
    )
    assert affinity_of(index.topics, profile.topic_affinity, "science") > 0
    assert affinity_of(index.topics, profile.topic_affinity, "films") < 0
    assert profile.seen == {"gone-article"}  # still excluded if it comes back
    assert ("search", "q=rates") in profile.follows
    assert np.isfinite(profile.topic_affinity).all()
