from __future__ import annotations

import json
import math
import os
from pathlib import Path

import numpy as np
import pytest

from broadsheet.rank.foryou import HashingEmbedder
from broadsheet.rank.foryou.evaluation import auc, evaluate, mrr, ndcg
from broadsheet.rank.foryou.simulation import (
    CorpusDoc,
    SimulationConfig,
    derive_topics,
    read_allsides,
    simulate,
)

GATE = Path(__file__).parent / "data" / "foryou_gate.json"
SHARED = Path(
    os.environ.get("BROADSHEET_SHARED_DIR", Path(__file__).resolve().parents[3] / "shared")
)
ALLSIDES_VAL = SHARED / "bench" / "clustering" / "allsides" / "val.source"


def test_auc_counts_pairs_and_halves_ties() -> None:
    assert auc([True, False, False], np.array([3.0, 2.0, 1.0])) == 1.0
    assert auc([False, True, False], np.array([3.0, 2.0, 1.0])) == 0.5
    assert auc([True, False], np.array([1.0, 1.0])) == 0.5
    assert math.isnan(auc([True, True], np.array([1.0, 2.0])))


def test_mrr_and_ndcg_follow_mind() -> None:
    labels = [False, True, False, True]
    scores = np.array([4.0, 3.0, 2.0, 1.0])
    assert mrr(labels, scores) == pytest.approx((1 / 2 + 1 / 4) / 2)
    dcg = 1 / math.log2(3) + 1 / math.log2(5)
    ideal = 1 + 1 / math.log2(3)
    assert ndcg(labels, scores, 10) == pytest.approx(dcg / ideal)
    assert ndcg(labels, scores, 1) == 0.0
    assert ndcg([True, False], np.array([2.0, 1.0]), 5) == 1.0


def small_corpus() -> list[CorpusDoc]:
    rows = read_allsides(ALLSIDES_VAL, "val")
    topics = derive_topics([f"{t} {x}" for _, _, t, x in rows], 12, seed=7)
    return [CorpusDoc(i, g, t, x, k) for (i, g, t, x), k in zip(rows, topics, strict=True)]


@pytest.mark.skipif(not ALLSIDES_VAL.exists(), reason=f"benchmark data not found at {SHARED}")
def test_gate_ndcg_beats_popularity_by_the_stored_floor() -> None:
    """Seeded small run of the benchmark: AllSides val, 150 readers, hashed vectors (not WordLlama,
    to stay fast and free of model files); the floor in foryou_gate.json only ever goes up."""
    floor = json.loads(GATE.read_text())["ndcg10_over_popularity"]
    data = simulate(small_corpus(), SimulationConfig(readers=150), seed=11)
    report = evaluate(data, HashingEmbedder(128), seed=11, page_readers=30)
    ours, popular = report.metrics["broadsheet"]["ndcg@10"], report.metrics["popularity"]["ndcg@10"]
    assert report.impressions > 150
    assert ours >= floor * popular, f"nDCG@10 {ours:.4f} vs popularity {popular:.4f}"
    assert report.coverage["broadsheet"] > report.coverage["popularity"]
