from __future__ import annotations

import numpy as np
import pytest

from broadsheet.rank.foryou import HashingEmbedder, WordLlamaEmbedder, default_embedder
from broadsheet.rank.foryou.embed import normalise_rows


def test_hashing_is_deterministic_unit_and_topical() -> None:
    embed = HashingEmbedder(64)
    texts = [
        "Iran nuclear talks resume in Vienna",
        "Nuclear talks with Iran resume",
        "Rovers win the cup final",
    ]
    v = embed(texts)
    assert v.shape == (3, 64) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(v, embed(texts))
    assert v[0] @ v[1] > v[0] @ v[2]


def test_normalise_keeps_zero_rows() -> None:
    out = normalise_rows([[3.0, 4.0], [0.0, 0.0]])
    assert np.allclose(out, [[0.6, 0.8], [0.0, 0.0]])


def test_wordllama_loads_offline_from_its_package() -> None:
    pytest.importorskip("wordllama")
    embed = WordLlamaEmbedder(32)
    v = embed(["Central bank holds rates", "Rates held by the central bank", "Storm floods"])
    assert v.shape == (3, 32)
    assert v[0] @ v[1] > v[0] @ v[2]
    assert embed([]).shape == (0, 32)
    assert default_embedder(32).dim == 32
