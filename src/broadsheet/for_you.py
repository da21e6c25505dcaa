"""For you over the store: recent articles as candidates, each reader's signals and follows as
their profile, the page built by ``rank.foryou`` with a reason on every item.

The candidate index (with each article's content vector) is the costly part, so it is kept warm
and rebuilt only when articles have arrived or it has aged; a page is then a profile and a
vectorised scoring pass.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from broadsheet.rank.foryou import (
    Candidate,
    CandidateIndex,
    CoReading,
    Embedder,
    FeedItem,
    Signal,
    SignalKind,
    TargetKind,
    build_for_you,
    build_profile,
)
from broadsheet.storage import Store
from broadsheet.storage.signals import CandidateRow, open_counts, recent_candidates
from broadsheet.types import Article, User
from broadsheet.understand.topics import Label

__all__ = ["SIGNAL_KINDS", "ForYou", "ForYouItem"]

log = logging.getLogger(__name__)
SIGNAL_KINDS = ("open", "read_end", "save", "hide", "more", "less")


@dataclass(frozen=True, slots=True)
class ForYouItem:
    article: Article
    reason: str
    why: str
    story_id: int | None


def _topics(row: CandidateRow, labels: list[Label]) -> tuple[str, ...]:
    """The article's sections as labelled (the page's own until it is labelled)."""
    sections = tuple(label.key for label in labels if label.kind == "section")
    return sections or ((row.section.lower(),) if row.section else ())


def _entities(row: CandidateRow, labels: list[Label]) -> tuple[str, ...]:
    """The people, organisations and places labelled, else the headline's and lead's names."""
    named = tuple(label.key for label in labels if label.kind != "section")
    if named:
        return named[:8]
    from broadsheet.understand.text import capitalised_phrases

    seen: dict[str, None] = {}
    for phrase in capitalised_phrases(f"{row.title}\n{row.lead}"):
        if len(phrase) > 2:
            seen.setdefault(phrase.lower(), None)
    return tuple(seen)[:8]


def _signal(
    reader: str, kind: str, target: str, at: datetime, target_kind: str, weight: float = 1.0
) -> Signal:
    """A stored row as the model's signal (kinds were checked when the row was written)."""
    return Signal(reader, cast(SignalKind, kind), target, at, cast(TargetKind, target_kind), weight)


class ForYou:
    """Builds For you pages; one per process, shared by its requests."""

    def __init__(
        self,
        store: Store,
        *,
        now: Callable[[], datetime],
        embedder: Embedder | None = None,
        window: timedelta = timedelta(days=14),
        max_candidates: int = 100_000,
        max_age: timedelta = timedelta(minutes=10),
    ) -> None:
        self.store, self.now, self.window = store, now, window
        self.max_candidates, self.max_age = max_candidates, max_age
        self._embedder = embedder
        self._lock = threading.Lock()
        self._index: CandidateIndex | None = None
        self._labels: dict[str, str] = {}
        self._built: tuple[datetime, int] | None = None  # when, and the newest article id then
        self._coread: CoReading | None = None

    def _embed(self) -> Embedder:
        if self._embedder is None:
            from broadsheet.rank.foryou import default_embedder

            self._embedder = default_embedder()
        return self._embedder

    def index(self) -> CandidateIndex:
        """The candidate index, rebuilt when new articles arrived or it is older than max_age."""
        with self._lock:
            newest = self.store.newest_article_id()
            now = self.now()
            fresh = self._built and self._built[1] == newest and now - self._built[0] < self.max_age
            if self._index is None or not fresh:
                self._rebuild(now)
                self._built = (now, newest)
            assert self._index is not None
            return self._index

    def _rebuild(self, now: datetime) -> None:
        rows = recent_candidates(self.store.engine, now - self.window, limit=self.max_candidates)
        popularity = open_counts(self.store.engine, now - self.window)
        vectors = self._embed()([f"{r.title}. {r.lead[:300]}" for r in rows])
        labels = self.store.labels.labels_since(now - self.window)
        candidates = [
            Candidate(
                article_id=str(r.article_id),
                story_id=str(r.story_id if r.story_id is not None else f"a{r.article_id}"),
                source=str(r.source_id),
                published=r.published,
                topics=_topics(r, labels.get(r.article_id, [])),
                entities=_entities(r, labels.get(r.article_id, [])),
                popularity=float(popularity.get(str(r.article_id), 0)),
                vector=vectors[i],
            )
            for i, r in enumerate(rows)
        ]
        self._index = CandidateIndex(candidates)
        self._labels = {str(r.source_id): r.source for r in rows if r.source}
        self._coread = CoReading.fit(self._all_signals(now))
        log.info("For you candidates rebuilt", extra={"candidates": len(candidates)})

    def _all_signals(self, now: datetime) -> list[Signal]:
        return [
            _signal(str(r.user_id), r.kind, r.target, r.at, r.target_kind, r.weight)
            for r in self.store.signals.since(now - timedelta(days=30))
            if r.kind in SIGNAL_KINDS
        ]

    def signals_of(self, user: User) -> list[Signal]:
        """The reader's recorded signals plus their current follows (follows outlive an erase)."""
        reader = str(user.id)
        recorded = [
            _signal(reader, r.kind, r.target, r.at, r.target_kind, r.weight)
            for r in self.store.signals.list_for(user.id)
            if r.kind in SIGNAL_KINDS
        ]
        follows = [
            _signal(
                reader,
                "follow",
                f.key.lower() if f.kind != "source" else f.key,
                f.created_at,
                f.kind,
            )
            for f in self.store.reading.list_follows(user.id)
        ]
        return follows + recorded

    def page(
        self, user: User, *, limit: int = 30, top_story_ids: tuple[int, ...] = ()
    ) -> list[ForYouItem]:
        from threadpoolctl import threadpool_limits

        index = self.index()
        now = self.now()
        labels = self._labels | {
            f.key.lower(): f.label or f.key for f in self.store.reading.list_follows(user.id)
        }
        # One BLAS thread a page: requests run side by side, and threads fight under load.
        with threadpool_limits(1):
            profile = build_profile(str(user.id), self.signals_of(user), index, now=now)
            items = build_for_you(
                profile, index, now=now, top_story_ids=[str(s) for s in top_story_ids],
                limit=limit, coread=self._coread, labels=labels,
            )  # fmt: skip
        return [self._item(i) for i in items]

    def _item(self, item: FeedItem) -> ForYouItem:
        story = None if item.story_id.startswith("a") else int(item.story_id)
        article = self.store.get_article(int(item.article_id))
        return ForYouItem(article, item.reason, item.why, story)

    def record(
        self, user: User, kind: str, target_kind: str, target: str, *, weight: float = 1.0
    ) -> None:
        """Keep a signal; the next page already reflects it."""
        if kind not in SIGNAL_KINDS:
            raise ValueError(f"unknown signal {kind!r}")
        self.store.signals.record(user.id, kind, target_kind, target, now=self.now(), weight=weight)
