"""Syndication groups: copies of one article republished by other outlets.

A wire story reappears with another headline, other boilerplate, trimmed or with a line added.
Each article body becomes a MinHash signature over word 4-shingles (headlines are left out: they
are what outlets rewrite); signatures are cut into bands, and articles sharing a band are
candidates (locality-sensitive hashing: the cost per article does not grow with the window). A
candidate whose estimated shingle resemblance passes ``min_resemblance`` puts the article into its
group. The group's origin is the member whose outlet is the agency the text credits, else the
earliest published member.

Hand-written (rather than ``datasketch``) to keep the signature a fixed, documented byte format
that storage can keep in a column and feed back with :meth:`SyndicationIndex.add_signature`, and to
hold the buckets in one flat dict bounded by a time window.
"""

from __future__ import annotations

import itertools
import re
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zlib import crc32

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "SyndicationConfig",
    "SyndicationGroup",
    "SyndicationIndex",
    "SyndicationMatch",
    "detect_agency",
    "resemblance",
    "signature",
]

DocId = int | str
NUM_HASHES = 60
SHINGLE = 4
_MASK32 = np.uint64(0xFFFFFFFF)
_BASE = np.uint64(1_000_003)
# Fixed multiply-shift hash family: part of the signature format, so never re-drawn.
_PARAMS = np.random.default_rng(0x5EED).integers(1, 2**63, size=(2, NUM_HASHES), dtype=np.uint64)
_A = _PARAMS[0] | np.uint64(1)
_B = _PARAMS[1]
_WORD = re.compile(r"[^\W_]+", re.UNICODE)

# Agency -> how texts credit it: single words are matched as whole words, phrases as substrings.
_AGENCIES: dict[str, tuple[str, ...]] = {
    "Associated Press": ("(AP)", "Associated Press"),
    "Reuters": ("Reuters",),
    "AFP": ("AFP", "Agence France-Presse"),
    "dpa": ("dpa", "Deutsche Presse-Agentur"),
    "PA Media": ("PA Media", "(PA)"),
    "Bloomberg": ("Bloomberg News",),
    "UPI": ("UPI", "United Press International"),
    "EFE": ("EFE",),
    "ANSA": ("ANSA",),
    "Xinhua": ("Xinhua",),
    "Kyodo": ("Kyodo",),
    "Press Trust of India": ("PTI", "Press Trust of India"),
    "Canadian Press": ("The Canadian Press",),
}
_CREDIT = re.compile(
    r"(?:originally (?:published|appeared) (?:by|on|in)|first appeared (?:on|in))"
    r"\s+(?:the\s+)?([A-Z][\w.&' -]{1,40}?)(?:[.,;\n]|$)"
)


def detect_agency(text: str) -> str | None:
    """The agency or outlet the text credits as its origin ("(AP)", "originally published by X").

    Looks at the first and last 600 characters, where datelines and credit lines sit.
    """
    ends = text[:600] + "\n" + text[-600:]
    credit = _CREDIT.search(ends)
    if credit:
        return credit.group(1).strip()
    tokens = set(_WORD.findall(ends))
    for name, markers in _AGENCIES.items():
        for marker in markers:
            if (marker in tokens) if marker.isalnum() else (marker in ends):
                return name
    return None


def _shingle_hashes(text: str) -> NDArray[np.uint64]:
    """Distinct 64-bit hashes of the word 4-shingles (a polynomial of the words' CRC-32s)."""
    words = np.array(
        [crc32(t.lower().encode("utf-8")) for t in _WORD.findall(text)], dtype=np.uint64
    )
    if len(words) < SHINGLE:
        return np.unique(words)
    n = len(words) - SHINGLE + 1
    grams = np.zeros(n, dtype=np.uint64)
    for i in range(SHINGLE):
        grams = grams * _BASE + words[i : i + n]
    return np.unique(grams)


def shingle_count(text: str) -> int:
    return max(len(_WORD.findall(text)) - SHINGLE + 1, 0)


def signature(text: str) -> bytes:
    """The MinHash signature of an article body: ``NUM_HASHES`` little-endian uint32 (240 bytes).

    Headlines should not be included: outlets rewrite them.
    """
    x = _shingle_hashes(text)
    if not len(x):
        return b"\xff" * (4 * NUM_HASHES)
    hashed = ((x[:, None] * _A[None, :] + _B[None, :]) >> np.uint64(32)) & _MASK32
    return bytes(hashed.min(axis=0).astype("<u4").tobytes())


def resemblance(a: bytes, b: bytes) -> float:
    """Estimated Jaccard resemblance of the two shingle sets behind two signatures."""
    va = np.frombuffer(a, dtype="<u4")
    vb = np.frombuffer(b, dtype="<u4")
    return float(np.mean(va == vb))


@dataclass(frozen=True, slots=True)
class SyndicationConfig:
    """``rows`` hashes per band (``NUM_HASHES // rows`` bands). With 2 rows (30 bands) a copy is
    found with probability 0.71 at resemblance 0.2, 0.94 at 0.3 and 0.99 at 0.4; each bucket keeps
    only its latest article, so an article has at most 30 candidates however large the window."""

    rows: int = 2
    min_resemblance: float = 0.2
    min_shingles: int = 12
    window: timedelta = timedelta(days=3)


