"""The body-extraction metric of the Scrapinghub article-extraction benchmark, reproduced exactly.

Hand-written because the published figures depend on its details (multiset shingles, empty
predictions left out of precision, F1 as the harmonic mean of the two means) and both the benchmark
script and the evaluation gate in the tests must compute the very same numbers.
"""

from __future__ import annotations

import gzip
import json
import random
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "BenchPage",
    "PageScore",
    "Scores",
    "bootstrap_f1",
    "iter_bench_pages",
    "score_extractor",
    "score_page",
    "summarize",
]

_TOKEN = re.compile(r"\w+")
_SHINGLE = 4


@dataclass(frozen=True, slots=True)
class BenchPage:
    id: str
    url: str
    html: str
    truth: str


@dataclass(frozen=True, slots=True)
class PageScore:
    """Per-page precision and recall; ``None`` when the page does not count for that mean."""

    precision: float | None
    recall: float | None


@dataclass(frozen=True, slots=True)
class Scores:
    f1: float
    precision: float
    recall: float


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text)
    if not tokens:
        return Counter()
    if len(tokens) < _SHINGLE:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + _SHINGLE]) for i in range(len(tokens) - _SHINGLE + 1))


def score_page(predicted: str, truth: str) -> PageScore:
    """Score one page the way the benchmark does."""
    if predicted == truth:
        return PageScore(1.0, 1.0)
    pred, true = _shingles(predicted), _shingles(truth)
    tp = sum((pred & true).values())
    fp = sum(pred.values()) - tp
    fn = sum(true.values()) - tp
    # Normalising tp, fp and fn to sum to one leaves the two ratios unchanged.
    precision = tp / (tp + fp) if pred else None
    recall = (tp / (tp + fn) if pred else 0.0) if true else None
    return PageScore(precision, recall)


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def summarize(scores: Sequence[PageScore]) -> Scores:
    precision = _mean([s.precision for s in scores if s.precision is not None])
    recall = _mean([s.recall for s in scores if s.recall is not None])
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(f1, precision, recall)


def bootstrap_f1(scores: Sequence[PageScore], *, rounds: int = 1000, seed: int = 0) -> float:
    """Standard deviation of F1 over ``rounds`` resamples of the pages (the ± of the table)."""
    rng = random.Random(seed)
    values = [summarize(rng.choices(scores, k=len(scores))).f1 for _ in range(rounds)]
    mean = _mean(values)
    return float((_mean([(v - mean) ** 2 for v in values])) ** 0.5)


def iter_bench_pages(directory: Path) -> Iterator[BenchPage]:
    """The benchmark's pages in id order, HTML decoded as UTF-8."""
    truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
    for page_id in sorted(truth):
        raw = gzip.decompress((directory / "html" / f"{page_id}.html.gz").read_bytes())
        entry = truth[page_id]
        yield BenchPage(page_id, entry["url"], raw.decode("utf-8", "replace"), entry["articleBody"])


def score_extractor(
    pages: Sequence[BenchPage], extractor: Callable[[BenchPage], str]
) -> list[PageScore]:
    return [score_page(extractor(page), page.truth) for page in pages]
