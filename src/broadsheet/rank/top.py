"""Top stories: breadth of coverage, velocity, recency and originality, then diversity.

A pure function of the stories' coverage and the clock. Breadth counts distinct outlets weighted
by each outlet's standing (1.0 unless an editor set another), with diminishing returns; velocity
is the share of coverage that arrived recently; recency decays with a half-life; originality is the
share of coverage that is not a syndicated copy. Diversity is a greedy re-ranking that discounts a
story whose headline repeats words of stories already chosen, and holds each section (politics,
sport, …) to a share of the page, so one topic cannot fill it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = ["Coverage", "RankedStory", "headline_words", "rank_top_stories"]

_WORD = re.compile(r"[^\W\d_]{4,}")


@dataclass(frozen=True, slots=True)
class Coverage:
    """What ranking needs to know of one story."""

    story_id: int
    headline: str
    outlets: tuple[int, ...]  # distinct source ids
    article_times: tuple[datetime, ...]
    copies: int = 0  # members that are syndicated copies of another member
    topic: str | None = None  # the section most of its articles are in


@dataclass(frozen=True, slots=True)
class RankedStory:
    story_id: int
    score: float


def _breadth(outlets: Sequence[int], standing: Mapping[int, float]) -> float:
    weight = sum(standing.get(o, 1.0) for o in outlets)
    return math.log1p(weight)


def _score(
    c: Coverage, now: datetime, standing: Mapping[int, float], half_life: timedelta
) -> float:
    if not c.article_times:
        return 0.0
    latest = max(c.article_times)
    age = max((now - latest).total_seconds(), 0.0)
    recency = math.pow(0.5, age / half_life.total_seconds())
    recent = sum(1 for t in c.article_times if now - t <= half_life / 2)
    velocity = 1.0 + recent / len(c.article_times)
    originality = 1.0 - 0.5 * c.copies / len(c.article_times)
    return _breadth(c.outlets, standing) * recency * velocity * originality


def headline_words(headline: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(headline)}


def rank_top_stories(
    coverage: Sequence[Coverage],
    *,
    now: datetime,
    standing: Mapping[int, float] | None = None,
    limit: int = 20,
    half_life: timedelta = timedelta(hours=12),
    overlap_penalty: float = 0.5,
    max_topic_share: float = 0.4,
) -> list[RankedStory]:
    """The best ``limit`` stories, best first, with repeats of one topic pushed down and no
    section holding more than ``max_topic_share`` of the page while others have stories."""
    standing = standing or {}
    scored = {c.story_id: _score(c, now, standing, half_life) for c in coverage}
    words = {c.story_id: headline_words(c.headline) for c in coverage}
    topic = {c.story_id: c.topic for c in coverage}
    cap = max(1, math.ceil(max_topic_share * limit))
    remaining = sorted(scored, key=lambda s: -scored[s])
    chosen: list[RankedStory] = []
    seen: set[str] = set()
    held: dict[str, int] = {}

    def open_to(story_id: int) -> bool:
        t = topic[story_id]
        return t is None or held.get(t, 0) < cap

    def adjusted(story_id: int) -> float:
        mine = words[story_id]
        overlap = len(mine & seen) / len(mine) if mine else 0.0
        return scored[story_id] * (1.0 - overlap_penalty * overlap)

    while remaining and len(chosen) < limit:
        allowed = [s for s in remaining if open_to(s)] or remaining  # a full page beats the cap
        best = max(allowed[: limit * 3], key=adjusted)
        remaining.remove(best)
        chosen.append(RankedStory(best, adjusted(best)))
        seen |= words[best]
        section = topic[best]
        if section is not None:
            held[section] = held.get(section, 0) + 1
    return chosen
