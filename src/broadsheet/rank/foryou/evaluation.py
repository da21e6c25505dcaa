"""Offline evaluation of For you against popularity and recency baselines, on logged impressions.

The data shape is MIND's (readers, timed impressions of a few articles each, which were clicked),
whether the impressions come from simulated readers or from MIND files. Each impression is ranked
by every method with only the signals logged before it; the metrics are MIND's: AUC, MRR, nDCG@5
and nDCG@10 per impression, averaged. Hand-written because the metrics are a few lines each and
must match MIND's definitions exactly (gains 2^y - 1, log2 discounts, MRR over clicked positions).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
import numpy.typing as npt

from broadsheet.rank.foryou.candidates import Candidate, CandidateIndex
from broadsheet.rank.foryou.config import ForYouConfig
from broadsheet.rank.foryou.coread import CoReading
from broadsheet.rank.foryou.embed import Embedder
from broadsheet.rank.foryou.feed import build_for_you
from broadsheet.rank.foryou.profile import build_profile
from broadsheet.rank.foryou.scoring import score_candidates
from broadsheet.rank.foryou.signals import Signal

__all__ = [
    "METHODS",
    "EvalArticle",
    "EvalData",
    "EvalReport",
    "Impression",
    "auc",
    "evaluate",
    "mrr",
    "ndcg",
]

METHODS = ("broadsheet", "popularity", "recency")
Floats = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class EvalArticle:
    article_id: str
    story_id: str
    source: str
    published: datetime
    title: str
    text: str = ""
    topics: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Impression:
    """Articles shown to a reader at ``at`` and which were clicked; ``popularity`` as known then."""

    reader_id: str
    at: datetime
    article_ids: tuple[str, ...]
    clicked: tuple[bool, ...]
    popularity: tuple[float, ...] | None = None


@dataclass(frozen=True, slots=True)
class EvalData:
    articles: Sequence[EvalArticle]
    signals: Sequence[Signal]  # everything readers did, timed; each impression sees the earlier
    impressions: Sequence[Impression]
    popularity: Mapping[str, float] = field(default_factory=dict)  # when impressions lack it
    top_story_ids: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class EvalReport:
    """Mean metrics per method, plus page-level coverage and intra-list diversity."""

    metrics: Mapping[str, Mapping[str, float]]  # method -> metric -> mean
    impressions: int
    coverage: Mapping[str, float]
    diversity: Mapping[str, float]


def auc(labels: Sequence[bool], scores: Floats) -> float:
    """Probability that a clicked item outranks an unclicked one (ties count half)."""
    y = np.asarray(labels, dtype=bool)
    pos, neg = int(y.sum()), int((~y).sum())
    if pos == 0 or neg == 0:
        return math.nan
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores), np.float64)
    ranks[order] = np.arange(1, len(scores) + 1)
    for value in np.unique(scores):  # average the ranks of ties
        same = scores == value
        ranks[same] = ranks[same].mean()
    return float((ranks[y].sum() - pos * (pos + 1) / 2) / (pos * neg))


def mrr(labels: Sequence[bool], scores: Floats) -> float:
    """MIND's MRR: mean over clicked items of 1 / their rank."""
    y = np.asarray(labels, dtype=np.float64)[np.argsort(-scores, kind="stable")]
    clicks = y.sum()
    return float((y / np.arange(1, len(y) + 1)).sum() / clicks) if clicks else math.nan


def ndcg(labels: Sequence[bool], scores: Floats, k: int) -> float:
    """MIND's nDCG@k with gains 2^y - 1."""
    y = np.asarray(labels, dtype=np.float64)
    ideal = _dcg(np.sort(y)[::-1], k)
    return _dcg(y[np.argsort(-scores, kind="stable")], k) / ideal if ideal else math.nan


def _dcg(y: Floats, k: int) -> float:
    y = y[:k]
    return float(((2**y - 1) / np.log2(np.arange(2, len(y) + 2))).sum())


def _metrics(labels: Sequence[bool], scores: Floats) -> dict[str, float]:
    return {
        "auc": auc(labels, scores),
        "mrr": mrr(labels, scores),
        "ndcg@5": ndcg(labels, scores, 5),
        "ndcg@10": ndcg(labels, scores, 10),
    }


def build_index(data: EvalData, embedder: Embedder) -> CandidateIndex:
    """The catalogue as candidates, with content vectors from ``embedder``."""
    texts = [f"{a.title}. {' '.join(a.text.split()[:60])}" for a in data.articles]
    vectors = embedder(texts)
    return CandidateIndex(
        [
            Candidate(
                a.article_id,
                a.story_id,
                a.source,
                a.published,
                a.topics,
                a.entities,
                data.popularity.get(a.article_id, 0.0),
                vectors[i],
            )
            for i, a in enumerate(data.articles)
        ],
        dim=embedder.dim,
    )


class _History:
    """Each reader's signals in time order, cut at an impression's time."""

    def __init__(self, signals: Sequence[Signal]) -> None:
        self.by_reader: dict[str, list[Signal]] = defaultdict(list)
        for s in sorted(signals, key=lambda s: s.at):
            self.by_reader[s.reader_id].append(s)

    def before(self, reader_id: str, at: datetime) -> list[Signal]:
        return [s for s in self.by_reader.get(reader_id, []) if s.at < at]


@dataclass(frozen=True, slots=True)
class _Context:
    index: CandidateIndex
    history: _History
    coread: CoReading
    config: ForYouConfig
    top_story_ids: frozenset[str]
    pop_scale: float


