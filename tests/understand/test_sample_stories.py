"""The two real captures in ``../shared/samples``, cleaned and clustered as the product does: the
two outlets' Russia-Iran articles make one story, the inauguration article its own."""

from __future__ import annotations

import io
import json

import pytest

from broadsheet.extract.clean_text import clean_text
from broadsheet.understand.cluster_cli import run_cluster
from tests.extract.shared import shared_dir

SAMPLES = shared_dir() / "samples"
SECOND_WIRE_HEADLINE = "An American Tradition: Defeated Candidates"
AGGREGATED_HEADLINE = "Russia and Iran's growing friendship"


def _cleaned(name: str) -> str:
    path = SAMPLES / name
    if not path.exists():
        pytest.skip(f"shared samples not found at {SAMPLES}")
    return clean_text(path.read_text(encoding="utf-8"))


def _record(doc_id: str, text: str) -> str:
    title, _, body = text.strip().partition("\n")
    return json.dumps({"id": doc_id, "title": title, "text": body}) + "\n"


def test_the_two_outlets_russia_iran_articles_are_one_story_the_inauguration_another() -> None:
    wire = _cleaned("000_d33a9e7f13a669ad.txt")
    aggregated = _cleaned("002_a6c66ed658b88fd7.txt")
    split = wire.index(SECOND_WIRE_HEADLINE)
    lines = [
        _record("wire-russia-iran", wire[:split]),
        _record("wire-inauguration", wire[split:]),
        _record("other-outlet-russia-iran", aggregated[aggregated.index(AGGREGATED_HEADLINE) :]),
    ]
    out = io.StringIO()
    assert run_cluster(io.StringIO("".join(lines)), out) == 0
    story = {r["id"]: r["story"] for r in map(json.loads, out.getvalue().splitlines())}
    assert story["wire-russia-iran"] == story["other-outlet-russia-iran"]
    assert story["wire-inauguration"] != story["wire-russia-iran"]
