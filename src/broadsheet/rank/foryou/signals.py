"""What a reader tells us, explicitly or by reading: the only input the For you model learns from.

A signal is a plain value (who, what kind, about what, when, how strongly) so that storage can keep
it as one row and a reader can list and erase their own. The weights say how much each kind counts
toward interest; they are hand-set because they encode product intent (a hide must outweigh an
open), not something the data of a single reader can teach.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, get_args

__all__ = [
    "KIND_WEIGHTS",
    "Signal",
    "SignalKind",
    "TargetKind",
    "erase_signals",
    "signals_of",
]

SignalKind = Literal["follow", "open", "read_end", "save", "hide", "more", "less"]
TargetKind = Literal["article", "source", "topic", "entity", "search"]

# How much one signal of each kind says about a reader's interest in its target.
KIND_WEIGHTS: dict[SignalKind, float] = {
    "follow": 1.0,
    "open": 1.0,
    "read_end": 2.0,
    "save": 3.0,
    "more": 3.0,
    "less": -3.0,
    "hide": -4.0,
}

_KINDS = frozenset(get_args(SignalKind))
_TARGETS = frozenset(get_args(TargetKind))


@dataclass(frozen=True, slots=True)
class Signal:
    """One thing a reader did or said.

    ``target`` is the id of an article, source, topic, entity or saved search, as ``target_kind``
    tells; ``at`` is timezone-aware; ``weight`` scales the kind's own weight (e.g. a reading time
    fraction for ``read_end``).
    """

    reader_id: str
    kind: SignalKind
    target: str
    at: datetime
    target_kind: TargetKind = "article"
    weight: float = 1.0

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise ValueError(f"unknown signal kind {self.kind!r}")
        if self.target_kind not in _TARGETS:
            raise ValueError(f"unknown target kind {self.target_kind!r}")
        if self.at.tzinfo is None:
            raise ValueError("signal time must be timezone-aware")

    @property
    def strength(self) -> float:
        """Signed interest this signal expresses before time decay."""
        return KIND_WEIGHTS[self.kind] * self.weight


def signals_of(signals: Iterable[Signal], reader_id: str) -> list[Signal]:
    """The signals of one reader, oldest first: what a reader sees when they ask for their data."""
    return sorted((s for s in signals if s.reader_id == reader_id), key=lambda s: s.at)


def erase_signals(signals: Iterable[Signal], reader_id: str) -> list[Signal]:
    """Every signal except those of ``reader_id``: the model forgets them at the next page."""
    return [s for s in signals if s.reader_id != reader_id]
