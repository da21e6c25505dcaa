"""The For you page: the best-scored candidates, shaped into a page a person wants to read.

Shaping is a greedy pass over a short list (a few hundred rows found with ``argpartition``): one
item per story (syndicated copies and other outlets' versions fold into the best-scored one),
maximal marginal relevance against what is already on the page, no two items of one topic in a row,
a cap on any topic's share, and a slot kept every few items for a top story. Each item carries the
reason that contributed most to its place.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

import numpy as np
import numpy.typing as npt

from broadsheet.rank.foryou.candidates import Candidate, CandidateIndex
from broadsheet.rank.foryou.config import ForYouConfig
from broadsheet.rank.foryou.coread import CoReading
from broadsheet.rank.foryou.profile import ReaderProfile, affinity_of
from broadsheet.rank.foryou.scoring import Scores, score_candidates

__all__ = ["FeedItem", "ReasonKind", "build_for_you"]

ReasonKind = Literal["follow", "interest", "similar", "coread", "top_story", "popular", "new"]
Ints = npt.NDArray[np.int64]
_PERSONAL_FLOOR = 0.1  # below this, a personal component does not count as the reason


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One item of the page. ``why`` and ``about`` let a view phrase ``reason`` its own way."""

    article_id: str
    story_id: str
    score: float
    reason: str
    why: ReasonKind
    about: str | None = None


def build_for_you(
    profile: ReaderProfile,
    candidates: CandidateIndex,
    *,
    now: datetime,
    top_story_ids: Collection[str] = (),
    limit: int = 30,
    rng: np.random.Generator | None = None,
    coread: CoReading | None = None,
    search_hits: Mapping[str, Collection[str]] | None = None,
    labels: Mapping[str, str] | None = None,
    config: ForYouConfig | None = None,
) -> list[FeedItem]:
    """The reader's page of at most ``limit`` items, best first.

    ``top_story_ids`` come from the top-stories ranking; ``coread`` is fitted in batch on every
    reader's signals; ``search_hits`` maps each followed saved search to the articles it matches;
    ``labels`` maps topic, entity, source and search ids to the names shown in reasons.
    """
    cfg = config or ForYouConfig()
    if len(candidates) == 0 or limit <= 0:
        return []
    tops = frozenset(top_story_ids)
    hits = search_hits or {}
    scores = score_candidates(
        profile,
        candidates,
        now=now,
        top_story_ids=tops,
        coread=coread,
        search_hits=hits,
        config=cfg,
    )
    total = scores.total.astype(np.float64)
    if rng is not None and cfg.explore > 0:
        total += cfg.explore * rng.gumbel(size=len(total))
    _exclude(total, profile, candidates, now, cfg)
    rows = _shortlist(total, candidates, scores, limit * cfg.shortlist_factor)
    picked = _select(rows, total, candidates, scores, limit, cfg)
    context = _Context(profile, candidates, scores, hits, labels or {})
    return [_item(int(r), float(total[r]), context) for r in picked]


def _exclude(
    total: npt.NDArray[np.float64],
    profile: ReaderProfile,
    index: CandidateIndex,
    now: datetime,
    cfg: ForYouConfig,
) -> None:
    """Already read, hidden, too old or not yet published: never on the page.

    Reading one article of a story also removes the story's other articles published by then
    (other outlets' versions, syndicated copies); what the story gains later may come back.
    """
    gone = [index.row_of[a] for a in profile.seen | profile.hidden_articles if a in index.row_of]
    total[gone] = -np.inf
    if profile.read_stories or profile.hidden_stories:
        times = {**profile.read_stories, **dict.fromkeys(profile.hidden_stories, np.inf)}
        codes = [index.stories.get(story) for story in times]
        known = [(c, at) for c, at in zip(codes, times.values(), strict=True) if c is not None]
        cut = np.full(len(index.stories) + 1, -np.inf)  # per story: gone if published by then
        cut[[c for c, _ in known]] = [at for _, at in known]
        total[index.published <= cut[index.story_codes]] = -np.inf
    oldest = (now - timedelta(days=cfg.max_age_days)).timestamp()
    total[(index.published < oldest) | (index.published > now.timestamp())] = -np.inf


def _shortlist(
    total: npt.NDArray[np.float64], index: CandidateIndex, scores: Scores, size: int
) -> Ints:
    """The best row of each story among the top ``size`` rows and every top story, best first."""
    size = min(size, len(total))
    rows = np.argpartition(-total, size - 1)[:size]
    rows = np.union1d(rows, np.flatnonzero(scores.top_story > 0))
    rows = rows[np.isfinite(total[rows])]
    rows = rows[np.argsort(-total[rows], kind="stable")]
    _, first = np.unique(index.story_codes[rows], return_index=True)
    return rows[np.sort(first)]