@dataclass(frozen=True, slots=True)
class SyndicationMatch:
    """The group an article joined. ``group_id`` is the id of the group's first article."""

    doc_id: DocId
    group_id: DocId
    origin_id: DocId
    agency: str | None
    resemblance: float
    size: int
    outlets: int

    @property
    def is_copy(self) -> bool:
        return self.size > 1


@dataclass(slots=True)
class SyndicationGroup:
    id: DocId
    members: list[DocId] = field(default_factory=list)
    sources: dict[str, DocId] = field(default_factory=dict)
    agency: str | None = None
    origin_id: DocId | None = None
    origin_time: datetime | None = None


@dataclass(slots=True)
class _Entry:
    id: DocId
    signature: bytes | None
    group: DocId
    when: datetime | None
    bands: list[int]


class SyndicationIndex:
    """Near-duplicate groups over a time window, found through MinHash LSH buckets."""

    def __init__(self, config: SyndicationConfig | None = None) -> None:
        self.config = config or SyndicationConfig()
        self._entries: dict[int, _Entry] = {}
        self._buckets: dict[int, int] = {}
        self._groups: dict[DocId, SyndicationGroup] = {}
        self._order: deque[int] = deque()
        self._keys = itertools.count()
        self._clock: datetime | None = None

    def __len__(self) -> int:
        return len(self._entries)

    def add(
        self,
        doc_id: DocId,
        text: str,
        published: datetime | None = None,
        source: str | None = None,
    ) -> SyndicationMatch:
        """Add an article body; returns the group it joined (or started)."""
        sig = signature(text) if shingle_count(text) >= self.config.min_shingles else None
        return self.add_signature(doc_id, sig, published, source, detect_agency(text))

    def add_signature(
        self,
        doc_id: DocId,
        sig: bytes | None,
        published: datetime | None = None,
        source: str | None = None,
        agency: str | None = None,
    ) -> SyndicationMatch:
        """Add an article by its stored signature (None: too short to compare, never grouped)."""
        when = self._advance_clock(published)
        best, score = self._best_match(sig) if sig is not None else (None, 0.0)
        group = self._groups[best.group] if best is not None else self._new_group(doc_id)
        self._join(group, doc_id, when, source, agency)
        self._store(doc_id, sig, group.id, when)
        return SyndicationMatch(
            doc_id,
            group.id,
            group.origin_id if group.origin_id is not None else doc_id,
            group.agency,
            score,
            len(group.members),
            len(group.sources) or 1,
        )

    def group(self, group_id: DocId) -> SyndicationGroup:
        """The live group with that id; raises ``KeyError`` once it left the window."""
        return self._groups[group_id]

    def _bands(self, sig: bytes) -> list[int]:
        width = 4 * self.config.rows
        count = NUM_HASHES // self.config.rows
        return [crc32(sig[i * width : (i + 1) * width], i) for i in range(count)]

    def _best_match(self, sig: bytes) -> tuple[_Entry | None, float]:
        best: _Entry | None = None
        best_score = 0.0
        seen: set[int] = set()
        for band in self._bands(sig):
            key = self._buckets.get(band)
            if key is None or key in seen or key not in self._entries:
                continue
            seen.add(key)
            entry = self._entries[key]
            if entry.signature is None:
                continue
            score = resemblance(sig, entry.signature)
            if score > best_score:
                best, best_score = entry, score
        if best_score < self.config.min_resemblance:
            return None, best_score
        return best, best_score

    def _new_group(self, doc_id: DocId) -> SyndicationGroup:
        group = SyndicationGroup(doc_id)
        self._groups[doc_id] = group
        return group

    def _join(
        self,
        group: SyndicationGroup,
        doc_id: DocId,
        when: datetime | None,
        source: str | None,
        agency: str | None,
    ) -> None:
        group.members.append(doc_id)
        if source:
            group.sources.setdefault(source, doc_id)
        group.agency = group.agency or agency
        if group.agency and source and group.agency.lower() in source.lower():
            group.origin_id, group.origin_time = group.sources[source], None
        elif group.origin_id is None or (
            group.origin_time is not None and when is not None and when < group.origin_time
        ):
            group.origin_id, group.origin_time = doc_id, when

    def _store(self, doc_id: DocId, sig: bytes | None, group: DocId, when: datetime | None) -> None:
        key = next(self._keys)
        bands = self._bands(sig) if sig is not None else []
        self._entries[key] = _Entry(doc_id, sig, group, when, bands)
        self._order.append(key)
        for band in bands:
            self._buckets[band] = key

    def _advance_clock(self, published: datetime | None) -> datetime | None:
        if published is not None and (self._clock is None or published > self._clock):
            self._clock = published
            self._evict(published - self.config.window)
        return published or self._clock

    def _evict(self, cutoff: datetime) -> None:
        while self._order and (self._entries[self._order[0]].when or cutoff) < cutoff:
            key = self._order.popleft()
            entry = self._entries.pop(key)
            for band in entry.bands:
                if self._buckets.get(band) == key:
                    del self._buckets[band]
            group = self._groups.get(entry.group)
            if group is not None and group.members and group.members[-1] == entry.id:
                del self._groups[entry.group]
