"""Average linkage that refuses to merge two groups which name different things, or which are
each far closer inside than to each other.

Hand-written because SciPy's ``linkage`` builds the whole tree from distances alone, and what
tells two events of one kind apart is not a distance between two articles but a property of two
groups: reports of two different earthquakes share every topic word, yet each group's own place,
people and year recur in most of its members and appear in none of the other's. That only shows
once both groups hold a few articles (one article leaves names out by chance), so it is checked at
merge time on the groups as they stand; a refused pair stays apart while either side may still
grow, and is judged again once it has.

The second test is for two events of one topic that name the same people (an inquiry opened and
its report a week later): each group's articles are close to one another, and the two groups are
close enough to pass the cut, but much less close to each other than within themselves
(:class:`Cohesion`). Coverage of one event is a continuum, not two tight knots.

SciPy's compiled linkage gives the merges as long as none is refused; only for the
neighbourhoods where one is (about one article in ten on AllSides, one in six on ECB+) does plain
average linkage (the Lance-Williams update of the mean
distance) run here, on at most a few dozen articles. An optional second stage then attaches the
articles left alone to the nearest group formed (a tight core first, then what clings to it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.cluster.hierarchy import linkage
from scipy.spatial.distance import squareform

__all__ = ["Cohesion", "NameVeto", "average_linkage", "name_discord"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class NameVeto:
    """Groups of at least ``min_group`` articles stay apart when their ``name_discord`` exceeds
    ``max_discord``."""

    min_group: int = 3
    max_discord: float = 0.3


@dataclass(frozen=True, slots=True)
class Cohesion:
    """Groups of at least ``min_group`` articles merge only when their mean cosine to each other
    reaches ``min_ratio`` of the mean of their own within-group cosines, or ``enough`` whatever
    those are: two groups of near-copies (one wire story each) are closer inside than two
    outlets' reports of one event ever are to each other, and need not be."""

    min_group: int = 2
    min_ratio: float = 0.7
    enough: float = 0.3


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
    *,
    cosines: FloatArray | None = None,
    cohesion: Cohesion | None = None,
) -> NDArray[np.int32]:
    """Cluster labels 1..k from merging the closest groups while their mean distance is at most
    ``cut``; with ``names`` (per article) and ``veto``, pairs of groups that name different things
    are skipped, and with ``cosines`` (the articles' similarities before any adjustment) and
    ``cohesion``, pairs of groups far closer inside than to each other; then, with
    ``attach_cut``, articles left alone join their nearest group.

    SciPy's linkage (compiled) gives the merges; only when one of them is refused is the
    linkage redone here with the refusals, which is rarer and slower."""
    rules = _Check(names, veto, cosines, cohesion)  # each rule passes when its inputs are None
    check = rules if rules.judges else None
    members = _scipy_groups(dist, cut, check)
    if members is None and check is not None:
        members = _vetoed_groups(dist, cut, check)
    assert members is not None  # only a check refuses a merge
    if attach_cut is not None:
        members = _attach(dist, members, attach_cut)
    return _labels(members, len(dist))


@dataclass(frozen=True, slots=True)
class _Check:
    names: Sequence[Sequence[int]] | None
    veto: NameVeto | None
    cosines: FloatArray | None
    cohesion: Cohesion | None

    @property
    def judges(self) -> bool:
        """Whether either rule has what it needs."""
        names = self.names is not None and self.veto is not None
        return names or (self.cosines is not None and self.cohesion is not None)

    def refuses(self, a: list[int], b: list[int]) -> bool:
        return self._names_differ(a, b) or self._apart(a, b)

    def _names_differ(self, a: list[int], b: list[int]) -> bool:
        if self.names is None or self.veto is None or min(len(a), len(b)) < self.veto.min_group:
            return False
        discord = name_discord(self._count(a), len(a), self._count(b), len(b))
        return discord > self.veto.max_discord

    def _count(self, members: list[int]) -> Counter[int]:
        assert self.names is not None
        return Counter(t for m in members for t in set(self.names[m]))

    def _apart(self, a: list[int], b: list[int]) -> bool:
        rule, cos = self.cohesion, self.cosines
        if rule is None or cos is None or min(len(a), len(b)) < max(rule.min_group, 2):
            return False
        between = float(cos[np.ix_(a, b)].mean())
        inside = (_mean_within(cos, a) + _mean_within(cos, b)) / 2.0
        return between < min(rule.min_ratio * inside, rule.enough)


