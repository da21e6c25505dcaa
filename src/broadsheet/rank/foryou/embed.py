"""Content vectors of articles: what lets the model recommend an article nobody has read yet.

``WordLlamaEmbedder`` uses the static token embeddings shipped inside the ``wordllama`` PyPI
package (no download, CPU, thousands of texts a second), loaded on first use so that importing
Broadsheet stays fast. ``HashingEmbedder`` is the fallback when that package or its weights are
missing: signed feature hashing of words and word pairs with sublinear counts, hand-written because
it needs no fitted vocabulary and so gives the same vector to the same text in every process.
Both return unit-length float32 rows; anything with the same call shape can be injected instead.
"""

from __future__ import annotations

import itertools
import logging
import math
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

__all__ = ["Embedder", "HashingEmbedder", "WordLlamaEmbedder", "default_embedder", "normalise_rows"]

logger = logging.getLogger(__name__)

Matrix = npt.NDArray[np.float32]


class Embedder(Protocol):
    """Turns texts into a ``(len(texts), dim)`` float32 matrix of unit rows."""

    @property
    def dim(self) -> int: ...

    def __call__(self, texts: Sequence[str]) -> Matrix: ...


def normalise_rows(matrix: npt.ArrayLike) -> Matrix:
    """Rows scaled to unit length; all-zero rows stay zero."""
    m = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    out: Matrix = (m / norms).astype(np.float32, copy=False)
    return out


class HashingEmbedder:
    """Signed hashed bag of words and word pairs: deterministic, no model, no fitting."""

    __slots__ = ("_dim",)

    def __init__(self, dim: int = 256) -> None:
        self._dim = dim

    @property
    def dim(self) -> int:
        return self._dim

    def __call__(self, texts: Sequence[str]) -> Matrix:
        out = np.zeros((len(texts), self._dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for feature, count in _features(text).items():
                h = zlib.crc32(feature.encode("utf-8"))
                sign = 1.0 if h & 1 else -1.0
                out[row, (h >> 1) % self._dim] += sign * (1.0 + math.log(count))
        return normalise_rows(out)


def _features(text: str) -> dict[str, int]:
    words = [
        w for w in "".join(c.lower() if c.isalnum() else " " for c in text).split() if len(w) > 2
    ]
    counts: dict[str, int] = {}
    for w in words:
        counts[w] = counts.get(w, 0) + 1
    for a, b in itertools.pairwise(words):
        pair = f"{a} {b}"
        counts[pair] = counts.get(pair, 0) + 1
    return counts


class WordLlamaEmbedder:
    """WordLlama vectors cut to ``dim`` leading components (they are trained to allow it)."""

    __slots__ = ("_dim", "_model")

    def __init__(self, dim: int = 128) -> None:
        self._dim = dim
        self._model: Any = None

    @property
    def dim(self) -> int:
        return self._dim

    def __call__(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        vectors = np.asarray(self._load().embed(list(texts)), dtype=np.float32)
        return normalise_rows(vectors[:, : self._dim])

    def _load(self) -> Any:
        if self._model is None:
            import wordllama  # heavy: loaded only when the first text is embedded

            # The package looks for its tokenizer in the wrong folder and would then download it;
            # pointing the cache at the package folder loads what it ships, offline.
            folder = Path(wordllama.__file__).parent
            self._model = wordllama.WordLlama.load(cache_dir=folder, disable_download=True)
        return self._model


def default_embedder(dim: int = 128) -> Embedder:
    """WordLlama when its package and weights load, else the hashing fallback (logged)."""
    embedder = WordLlamaEmbedder(dim)
    try:
        embedder(["probe"])
    except (ImportError, OSError) as e:
        logger.warning("wordllama unavailable, using hashed vectors", extra={"error": str(e)})
        return HashingEmbedder(dim)
    return embedder
