"""Top stories: breadth of coverage, velocity, recency and originality, then diversity.

A pure function of the stories' coverage and the clock. Breadth counts distinct outlets weighted
by each outlet's standing (1.0 unless an editor set another), with diminishing returns; velocity
is the share of coverage that arrived recently; recency decays with a half-life; originality is the
share of coverage that is not a syndicated copy. Diversity is a greedy re-ranking that discounts a
story whose headline repeats words of stories already chosen, so one topic cannot fill the page.
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
) -> list[RankedStory]:
    """The best ``limit`` stories, best first, with repeats of one topic pushed down."""
    standing = standing or {}
    scored = {c.story_id: _score(c, now, standing, half_life) for c in coverage}
    words = {c.story_id: headline_words(c.headline) for c in coverage}
    remaining = sorted(scored, key=lambda s: -scored[s])
    chosen: list[RankedStory] = []
    seen: set[str] = set()

    def adjusted(story_id: int) -> float:
        mine = words[story_id]
        overlap = len(mine & seen) / len(mine) if mine else 0.0
        return scored[story_id] * (1.0 - overlap_penalty * overlap)

    while remaining and len(chosen) < limit:
        best = max(remaining[: limit * 3], key=adjusted)
        remaining.remove(best)
        chosen.append(RankedStory(best, adjusted(best)))
        seen |= words[best]
    return chosen
