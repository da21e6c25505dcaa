from collections import Counter

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from broadsheet.understand.agglomerate import Cohesion, NameVeto, average_linkage, name_discord


def test_without_names_it_cuts_where_scipy_average_linkage_cuts() -> None:
    rng = np.random.default_rng(3)
    points = np.concatenate([rng.normal(c, 0.3, size=(6, 2)) for c in (0.0, 3.0, 6.0)])
    dist = np.linalg.norm(points[:, None] - points[None, :], axis=2)
    ours = average_linkage(dist, 1.5)
    theirs = fcluster(linkage(squareform(dist, checks=False), "average"), 1.5, "distance")
    pairs = [(a == b) for a in ours for b in ours]
    assert pairs == [(a == b) for a in theirs for b in theirs]
    assert len(set(ours.tolist())) == 3


def two_events() -> tuple[np.ndarray, list[list[int]]]:
    """Six articles all close in words: three name 1 and 2, three name 3 and 4."""
    dist = np.full((6, 6), 0.5)
    dist[:3, :3] = dist[3:, 3:] = 0.3
    np.fill_diagonal(dist, 0.0)
    return dist, [[1, 2, 9], [1, 2], [1, 2, 8], [3, 4], [3, 4, 7], [3, 4]]


def test_groups_that_name_different_things_stay_apart() -> None:
    dist, names = two_events()
    assert average_linkage(dist, 0.6, names).tolist() == [1] * 6
    assert average_linkage(dist, 0.6, names, NameVeto()).tolist() == [1, 1, 1, 2, 2, 2]


def test_groups_too_small_to_judge_are_merged_on_words_alone() -> None:
    dist, names = two_events()
    labels = average_linkage(dist, 0.6, names, NameVeto(min_group=4))
    assert labels.tolist() == [1] * 6


def test_shared_names_do_not_stop_a_merge() -> None:
    dist, _ = two_events()
    names = [[1, 2], [1, 2, 5], [1, 2], [1, 2, 6], [1, 2], [1, 2, 6]]
    assert average_linkage(dist, 0.6, names, NameVeto()).tolist() == [1] * 6


def test_name_discord_counts_only_names_most_members_carry() -> None:
    a, b = Counter({1: 3, 2: 3, 9: 1}), Counter({3: 2, 4: 2, 1: 1})
    assert name_discord(a, 3, b, 2) == 1.0 - 0.5  # b's names: none in a; a's: 1 of 2 in b
    assert name_discord(a, 3, Counter({1: 2, 2: 2}), 2) == 0.0
    assert name_discord(Counter(), 3, b, 2) == 0.0  # no names to disagree on


def test_a_lone_article_attaches_to_the_nearest_group_within_the_attach_cut() -> None:
    dist = np.array(
        [
            [0.0, 0.2, 0.9, 0.7],
            [0.2, 0.0, 0.9, 0.7],
            [0.9, 0.9, 0.0, 0.95],
            [0.7, 0.7, 0.95, 0.0],
        ]
    )
    assert average_linkage(dist, 0.5).tolist() == [1, 1, 2, 3]
    assert average_linkage(dist, 0.5, attach_cut=0.8).tolist() == [1, 1, 2, 1]


def knots(inside: float, between: float, sizes: tuple[int, int] = (3, 3)) -> np.ndarray:
    """Cosines of two groups of articles: ``inside`` within each, ``between`` across."""
    n = sum(sizes)
    cos = np.full((n, n), between)
    cos[: sizes[0], : sizes[0]] = cos[sizes[0] :, sizes[0] :] = inside
    np.fill_diagonal(cos, 1.0)
    return cos


def linked(cos: np.ndarray, cohesion: Cohesion | None) -> list[int]:
    dist = 1.0 / (1.0 + cos)  # every pair within the cut of 1/1.2
    np.fill_diagonal(dist, 0.0)
    return average_linkage(dist, 1 / 1.2, cosines=cos, cohesion=cohesion).tolist()


def test_two_groups_far_closer_inside_than_across_stay_apart() -> None:
    cos = knots(inside=0.5, between=0.25)  # half the cosine inside, and under 0.3
    assert linked(cos, None) == [1] * 6
    assert linked(cos, Cohesion()) == [1, 1, 1, 2, 2, 2]


def test_groups_about_as_close_across_as_inside_merge() -> None:
    assert linked(knots(inside=0.3, between=0.22), Cohesion()) == [1] * 6  # 0.73 of inside


def test_groups_of_near_copies_need_only_be_close_enough() -> None:
    cos = knots(inside=0.95, between=0.32)  # a third of inside, but above 0.3
    assert linked(cos, Cohesion()) == [1] * 6
    assert linked(cos, Cohesion(enough=0.5)) == [1, 1, 1, 2, 2, 2]


def test_a_lone_article_is_never_judged_on_cohesion() -> None:
    assert linked(knots(inside=0.5, between=0.25, sizes=(2, 1)), Cohesion()) == [1, 1, 1]
    assert linked(knots(inside=0.5, between=0.25, sizes=(2, 2)), Cohesion()) == [1, 1, 2, 2]
