"""What an article means, beside which words it uses: sentence embeddings in story clustering.

TF-IDF finds two reports of one event through the words they share; an opinion piece or another
outlet's angle often shares few. A sentence encoder's cosine on the title and the start of the
lead sees that they tell the same story, and mixing the two (``(1 - w) * tfidf + w * dense``)
gives both signals one scale, so the crowding adjustment, the cut and the attachment that were
tuned on words keep their meaning. Where either article of a pair has no embedding (the encoder
is missing, or failed on it) the pair keeps its word cosine alone.

Encoding costs more than the rest of clustering (about 6.5 ms an article against 3 at 10,000 in
the window and 5-6 at 100,000), so :func:`embed_ahead` runs it on two threads ahead of the
clusterer when many articles come at once (onnxruntime releases the GIL while it runs): the
three threads then share two cores, neither stage waiting for the other. The
clusterer's small dense products run under :func:`one_blas_thread`: OpenBLAS would otherwise
wake a second thread for each and leave it spinning, taking the encoder's core.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from broadsheet.understand.stories import StoryDoc

__all__ = [
    "TextEncoder",
    "embed_ahead",
    "embed_one",
    "lead_text",
    "made_by",
    "mix_matrix",
    "mix_row",
    "one_blas_thread",
    "stored",
]

log = logging.getLogger(__name__)

FloatArray = NDArray[np.float64]
Vector = NDArray[np.float16]

# The encoder reads 64 word pieces; the characters beyond these never reach it, and tokenizing
# a whole article to throw most of it away would cost more than the model.
_LEAD_CHARACTERS = 600


class TextEncoder(Protocol):
    """What embeds articles. ``name`` says which model (and settings) made the vectors: a
    restart reuses a stored vector only when it was made by the encoder of the same name."""

    @property
    def name(self) -> str: ...

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Unit-length embeddings, one row per text."""
        ...


def lead_text(title: str, text: str) -> str:
    """What is embedded of an article: its title and the start of its lead."""
    return f"{title}. {text[:_LEAD_CHARACTERS]}" if title else text[:_LEAD_CHARACTERS]


def made_by(encoder: TextEncoder) -> str:
    """The name kept beside each stored vector: the encoder and what of an article it reads."""
    return f"{encoder.name}; title + {_LEAD_CHARACTERS} characters"


def stored(vector: NDArray[np.float32] | None) -> Vector | None:
    """The form kept in the window: float16 (768 bytes for 384 dimensions; cosines move by
    less than 0.001)."""
    return None if vector is None else np.asarray(vector, dtype=np.float16)


def mix_matrix(sims: FloatArray, vectors: Sequence[Vector | None], weight: float) -> FloatArray:
    """Pairwise word cosines ``sims`` mixed with the embeddings' cosines."""
    if not weight or not vectors:
        return sims
    present = np.array([v is not None for v in vectors])
    if not present.any():
        return sims
    dense = _stack(vectors)
    both = np.outer(present, present)
    mixed = (1.0 - weight) * sims + weight * (dense @ dense.T)
    return np.where(both, mixed, sims)


def mix_row(
    products: Sequence[float], vector: Vector | None, others: Sequence[Vector | None], weight: float
) -> list[float]:
    """One article's word cosines to ``others`` mixed with the embeddings' cosines."""
    if not weight or vector is None or not others:
        return list(products)
    dense = _stack(others) @ vector.astype(np.float64)
    words = np.asarray(products, dtype=np.float64)
    present = np.array([v is not None for v in others])
    mixed = np.where(present, (1.0 - weight) * words + weight * dense, words)
    return [float(x) for x in mixed]


def _stack(vectors: Sequence[Vector | None]) -> FloatArray:
    width = next(len(v) for v in vectors if v is not None)
    rows = [v if v is not None else np.zeros(width, dtype=np.float16) for v in vectors]
    return np.stack(rows).astype(np.float64)


def embed_ahead(
    docs: Iterable[StoryDoc], encoder: TextEncoder, *, ahead: int = 64, workers: int = 2
) -> Iterator[StoryDoc]:
    """``docs`` in order, each with its embedding, encoded on ``workers`` other threads up to
    ``ahead`` articles before the consumer needs them.

    Two workers, not one: on two cores the encoder (about 6.5 ms an article) would otherwise
    be the slower stage and the core the clusterer leaves idle would go unused. Each text is
    still encoded alone, so an embedding does not depend on which thread made it."""
    pending: deque[tuple[StoryDoc, Future[NDArray[np.float32]]]] = deque()
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="story-embed") as pool:
        for doc in docs:
            if doc.embedding is None:
                text = lead_text(doc.title, doc.text)
                pending.append((doc, pool.submit(encoder.encode, [text])))
            else:
                pending.append((doc, _done(doc.embedding)))
            if len(pending) > ahead:
                yield _with(*pending.popleft())
        while pending:
            yield _with(*pending.popleft())


def _done(vector: NDArray[np.float32]) -> Future[NDArray[np.float32]]:
    future: Future[NDArray[np.float32]] = Future()
    future.set_result(vector[None])
    return future


def _with(doc: StoryDoc, future: Future[NDArray[np.float32]]) -> StoryDoc:
    try:
        vector = future.result()[0]
    except Exception as e:  # one article the encoder cannot read clusters on its words
        log.warning("embedding failed", extra={"doc_id": doc.id, "error": repr(e)})
        return doc
    return dataclasses.replace(doc, embedding=vector)


def embed_one(doc: StoryDoc, encoder: TextEncoder | None) -> NDArray[np.float32] | None:
    """The article's embedding: the one it carries, or the encoder's (None when there is no
    encoder or it fails on this article, which then clusters on its words)."""
    if doc.embedding is not None or encoder is None:
        return doc.embedding
    try:
        return np.asarray(encoder.encode([lead_text(doc.title, doc.text)])[0], dtype=np.float32)
    except Exception as e:
        log.warning("embedding failed", extra={"doc_id": doc.id, "error": repr(e)})
        return None


def one_blas_thread() -> AbstractContextManager[Any]:
    """BLAS limited to one thread while the block runs (about 20 µs to enter): products of a
    few dozen rows gain nothing from a second thread, and under load two fight."""
    limit: AbstractContextManager[Any] = _controller().limit(limits=1, user_api="blas")
    return limit


@cache
def _controller() -> Any:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()
