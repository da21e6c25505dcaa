"""Every knob of the For you model in one frozen object, built once at the edge and passed down.

The defaults were set on the simulated-reader benchmark (``benchmarks/recommend.py``); see the
"For you" section of ``benchmarks/README.md`` for the figures they give.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ForYouConfig"]


@dataclass(frozen=True, slots=True)
class ForYouConfig:
    """Weights of the score components, decay and page-shaping rules."""

    # Score = sum of weight x component; components lie roughly in [-1, 1].
    content: float = 0.3  # cosine of the article to the reader's content vector
    dislike: float = 0.5  # cosine to what the reader hid or asked less of (subtracted)
    affinity: float = 1.0  # learnt source, topic and entity affinities
    follow: float = 0.8  # the article matches something the reader follows
    coread: float = 0.6  # read by readers who read what this reader read
    popularity: float = 1.2
    freshness: float = 0.3
    top_story: float = 0.3
    # Affinities are shares of interest; these scale each family before summing.
    source_share: float = 0.5
    topic_share: float = 1.0
    entity_share: float = 0.3
    affinity_gain: float = 3.0  # affinities pass through tanh(gain x sum)
    # Time.
    half_life_days: float = 21.0  # how fast behaviour signals fade (follows do not)
    freshness_half_life_hours: float = 36.0
    max_age_days: float = 14.0  # older candidates never reach the page
    # Page shaping.
    shortlist_factor: int = 8  # candidates considered per page slot
    diversity: float = 0.25  # MMR penalty on similarity to items already on the page
    max_topic_share: float = 0.4  # at most this share of a page from one topic
    top_story_every: int = 5  # one slot in this many is kept for a top story
    explore: float = 0.0  # Gumbel noise scale when an rng is given
