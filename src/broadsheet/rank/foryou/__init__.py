"""For you: a private recommender that learns each reader's interests from their own signals.

Pure functions of their inputs (signals, candidates, a clock, an optional random generator); the
storage of signals and the web page call them. Typical use::

    embed = default_embedder()                         # WordLlama, else hashed vectors
    candidates = [Candidate(..., vector=v) for ..., v in zip(articles, embed(texts))]
    index = CandidateIndex(candidates)                 # rebuilt when new articles arrive
    coread = CoReading.fit(all_signals)                # refit in batch, every reader's signals
    profile = build_profile(reader, reader_signals, index, now=now)
    page = build_for_you(profile, index, now=now, top_story_ids=top, coread=coread,
                         search_hits=hits, labels=names)   # list[FeedItem] with reasons
"""

from __future__ import annotations

from broadsheet.rank.foryou.candidates import Candidate, CandidateIndex
from broadsheet.rank.foryou.config import ForYouConfig
from broadsheet.rank.foryou.coread import CoReading
from broadsheet.rank.foryou.embed import (
    Embedder,
    HashingEmbedder,
    WordLlamaEmbedder,
    default_embedder,
)
from broadsheet.rank.foryou.feed import FeedItem, ReasonKind, build_for_you
from broadsheet.rank.foryou.profile import ReaderProfile, build_profile
from broadsheet.rank.foryou.scoring import Scores, score_candidates
from broadsheet.rank.foryou.signals import (
    KIND_WEIGHTS,
    Signal,
    SignalKind,
    TargetKind,
    erase_signals,
    signals_of,
)

__all__ = [
    "KIND_WEIGHTS",
    "Candidate",
    "CandidateIndex",
    "CoReading",
    "Embedder",
    "FeedItem",
    "ForYouConfig",
    "HashingEmbedder",
    "ReaderProfile",
    "ReasonKind",
    "Scores",
    "Signal",
    "SignalKind",
    "TargetKind",
    "WordLlamaEmbedder",
    "build_for_you",
    "build_profile",
    "default_embedder",
    "erase_signals",
    "score_candidates",
    "signals_of",
]
