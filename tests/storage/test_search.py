"""Full-text search through one interface on SQLite (FTS5) and PostgreSQL (tsvector)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from broadsheet.storage import Store
from broadsheet.storage.search import MARK_END, MARK_START, SearchQuery
from broadsheet.types import Author, ExtractedArticle
from broadsheet.understand.topics import Label

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def _save(
    store: Store, n: int, title: str, text: str, source_id: int | None = None, **kw: object
) -> int:
    values: dict[str, object] = {"title": title, "text": text, "html": f"<p>{text}</p>",
                                 "published": NOW - timedelta(days=n)}  # fmt: skip
    values.update(kw)
    article = ExtractedArticle(**values)  # type: ignore[arg-type]
    url = f"https://x.example/{n}"
    return store.save_article(article, url=url, source_id=source_id, now=NOW).id


def _fill(store: Store) -> dict[str, int]:
    source, _ = store.add_source("https://tribune.example/feed", now=NOW, title="Valley Tribune")
    return {
        "volcano": _save(store, 1, "Volcano erupts near the coast", "Lava reached the sea on Monday. "
                         "Residents were moved inland.", section="Science", language="en"),
        "budget": _save(store, 2, "Budget vote delayed", "The parliament delayed its vote on the "
                        "budget; a volcano of protest followed.", section="Politics", language="en"),
        "author": _save(store, 3, "Match report", "A late goal won it.",
                        authors=(Author("Hortensia Quill"),), language="fr"),
        "source": _save(store, 4, "Weather", "Rain all week.", source_id=source.id),
    }  # fmt: skip


def test_finds_by_title_body_author_and_source(store: Store) -> None:
    ids = _fill(store)
    assert [h.article.id for h in store.search.search(SearchQuery("lava")).hits] == [ids["volcano"]]
    assert [h.article.id for h in store.search.search(SearchQuery("Quill")).hits] == [ids["author"]]
    found = store.search.search(SearchQuery("tribune"))
    assert [h.article.id for h in found.hits] == [ids["source"]] and found.total == 1
    both = store.search.search(SearchQuery("volcano"))
    assert [h.article.id for h in both.hits] == [ids["volcano"], ids["budget"]]  # title ranks first
    assert store.search.search(SearchQuery("volcanoes")).total == 2  # stemmed


def test_highlights_and_snippets(store: Store) -> None:
    _fill(store)
    [hit] = store.search.search(SearchQuery("lava")).hits
    assert f"{MARK_START}Lava{MARK_END}" in hit.snippet
    [hit] = store.search.search(SearchQuery("erupts")).hits
    assert f"{MARK_START}erupts{MARK_END}" in hit.title


def test_filters_and_order(store: Store) -> None:
    ids = _fill(store)
    by_topic = store.search.search(SearchQuery("volcano", topic="politics"))
    assert [h.article.id for h in by_topic.hits] == [ids["budget"]]
    recent = store.search.search(SearchQuery("volcano", since=NOW - timedelta(days=1, hours=1)))
    assert [h.article.id for h in recent.hits] == [ids["volcano"]]
    assert store.search.search(SearchQuery("goal", language="en")).total == 0
    assert store.search.search(SearchQuery("goal", language="fr")).total == 1
    by_date = store.search.search(SearchQuery("volcano", order="date", limit=1, offset=1))
    assert [h.article.id for h in by_date.hits] == [ids["budget"]] and by_date.total == 2


def test_index_follows_updates_and_hostile_queries(store: Store) -> None:
    ids = _fill(store)
    _save(store, 1, "Volcano calms", "The ash settled.")
    assert store.search.search(SearchQuery("lava")).total == 0
    assert [h.article.id for h in store.search.search(SearchQuery("ash")).hits] == [ids["volcano"]]
    for hostile in ('"', "AND OR NOT", "title:x*", "' OR 1=1 --", "   ", "NEAR(a b)"):
        store.search.search(SearchQuery(hostile))


def test_counting_stops_at_the_cap(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    from broadsheet.storage import search

    monkeypatch.setattr(search, "COUNT_CAP", 2)
    for n in range(4):
        _save(store, n, f"Volcano {n}", f"Lava everywhere, day {n}.")
    results = store.search.search(SearchQuery("lava", limit=2))
    assert results.capped and results.total == 3 and len(results.hits) == 2


def test_relevance_is_ranked_among_the_newest_candidates(store: Store) -> None:
    from broadsheet.storage.search import SearchIndex

    oldest = _save(store, 5, "Lava lava lava", "Lava flows.")  # the best match, stored first
    newer = [_save(store, n, f"Report {n}", f"Some lava today, day {n}.") for n in range(3)]
    assert store.search.search(SearchQuery("lava")).hits[0].article.id == oldest
    if store.engine.dialect.name == "sqlite":  # the newest two matches
        index, limit, shown = SearchIndex(store.engine, candidates=2), 20, set(newer[1:])
    else:  # matches among the newest three articles, while they fill the page
        index, limit, shown = SearchIndex(store.engine, window=3), 2, set(newer)
    for order in ("relevance", "date"):
        found = index.search(SearchQuery("lava", order=order, limit=limit))  # type: ignore[arg-type]
        assert {h.article.id for h in found.hits} <= shown, order
        # SQLite's count sees every match; PostgreSQL's those among the newest, where its pages
        # end (a count of all offered pages that came back empty).
        assert found.total == (4 if store.engine.dialect.name == "sqlite" else 3)
    filtered = index.search(SearchQuery("lava", since=NOW - timedelta(days=10), limit=limit))
    assert {h.article.id for h in filtered.hits} <= shown
    if store.engine.dialect.name != "sqlite":  # too few among the newest: all are searched
        assert oldest in {h.article.id for h in index.search(SearchQuery("lava")).hits}


def test_a_count_past_the_ranked_candidates_says_more_than(store: Store) -> None:
    from broadsheet.storage.search import SearchIndex

    for n in range(4):
        _save(store, n, f"Volcano {n}", f"Lava everywhere, day {n}.")
    found = SearchIndex(store.engine, candidates=2).search(SearchQuery("lava", limit=1))
    assert len(found.hits) == 1
    if store.engine.dialect.name == "sqlite":  # FTS5 counts the rest cheaply: the exact count
        assert not found.capped and found.total == 4
    else:  # the newest articles hold more than the two it ranks: "more than 2", pages end there
        assert found.capped and found.cap == 2 and found.total == 3


def test_topic_filter_takes_labels_too(store: Store) -> None:
    ids = _fill(store)
    pending = {a.id: a for a in store.labels.pending()}
    store.labels.record([(pending[ids["volcano"]], [Label("section", "world", "World")]),
                         (pending[ids["author"]], [Label("person", "hortensia quill", "H")])])  # fmt: skip
    in_world = store.search.search(SearchQuery("volcano", topic="World"))
    assert [h.article.id for h in in_world.hits] == [ids["volcano"]]
    about = store.search.search(SearchQuery("goal", topic="hortensia quill"))
    assert [h.article.id for h in about.hits] == [ids["author"]]
    assert store.search.search(SearchQuery("goal", topic="world")).total == 0


def test_a_common_word_orders_title_matches_then_newest(store: Store) -> None:
    from broadsheet.storage.search import SearchIndex

    if store.engine.dialect.name != "sqlite":
        pytest.skip("only FTS5's bm25 counts every match first")
    many = _save(store, 3, "Report", "Lava lava lava lava lava.")
    once = _save(store, 2, "Update", "Lava once, among many other words of the day.")
    titled = _save(store, 1, "Lava nears the town", "It moves.")
    common = SearchIndex(store.engine, candidates=3)  # every recent article has it: common
    assert [h.article.id for h in common.search(SearchQuery("lava")).hits] == [titled, once, many]
    ranked = SearchIndex(store.engine, candidates=3, common_share=1.0)
    assert [h.article.id for h in ranked.search(SearchQuery("lava")).hits] == [titled, many, once]