def _mean_within(cos: FloatArray, group: list[int]) -> float:
    """Mean cosine over the pairs of a group's articles (the diagonal left out)."""
    sub = cos[np.ix_(group, group)]
    n = len(group)
    return float((sub.sum() - np.trace(sub)) / (n * (n - 1)))


def _scipy_groups(dist: FloatArray, cut: float, check: _Check | None) -> list[list[int]] | None:
    """The groups below the cut from SciPy's tree, or None when ``check`` refuses a merge."""
    n = len(dist)
    groups: dict[int, list[int]] = {i: [i] for i in range(n)}
    if n > 1:
        tree = linkage(squareform(dist, checks=False), method="average")
        for k, (a, b, height, _) in enumerate(tree.tolist()):
            if height > cut:
                break
            left, right = groups.pop(int(a)), groups.pop(int(b))
            if check is not None and check.refuses(left, right):
                return None
            groups[n + k] = left + right
    return list(groups.values())


def _vetoed_groups(dist: FloatArray, cut: float, check: _Check) -> list[list[int]]:
    """Average linkage step by step, skipping refused pairs until either side changes."""
    n = len(dist)
    d = np.array(dist, dtype=np.float64)
    np.fill_diagonal(d, np.inf)
    open_ = d.copy()  # d with refused pairs set apart
    members: list[list[int]] = [[i] for i in range(n)]
    while True:
        i, j = divmod(int(np.argmin(open_)), n)
        if not open_[i, j] <= cut:
            return [g for g in members if g]
        if check.refuses(members[i], members[j]):
            open_[i, j] = open_[j, i] = np.inf
            continue
        size_i, size_j = len(members[i]), len(members[j])
        row = (size_i * d[i] + size_j * d[j]) / (size_i + size_j)
        d[i, :] = d[:, i] = row
        d[j, :] = d[:, j] = np.inf
        d[i, i] = np.inf
        open_[i, :], open_[:, i] = d[i], d[:, i]  # a new group: its refusals are lifted
        open_[j, :] = open_[:, j] = np.inf
        members[i] += members[j]
        members[j] = []


def _attach(dist: FloatArray, members: list[list[int]], cut: float) -> list[list[int]]:
    """Each article left alone joins the nearest group of two or more within ``cut`` (mean
    distance to its members): a lone report is more often a different angle on a story than a
    story of its own, and needs less evidence to join a group already formed than two groups
    need to become one."""
    cores = [g for g in members if len(g) >= 2]
    alone = [g[0] for g in members if len(g) == 1]
    if not cores or not alone:
        return members
    share = np.zeros((len(dist), len(cores)))
    for k, group in enumerate(cores):
        share[group, k] = 1.0 / len(group)
    means = dist[alone] @ share
    joined, kept = [list(g) for g in cores], []
    for i, k, mean in zip(alone, means.argmin(axis=1), means.min(axis=1), strict=True):
        if mean <= cut:
            joined[int(k)].append(i)
        else:
            kept.append([i])
    return joined + kept


def _labels(members: list[list[int]], n: int) -> NDArray[np.int32]:
    """Labels numbered in the order of each group's first article."""
    labels = np.zeros(n, dtype=np.int32)
    for label, group in enumerate(sorted((g for g in members if g), key=min), 1):
        labels[group] = label
    return labels
