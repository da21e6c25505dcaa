"""Article labels on SQLite and PostgreSQL: what waits for labels, topic pages, follows, counts."""

from __future__ import annotations

from datetime import timedelta

from broadsheet.storage import Store
from broadsheet.understand.topics import Label
from tests.storage.articles import NOW, save_numbered

SCIENCE = Label("section", "science", "Science")
QUILL = Label("person", "hortensia quill", "Hortensia Quill")


def test_pending_articles_are_labelled_once(store: Store) -> None:
    first, second = save_numbered(store, 1, section="Science"), save_numbered(store, 2)
    pending = store.labels.pending()
    assert [(a.id, a.title, a.section) for a in pending] == [
        (first, "Title 1", "Science"), (second, "Title 2", None),
    ]  # fmt: skip
    assert pending[0].at == NOW - timedelta(hours=1)  # the published time, timezone-aware
    store.labels.record([(pending[0], [SCIENCE, QUILL, SCIENCE]), (pending[1], [])])
    assert store.labels.pending() == []  # an article with no labels is marked, not revisited
    assert store.labels.labels_of(first) == [SCIENCE, QUILL]
    assert store.labels.labels_of(second) == []
    store.labels.record([(pending[0], [QUILL])])  # labelling again replaces
    assert store.labels.labels_of(first) == [QUILL]


def test_topic_pages_list_newest_first_and_name_the_topic(store: Store) -> None:
    ids = [save_numbered(store, n) for n in (3, 1, 2)]
    store.labels.record([(a, [SCIENCE]) for a in store.labels.pending()])
    assert [a.id for a in store.labels.list_articles("Science")] == [ids[1], ids[2], ids[0]]
    assert [a.id for a in store.labels.list_articles("science", limit=1, offset=1)] == [ids[2]]
    assert store.labels.describe("SCIENCE") == SCIENCE
    assert store.labels.describe("sport") is None


def test_following_merges_topics_and_sources_newest_first(store: Store) -> None:
    source, _ = store.add_source("https://a.example/feed", now=NOW, title="A")
    from_source = save_numbered(store, 1, source_id=source.id)
    in_topic = save_numbered(store, 2)
    about_quill = save_numbered(store, 3)
    save_numbered(store, 4)
    labels = {in_topic: [SCIENCE], about_quill: [QUILL, SCIENCE]}
    store.labels.record([(a, labels.get(a.id, [])) for a in store.labels.pending()])
    assert store.labels.list_following([], []) == []
    found = store.labels.list_following(["science", "Hortensia Quill"], [source.id])
    assert [a.id for a in found] == [from_source, in_topic, about_quill]
    assert [a.id for a in store.labels.list_following(["hortensia quill"], [], limit=5)] == [
        about_quill
    ]


def test_popular_counts_recent_labels_only(store: Store) -> None:
    ids = [save_numbered(store, n) for n in (1, 2, 30 * 24)]
    store.labels.record([(a, [SCIENCE, QUILL] if a.id == ids[0] else [SCIENCE])
                         for a in store.labels.pending()])  # fmt: skip
    counts = store.labels.popular(since=NOW - timedelta(days=7))
    assert [(c.kind, c.key, c.name, c.articles) for c in counts] == [
        ("section", "science", "Science", 2), ("person", "hortensia quill", "Hortensia Quill", 1),
    ]  # fmt: skip


def test_topic_lists_fold_syndicated_copies_and_count_them(store: Store) -> None:
    original, copy, other = (
        save_numbered(store, 3),
        save_numbered(store, 2),
        save_numbered(store, 1),
    )
    story = store.stories.create_story(NOW)
    for article_id in (original, copy):
        store.stories.record_assignment(article_id, story, now=NOW, syndication_group=original)
    store.stories.record_assignment(other, story, now=NOW, syndication_group=other)
    store.labels.record([(a, [SCIENCE]) for a in store.labels.pending()])
    assert [a.id for a in store.labels.list_articles("science")] == [other, original]
    assert store.copy_counts([original, copy, other]) == {original: 1, copy: 1}
    assert store.copy_counts([]) == {}


def test_a_story_takes_the_section_most_of_its_articles_are_in(store: Store) -> None:
    sport = Label("section", "sport", "Sport")
    ids = [save_numbered(store, n) for n in range(1, 5)]
    first, second = store.stories.create_story(NOW), store.stories.create_story(NOW)
    for article_id, story in zip(ids, (first, first, first, second), strict=True):
        store.stories.record_assignment(article_id, story, now=NOW)
    labels = {ids[0]: [SCIENCE], ids[1]: [sport, QUILL], ids[2]: [sport], ids[3]: [QUILL]}
    store.labels.record([(a, labels[a.id]) for a in store.labels.pending()])
    assert store.labels.story_sections([first, second]) == {first: "sport"}
    assert store.labels.story_sections([]) == {}


def test_popular_counts_only_the_newest_labelled_articles(store: Store) -> None:
    ids = [save_numbered(store, n) for n in (1, 2, 3)]
    store.labels.record([(a, [SCIENCE]) for a in store.labels.pending()])
    counts = store.labels.popular(since=NOW - timedelta(days=7), newest=2)
    assert [(c.key, c.articles) for c in counts] == [("science", 2)] and len(ids) == 3


def test_a_storys_topics_are_what_its_articles_share(store: Store) -> None:
    ids = [save_numbered(store, n) for n in (1, 2, 3)]
    story, alone = store.stories.create_story(NOW), store.stories.create_story(NOW)
    for article_id in ids[:2]:
        store.stories.record_assignment(article_id, story, now=NOW)
    store.stories.record_assignment(ids[2], alone, now=NOW)
    once = Label("place", "ohio", "Ohio")
    labels = {ids[0]: [SCIENCE, QUILL, once], ids[1]: [QUILL], ids[2]: [once]}
    store.labels.record([(a, labels[a.id]) for a in store.labels.pending()])
    assert store.labels.story_topics(story) == [SCIENCE, QUILL]  # Ohio: one article of two
    assert store.labels.story_topics(alone) == [once]


def test_an_article_whose_text_changes_is_labelled_again(store: Store) -> None:
    from broadsheet.ingest.entries import plan_entries
    from broadsheet.storage.ingestion import EntryWrite, IngestStore
    from broadsheet.types import ExtractedArticle, FeedEntry

    source, _ = store.add_source("https://a.example/feed", now=NOW, title="A")
    entry = FeedEntry(guid="g1", link="https://a.example/1", title="Quill wins")
    [plan] = plan_entries([entry], [])

    def save(text: str) -> int:
        article = ExtractedArticle(title="Quill wins", text=text, html=f"<p>{text}</p>")
        write = EntryWrite(plan.key, entry, plan.identity.content_hash, entry.link, article)
        [saved] = IngestStore(store.engine).save_entries(source.id, [write], now=NOW)
        assert saved is not None
        return saved.id

    first = save("Quill wins: the summary.")
    store.labels.record([(a, [QUILL]) for a in store.labels.pending()])
    assert save("Quill wins: the summary.") == first  # the same text: its labels stay
    assert store.labels.labels_of(first) == [QUILL]
    assert save("Hortensia Quill won the race in the science final, the full page says.") == first
    assert store.labels.labels_of(first) == []
    assert [a.id for a in store.labels.pending()] == [first]  # labelled again, from the new text
