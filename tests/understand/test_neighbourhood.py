from __future__ import annotations

from array import array

import numpy as np

from broadsheet.understand.agglomerate import NameVeto
from broadsheet.understand.neighbourhood import cluster_neighbourhood, cosine_matrix, dot_many


def vec(pairs: dict[int, float]) -> tuple[array[int], array[float]]:
    norm = sum(w * w for w in pairs.values()) ** 0.5
    return array("q", pairs), array("d", [w / norm for w in pairs.values()])


def test_dot_many_matches_the_cosine_matrix() -> None:
    vecs = [vec({1: 1.0, 2: 2.0}), vec({2: 1.0, 3: 1.0}), vec({4: 1.0})]
    terms, weights = [t for t, _ in vecs], [w for _, w in vecs]
    sims = cosine_matrix(terms, weights)
    assert np.allclose(dot_many(terms[0], weights[0], terms, weights), sims[0])
    assert np.isclose(sims[0, 0], 1.0) and sims[0, 2] == 0.0


def test_crowded_topics_need_more_than_their_usual_likeness() -> None:
    sims = np.array([[1.0, 0.5, 0.1], [0.5, 1.0, 0.1], [0.1, 0.1, 1.0]])
    quiet = cluster_neighbourhood(sims, np.full(3, 0.1), threshold=0.1, crowding=0.8)
    crowded = cluster_neighbourhood(sims, np.full(3, 0.6), threshold=0.1, crowding=0.8)
    assert quiet.tolist() == [1, 1, 2]
    assert crowded.tolist() == [1, 2, 3]


def test_the_name_veto_reaches_the_linkage() -> None:
    sims = np.full((6, 6), 0.6)
    sims[:3, :3] = sims[3:, 3:] = 0.9
    np.fill_diagonal(sims, 1.0)
    names = [[1, 2]] * 3 + [[3, 4]] * 3
    args = {"threshold": 0.1, "crowding": 0.8, "names": names}
    density = np.full(6, 0.1)
    assert len(set(cluster_neighbourhood(sims, density, **args).tolist())) == 1
    vetoed = cluster_neighbourhood(sims, density, veto=NameVeto(), **args)
    assert vetoed.tolist() == [1, 1, 1, 2, 2, 2]
