"""The articles a page can show, packed once into arrays so that a page costs a few vector ops.

Hand-written because the work is specific: topics and entities become small padded code arrays
(an article has a handful of each) so that a reader's affinities over 100,000 candidates are one
gather and one sum, without a sparse-matrix library; vectors become one float32 matrix.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import numpy.typing as npt

from broadsheet.rank.foryou.embed import normalise_rows

__all__ = ["Candidate", "CandidateIndex"]

MAX_TOPICS = 3
MAX_ENTITIES = 8

Ints = npt.NDArray[np.int32]
Floats = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True, eq=False)
class Candidate:
    """An article as the For you model sees it.

    ``story_id`` groups syndicated copies and other outlets' coverage of one event; ``topics`` come
    first-most-important; ``popularity`` is recent reads (any non-negative count); ``vector`` is the
    article's content vector (any length, normalised here).
    """

    article_id: str
    story_id: str
    source: str
    published: datetime
    topics: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    popularity: float = 0.0
    vector: npt.NDArray[np.float32] = field(default_factory=lambda: np.zeros(0, dtype=np.float32))


class Vocabulary:
    """Ids to dense codes; code ``len(self)`` after freezing is the padding slot."""

    __slots__ = ("codes", "names")

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}
        self.names: list[str] = []

    def __len__(self) -> int:
        return len(self.names)

    def code(self, name: str) -> int:
        c = self.codes.get(name)
        if c is None:
            c = self.codes[name] = len(self.names)
            self.names.append(name)
        return c

    def get(self, name: str) -> int | None:
        return self.codes.get(name)


class CandidateIndex:
    """Candidates as aligned arrays; row ``i`` is ``candidates[i]``."""

    def __init__(self, candidates: Sequence[Candidate], dim: int | None = None) -> None:
        self.candidates = list(candidates)
        self.row_of = {c.article_id: i for i, c in enumerate(self.candidates)}
        self.sources, self.topics, self.entities, self.stories = (Vocabulary() for _ in range(4))
        self.source_codes = self._single(self.sources, (c.source for c in self.candidates))
        self.topic_codes = self._codes(self.topics, (c.topics for c in self.candidates), MAX_TOPICS)
        self.entity_codes = self._codes(
            self.entities, (c.entities for c in self.candidates), MAX_ENTITIES
        )
        self.story_codes = self._single(self.stories, (c.story_id for c in self.candidates))
        # Column-major copies: a gather per column beats a reduction along short rows.
        self.topic_cols = np.ascontiguousarray(self.topic_codes.T)
        self.entity_cols = np.ascontiguousarray(self.entity_codes.T)
        self.source_prior = _prior(self.source_codes[:, None], len(self.sources))
        self.topic_prior = _prior(self.topic_codes, len(self.topics), by_rank=True)
        self.entity_prior = _prior(self.entity_codes, len(self.entities))
        self.published = np.array([c.published.timestamp() for c in self.candidates], np.float64)
        pop = np.log1p(np.array([max(c.popularity, 0.0) for c in self.candidates], np.float32))
        top = float(pop.max()) if len(pop) else 0.0
        self.popularity = (pop / top if top > 0 else pop).astype(np.float32)
        self.vectors = self._vectors(dim)
        self._curves: dict[float, tuple[float, Floats]] = {}

    def __len__(self) -> int:
        return len(self.candidates)

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1])

    def get(self, article_id: str) -> Candidate | None:
        row = self.row_of.get(article_id)
        return None if row is None else self.candidates[row]

    def freshness_curve(self, half_life_hours: float) -> tuple[float, Floats]:
        """``2 ** ((published - newest) / half-life)`` per row, kept: a page only rescales it."""
        cached = self._curves.get(half_life_hours)
        if cached is None:
            newest = float(self.published.max()) if len(self.published) else 0.0
            curve = np.exp2((self.published - newest) / (half_life_hours * 3600.0))
            cached = self._curves[half_life_hours] = (newest, curve.astype(np.float32))
        return cached

    def rows_of_stories(self, story_ids: Iterable[str]) -> Ints:
        """Rows whose story is one of ``story_ids``."""
        codes = [c for s in story_ids if (c := self.stories.get(s)) is not None]
        if not codes:
            return np.zeros(0, dtype=np.int32)
        wanted = np.zeros(len(self.stories) + 1, dtype=bool)
        wanted[codes] = True
        return np.flatnonzero(wanted[self.story_codes]).astype(np.int32)

    def _single(self, vocab: Vocabulary, values: Iterable[str]) -> Ints:
        return np.array([vocab.code(v) for v in values], dtype=np.int32)

    def _codes(self, vocab: Vocabulary, values: Iterable[Iterable[str]], width: int) -> Ints:
        rows = [[vocab.code(v) for v in dict.fromkeys(vs)][:width] for vs in values]
        pad = len(vocab)  # one past the last real code: always scores zero
        width = max((len(r) for r in rows), default=1) or 1
        out = np.full((len(rows), width), pad, dtype=np.int32)
        for i, r in enumerate(rows):
            out[i, : len(r)] = r
        return out

    def _vectors(self, dim: int | None) -> Floats:
        width = dim if dim is not None else max((len(c.vector) for c in self.candidates), default=0)
        out = np.zeros((len(self.candidates), width), dtype=np.float32)
        has = np.zeros(len(self.candidates), dtype=bool)
        for i, c in enumerate(self.candidates):
            if len(c.vector) == width:
                out[i], has[i] = c.vector, True
        out = normalise_rows(out)
        if has.sum() > 1:
            # Embeddings share a large common direction; without it cosines say more.
            out[has] -= out[has].mean(axis=0)
        return normalise_rows(out)


def _prior(codes: Ints, size: int, by_rank: bool = False) -> Floats:
    """Each code's share of the index (the k-th topic of an article counts 1/(k+1)); pad is 0."""
    out = np.zeros(size + 1, dtype=np.float64)
    for k in range(codes.shape[1]):
        out += np.bincount(codes[:, k], minlength=size + 1) / ((k + 1) if by_rank else 1)
    out[size] = 0.0
    total = out.sum()
    return (out / total if total > 0 else out).astype(np.float32)
