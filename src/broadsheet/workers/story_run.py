"""Live story assignment: every stored article not yet in a story is given one, oldest first.

It runs as its own stage beside fetching, reading from the database what fetching wrote, so a
crash loses nothing (an article without a story is simply picked up again) and any number of
fetch workers feed one clusterer. After a restart the clusterer's window is rebuilt from the
stored assignments, keeping every story id valid, with the sentence embeddings stored beside them
(only members stored without one, or with one another encoder made, are encoded again, and what
that makes is stored for the next restart).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime, timedelta
from typing import Protocol

import numpy as np

from broadsheet.exceptions import StorageError
from broadsheet.storage import Store
from broadsheet.storage.stories import AssignmentLead, PendingArticle
from broadsheet.understand.stories import StoryAssignment, StoryDoc
from broadsheet.understand.story_meaning import Vector
from broadsheet.understand.syndication import SyndicationMatch

__all__ = ["Clusterer", "StoryAssigner"]

log = logging.getLogger(__name__)


class Clusterer(Protocol):
    @property
    def embedding_model(self) -> str | None:
        """What makes its embeddings (None: it makes none)."""
        ...

    def assign_all(self, docs: Iterable[StoryDoc]) -> Iterator[StoryAssignment]:
        """Each article's assignment, in order (the next ones may be prepared meanwhile)."""
        ...

    def restore_all(
        self, docs: Iterable[StoryDoc], story_ids: Iterable[int]
    ) -> Mapping[int | str, Vector]:
        """Replay the window; returns the embeddings it made for articles handed back without."""
        ...


class SyndicationIndex(Protocol):
    def add(
        self, doc_id: int, text: str, published: datetime | None = None, source: str | None = None
    ) -> SyndicationMatch: ...


def _doc(article: PendingArticle, embedding_model: str | None) -> StoryDoc:
    """The clusterer's view of an article, with its stored embedding when the clusterer's
    encoder made it (a vector of another model would be compared with ones it cannot match)."""
    same = embedding_model is not None and article.embedding_model == embedding_model
    stored = article.embedding if same else None
    return StoryDoc(
        id=article.id, title=article.title, text=article.text,
        published=article.published, source=article.source,
        embedding=None if stored is None else np.frombuffer(stored, np.float16).astype(np.float32),
    )  # fmt: skip


class StoryAssigner:
    """Keeps the clusterer in step with the store."""

    def __init__(
        self,
        store: Store,
        *,
        now: Callable[[], datetime],
        make_clusterer: Callable[[Callable[[], int]], Clusterer] | None = None,
        syndication: SyndicationIndex | None = None,
        window: timedelta = timedelta(days=4),
    ) -> None:
        self.store = store
        self.now = now
        self.window = window
        self.syndication = syndication if syndication is not None else _default_syndication()
        make = make_clusterer or _default_clusterer
        self.clusterer = make(lambda: store.stories.create_story(self.now()))
        self.lead = AssignmentLead(store.engine)
        self._restored = False

    def restore(self) -> int:
        """Replay the window's stored assignments into the clusterer; returns how many."""
        members = self.store.stories.assigned_since(self.now() - self.window)
        live = [self._live_story(article) for article in members]
        made_by = self.clusterer.embedding_model
        made = self.clusterer.restore_all([_doc(article, made_by) for article in members], live)
        if made and made_by is not None:
            self._keep(made, made_by)
        for article in members:
            self.syndication.add(article.id, article.text, article.published, article.source)
        self._restored = True
        return len(members)

    def assign_pending(self, *, limit: int = 1000) -> int:
        """Assign every waiting article (up to ``limit``); returns how many were assigned.

        Only the process that leads assigns (one clusterer must see every article); the others
        return 0 and take over when the leader is gone."""
        if not self.lead.acquire():
            return 0
        if not self._restored:
            self.restore()
        pending = self.store.stories.pending_articles(limit=limit)
        made_by = self.clusterer.embedding_model
        assignments = self.clusterer.assign_all(_doc(article, made_by) for article in pending)
        for article, assignment in zip(pending, assignments, strict=True):
            self._record(article, assignment, made_by)
        return len(pending)

    def _keep(self, made: Mapping[int | str, Vector], made_by: str) -> None:
        """Store the embeddings a restore made, so that the next restart need not make them
        again; only a saving, so a failure is logged and the restored window kept."""
        vectors = {int(doc_id): vector.tobytes() for doc_id, vector in made.items()}
        try:
            self.store.stories.keep_embeddings(vectors, made_by)
        except StorageError as e:
            log.warning("could not keep restored embeddings", extra={"error": str(e)})

    def _live_story(self, article: PendingArticle) -> int:
        assert article.story_id is not None
        return self.store.stories.resolve(article.story_id).id

    def _record(
        self, article: PendingArticle, assignment: StoryAssignment, made_by: str | None
    ) -> None:
        match = self.syndication.add(article.id, article.text, article.published, article.source)
        group = int(match.group_id)
        self.store.stories.record_assignment(
            article.id, assignment.story_id, now=self.now(), syndication_group=group,
            merged=assignment.merged, moved=_article_moves(assignment.moved),
            headline=article.title if assignment.is_new else None,
            embedding=None if assignment.embedding is None else assignment.embedding.tobytes(),
            embedding_model=made_by,
        )  # fmt: skip


def _article_moves(moved: tuple[tuple[int | str, int], ...]) -> tuple[tuple[int, int], ...]:
    return tuple((int(article), story) for article, story in moved)


def _default_syndication() -> SyndicationIndex:
    from broadsheet.understand.syndication import SyndicationIndex as Index

    index: SyndicationIndex = Index()
    return index


def _default_clusterer(allocate_id: Callable[[], int]) -> Clusterer:
    from broadsheet.understand.stories import StoryClusterer

    clusterer: Clusterer = StoryClusterer(allocate_id=allocate_id)
    return clusterer
