"""Evaluation gate: body extraction on the Scrapinghub benchmark may not fall below its floors.

The floors in ``floors.json`` are the figures reached when they were last raised (rounded down);
raise them when the extractor improves, never lower them to make a change pass. Skipped with the
reason when ``../shared`` (or ``BROADSHEET_SHARED_DIR``) does not hold the benchmark.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from broadsheet.exceptions import ExtractionError
from broadsheet.extract import extract
from broadsheet.extract.evaluation import BenchPage, iter_bench_pages, score_page, summarize
from tests.extract.shared import shared_dir

BENCH = shared_dir() / "bench" / "extraction" / "scrapinghub"
FLOORS = json.loads((Path(__file__).parent / "floors.json").read_text(encoding="utf-8"))


def _text(page: BenchPage) -> str:
    try:
        return extract(page.html, url=page.url).text
    except ExtractionError:
        return ""


def test_scrapinghub_floors() -> None:
    if not (BENCH / "ground-truth.json").exists():
        pytest.skip(f"benchmark data not found at {BENCH} (set BROADSHEET_SHARED_DIR)")
    pages = list(iter_bench_pages(BENCH))
    assert len(pages) == FLOORS["pages"]
    scores = summarize([score_page(_text(page), page.truth) for page in pages])
    assert scores.f1 >= FLOORS["f1"], scores
    assert scores.precision >= FLOORS["precision"], scores
    assert scores.recall >= FLOORS["recall"], scores
