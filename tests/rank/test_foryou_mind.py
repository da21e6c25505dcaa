from __future__ import annotations

import importlib.util
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import pytest

from broadsheet.rank.foryou import HashingEmbedder
from broadsheet.rank.foryou.evaluation import METHODS, evaluate
from broadsheet.rank.foryou.mind import read_mind

MIND = Path(__file__).parent / "data" / "mind"
ROOT = Path(__file__).resolve().parents[2]


def test_reads_news_and_behaviours() -> None:
    data = read_mind(MIND)
    assert len(data.articles) == 12  # N99 is in a history but not in news.tsv
    n1 = next(a for a in data.articles if a.article_id == "N1")
    assert n1.topics == ("football", "sports")
    assert n1.entities == ("Q1",)
    assert n1.source == "sport.example"
    assert n1.published == datetime(2019, 11, 10, 9, 0, tzinfo=UTC)  # history only: day before
    n11 = next(a for a in data.articles if a.article_id == "N11")
    assert n11.published == datetime(2019, 11, 11, 9, 0, tzinfo=UTC)  # first impression
    assert len(data.impressions) == 9


def test_history_and_earlier_clicks_become_signals() -> None:
    data = read_mind(MIND)
    u1 = [(s.target, s.at.hour) for s in data.signals if s.reader_id == "U1"]
    assert u1 == [("N1", 8), ("N2", 8), ("N11", 9), ("N4", 11)]  # history once, then clicks
    assert not [s for s in data.signals if s.target == "N99"]


def test_popularity_counts_only_what_came_before() -> None:
    data = read_mind(MIND)
    imp7 = data.impressions[6]
    assert imp7.reader_id == "U5"
    pop = dict(zip(imp7.article_ids, imp7.popularity or (), strict=True))
    assert pop["N11"] == 1.0  # clicked once at 9:00, never in a history
    assert pop["N2"] == 1.0  # in U1's history, never clicked before
    assert data.impressions[0].popularity == (0.0, 1.0, 1.0, 0.0)


def test_max_impressions_cuts_in_time_order() -> None:
    data = read_mind(MIND, max_impressions=3)
    assert [i.reader_id for i in data.impressions] == ["U1", "U2", "U3"]


def test_evaluation_runs_on_mind_files() -> None:
    report = evaluate(read_mind(MIND), HashingEmbedder(32), page_readers=3, page_size=3)
    assert report.impressions == 9
    for method in METHODS:
        for value in report.metrics[method].values():
            assert 0.0 <= value <= 1.0
        assert 0.0 < report.coverage[method] <= 1.0


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("recommend", ROOT / "benchmarks" / "recommend.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_benchmark_script_on_mind_fixture(capsys: pytest.CaptureFixture[str]) -> None:
    argv = [
        "--mind",
        str(MIND),
        "--embedder",
        "hashing",
        "--speed-candidates",
        "3000",
        "--speed-signals",
        "100",
        "--speed-repeats",
        "3",
        "--speed-readers",
        "50",
    ]
    assert _script().main(argv) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("RESULT ndcg@10=")
    assert " popularity_ndcg@10=" in last and " page_p95_ms=" in last
