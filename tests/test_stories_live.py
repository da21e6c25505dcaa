"""Live story assignment over the store: articles placed in stories, merges keep old ids valid,
a restart rebuilds the window, and the story page and top stories show the result."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from broadsheet.config import Settings
from broadsheet.core import Broadsheet, make_broadsheet
from broadsheet.exceptions import StorageError
from broadsheet.storage import Store
from broadsheet.storage.schema import story_articles
from broadsheet.storage.stories import StoryStore
from broadsheet.types import Author, ExtractedArticle
from broadsheet.understand.stories import StoryAssignment, StoryDoc
from broadsheet.web.app import create_app
from broadsheet.workers.story_run import StoryAssigner
from tests.conftest import Clock

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


class KeywordClusterer:
    """A fake clusterer: articles whose title shares its first word share a story; an article
    titled 'merge A B' merges the stories of A and B."""

    embedding_model: str | None = None

    def __init__(self, allocate: Callable[[], int]) -> None:
        self.allocate = allocate
        self.by_word: dict[str, int] = {}
        self.restored: list[tuple[int | str, int]] = []

    def restore_all(
        self, docs: Iterable[StoryDoc], story_ids: Iterable[int]
    ) -> dict[int | str, np.ndarray]:
        for doc, story_id in zip(docs, story_ids, strict=True):
            self.restored.append((doc.id, story_id))
            self.by_word[doc.title.split()[0]] = story_id
        return {}

    def assign_all(self, docs: Iterable[StoryDoc]) -> Iterator[StoryAssignment]:
        return map(self.assign, docs)

    def assign(self, doc: StoryDoc) -> StoryAssignment:
        words = doc.title.split()
        if words[0] == "merge":
            keep, gone = self.by_word[words[1]], self.by_word[words[2]]
            self.by_word[words[2]] = keep
            return StoryAssignment(doc.id, keep, False, 1.0, merged=((gone, keep),))
        if words[0] in self.by_word:
            return StoryAssignment(doc.id, self.by_word[words[0]], False, 1.0)
        self.by_word[words[0]] = self.allocate()
        return StoryAssignment(doc.id, self.by_word[words[0]], True, 0.0)


def add(store: Store, title: str, source: str, minutes: int, text: str = "") -> int:
    source_row, _ = store.add_source(f"https://{source}/feed", now=NOW, title=source)
    article = ExtractedArticle(
        title=title, text=text or f"{title}. Reported by {source}.", html="<p>x</p>",
        authors=(Author("A Writer"),), published=NOW - timedelta(minutes=minutes),
    )  # fmt: skip
    return store.save_article(
        article, url=f"https://{source}/{title.replace(' ', '-')}", source_id=source_row.id, now=NOW
    ).id


def test_articles_are_placed_merged_and_restored(store: Store) -> None:
    a1 = add(store, "quake hits city", "one.example", 60)
    a2 = add(store, "quake toll rises", "two.example", 50)
    b1 = add(store, "vote passes", "one.example", 40)
    assigner = StoryAssigner(store, now=lambda: NOW, make_clusterer=KeywordClusterer)
    assert assigner.assign_pending() == 3
    assert assigner.assign_pending() == 0
    quake = store.stories.story_of(a1)
    vote = store.stories.story_of(b1)
    assert quake is not None and vote is not None and quake[0] != vote[0]
    assert store.stories.story_of(a2)[0] == quake[0]  # type: ignore[index]
    story = store.stories.get_story(quake[0])
    assert (story.article_count, story.outlet_count, story.headline) == (2, 2, "quake hits city")

    add(store, "merge quake vote", "three.example", 30)
    assert assigner.assign_pending() == 1
    merged = store.stories.get_story(vote[0])
    assert merged.merged_into == quake[0]
    assert store.stories.resolve(vote[0]).id == quake[0]
    assert store.stories.story_of(b1)[0] == quake[0]  # type: ignore[index]
    assert store.stories.get_story(quake[0]).article_count == 4

    assigner.lead.release()  # the first process stops
    restarted = StoryAssigner(store, now=lambda: NOW, make_clusterer=KeywordClusterer)
    assert restarted.restore() == 4
    clusterer = restarted.clusterer
    assert isinstance(clusterer, KeywordClusterer)
    assert {story for _, story in clusterer.restored} == {quake[0]}
    add(store, "vote recount", "two.example", 10)
    restarted.assign_pending()
    assert store.stories.resolve(store.stories.story_of(b1)[0]).article_count == 5  # type: ignore[index]
    restarted.lead.release()


class EmbeddingClusterer(KeywordClusterer):
    """The keyword clusterer, giving each article an embedding of its id (``mark`` beside it)
    and noting the embeddings it is restored with; it encodes those it is restored without."""

    embedding_model = "ids as vectors"
    mark = 0.5

    def __init__(self, allocate: Callable[[], int]) -> None:
        super().__init__(allocate)
        self.restored_embeddings: dict[int | str, list[float] | None] = {}

    def restore_all(
        self, docs: Iterable[StoryDoc], story_ids: Iterable[int]
    ) -> dict[int | str, np.ndarray]:
        docs = list(docs)
        for doc in docs:
            vector = doc.embedding
            self.restored_embeddings[doc.id] = None if vector is None else vector.tolist()
        super().restore_all(docs, story_ids)
        return {doc.id: self.embed(doc) for doc in docs if doc.embedding is None}

    def assign(self, doc: StoryDoc) -> StoryAssignment:
        return dataclasses.replace(super().assign(doc), embedding=self.embed(doc))

    def embed(self, doc: StoryDoc) -> np.ndarray:
        return np.array([float(doc.id), self.mark, -2.0], dtype=np.float16)


class OtherModelClusterer(EmbeddingClusterer):
    embedding_model = "another encoder"
    mark = 1.5


def _restored_embeddings(
    store: Store, restarted_with: type[EmbeddingClusterer]
) -> tuple[list[int], dict[int | str, list[float] | None]]:
    """Two articles assigned by the embedding clusterer, then the window restored into a new
    clusterer of ``restarted_with``: the ids, and the embeddings it was handed."""
    ids = [add(store, "quake hits city", "one.example", 60), add(store, "vote", "two.example", 5)]
    assigner = StoryAssigner(store, now=lambda: NOW, make_clusterer=EmbeddingClusterer)
    assert assigner.assign_pending() == 2
    assigner.lead.release()
    restarted = StoryAssigner(store, now=lambda: NOW, make_clusterer=restarted_with)
    assert restarted.restore() == 2
    restarted.lead.release()
    clusterer = restarted.clusterer
    assert isinstance(clusterer, restarted_with)
    return ids, clusterer.restored_embeddings


def test_a_restart_gets_back_the_embeddings_the_articles_were_clustered_with(
    store: Store,
) -> None:
    ids, restored = _restored_embeddings(store, EmbeddingClusterer)
    assert restored == {i: [float(i), 0.5, -2.0] for i in ids}
    named = {a.embedding_model for a in store.stories.assigned_since(NOW - timedelta(days=1))}
    assert named == {"ids as vectors"}


def test_a_restart_with_another_encoder_does_not_reuse_the_stored_embeddings(
    store: Store,
) -> None:
    ids, restored = _restored_embeddings(store, OtherModelClusterer)
    assert restored == {i: None for i in ids}  # encoded again


def test_what_a_restart_encodes_again_is_kept_for_the_next(store: Store) -> None:
    ids, _ = _restored_embeddings(store, OtherModelClusterer)
    kept = store.stories.assigned_since(NOW - timedelta(days=1))
    assert {a.embedding_model for a in kept} == {"another encoder"}
    again = StoryAssigner(store, now=lambda: NOW, make_clusterer=OtherModelClusterer)
    assert again.restore() == 2
    again.lead.release()
    assert isinstance(again.clusterer, OtherModelClusterer)
    assert again.clusterer.restored_embeddings == {i: [float(i), 1.5, -2.0] for i in ids}


class UnwritableEmbeddings(StoryStore):
    def keep_embeddings(self, embeddings: Mapping[int, bytes], embedding_model: str) -> None:
        raise StorageError("keeping story embeddings")


def test_a_restore_that_cannot_keep_its_embeddings_still_restores(store: Store) -> None:
    ids, _ = _restored_embeddings(store, EmbeddingClusterer)
    with store.engine.begin() as conn:  # as if stored before embeddings were kept
        conn.execute(story_articles.update().values(embedding=None, embedding_model=None))
    store.stories = UnwritableEmbeddings(store.engine)
    restarted = StoryAssigner(store, now=lambda: NOW, make_clusterer=EmbeddingClusterer)
    assert restarted.restore() == 2
    rescue = add(store, "quake rescue", "three.example", 1)
    assert restarted.assign_pending() == 1
    restarted.lead.release()
    clusterer = restarted.clusterer
    assert isinstance(clusterer, EmbeddingClusterer)
    assert len(clusterer.restored) == 2  # restored once: the window was kept
    assert clusterer.restored_embeddings == {i: None for i in ids}
    placed, first = store.stories.story_of(rescue), store.stories.story_of(ids[0])
    assert placed is not None and first is not None and placed[0] == first[0]


@pytest.fixture
def broadsheet(tmp_path: Path, clock: Clock) -> Iterator[Broadsheet]:
    bs = make_broadsheet(Settings(data_dir=tmp_path), now=clock)
    yield bs
    bs.close()


def test_story_page_and_top_stories(broadsheet: Broadsheet, clock: Clock) -> None:
    store = broadsheet.store
    for i, outlet in enumerate(["one.example", "two.example", "three.example"]):
        add(store, f"quake report {i}", outlet, 60 - i * 10, text=f"Line from {outlet}.\nMore.")
    add(store, "vote passes", "one.example", 5)
    broadsheet._assigner = StoryAssigner(store, now=clock, make_clusterer=KeywordClusterer)
    assert broadsheet.assign_stories() == 4

    top = broadsheet.top_stories()
    assert [card.lead.title for card in top] == ["quake report 0", "vote passes"]
    assert top[0].outlets == ("one.example", "two.example", "three.example")

    with TestClient(create_app(broadsheet)) as client:
        page = client.get(f"/stories/{top[0].story.id}")
        assert page.status_code == 200
        text = page.text
        assert "3 outlets" in text and "First reported by <strong>one.example</strong>" in text
        assert all(f"quake report {i}" in text for i in range(3))
        assert re.search(
            r"<svg class=\"timeline\"[^>]*aria-label=\"Coverage over time: 3 articles", text
        )
        assert client.get("/stories/9999").status_code == 404


def test_lists_fold_syndicated_copies(store: Store) -> None:
    wire = add(store, "storm closes ports", "wire.example", 60)
    copy = add(store, "storm closes ports again", "paper.example", 50)
    own = add(store, "storm other angle", "third.example", 40)
    store.stories.record_assignment(wire, store.stories.create_story(NOW), now=NOW,
                                    syndication_group=7)  # fmt: skip
    story = store.stories.story_of(wire)
    assert story is not None
    store.stories.record_assignment(copy, story[0], now=NOW, syndication_group=7)
    store.stories.record_assignment(own, story[0], now=NOW, syndication_group=8)
    assert [a.id for a in store.list_articles()] == [own, wire]
    assert [a.id for a in store.list_articles(fold_copies=False)] == [own, copy, wire]
    assert store.stories.copies_of(7) == [wire, copy]


def test_article_context_names_story_copies_and_related(broadsheet: Broadsheet) -> None:
    store = broadsheet.store
    first = add(store, "quake strikes northern chile", "one.example", 60)
    copy = add(store, "quake strikes northern chile today", "two.example", 55)
    later = add(store, "chile quake aftershocks northern towns", "three.example", 30)
    story = store.stories.create_story(NOW)
    store.stories.record_assignment(first, story, now=NOW, syndication_group=1,
                                    headline="quake strikes northern chile")  # fmt: skip
    store.stories.record_assignment(copy, story, now=NOW, syndication_group=1)
    other = store.stories.create_story(NOW)
    store.stories.record_assignment(later, other, now=NOW, headline="chile quake aftershocks")
    context = broadsheet.article_context(first)
    assert context.story is not None and context.story.id == story
    assert context.outlets == ("one.example", "two.example")
    assert [a.id for a in context.copies] == [copy]
    assert [s.id for s in context.related] == [other]
    waiting = add(store, "unplaced", "one.example", 5)
    assert broadsheet.article_context(waiting).story is None


def test_a_split_moves_earlier_articles_and_recounts(store: Store) -> None:
    a = add(store, "budget vote", "one.example", 60)
    b = add(store, "budget protest", "two.example", 50)
    first = store.stories.create_story(NOW)
    store.stories.record_assignment(a, first, now=NOW)
    store.stories.record_assignment(b, first, now=NOW)
    c = add(store, "protest grows", "three.example", 40)
    second = store.stories.create_story(NOW)
    store.stories.record_assignment(c, second, now=NOW, moved=((b, second),), headline="Protest")
    assert store.stories.story_of(b) == (second, None)
    assert store.stories.get_story(first).article_count == 1
    moved_into = store.stories.get_story(second)
    assert (moved_into.article_count, moved_into.outlet_count, moved_into.headline) == (
        2, 2, "budget protest",  # a member's title, the most typical (ties: the earliest)
    )  # fmt: skip


def test_the_kept_headline_is_the_most_typical_member_title(store: Store) -> None:
    first = add(store, "Tremor felt downtown", "one.example", 60)
    story = store.stories.create_story(NOW)
    store.stories.record_assignment(first, story, now=NOW, headline="Tremor felt downtown")
    assert store.stories.get_story(story).headline == "Tremor felt downtown"
    for n, title in enumerate(["Chile quake kills three", "Quake in Chile kills three people"]):
        store.stories.record_assignment(add(store, title, f"o{n}.example", 50 - n), story, now=NOW)
    assert store.stories.get_story(story).headline == "Chile quake kills three"


def test_only_one_process_assigns_at_a_time(store: Store) -> None:
    add(store, "quake hits city", "one.example", 60)
    first = StoryAssigner(store, now=lambda: NOW, make_clusterer=KeywordClusterer)
    second = StoryAssigner(store, now=lambda: NOW, make_clusterer=KeywordClusterer)
    assert first.assign_pending() == 1
    add(store, "quake toll rises", "two.example", 50)
    assert second.assign_pending() == 0  # the first process leads (on SQLite too: a file lock)
    first.lead.release()
    assert second.assign_pending() == 1
    second.lead.release()


WIRE = (
    "The central bank raised its main interest rate by a quarter point on Thursday, the third "
    "rise this year, saying inflation remained too high for comfort. Officials said wage growth "
    "and energy prices kept pressure on consumer prices, and that further increases could not be "
    "ruled out if the labour market stayed tight. Markets had expected the move. The currency "
    "rose against the dollar after the announcement, while bond yields edged higher. The bank "
    "will publish new forecasts next month, when economists expect it to signal a pause."
)


def test_syndicated_copies_share_a_group_and_fold(store: Store) -> None:
    original = add(store, "Central bank raises rates", "wire.example", 60, text=WIRE)
    copy = add(store, "Rates up again as bank fights inflation", "paper.example", 50,
               text="(AP) " + WIRE.rsplit(" The bank will", 1)[0] + " Our reporter adds context.")  # fmt: skip
    other = add(store, "Storm closes ports", "paper.example", 40, text="Storm text. " * 40)
    assigner = StoryAssigner(store, now=lambda: NOW, make_clusterer=KeywordClusterer)
    assert assigner.assign_pending() == 3
    first, second = store.stories.story_of(original), store.stories.story_of(copy)
    assert first is not None and second is not None and first[1] == second[1] == original
    assert store.stories.story_of(other)[1] != original  # type: ignore[index]
    assert [a.id for a in store.list_articles()] == [other, original]
    assigner.lead.release()
