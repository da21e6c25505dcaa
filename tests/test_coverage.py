"""The story reader's caches: a story page and an article's context are reused while the story
stays as it was, and show every change to the story at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from broadsheet.coverage import RelatedIndex, StoryReader
from broadsheet.storage import Store
from broadsheet.storage.schema import story_texts
from broadsheet.storage.story_texts import StoryTexts
from broadsheet.types import ExtractedArticle

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def _article(store: Store, n: int, title: str, source_id: int | None = None) -> int:
    extracted = ExtractedArticle(title=title, text=f"{title}. Body {n}.", html=f"<p>{n}</p>",
                                 published=NOW - timedelta(hours=n))  # fmt: skip
    return store.save_article(extracted, url=f"https://n.example/{n}", source_id=source_id,
                              now=NOW).id  # fmt: skip


def _story(store: Store, headline: str, *article_ids: int) -> int:
    story = store.stories.create_story(NOW)
    for article_id in article_ids:
        store.stories.record_assignment(article_id, story, now=NOW, headline=headline)
    return story


def test_a_new_member_shows_on_the_story_page_at_once(store: Store) -> None:
    reader = StoryReader(store)
    story = _story(store, "Harbour reopens", _article(store, 1, "Harbour reopens"))
    assert len(reader.story_coverage(story, now=NOW).articles) == 1
    assert reader.story_coverage(story, now=NOW) == reader.story_coverage(story, now=NOW)
    store.stories.record_assignment(_article(store, 2, "Ships sail"), story, now=NOW)
    titles = [a.title for a in reader.story_coverage(story, now=NOW).articles]
    assert titles == ["Ships sail", "Harbour reopens"]  # oldest first


def test_an_article_edited_in_place_shows_once_the_entry_ages(store: Store) -> None:
    reader = StoryReader(store, ttl=timedelta(minutes=5))
    article = _article(store, 1, "Harbour reopens")
    story = _story(store, "Harbour reopens", article)
    reader.story_coverage(story, now=NOW)
    store.save_article(ExtractedArticle(title="Harbour reopens, officially", text="New text.",
                                        html="<p>x</p>"), url="https://n.example/1",
                       source_id=None, now=NOW)  # fmt: skip
    assert reader.story_coverage(story, now=NOW).articles[0].title == "Harbour reopens"
    later = NOW + timedelta(minutes=5)
    assert (
        reader.story_coverage(story, now=later).articles[0].title == "Harbour reopens, officially"
    )


def test_article_context_names_a_new_outlet_at_once(store: Store) -> None:
    reader = StoryReader(store)
    first, _ = store.add_source("https://a.example/feed", now=NOW, title="Alpha")
    second, _ = store.add_source("https://b.example/feed", now=NOW, title="Beta")
    article = _article(store, 1, "Harbour reopens", first.id)
    story = _story(store, "Harbour reopens", article)
    assert reader.article_context(article, now=NOW).outlets == ("Alpha",)
    store.stories.record_assignment(_article(store, 2, "Ships sail", second.id), story, now=NOW)
    assert reader.article_context(article, now=NOW).outlets == ("Beta", "Alpha")  # Beta was first


def test_related_stories_skip_words_most_headlines_share(store: Store) -> None:
    index = RelatedIndex(common=0.6, floor=1)
    stories = {
        h: _story(store, h, _article(store, n, h))
        for n, h in enumerate(["Volcano erupts near harbour, says mayor",
                               "Volcano harbour closed, says mayor",
                               "Budget passes, says mayor", "Storm warning, says mayor"])
    }  # fmt: skip
    volcano = store.stories.get_story(stories["Volcano erupts near harbour, says mayor"])
    related = index.related(store, volcano, now=NOW)
    # "says" and "mayor" are in every headline: only volcano and harbour count as shared.
    assert [s.headline for s in related] == ["Volcano harbour closed, says mayor"]
    fresh = _story(store, "Harbour volcano ash", _article(store, 9, "Harbour volcano ash"))
    assert fresh not in {s.id for s in index.related(store, volcano, now=NOW)}  # looked just now
    second = NOW + timedelta(seconds=1)
    assert fresh in {s.id for s in index.related(store, volcano, now=second)}  # a new story shows


def test_related_stories_follow_merges_and_late_clocks(store: Store) -> None:
    index = RelatedIndex(floor=10)
    quake = _story(store, "Quake hits coastal town", _article(store, 1, "Quake hits coastal town"))
    other = _story(
        store, "Quake damages coastal road", _article(store, 2, "Quake damages coastal road")
    )
    quake_story = store.stories.get_story(quake)
    assert [s.id for s in index.related(store, quake_story, now=NOW)] == [other]
    later = NOW + timedelta(seconds=5)
    store.stories.record_assignment(
        _article(store, 3, "Quake damages coastal road again"), other, now=later
    )
    # A writer whose clock is a few seconds behind: its story still shows.
    toll = _story(
        store,
        "Quake toll rises in coastal town",
        _article(store, 4, "Quake toll rises in coastal town"),
    )
    assert toll in {s.id for s in index.related(store, quake_story, now=later)}
    store.stories.record_assignment(
        _article(store, 5, "Quake toll climbs"), quake, now=later + timedelta(seconds=1),
        merged=[(toll, quake)],
    )  # fmt: skip
    shown = {s.id for s in index.related(store, quake_story, now=later + timedelta(seconds=2))}
    assert shown == {other}  # the toll story was merged into the quake story itself


def test_a_story_analysed_in_one_process_is_read_in_another(store: Store) -> None:
    from broadsheet.coverage import TextAnalysis

    story = _story(store, "Harbour reopens", _article(store, 1, "Harbour reopens"))
    StoryReader(store).story_coverage(story, now=NOW)
    with store.engine.connect() as conn:
        [(version, analysis)] = conn.execute(
            story_texts.select().with_only_columns(story_texts.c.version, story_texts.c.analysis)
        ).all()
    assert TextAnalysis.from_json(analysis).headline == "Harbour reopens"
    marked = {**analysis, "summary": ["Kept by the first process."]}
    StoryTexts(store.engine).put(story, version, marked, now=NOW)
    assert StoryReader(store).story_coverage(story, now=NOW).summary == (
        "Kept by the first process.",
    )
    store.stories.record_assignment(_article(store, 2, "Ships sail"), story, now=NOW)
    assert StoryReader(store).story_coverage(story, now=NOW).summary != (
        "Kept by the first process.",
    )  # the story grew: analysed again
