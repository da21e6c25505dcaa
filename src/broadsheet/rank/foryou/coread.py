"""Co-reading: articles read by the same readers, the "readers like you read this" part.

Item-to-item cosine over the reader x article matrix of positive signals, keeping each article's
strongest neighbours. Computed in batch (a worker refits it every few minutes) with scipy's sparse
product; hand-written around it because a page needs only a gather of precomputed neighbour lists,
aligned once to the current candidate rows, to stay within a few milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import numpy.typing as npt
from scipy import sparse

from broadsheet.rank.foryou.candidates import CandidateIndex
from broadsheet.rank.foryou.signals import Signal

__all__ = ["CoReading"]

_POSITIVE = frozenset({"open", "read_end", "save", "more"})


class CoReading:
    """Nearest co-read neighbours of each article, with cosine weights."""

    def __init__(
        self,
        items: list[str],
        indptr: npt.NDArray[np.int64],
        neighbours: npt.NDArray[np.int32],
        weights: npt.NDArray[np.float32],
        readers: int,
    ) -> None:
        self.items = items
        self.col_of = {a: i for i, a in enumerate(items)}
        self.indptr, self.neighbours, self.weights = indptr, neighbours, weights
        self.readers = readers
        self._aligned: tuple[CandidateIndex, npt.NDArray[np.int32]] | None = None

    @classmethod
    def fit(
        cls, signals: Iterable[Signal], *, neighbours: int = 30, min_readers: int = 2
    ) -> CoReading:
        """Learn from every reader's article signals; one reader alone teaches nothing."""
        pairs: dict[tuple[str, str], None] = {}
        for s in signals:
            if s.target_kind == "article" and s.kind in _POSITIVE:
                pairs[(s.reader_id, s.target)] = None
        readers = sorted({r for r, _ in pairs})
        items = sorted({a for _, a in pairs})
        if len(readers) < min_readers:
            return cls.empty()
        r_of = {r: i for i, r in enumerate(readers)}
        a_of = {a: i for i, a in enumerate(items)}
        rows = np.fromiter((r_of[r] for r, _ in pairs), np.int32, len(pairs))
        cols = np.fromiter((a_of[a] for _, a in pairs), np.int32, len(pairs))
        m = sparse.csr_matrix(
            (np.ones(len(pairs), np.float32), (rows, cols)), shape=(len(readers), len(items))
        )
        return cls._from_matrix(items, m, neighbours, len(readers))

    @classmethod
    def empty(cls) -> CoReading:
        z = np.zeros(1, np.int64)
        return cls([], z, np.zeros(0, np.int32), np.zeros(0, np.float32), 0)

    @classmethod
    def _from_matrix(
        cls, items: list[str], m: sparse.csr_matrix, k: int, readers: int
    ) -> CoReading:
        norms = np.sqrt(np.asarray(m.sum(axis=0)).ravel()).astype(np.float32)
        norms[norms == 0] = 1.0
        co = (m.T @ m).tocsr().astype(np.float32)
        co.setdiag(0)
        co.eliminate_zeros()
        inv = sparse.diags(1.0 / norms)
        co = (inv @ co @ inv).tocsr()
        indptr, nbrs, wts = [0], [], []
        for i in range(co.shape[0]):
            start, end = co.indptr[i], co.indptr[i + 1]
            cols, vals = co.indices[start:end], co.data[start:end]
            if len(vals) > k:
                keep = np.argpartition(-vals, k)[:k]
                cols, vals = cols[keep], vals[keep]
            nbrs.append(cols)
            wts.append(vals)
            indptr.append(indptr[-1] + len(cols))
        return cls(
            items,
            np.array(indptr, np.int64),
            np.concatenate(nbrs).astype(np.int32) if nbrs else np.zeros(0, np.int32),
            np.concatenate(wts).astype(np.float32) if wts else np.zeros(0, np.float32),
            readers,
        )

    def scores(self, liked: Mapping[str, float], index: CandidateIndex) -> npt.NDArray[np.float32]:
        """Per candidate row: weighted co-reading with the reader's liked articles, in [0, 1]."""
        out = np.zeros(len(index), dtype=np.float32)
        cols = [(c, w) for a, w in liked.items() if (c := self.col_of.get(a)) is not None]
        if not cols:
            return out
        row_of_col = self._rows(index)
        starts = self.indptr[[c for c, _ in cols]]
        ends = self.indptr[[c + 1 for c, _ in cols]]
        lengths = ends - starts
        take = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        reps = np.repeat(np.array([w for _, w in cols], np.float32), lengths)
        rows = row_of_col[self.neighbours[take]]
        ok = rows >= 0
        sums = np.bincount(rows[ok], weights=self.weights[take][ok] * reps[ok], minlength=len(out))
        total = float(sum(w for _, w in cols))
        return (sums / total if total > 0 else sums).astype(np.float32)

    def _rows(self, index: CandidateIndex) -> npt.NDArray[np.int32]:
        if self._aligned is None or self._aligned[0] is not index:
            rows = np.array([index.row_of.get(a, -1) for a in self.items], np.int32)
            self._aligned = (index, rows)
        return self._aligned[1]
