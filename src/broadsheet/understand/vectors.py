"""Sparse TF-IDF vectors with document frequencies learnt on the stream itself.

Hand-written rather than scikit-learn's ``TfidfVectorizer`` because the vocabulary and the IDF must
grow one article at a time (a live service never sees its corpus in advance) and stay bounded: the
counts decay by half whenever the stream has added ``half_life`` documents, and words that fall to
nothing are forgotten, so memory follows the recent vocabulary, not the whole history.

Words are cut to their first ``prefix`` letters before counting, the crudest stemmer there is and
one that needs no word list: "Democrats" and "Democratic", "investigate" and "investigation" meet,
which is what lets two outlets' wordings of one event match.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from broadsheet.understand.text import name_tokens, words

__all__ = ["DocumentFrequencies", "SparseVector", "VectorConfig", "cosine", "dot", "vectorise"]

SparseVector = dict[str, float]


@dataclass(frozen=True, slots=True)
class VectorConfig:
    """How an article becomes a vector. ``name_boost`` multiplies words that name things;
    ``prefix`` is how many letters of each word are kept (None: all)."""

    title_weight: float = 2.0
    prefix: int | None = 7
    name_boost: float = 1.0
    body_words: int = 300
    max_terms: int = 150


class DocumentFrequencies:
    """Document frequencies of words over the recent stream, decayed to stay bounded."""

    __slots__ = ("_df", "_n", "_since_decay", "half_life")

    def __init__(self, half_life: int = 50_000) -> None:
        self.half_life = half_life
        self._df: dict[str, float] = {}
        self._n = 0.0
        self._since_decay = 0

    def __len__(self) -> int:
        return len(self._df)

    def __contains__(self, term: object) -> bool:
        return term in self._df

    def add(self, terms: Iterable[str]) -> None:
        df = self._df
        for t in set(terms):
            df[t] = df.get(t, 0.0) + 1.0
        self._n += 1.0
        self._since_decay += 1
        if self._since_decay >= self.half_life:
            self._decay()

    def idf(self, term: str) -> float:
        """Smoothed inverse document frequency; an unseen word is as rare as can be."""
        return math.log((self._n + 1.0) / (self._df.get(term, 0.0) + 1.0)) + 1.0

    def _decay(self) -> None:
        self._df = {t: c / 2.0 for t, c in self._df.items() if c >= 1.0}
        self._n /= 2.0
        self._since_decay = 0


def term_counts(title: str, text: str, config: VectorConfig) -> dict[str, float]:
    """Weighted word counts: the title counts ``title_weight`` times, the body up to a limit."""
    counts: dict[str, float] = {}
    cut = config.prefix
    for w in words(title):
        w = w[:cut]
        counts[w] = counts.get(w, 0.0) + config.title_weight
    for w in words(text[: config.body_words * 20], config.body_words):
        w = w[:cut]
        counts[w] = counts.get(w, 0.0) + 1.0
    return counts


def vectorise(
    title: str, text: str, dfs: DocumentFrequencies, config: VectorConfig
) -> SparseVector:
    """The unit-length TF-IDF vector of an article, keeping its ``max_terms`` heaviest words.

    Frequencies are read before this article is added, so a word seen only here gets top weight.
    """
    counts = term_counts(title, text, config)
    names: set[str] = set()
    if config.name_boost != 1.0:
        names = {t[: config.prefix] for t in name_tokens(title + "\n" + text[:3000])}
    vec: SparseVector = {}
    for t, c in counts.items():
        w = (1.0 + math.log(c)) * dfs.idf(t)
        vec[t] = w * config.name_boost if t in names else w
    if len(vec) > config.max_terms:
        vec = dict(sorted(vec.items(), key=lambda kv: -kv[1])[: config.max_terms])
    return normalised(vec)


def normalised(vec: Mapping[str, float]) -> SparseVector:
    norm = math.sqrt(sum(w * w for w in vec.values()))
    return {t: w / norm for t, w in vec.items()} if norm else {}


def dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    na = math.sqrt(sum(w * w for w in a.values()))
    nb = math.sqrt(sum(w * w for w in b.values()))
    return dot(a, b) / (na * nb) if na and nb else 0.0
