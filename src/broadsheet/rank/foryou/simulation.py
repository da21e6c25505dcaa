"""Simulated readers with known hidden tastes over a corpus of real article texts.

Every reader has a few favourite topics, sources and entities, hidden from the model. Articles get
an appeal (shared by a story's coverage), a source and a publication time across a month. Readers
browse sessions of impressions and click with probability ``sigmoid(slope * (utility - bar))``,
where utility is their taste for the article plus its appeal minus its age; clicks become the
signals the model learns from (opens, some read to the end, some saves; a few hides of disliked
items). The last days are held out as test impressions, MIND-style. Popularity known to the system
is the simulated crowd's clicks, a noisy view of appeal. Hand-written: the point is a generator
whose ground truth we control, seeded end to end.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from broadsheet.rank.foryou.evaluation import EvalArticle, EvalData, Impression
from broadsheet.rank.foryou.signals import Signal

__all__ = ["CorpusDoc", "SimulationConfig", "derive_topics", "read_allsides", "simulate"]

START = datetime(2026, 10, 1, tzinfo=UTC)
_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*\b")
_NOT_NAME = frozenset(
    [
        "The",
        "A",
        "An",
        "In",
        "On",
        "At",
        "It",
        "He",
        "She",
        "They",
        "We",
        "I",
        "But",
        "And",
        "For",
        "This",
        "That",
        "As",
        "After",
        "When",
        "If",
        "Mr",
        "Ms",
    ]
)


@dataclass(frozen=True, slots=True)
class CorpusDoc:
    doc_id: str
    story_id: str
    title: str
    text: str
    topic: str


@dataclass(frozen=True, slots=True)
class SimulationConfig:
    readers: int = 400
    days: int = 30
    test_days: int = 4
    sources: int = 30
    train_sessions: float = 8.0  # mean sessions per reader before the test days
    session_size: int = 20
    test_sessions: int = 2
    test_size: int = 30
    window_days: float = 2.0  # impressions show articles this recent
    slope: float = 2.0
    bar: float = 1.6
    age_cost: float = 0.3  # utility lost per day of age
    crowd: float = 4.0  # mean crowd clicks of an average-appeal article


def read_allsides(path: Path, prefix: str = "as") -> list[tuple[str, str, str, str]]:
    """AllSides roundups as ``(doc_id, story_id, title, text)``: one story per line."""
    docs = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        for k, part in enumerate(line.split(" [SEP] ")):
            title, _, body = part.partition("ARTICLE=>")
            docs.append(
                (
                    f"{prefix}{n}-{k}",
                    f"{prefix}{n}",
                    title.replace("TITLE=>", "").strip(),
                    body.strip(),
                )
            )
    return docs


def derive_topics(texts: Sequence[str], k: int, seed: int) -> list[str]:
    """Topic labels for texts without any: k-means over TF-IDF (a stand-in for a classifier)."""
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer
    from threadpoolctl import threadpool_limits

    x = TfidfVectorizer(stop_words="english", max_features=20_000, min_df=2).fit_transform(texts)
    with threadpool_limits(1):  # OpenMP threads on a busy two-core machine only fight
        labels = KMeans(n_clusters=k, n_init=3, random_state=seed).fit_predict(x)
    return [f"topic{int(label)}" for label in labels]


def entities_of(text: str, limit: int = 5) -> tuple[str, ...]:
    """The most frequent capitalised names of a text: a cheap stand-in for entity linking."""
    names = Counter(m for m in _NAME.findall(text) if m not in _NOT_NAME and len(m) > 2)
    return tuple(name for name, _ in names.most_common(limit))


@dataclass(frozen=True, slots=True, eq=False)
class _World:
    articles: list[EvalArticle]  # sorted by publication time
    topic: np.ndarray  # topic code per article
    source: np.ndarray
    entities: list[frozenset[str]]
    appeal: np.ndarray
    times: np.ndarray  # publication, seconds since START
    topics: list[str]
    common_entities: tuple[list[str], np.ndarray]  # names seen in 3+ articles, and their counts


@dataclass(frozen=True, slots=True, eq=False)
class _Taste:
    topic: np.ndarray
    source: np.ndarray
    entities: frozenset[str]


def simulate(docs: Sequence[CorpusDoc], config: SimulationConfig, *, seed: int) -> EvalData:
    """Signals before the test days and test impressions after them, all drawn from ``seed``."""
    rng = np.random.default_rng(seed)
    world = _world(docs, config, rng)
    tastes = [_taste(world, config, rng) for _ in range(config.readers)]
    signals: list[Signal] = []
    clicks: Counter[str] = Counter()
    impressions: list[Impression] = []
    train_end = config.days - config.test_days
    for r, taste in enumerate(tastes):
        reader = f"reader{r}"
        signals += _follows(reader, taste, world, rng)
        for day in _days(
            rng, config.window_days, train_end, 1 + rng.poisson(config.train_sessions)
        ):
            signals += _train_session(reader, taste, world, config, day, rng, clicks)
        for day in _days(rng, train_end, config.days, config.test_sessions):
            imp = _test_impression(reader, taste, world, config, day, rng)
            if imp is not None:
                impressions.append(imp)
    crowd = rng.poisson(config.crowd * np.exp(world.appeal))
    popularity = {
        a.article_id: float(crowd[i] + clicks[a.article_id]) for i, a in enumerate(world.articles)
    }
    return EvalData(world.articles, signals, impressions, popularity)


def _world(docs: Sequence[CorpusDoc], cfg: SimulationConfig, rng: np.random.Generator) -> _World:
    stories = sorted({d.story_id for d in docs})
    story_time = dict(zip(stories, rng.uniform(0, cfg.days * 86_400, len(stories)), strict=True))
    story_appeal = dict(zip(stories, rng.normal(0, 0.5, len(stories)), strict=True))
    topics = sorted({d.topic for d in docs})
    rows = []
    for d in docs:
        t = story_time[d.story_id] + rng.exponential(4 * 3600)
        rows.append(
            (t, d, int(rng.integers(cfg.sources)), story_appeal[d.story_id] + rng.normal(0, 0.25))
        )
    rows.sort(key=lambda row: row[0])
    articles = [
        EvalArticle(
            d.doc_id,
            d.story_id,
            f"source{s}",
            START + timedelta(seconds=t),
            d.title,
            d.text,
            (d.topic,),
            entities_of(f"{d.title}. {d.text}"),
        )
        for t, d, s, _ in rows
    ]
    return _World(
        articles,
        np.array([topics.index(d.topic) for _, d, _, _ in rows]),
        np.array([s for _, _, s, _ in rows]),
        [frozenset(a.entities) for a in articles],
        np.array([q for _, _, _, q in rows]),
        np.array([t for t, _, _, _ in rows]),
        topics,
        _common(articles),
    )


def _common(articles: list[EvalArticle]) -> tuple[list[str], np.ndarray]:
    counts = Counter(e for a in articles for e in a.entities)
    common = [e for e, c in counts.items() if c >= 3]
    return common, np.array([counts[e] for e in common], float)


def _taste(world: _World, cfg: SimulationConfig, rng: np.random.Generator) -> _Taste:
    sizes = np.bincount(world.topic, minlength=len(world.topics)).astype(float)
    picks = rng.choice(len(sizes), size=min(5, len(sizes)), replace=False, p=sizes / sizes.sum())
    topic = np.zeros(len(sizes))
    topic[picks] = [2.0, 1.5, 1.0, -1.0, -1.0][: len(picks)]
    source = np.zeros(cfg.sources)
    source[rng.choice(cfg.sources, size=3, replace=False)] = [0.6, 0.6, -0.6]
    common, weights = world.common_entities
    chosen: list[int] = []
    if common:
        p = weights / weights.sum()
        chosen = rng.choice(len(common), size=min(3, len(common)), replace=False, p=p).tolist()
    return _Taste(topic, source, frozenset(common[i] for i in chosen))


def _days(rng: np.random.Generator, start: float, end: float, n: int) -> list[float]:
    return sorted(rng.uniform(start, end, n).tolist())


def _follows(reader: str, taste: _Taste, world: _World, rng: np.random.Generator) -> list[Signal]:
    out = []
    if rng.random() < 0.6:
        topic = world.topics[int(np.argmax(taste.topic))]
        out.append(Signal(reader, "follow", topic, START, "topic"))
    if rng.random() < 0.3:
        out.append(
            Signal(reader, "follow", f"source{int(np.argmax(taste.source))}", START, "source")
        )
    return out


def _utility(
    taste: _Taste, world: _World, rows: np.ndarray, now: float, cfg: SimulationConfig
) -> np.ndarray:
    ents = np.array([0.8 * len(taste.entities & world.entities[r]) for r in rows])
    age_days = (now - world.times[rows]) / 86_400
    out: np.ndarray = (
        taste.topic[world.topic[rows]]
        + taste.source[world.source[rows]]
        + ents
        + world.appeal[rows]
        - cfg.age_cost * age_days
    )
    return out


def _shown(
    world: _World,
    cfg: SimulationConfig,
    day: float,
    size: int,
    rng: np.random.Generator,
    weighted: bool,
) -> np.ndarray:
    now = day * 86_400
    lo, hi = np.searchsorted(world.times, [now - cfg.window_days * 86_400, now])
    pool = np.arange(lo, hi)
    if len(pool) == 0:
        return pool
    p = np.exp(0.5 * world.appeal[pool]) if weighted else np.ones(len(pool))
    return rng.choice(pool, size=min(size, len(pool)), replace=False, p=p / p.sum())


def _clicks(u: np.ndarray, cfg: SimulationConfig, rng: np.random.Generator) -> np.ndarray:
    return rng.random(len(u)) < 1.0 / (1.0 + np.exp(-cfg.slope * (u - cfg.bar)))


def _train_session(
    reader: str,
    taste: _Taste,
    world: _World,
    cfg: SimulationConfig,
    day: float,
    rng: np.random.Generator,
    crowd: Counter[str],
) -> list[Signal]:
    rows = _shown(world, cfg, day, cfg.session_size, rng, weighted=True)
    if len(rows) == 0:
        return []
    u = _utility(taste, world, rows, day * 86_400, cfg)
    at = START + timedelta(days=day)
    out = []
    for row, clicked, value in zip(rows, _clicks(u, cfg, rng), u, strict=True):
        aid = world.articles[row].article_id
        if clicked:
            crowd[aid] += 1
            out.append(Signal(reader, "open", aid, at))
            if rng.random() < 1.0 / (1.0 + math.exp(-(value - cfg.bar))):
                out.append(Signal(reader, "read_end", aid, at))
            if rng.random() < 0.1:
                out.append(Signal(reader, "save", aid, at))
        elif value < -0.5 and rng.random() < 0.05:
            out.append(Signal(reader, "hide", aid, at))
    return out


def _test_impression(
    reader: str,
    taste: _Taste,
    world: _World,
    cfg: SimulationConfig,
    day: float,
    rng: np.random.Generator,
) -> Impression | None:
    rows = _shown(world, cfg, day, cfg.test_size, rng, weighted=False)
    if len(rows) < 2:
        return None
    clicked = _clicks(_utility(taste, world, rows, day * 86_400, cfg), cfg, rng)
    ids = tuple(world.articles[r].article_id for r in rows)
    return Impression(reader, START + timedelta(days=day), ids, tuple(bool(c) for c in clicked))
