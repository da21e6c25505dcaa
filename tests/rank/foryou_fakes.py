"""A small world of candidates for For you tests: topics with their own directions in vector space."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from broadsheet.rank.foryou import Candidate, CandidateIndex, Signal

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
TOPICS = ("iran", "football", "climate", "markets", "films", "science")
DIM = 16


def topic_vector(topic: str, wobble: int = 0) -> np.ndarray:
    """A unit vector near the topic's own axis, nudged by ``wobble`` so articles differ."""
    v = np.zeros(DIM, np.float32)
    v[TOPICS.index(topic)] = 1.0
    v[len(TOPICS) + wobble % (DIM - len(TOPICS))] = 0.3
    return v / np.linalg.norm(v)


def world(per_topic: int = 8, copies: int = 1) -> CandidateIndex:
    """``per_topic`` stories per topic, each with ``copies`` articles from different sources."""
    cands: list[Candidate] = []
    for t in TOPICS:
        for n in range(per_topic):
            for k in range(copies):
                cands.append(
                    Candidate(
                        article_id=f"{t}-{n}-{k}",
                        story_id=f"story-{t}-{n}",
                        source=f"outlet-{(n + k) % 4}",
                        published=NOW - timedelta(hours=2 + n * 3 + k),
                        topics=(t,),
                        entities=(f"ent-{t}-{n % 3}",),
                        popularity=float(10 + n),
                        vector=topic_vector(t, n),
                    )
                )
    return CandidateIndex(cands)


def signal(
    kind: str,
    target: str,
    *,
    target_kind: str = "article",
    hours_ago: float = 1.0,
    reader: str = "ann",
) -> Signal:
    return Signal(reader, kind, target, NOW - timedelta(hours=hours_ago), target_kind)  # type: ignore[arg-type]
