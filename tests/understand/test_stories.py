import itertools
import threading
from datetime import UTC, datetime, timedelta

from broadsheet.understand.stories import StoryClusterer, StoryConfig, StoryDoc

T0 = datetime(2026, 2, 1, 8, tzinfo=UTC)

QUAKE_CHILE = [
    (
        "Strong earthquake shakes northern Chile port of Arica",
        "A magnitude 6.8 earthquake struck near Arica in northern Chile, knocking out power.",
    ),
    (
        "Chile quake: Arica residents sleep outside after 6.8 tremor",
        "Residents of Arica spent the night outside after the magnitude 6.8 earthquake in Chile.",
    ),
    (
        "Arica earthquake damages homes, Chile says no tsunami",
        "Chile said the 6.8 earthquake near Arica damaged homes but posed no tsunami threat.",
    ),
]
QUAKE_JAPAN = [
    (
        "Earthquake rattles Hokkaido, Japan halts Tomari reactor checks",
        "A magnitude 5.9 earthquake hit Hokkaido in Japan, and the Tomari plant was inspected.",
    ),
    (
        "Hokkaido quake: Japan reports injuries in Sapporo",
        "Japan reported injuries in Sapporo after the 5.9 earthquake struck Hokkaido overnight.",
    ),
    (
        "Japan's Hokkaido hit by 5.9 earthquake, trains stopped",
        "Trains in Hokkaido were stopped after the 5.9 earthquake, Japan's agency said.",
    ),
]
FILLER = [
    (f"Council {w} budget vote delayed", f"The {w} council delayed its budget vote on roads.")
    for w in ("Leeds", "Bristol", "Oxford", "Bath", "York", "Derby", "Hull", "Ely")
]


def docs(pairs, start=0):  # type: ignore[no-untyped-def]
    return [
        StoryDoc(start + i, t, x, T0 + timedelta(minutes=start + i), f"outlet{i}")
        for i, (t, x) in enumerate(pairs)
    ]


def feed(clusterer: StoryClusterer, items: list[StoryDoc]) -> dict[object, int]:
    story_of: dict[object, int] = {}
    for doc in items:
        a = clusterer.assign(doc)
        story_of[doc.id] = a.story_id
        story_of.update(a.moved)
    return {k: clusterer.resolve(v) for k, v in story_of.items()}


def interleaved() -> list[StoryDoc]:
    chile, japan, filler = docs(QUAKE_CHILE), docs(QUAKE_JAPAN, 10), docs(FILLER, 20)
    mixed = [d for trio in itertools.zip_longest(filler, chile, japan) for d in trio if d]
    return mixed


def test_same_event_joins_and_another_event_of_the_same_kind_does_not() -> None:
    stories = feed(StoryClusterer(), interleaved())
    assert len({stories[i] for i in (0, 1, 2)}) == 1
    assert len({stories[i] for i in (10, 11, 12)}) == 1
    assert stories[0] != stories[10]


def test_story_ids_come_from_the_injected_allocator() -> None:
    ids = itertools.count(500)
    clusterer = StoryClusterer(allocate_id=lambda: next(ids))
    first = clusterer.assign(docs(QUAKE_CHILE)[0])
    assert first.story_id == 500 and first.is_new and first.score == 0.0


def test_restore_rebuilds_the_state_so_new_articles_join_old_stories() -> None:
    live = StoryClusterer()
    items = interleaved()
    stories = feed(live, items[:-1])
    rebuilt = StoryClusterer(allocate_id=itertools.count(1000).__next__)
    for doc in items[:-1]:
        rebuilt.restore(doc, stories[doc.id])
    last = items[-1]
    assert rebuilt.assign(last).story_id == live.assign(last).story_id


def test_articles_leave_the_window_and_stories_with_them() -> None:
    clusterer = StoryClusterer(StoryConfig(window=timedelta(hours=1)))
    chile = docs(QUAKE_CHILE)
    clusterer.assign(chile[0])
    late = StoryDoc(99, chile[1].title, chile[1].text, T0 + timedelta(days=2))
    assert clusterer.assign(late).is_new
    assert clusterer.window_size == 1 and len(clusterer) == 1


def test_merged_story_ids_resolve_to_their_successor() -> None:
    clusterer = StoryClusterer()
    story_of = feed(clusterer, interleaved())
    for story in set(story_of.values()):
        assert clusterer.resolve(story) == story


def test_undated_articles_are_accepted() -> None:
    clusterer = StoryClusterer()
    a = clusterer.assign(StoryDoc("x", "Title", "Some text here about a thing."))
    b = clusterer.assign(StoryDoc("y", "", ""))
    assert a.story_id != b.story_id


def test_the_word_index_forgets_evicted_articles() -> None:
    clusterer = StoryClusterer(StoryConfig(window=timedelta(minutes=10)))
    for i in range(1200):
        when = T0 + timedelta(minutes=i)
        clusterer.assign(StoryDoc(i, f"Unique{i} headline", f"Word{i} text body {i}", when))
    assert clusterer.window_size <= 11
    # about six words per article are indexed: without the sweep this would be over 7,000
    assert sum(len(keys) for keys in clusterer._postings.values()) < 2000


def test_undated_streams_are_capped_by_count() -> None:
    clusterer = StoryClusterer(StoryConfig(max_window=5))
    for i in range(12):
        clusterer.assign(StoryDoc(i, f"Headline{i}", f"Body{i} words"))
    assert clusterer.window_size == 5


def title_defence(opponent: str, city: str, n: int) -> tuple[str, str]:
    return (
        f"Klitschko keeps heavyweight titles, stops {opponent} in {city} ({n})",
        f"Wladimir Klitschko retained his heavyweight titles by stopping {opponent} in {city}. "
        "The champion dominated the heavyweight title fight from the first round.",
    )