def evaluate(
    data: EvalData,
    embedder: Embedder,
    *,
    config: ForYouConfig | None = None,
    seed: int = 0,
    page_readers: int = 200,
    page_size: int = 10,
) -> EvalReport:
    """Rank every impression with every method; build pages for up to ``page_readers`` readers."""
    ctx = _context(data, embedder, config or ForYouConfig())
    rng = np.random.default_rng(seed)
    found: dict[str, dict[str, list[float]]] = {m: defaultdict(list) for m in METHODS}
    count = 0
    for imp in data.impressions:
        if all(imp.clicked) or not any(imp.clicked):
            continue
        count += 1
        for method, scores in _rank(imp, ctx).items():
            strict = _break_ties(scores, rng)
            for name, value in _metrics(imp.clicked, strict).items():
                found[method][name].append(value)
    metrics = {m: {k: float(np.nanmean(v)) for k, v in found[m].items()} for m in METHODS}
    coverage, diversity = _pages(data, ctx, page_readers, page_size)
    return EvalReport(metrics, count, coverage, diversity)


def _context(data: EvalData, embedder: Embedder, cfg: ForYouConfig) -> _Context:
    index = build_index(data, embedder)
    first = min((i.at for i in data.impressions), default=None)
    coread = CoReading.fit(s for s in data.signals if first is None or s.at < first)
    pops = [*data.popularity.values(), *(p for i in data.impressions for p in i.popularity or ())]
    scale = math.log1p(max(pops, default=0.0)) or 1.0
    return _Context(index, _History(data.signals), coread, cfg, data.top_story_ids, scale)


def _rank(imp: Impression, ctx: _Context) -> dict[str, Floats]:
    index, cfg = ctx.index, ctx.config
    rows = np.array([index.row_of[a] for a in imp.article_ids], dtype=np.int64)
    signals = ctx.history.before(imp.reader_id, imp.at)
    profile = build_profile(imp.reader_id, signals, index, now=imp.at, config=cfg)
    scores = score_candidates(
        profile, index, now=imp.at, top_story_ids=ctx.top_story_ids, coread=ctx.coread, config=cfg
    )
    ours = scores.total[rows].astype(np.float64)
    if imp.popularity is not None:
        pop = np.asarray(imp.popularity, np.float64)
        ours += cfg.popularity * (np.log1p(pop) / ctx.pop_scale - index.popularity[rows])
    else:
        pop = np.array([c.popularity for c in (index.candidates[r] for r in rows)], np.float64)
    return {"broadsheet": ours, "popularity": pop, "recency": index.published[rows]}


def _break_ties(scores: Floats, rng: np.random.Generator) -> Floats:
    """Strict scores in the same order, ties broken at random (else input order would decide)."""
    order = np.lexsort((rng.random(len(scores)), -scores))
    strict = np.empty(len(scores), np.float64)
    strict[order] = -np.arange(len(scores), dtype=np.float64)
    return strict


def _pages(
    data: EvalData, ctx: _Context, readers: int, size: int
) -> tuple[dict[str, float], dict[str, float]]:
    """Catalogue coverage and mean intra-list diversity of each method's page."""
    firsts: dict[str, Impression] = {}
    for imp in data.impressions:
        firsts.setdefault(imp.reader_id, imp)
    shown: dict[str, set[int]] = {m: set() for m in METHODS}
    spread: dict[str, list[float]] = {m: [] for m in METHODS}
    for imp in list(firsts.values())[:readers]:
        for method, rows in _method_pages(imp, ctx, size).items():
            shown[method].update(rows)
            spread[method].append(_intra_list_diversity(ctx.index, rows))
    n = max(len(ctx.index), 1)
    coverage = {m: len(shown[m]) / n for m in METHODS}
    return coverage, {m: float(np.mean(spread[m])) if spread[m] else math.nan for m in METHODS}


def _method_pages(imp: Impression, ctx: _Context, size: int) -> dict[str, list[int]]:
    index, cfg = ctx.index, ctx.config
    signals = ctx.history.before(imp.reader_id, imp.at)
    profile = build_profile(imp.reader_id, signals, index, now=imp.at, config=cfg)
    page = build_for_you(
        profile,
        index,
        now=imp.at,
        top_story_ids=ctx.top_story_ids,
        limit=size,
        coread=ctx.coread,
        config=cfg,
    )
    oldest = (imp.at - timedelta(days=cfg.max_age_days)).timestamp()
    fresh = (index.published >= oldest) & (index.published <= imp.at.timestamp())
    fresh[[index.row_of[a] for a in profile.seen if a in index.row_of]] = False
    eligible = np.flatnonzero(fresh)
    by_pop = eligible[np.argsort(-index.popularity[eligible], kind="stable")][:size]
    by_time = eligible[np.argsort(-index.published[eligible], kind="stable")][:size]
    return {
        "broadsheet": [index.row_of[i.article_id] for i in page],
        "popularity": [int(r) for r in by_pop],
        "recency": [int(r) for r in by_time],
    }


def _intra_list_diversity(index: CandidateIndex, rows: list[int]) -> float:
    """Mean cosine distance between the pairs of a page."""
    if len(rows) < 2 or index.dim == 0:
        return 0.0
    v = index.vectors[rows]
    sims = v @ v.T
    n = len(rows)
    return float(1.0 - (sims.sum() - np.trace(sims)) / (n * (n - 1)))
