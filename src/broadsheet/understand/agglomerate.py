"""Average linkage that refuses to merge two groups which name different things.

Hand-written because SciPy's ``linkage`` builds the whole tree from distances alone, and what
tells two events of one kind apart is not a distance between two articles but a property of two
groups: reports of two different earthquakes share every topic word, yet each group's own place,
people and year recur in most of its members and appear in none of the other's. That only shows
once both groups hold a few articles (one article leaves names out by chance), so it is checked at
merge time on the groups as they stand; a refused pair stays apart while either side may still
grow, and is judged again once it has.

Otherwise plain average linkage (the Lance-Williams update of the mean distance), stopped at the
cut, on a neighbourhood of at most a few dozen articles, so the quadratic matrix costs little;
then an optional second stage attaches the articles left alone to the nearest group formed (a
tight core first, then what clings to it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["NameVeto", "average_linkage", "name_discord"]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class NameVeto:
    """Groups of at least ``min_group`` articles stay apart when their ``name_discord`` exceeds
    ``max_discord``."""

    min_group: int = 3
    max_discord: float = 0.3


@dataclass(slots=True)
class _Groups:
    members: list[list[int]]
    names: list[Counter[int]]  # how many members of the group carry each name


def name_discord(a: Counter[int], size_a: int, b: Counter[int], size_b: int) -> float:
    """How much two groups disagree on the names that each keeps repeating: 0 when all the names
    carried by most members of either group appear somewhere in the other, 1 when none do for
    either. The better-covered side decides, so a small group's stray names do not count."""
    return 1.0 - max(_coverage(a, size_a, b), _coverage(b, size_b, a))


def _coverage(mine: Counter[int], size: int, theirs: Counter[int]) -> float:
    need = size // 2 + 1
    key = [t for t, n in mine.items() if n >= need]
    return sum(t in theirs for t in key) / len(key) if key else 1.0


def average_linkage(
    dist: FloatArray,
    cut: float,
    names: Sequence[Sequence[int]] | None = None,
    veto: NameVeto | None = None,
    attach_cut: float | None = None,
) -> NDArray[np.int32]:
    """Cluster labels 1..k from merging the closest groups while their mean distance is at most
    ``cut``; with ``names`` (per article) and ``veto``, pairs of groups that name different things
    are skipped; then, with ``attach_cut``, articles left alone join their nearest group."""
    n = len(dist)
    d = np.array(dist, dtype=np.float64)
    np.fill_diagonal(d, np.inf)
    blocked = np.zeros((n, n), dtype=bool)
    groups = _Groups([[i] for i in range(n)], [Counter(set(ns)) for ns in names or [()] * n])
    while n > 1:
        i, j = divmod(int(np.argmin(np.where(blocked, np.inf, d))), n)
        if not d[i, j] <= cut:
            break
        if veto is not None and names is not None and _refused(groups, i, j, veto):
            blocked[i, j] = blocked[j, i] = True
            continue
        _merge(d, blocked, groups, i, j)
    if attach_cut is not None:
        _attach(d, groups, attach_cut)
    return _labels(groups.members, n)


def _attach(d: FloatArray, groups: _Groups, cut: float) -> None:
    """Each article left alone joins the nearest group of two or more within ``cut``: a lone
    report is more often a different angle on a story than a story of its own, and needs less
    evidence to join a group already formed than two groups need to become one."""
    cores = np.array([len(g) >= 2 for g in groups.members])
    if not cores.any():
        return
    for i in [i for i, g in enumerate(groups.members) if len(g) == 1]:
        row = np.where(cores, d[i], np.inf)
        j = int(np.argmin(row))
        if row[j] <= cut:
            groups.members[j].append(i)
            groups.members[i] = []


def _refused(groups: _Groups, i: int, j: int, veto: NameVeto) -> bool:
    size_i, size_j = len(groups.members[i]), len(groups.members[j])
    if min(size_i, size_j) < veto.min_group:
        return False
    return name_discord(groups.names[i], size_i, groups.names[j], size_j) > veto.max_discord


def _merge(d: FloatArray, blocked: BoolArray, groups: _Groups, i: int, j: int) -> None:
    """Fold group ``j`` into ``i``: mean distances weighted by size; ``j`` leaves the matrix and
    ``i``'s refusals are lifted, since it is a new group now."""
    size_i, size_j = len(groups.members[i]), len(groups.members[j])
    row = (size_i * d[i] + size_j * d[j]) / (size_i + size_j)
    d[i, :] = d[:, i] = row
    d[i, i] = np.inf
    d[j, :] = d[:, j] = np.inf
    blocked[i, :] = blocked[:, i] = False
    groups.members[i].extend(groups.members[j])
    groups.members[j] = []
    groups.names[i].update(groups.names[j])
    groups.names[j] = Counter()


def _labels(members: list[list[int]], n: int) -> NDArray[np.int32]:
    """Labels numbered in the order of each group's first article."""
    labels = np.zeros(n, dtype=np.int32)
    for label, group in enumerate(sorted((g for g in members if g), key=min), 1):
        labels[group] = label
    return labels