def two_fights() -> list[StoryDoc]:
    """Two title defences: every topic word shared, only the opponent and the city differ."""
    rahman = [title_defence("Rahman", "Mannheim", i) for i in range(4)]
    thompson = [title_defence("Thompson", "Bern", i) for i in range(4)]
    pairs = [p for pair in zip(rahman, thompson, strict=True) for p in pair]
    return docs(pairs + FILLER)


def test_two_events_of_one_kind_are_kept_apart_by_their_names() -> None:
    stories = feed(StoryClusterer(), two_fights())
    assert len({stories[i] for i in (0, 2, 4, 6)}) == 1
    assert len({stories[i] for i in (1, 3, 5, 7)}) == 1
    assert stories[0] != stories[1]


def test_without_the_name_veto_the_two_events_become_one_story() -> None:
    stories = feed(StoryClusterer(StoryConfig(name_veto=None)), two_fights())
    assert stories[0] == stories[1]


MEANING = StoryConfig(dense_weight=0.2)


class TopicEncoder:
    """Embeds an article by its topic word, as a sentence encoder would see its meaning."""

    name = "topic-word"

    def __init__(self) -> None:
        self.calls = 0
        self.lock = threading.Lock()  # two threads embed ahead

    def encode(self, texts):  # type: ignore[no-untyped-def]
        import numpy as np

        with self.lock:
            self.calls += len(texts)
        rows = []
        for text in texts:
            v = np.zeros(3, dtype=np.float32)
            v[0 if "quake" in text.lower() else 1 if "council" in text.lower() else 2] = 1.0
            rows.append(v)
        return np.stack(rows)


def test_the_embeddings_are_named_after_the_encoder_and_what_it_reads() -> None:
    clusterer = StoryClusterer(MEANING, encoder=TopicEncoder())
    assert clusterer.embedding_model == "topic-word; title + 600 characters"


def test_assign_all_embeds_ahead_and_gives_what_assign_gives() -> None:
    items = interleaved()
    one_by_one = feed(StoryClusterer(MEANING, encoder=TopicEncoder()), items)
    encoder = TopicEncoder()
    clusterer = StoryClusterer(MEANING, encoder=encoder)
    story_of: dict[object, int] = {}
    for a in clusterer.assign_all(items):
        story_of[a.doc_id] = a.story_id
        story_of.update(a.moved)
    assert {k: clusterer.resolve(v) for k, v in story_of.items()} == one_by_one
    assert encoder.calls == len(items)


def test_on_words_alone_no_encoder_is_used() -> None:
    clusterer = StoryClusterer(StoryConfig(dense_weight=0.0))
    assert clusterer.encoder is None and clusterer.embedding_model is None
    feed(clusterer, interleaved())


def test_by_default_the_packaged_encoder_is_used() -> None:
    from broadsheet.understand.sentence_encoder import default_encoder

    assert StoryConfig().dense_weight == 0.2
    assert StoryClusterer().encoder is default_encoder() is not None


def test_restored_articles_are_embedded_too() -> None:
    encoder = TopicEncoder()
    clusterer = StoryClusterer(MEANING, encoder=encoder)
    for doc in docs(QUAKE_CHILE):
        clusterer.restore(doc, 7)
    assert encoder.calls == 3
    assert clusterer.assign(docs(QUAKE_CHILE[:1], 50)[0]).story_id == 7


def test_restore_all_embeds_ahead_and_rebuilds_what_restore_rebuilds() -> None:
    items = interleaved()
    stories = feed(StoryClusterer(MEANING, encoder=TopicEncoder()), items[:-1])
    one_by_one = StoryClusterer(
        MEANING, encoder=TopicEncoder(), allocate_id=itertools.count(900).__next__
    )
    for doc in items[:-1]:
        one_by_one.restore(doc, stories[doc.id])
    encoder = TopicEncoder()
    ahead = StoryClusterer(MEANING, encoder=encoder, allocate_id=itertools.count(900).__next__)
    ahead.restore_all(items[:-1], [stories[doc.id] for doc in items[:-1]])
    assert encoder.calls == len(items) - 1
    assert ahead.assign(items[-1]) == one_by_one.assign(items[-1])


def test_an_assignment_gives_the_embedding_to_keep_and_a_restore_reuses_it() -> None:
    import dataclasses

    import numpy as np

    items = interleaved()
    first = StoryClusterer(MEANING, encoder=TopicEncoder())
    kept: dict[object, np.ndarray] = {}
    stories: dict[object, int] = {}
    for a in first.assign_all(items[:-1]):
        assert a.embedding is not None and a.embedding.dtype.name == "float16"
        kept[a.doc_id] = a.embedding
        stories[a.doc_id] = a.story_id
        stories.update(a.moved)
    back = [dataclasses.replace(d, embedding=kept[d.id].astype(np.float32)) for d in items[:-1]]
    encoder = TopicEncoder()
    restored = StoryClusterer(MEANING, encoder=encoder, allocate_id=itertools.count(900).__next__)
    assert restored.restore_all(back, [first.resolve(stories[d.id]) for d in items[:-1]]) == {}
    assert encoder.calls == 0
    again = StoryClusterer(
        MEANING, encoder=TopicEncoder(), allocate_id=itertools.count(900).__next__
    )
    made = again.restore_all(items[:-1], [first.resolve(stories[d.id]) for d in items[:-1]])
    assert made.keys() == kept.keys()  # encoded again, handed back to be kept
    assert all(np.array_equal(made[key], vector) for key, vector in kept.items())
    assert restored.assign(items[-1]) == again.assign(items[-1])
    assert StoryClusterer(StoryConfig(dense_weight=0.0)).assign(items[0]).embedding is None
