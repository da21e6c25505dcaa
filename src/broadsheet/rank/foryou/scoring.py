"""Scores of candidates for one reader, as separate components so that every item can say why.

All vectorised over the candidate arrays: one matrix-vector product for content, gathers for
affinities and follows, one scatter for co-reading.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt

from broadsheet.rank.foryou.candidates import CandidateIndex, Vocabulary
from broadsheet.rank.foryou.config import ForYouConfig
from broadsheet.rank.foryou.coread import CoReading
from broadsheet.rank.foryou.profile import ReaderProfile

__all__ = ["Scores", "score_candidates"]

Floats = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True, eq=False)
class Scores:
    """Weighted score components per candidate row; ``total`` is their sum."""

    content: Floats
    affinity: Floats
    follow: Floats
    coread: Floats
    popularity: Floats
    freshness: Floats
    top_story: Floats

    @property
    def personal(self) -> Floats:
        return self.content + self.affinity + self.coread

    @property
    def total(self) -> Floats:
        return self.personal + self.follow + self.popularity + self.freshness + self.top_story


def score_candidates(
    profile: ReaderProfile,
    index: CandidateIndex,
    *,
    now: datetime,
    top_story_ids: frozenset[str] = frozenset(),
    coread: CoReading | None = None,
    search_hits: Mapping[str, Collection[str]] | None = None,
    config: ForYouConfig | None = None,
) -> Scores:
    """Every component for every candidate row of ``index``.

    ``search_hits`` maps a saved search the reader follows to the article ids it matches now (the
    search engine finds them; the model only counts them as followed).
    """
    cfg = config or ForYouConfig()
    n = len(index)
    return Scores(
        content=_content(profile, index, cfg),
        affinity=cfg.affinity * _affinity(profile, index, cfg),
        follow=cfg.follow * _follows(profile, index, search_hits or {}),
        coread=(
            cfg.coread * coread.scores(profile.liked, index)
            if coread is not None and profile.liked
            else np.zeros(n, np.float32)
        ),
        popularity=cfg.popularity * index.popularity,
        freshness=cfg.freshness * freshness(index, now, cfg.freshness_half_life_hours),
        top_story=cfg.top_story * _top(index, top_story_ids),
    )


def freshness(index: CandidateIndex, now: datetime, half_life_hours: float) -> Floats:
    """1 for an article published now (or later), halving every ``half_life_hours``."""
    newest, curve = index.freshness_curve(half_life_hours)
    scale = np.float32(np.exp2(-(now.timestamp() - newest) / (half_life_hours * 3600.0)))
    out: Floats = np.minimum(curve * scale, np.float32(1.0))
    return out


def _content(profile: ReaderProfile, index: CandidateIndex, cfg: ForYouConfig) -> Floats:
    if index.dim == 0 or len(profile.vector) != index.dim:
        return np.zeros(len(index), np.float32)
    query = cfg.content * profile.vector - cfg.dislike * profile.dislike
    if not query.any():
        return np.zeros(len(index), np.float32)
    out: Floats = index.vectors @ query.astype(np.float32)
    return out


def _affinity(profile: ReaderProfile, index: CandidateIndex, cfg: ForYouConfig) -> Floats:
    out = cfg.source_share * profile.source_affinity[index.source_codes]
    for share, table, cols in (
        (cfg.topic_share, profile.topic_affinity, index.topic_cols),
        (cfg.entity_share, profile.entity_affinity, index.entity_cols),
    ):
        if table.any():
            scaled = share * table
            for col in cols:
                out += scaled[col]
    result: Floats = np.tanh(cfg.affinity_gain * out).astype(np.float32)
    return result


def _follows(
    profile: ReaderProfile, index: CandidateIndex, search_hits: Mapping[str, Collection[str]]
) -> Floats:
    out = np.zeros(len(index), np.float32)
    for search in profile.followed("search"):
        rows = [r for a in search_hits.get(search, ()) if (r := index.row_of.get(a)) is not None]
        out[rows] = 1.0
    if not profile.follows:
        return out
    pairs = (
        (index.sources, profile.followed("source"), index.source_codes[None, :]),
        (index.topics, profile.followed("topic"), index.topic_cols),
        (index.entities, profile.followed("entity"), index.entity_cols),
    )
    for vocab, followed, cols in pairs:
        if followed:
            table = _lookup(vocab, dict.fromkeys(followed, 1.0))
            for col in cols:
                np.maximum(out, table[col], out=out)
    return out


def _top(index: CandidateIndex, top_story_ids: frozenset[str]) -> Floats:
    out = np.zeros(len(index), np.float32)
    out[index.rows_of_stories(top_story_ids)] = 1.0
    return out


def _lookup(vocab: Vocabulary, values: Mapping[str, float]) -> Floats:
    """A table over ``vocab`` codes plus the zero padding slot."""
    table = np.zeros(len(vocab) + 1, np.float32)
    for name, value in values.items():
        code = vocab.get(name)
        if code is not None and math.isfinite(value):
            table[code] = value
    return table