def _select(
    rows: Ints,
    total: npt.NDArray[np.float64],
    index: CandidateIndex,
    scores: Scores,
    limit: int,
    cfg: ForYouConfig,
) -> list[int]:
    """Greedy MMR with topic rules and a kept slot for top stories."""
    vecs = index.vectors[rows]
    sims = vecs @ vecs.T if vecs.shape[1] else np.zeros((len(rows), len(rows)), np.float32)
    base = total[rows]
    topics = index.topic_codes[rows, 0]
    pad = len(index.topics)
    is_top = scores.top_story[rows] > 0
    state = _PageState(len(rows), pad, max(1, math.ceil(cfg.max_topic_share * limit)))
    picked: list[int] = []
    for slot in range(min(limit, len(rows))):
        want_top = (slot + 1) % cfg.top_story_every == 0 if cfg.top_story_every > 0 else False
        j = state.choose(base - cfg.diversity * state.max_sim, topics, is_top if want_top else None)
        if j is None:
            break
        state.take(j, sims[:, j], topics[j])
        picked.append(int(rows[j]))
    return picked


class _PageState:
    """What is on the page so far: used rows, nearest similarity, topic counts, last topic."""

    def __init__(self, size: int, pad: int, cap: int) -> None:
        self.available = np.ones(size, dtype=bool)
        self.max_sim = np.zeros(size, dtype=np.float64)
        self.topic_counts = np.zeros(pad + 1, dtype=np.int64)
        self.pad, self.cap = pad, cap
        self.last_topic = pad

    def choose(
        self,
        value: npt.NDArray[np.float64],
        topics: npt.NDArray[np.int32],
        prefer: npt.NDArray[np.bool_] | None,
    ) -> int | None:
        untopical = topics == self.pad
        under_cap = (self.topic_counts[topics] < self.cap) | untopical
        new_topic = (topics != self.last_topic) | untopical
        fits = self.available & under_cap & new_topic
        tiers = [fits & prefer] if prefer is not None else []
        for allowed in [*tiers, fits, self.available & new_topic, self.available]:
            if allowed.any():
                return int(np.argmax(np.where(allowed, value, -np.inf)))
        return None

    def take(self, j: int, sims: npt.NDArray[np.float32], topic: int) -> None:
        self.available[j] = False
        np.maximum(self.max_sim, sims, out=self.max_sim)
        if topic != self.pad:
            self.topic_counts[topic] += 1
        self.last_topic = topic


@dataclass(frozen=True, slots=True)
class _Context:
    """What explaining an item needs."""

    profile: ReaderProfile
    index: CandidateIndex
    scores: Scores
    search_hits: Mapping[str, Collection[str]]
    labels: Mapping[str, str]


def _item(row: int, score: float, ctx: _Context) -> FeedItem:
    c = ctx.index.candidates[row]
    why, about = _reason(row, ctx)
    return FeedItem(c.article_id, c.story_id, score, _phrase(why, about, ctx.labels), why, about)


def _reason(row: int, ctx: _Context) -> tuple[ReasonKind, str | None]:
    c, scores = ctx.index.candidates[row], ctx.scores
    if scores.follow[row] > 0:
        return "follow", _followed_match(ctx, c)
    parts = {
        "coread": scores.coread[row],
        "interest": scores.affinity[row],
        "similar": scores.content[row],
    }
    best = max(parts, key=lambda k: parts[k])
    if parts[best] >= _PERSONAL_FLOOR and parts[best] >= scores.top_story[row]:
        if best == "interest":
            return "interest", _best_interest(ctx.profile, ctx.index, c)
        return ("coread" if best == "coread" else "similar"), None
    if scores.top_story[row] > 0:
        return "top_story", None
    return ("popular" if scores.popularity[row] >= scores.freshness[row] else "new"), None


def _followed_match(ctx: _Context, c: Candidate) -> str | None:
    follows = ctx.profile.follows
    for kind, values in (("topic", c.topics), ("entity", c.entities), ("source", (c.source,))):
        for v in values:
            if (kind, v) in follows:
                return v
    for search in ctx.profile.followed("search"):
        if c.article_id in ctx.search_hits.get(search, ()):
            return search
    return None


def _best_interest(profile: ReaderProfile, index: CandidateIndex, c: Candidate) -> str | None:
    topics, entities, source = c.topics, c.entities, c.source
    options = [(affinity_of(index.topics, profile.topic_affinity, t), t) for t in topics]
    options += [(affinity_of(index.entities, profile.entity_affinity, e), e) for e in entities]
    options.append((affinity_of(index.sources, profile.source_affinity, source), source))
    weight, name = max(options, key=lambda o: o[0])
    return name if weight > 0 else None


def _phrase(why: ReasonKind, about: str | None, labels: Mapping[str, str]) -> str:
    name = labels.get(about, about) if about is not None else None
    match why:
        case "follow":
            return f"because you follow {name}"
        case "interest" if name is not None:
            return f"because you read about {name}"
        case "interest" | "similar":
            return "like articles you read"
        case "coread":
            return "readers like you read this"
        case "top_story":
            return "top story"
        case "popular":
            return "popular now"
        case _:
            return "new"
