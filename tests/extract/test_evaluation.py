"""The benchmark metric, on cases small enough to check by hand."""

from __future__ import annotations

import pytest

from broadsheet.extract.evaluation import PageScore, score_page, summarize


def test_identical_texts_score_one() -> None:
    assert score_page("a b c d e", "a b c d e") == PageScore(1.0, 1.0)


def test_shingles_are_four_words_counted_as_multisets() -> None:
    score = score_page("one two three four five", "one two three four six")
    assert score == PageScore(0.5, 0.5)


def test_short_texts_are_one_shingle() -> None:
    assert score_page("hello world", "hello  world!") == PageScore(1.0, 1.0)


def test_empty_prediction_counts_for_recall_only() -> None:
    assert score_page("", "some true text here") == PageScore(None, 0.0)
    total = summarize([PageScore(None, 0.0), PageScore(1.0, 1.0)])
    assert total.precision == 1.0
    assert total.recall == 0.5
    assert total.f1 == pytest.approx(2 / 3)
