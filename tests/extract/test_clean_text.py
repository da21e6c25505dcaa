"""``clean_text`` on made-up lines and on the two real captures in ``../shared/samples``."""

from __future__ import annotations

import pytest

from broadsheet.extract.clean_text import clean_text
from tests.extract.shared import shared_dir

SAMPLES = shared_dir() / "samples"


def test_repeated_caption_and_logo_text_go() -> None:
    text = "Headline\n\nA photo caption here.\nA photo caption here.\nTT\n\nHeadline\n\nBody text."
    assert clean_text(text) == "Headline\n\nA photo caption here.\n\nBody text."


def test_aggregator_chrome_goes_but_prose_mentioning_it_stays() -> None:
    prose = (
        "The council said residents could sign up for flood alerts by text message, and that "
        "more than two thousand households had already done so since the storm in January."
    )
    text = f"Get all your news in one place.\nStart reading\n{prose}\nRelated Stories\nOur Picks"
    assert clean_text(text) == prose


def _sample(name: str) -> str:
    path = SAMPLES / name
    if not path.exists():
        pytest.skip(f"shared samples not found at {SAMPLES}")
    return path.read_text(encoding="utf-8")


def test_wire_capture_keeps_each_caption_once_and_headings() -> None:
    cleaned = clean_text(_sample("000_d33a9e7f13a669ad.txt"))
    lines = cleaned.split("\n")
    assert "TT" not in lines
    assert (
        lines.count("Russia and Iran Have a Troubled History Despite their Current Alliance") == 1
    )
    captions = [line for line in lines if line.startswith("FILE - In this photo released by")]
    assert len(captions) == 1
    assert "Historic Rivals Become Allies" in lines
    assert "How Russia And Iran Cooperate" in lines


def test_aggregator_capture_loses_its_chrome() -> None:
    cleaned = clean_text(_sample("002_a6c66ed658b88fd7.txt"))
    for chrome in (
        "Get all your news in one place.",
        "Sign up to read this article",
        "Related Stories",
        "Our Picks",
        "Fourteen days free",
        "Download the app",
    ):
        assert chrome not in cleaned
    lines = cleaned.split("\n")
    assert lines[0] == "The Conversation"
    assert lines.count("The Conversation") == 1
    assert "Scott Lucas, Professor of International Politics, University of Birmingham" in lines
    assert "The Syria catalyst" in lines
    assert cleaned.endswith(
        "This article was originally published on The Conversation. Read the original article."
    )
