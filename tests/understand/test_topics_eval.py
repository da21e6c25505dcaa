"""Evaluation gate for inferred sections: on 98 real articles of the Scrapinghub benchmark whose
section we labelled by hand from their addresses (``data/topic_sections.txt``: a fragment of the
URL and the section), the labeller's first section must be right at least as often as the floor.
The address is never shown to the labeller: it sees the body text only, with WordLlama's vectors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from broadsheet.workers.label_run import default_labeller
from tests.conftest import SHARED_DIR

TRUTH = SHARED_DIR / "bench" / "extraction" / "scrapinghub" / "ground-truth.json"
LABELS = Path(__file__).parent / "data" / "topic_sections.txt"
FLOOR = 0.95  # measured 0.980 (96 of 98)


@pytest.mark.slow
def test_first_section_accuracy_on_real_articles() -> None:
    if not TRUTH.exists():
        pytest.skip(f"benchmark data not found at {TRUTH}")
    pages = json.loads(TRUTH.read_text())
    items, gold = [], []
    for line in LABELS.read_text().splitlines():
        fragment, section = line.split()
        (body,) = [p["articleBody"] for p in pages.values() if fragment in p["url"]]
        items.append(("", body, None))
        gold.append(section)
    labeller = default_labeller()
    found = labeller.label(items)
    first = [next((x.key for x in labels if x.kind == "section"), None) for labels in found]
    accuracy = sum(f == g for f, g in zip(first, gold, strict=True)) / len(gold)
    assert accuracy >= FLOOR, f"section accuracy {accuracy:.3f} below the floor {FLOOR}"
