"""A reader's profile: what their signals say they like, summarised against the candidate index.

Built from scratch from the signals on every page (a thousand signals take a few
milliseconds, vectorised over the index's arrays), so a new signal changes the next page and erasing
signals resets the reader at once, with no state to keep in step. Behaviour fades with a half-life;
follows do not fade. Article signals teach through the articles the index holds; an article that
has left the index still counts as read or hidden, and its story stays hidden.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import numpy.typing as npt

from broadsheet.rank.foryou.candidates import CandidateIndex, Vocabulary
from broadsheet.rank.foryou.config import ForYouConfig
from broadsheet.rank.foryou.signals import Signal, TargetKind

__all__ = ["ReaderProfile", "affinity_of", "build_profile"]

Floats = npt.NDArray[np.float32]
_POSITIVE_ARTICLE = frozenset({"open", "read_end", "save", "more"})


@dataclass(frozen=True, slots=True, eq=False)
class ReaderProfile:
    """Interests of one reader at one moment, aligned with one ``CandidateIndex``.

    The affinity arrays are indexed by the index's source, topic and entity codes (plus a zero
    padding slot): each code's share of the reader's signal weight minus its share of the index,
    so that reading a topic only as often as it is published says nothing.
    """

    reader_id: str
    vector: Floats
    dislike: Floats
    source_affinity: Floats
    topic_affinity: Floats
    entity_affinity: Floats
    follows: frozenset[tuple[TargetKind, str]] = frozenset()
    liked: dict[str, float] = field(default_factory=dict)  # article -> decayed weight
    seen: frozenset[str] = frozenset()
    hidden_articles: frozenset[str] = frozenset()
    hidden_stories: frozenset[str] = frozenset()
    read_stories: dict[str, float] = field(default_factory=dict)  # story -> last read, epoch s
    signal_count: int = 0

    @property
    def is_cold(self) -> bool:
        """Nothing learnt from behaviour yet: the page rests on follows and top stories."""
        return not (
            self.liked
            or self.source_affinity.any()
            or self.topic_affinity.any()
            or self.entity_affinity.any()
        )

    def followed(self, kind: TargetKind) -> frozenset[str]:
        return frozenset(t for k, t in self.follows if k == kind)


@dataclass(slots=True)
class _Read:
    """The signals of one reader, sorted into what each part of the profile needs."""

    rows: list[int] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)
    direct: list[tuple[TargetKind, str, float]] = field(default_factory=list)
    follows: set[tuple[TargetKind, str]] = field(default_factory=set)
    liked: dict[str, float] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)
    hidden: set[str] = field(default_factory=set)
    read_rows: dict[int, float] = field(default_factory=dict)  # row -> last read, epoch s
    count: int = 0

    def add(self, s: Signal, strength: float, at: float, row: int | None) -> None:
        self.count += 1
        if s.target_kind != "article":
            if s.kind == "follow":
                self.follows.add((s.target_kind, s.target))
            elif s.target_kind != "search":
                self.direct.append((s.target_kind, s.target, strength))
            return
        if s.kind in _POSITIVE_ARTICLE:
            self.seen.add(s.target)
            self.liked[s.target] = self.liked.get(s.target, 0.0) + strength
            if row is not None:
                self.read_rows[row] = max(self.read_rows.get(row, 0.0), at)
        elif s.kind == "hide":
            self.hidden.add(s.target)
        if row is not None:
            self.rows.append(row)
            self.weights.append(strength)


def build_profile(
    reader_id: str,
    signals: Iterable[Signal],
    index: CandidateIndex,
    *,
    now: datetime,
    config: ForYouConfig | None = None,
) -> ReaderProfile:
    """The profile of ``reader_id`` from their signals (others' signals are ignored)."""
    cfg = config or ForYouConfig()
    read = _Read()
    mine = [s for s in signals if s.reader_id == reader_id]
    times = [s.at.timestamp() for s in mine]
    ages = np.maximum(now.timestamp() - np.array(times), 0.0)
    decay = np.exp2(-ages / (cfg.half_life_days * 86_400))
    strengths = np.array([s.strength for s in mine]) * decay
    row_of = index.row_of
    for s, strength, at in zip(mine, strengths.tolist(), times, strict=True):
        row = row_of.get(s.target) if s.target_kind == "article" else None
        read.add(s, strength, at, row)
    return _finish(reader_id, read, index)


def _finish(reader_id: str, read: _Read, index: CandidateIndex) -> ReaderProfile:
    rows = np.array(read.rows, dtype=np.int64)
    w = np.array(read.weights, dtype=np.float64)
    sources = _spread(index.source_codes[rows, None], w, len(index.sources))
    topics = _spread(index.topic_codes[rows], w, len(index.topics), by_rank=True)
    entities = _spread(index.entity_codes[rows], w, len(index.entities))
    tables = {
        "source": (index.sources, sources),
        "topic": (index.topics, topics),
        "entity": (index.entities, entities),
    }
    for kind, name, strength in read.direct:
        vocab, table = tables[kind]
        code = vocab.get(name)
        if code is not None:
            table[code] += strength
    mass = float(np.abs(w).sum() + sum(abs(x) for _, _, x in read.direct))
    scale = np.float32(1.0 / mass if mass > 0 else 0.0)
    hidden_rows = [r for a in read.hidden if (r := index.row_of.get(a)) is not None]
    return ReaderProfile(
        reader_id=reader_id,
        vector=_unit(np.clip(w, 0, None) @ index.vectors[rows]) if len(rows) else _zero(index),
        dislike=_unit(np.clip(-w, 0, None) @ index.vectors[rows]) if len(rows) else _zero(index),
        source_affinity=_excess(sources * scale, index.source_prior),
        topic_affinity=_excess(topics * scale, index.topic_prior),
        entity_affinity=_excess(entities * scale, index.entity_prior),
        follows=frozenset(read.follows),
        liked={k: v for k, v in read.liked.items() if v > 0},
        seen=frozenset(read.seen - read.hidden),
        hidden_articles=frozenset(read.hidden),
        hidden_stories=frozenset(index.candidates[r].story_id for r in hidden_rows),
        read_stories=_read_stories(read.read_rows, index),
        signal_count=read.count,
    )


def _spread(
    codes: npt.NDArray[np.int32], w: npt.NDArray[np.float64], size: int, by_rank: bool = False
) -> Floats:
    """Signal weight summed per code (the k-th topic of an article counts 1/(k+1)); pad is zero."""
    out = np.zeros(size + 1, dtype=np.float64)
    for k in range(codes.shape[1]):
        share = w / (k + 1) if by_rank else w
        out += np.bincount(codes[:, k], weights=share, minlength=size + 1)
    out[size] = 0.0
    return out.astype(np.float32)


def _read_stories(read_rows: dict[int, float], index: CandidateIndex) -> dict[str, float]:
    out: dict[str, float] = {}
    for row, at in read_rows.items():
        story = index.candidates[row].story_id
        out[story] = max(out.get(story, 0.0), at)
    return out


def _excess(shares: Floats, prior: Floats) -> Floats:
    """Interest beyond what reading at random would give: a topic everyone meets is no taste."""
    positive = float(np.clip(shares, 0, None).sum())
    out: Floats = (shares - prior * positive).astype(np.float32)
    return out


def _zero(index: CandidateIndex) -> Floats:
    return np.zeros(index.dim, dtype=np.float32)


def _unit(v: npt.NDArray[np.floating]) -> Floats:
    n = float(np.linalg.norm(v))
    return (v / n).astype(np.float32) if n > 0 else np.asarray(v, dtype=np.float32)


def affinity_of(vocab: Vocabulary, table: Floats, name: str) -> float:
    """The learnt affinity for ``name`` (0 when the index does not know it)."""
    code = vocab.get(name)
    return float(table[code]) if code is not None else 0.0
