"""Mixing word and sentence-embedding similarities, and embedding ahead on a second thread."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import pytest
from numpy.typing import NDArray

from broadsheet.understand.stories import StoryDoc
from broadsheet.understand.story_meaning import (
    embed_ahead,
    embed_one,
    lead_text,
    mix_matrix,
    mix_row,
    stored,
)


class FakeEncoder:
    """Embeds a text as a unit vector picked by its first word; remembers what it was given."""

    name = "first-word"

    def __init__(self, fail_on: str | None = None) -> None:
        self.seen: list[str] = []
        self.fail_on = fail_on

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        rows = []
        for text in texts:
            self.seen.append(text)
            if self.fail_on and self.fail_on in text:
                raise RuntimeError("cannot read this one")
            v = np.zeros(4, dtype=np.float32)
            v[len(text.split()[0]) % 4] = 1.0
            rows.append(v)
        return np.stack(rows)


def unit(*xs: float) -> NDArray[np.float16]:
    v = np.array(xs, dtype=np.float64)
    vec = stored(np.asarray(v / np.linalg.norm(v), dtype=np.float32))
    assert vec is not None
    return vec


def test_mix_matrix_mixes_where_both_articles_have_an_embedding() -> None:
    words = np.array([[1.0, 0.1, 0.2], [0.1, 1.0, 0.3], [0.2, 0.3, 1.0]])
    vectors = [unit(1, 0), unit(1, 0), None]
    mixed = mix_matrix(words, vectors, 0.25)
    assert mixed[0, 1] == pytest.approx(0.75 * 0.1 + 0.25 * 1.0)
    assert mixed[0, 2] == words[0, 2] and mixed[2, 1] == words[2, 1]
    assert mix_matrix(words, vectors, 0.0) is words
    np.testing.assert_array_equal(mix_matrix(words, [None, None, None], 0.25), words)


def test_mix_row_mixes_one_article_with_its_candidates() -> None:
    row = mix_row([0.4, 0.2], unit(0, 1), [unit(0, 1), None], 0.5)
    assert row == pytest.approx([0.5 * 0.4 + 0.5 * 1.0, 0.2])
    assert mix_row([0.4], None, [unit(1, 0)], 0.5) == [0.4]


def test_lead_text_is_the_title_and_the_start_of_the_lead() -> None:
    text = lead_text("Storm hits coast", "x" * 5000)
    assert text.startswith("Storm hits coast. xxx") and len(text) < 700
    assert lead_text("", "Body only") == "Body only"


def test_embed_ahead_keeps_the_order_and_embeds_each_article_once() -> None:
    encoder = FakeEncoder()
    given = np.array([0, 0, 0, 1], dtype=np.float32)
    docs = [StoryDoc(i, f"{'w' * i} title", "body") for i in range(1, 9)]
    docs[2] = StoryDoc(3, "www title", "body", embedding=given)
    out = list(embed_ahead(docs, encoder, ahead=3))
    assert [d.id for d in out] == [d.id for d in docs]
    assert all(d.embedding is not None for d in out)
    assert out[2].embedding is not None and out[2].embedding.tolist() == given.tolist()
    assert len(encoder.seen) == 7


def test_an_article_the_encoder_fails_on_goes_on_without_an_embedding(
    caplog: pytest.LogCaptureFixture,
) -> None:
    encoder = FakeEncoder(fail_on="unreadable")
    docs = [StoryDoc(1, "fine", "text"), StoryDoc(2, "unreadable", "text"), StoryDoc(3, "ok", "x")]
    with caplog.at_level(logging.WARNING):
        out = list(embed_ahead(docs, encoder))
        alone = embed_one(docs[1], encoder)
    assert [d.embedding is None for d in out] == [False, True, False]
    assert alone is None
    assert "embedding failed" in caplog.text


def test_embed_one_prefers_the_embedding_the_article_carries() -> None:
    encoder = FakeEncoder()
    carried = np.ones(4, dtype=np.float32) / 2
    assert embed_one(StoryDoc(1, "t", "x", embedding=carried), encoder) is carried
    assert embed_one(StoryDoc(1, "t", "x"), None) is None
    assert encoder.seen == []


def test_one_blas_thread_limits_blas_inside_the_block_only() -> None:
    from threadpoolctl import threadpool_info

    from broadsheet.understand.story_meaning import one_blas_thread

    def blas_threads() -> list[int]:
        return [int(i["num_threads"]) for i in threadpool_info() if i["user_api"] == "blas"]

    before = blas_threads()
    with one_blas_thread():
        assert set(blas_threads()) <= {1}
    assert blas_threads() == before
