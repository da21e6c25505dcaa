"""Full-text search over title, body, author and source, behind one interface: SQLite FTS5 on
SQLite, PostgreSQL full-text search on PostgreSQL.

The index itself is kept in step with ``articles`` by triggers (migration 0003), so every writer of
articles indexes them as it saves them. Highlighted text comes back with ``MARK_START`` and
``MARK_END`` control characters around each match; the web layer escapes the text and only then
turns those into ``<mark>`` elements.

Relevance is ranked among the newest ``CANDIDATES`` matches (by article id, which is arrival
order), not among all of them: a word found in a quarter of a million articles took the better
part of a second to rank in full, and for news the newest few thousand matches hold what a reader
looks for. Counts stop at ``COUNT_CAP`` for the same reason, and on PostgreSQL at the number of
candidates it ranks (see ``_Postgres``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import (
    Connection,
    Engine,
    Float,
    Integer,
    Text,
    bindparam,
    cast,
    column,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
)

from broadsheet.storage.engine import reading
from broadsheet.storage.errors import storage_errors
from broadsheet.storage.highlight import Highlighter, tsquery_lexemes
from broadsheet.storage.schema import article_labels, articles
from broadsheet.types import Article

__all__ = [
    "CANDIDATES",
    "COUNT_CAP",
    "MARK_END",
    "MARK_START",
    "SearchHit",
    "SearchIndex",
    "SearchQuery",
    "SearchResults",
]

MARK_START, MARK_END = "\x02", "\x03"
# Counting every match of a common word costs as much as the search itself; past this, the count
# stops and the results say "more than".
COUNT_CAP = 1000
# Matches ranked per query, newest first: one more than the count's cap, so that counting them
# is the capped count, and every page the count offers can be reached (2,000 cost 2 ms more).
CANDIDATES = COUNT_CAP + 1
# A word in more than this share (one in fifty) of the newest articles is common: see ``_SQLite``.
COMMON_SHARE = 0.02
# PostgreSQL looks first among the newest this many articles, and ranks fewer candidates (it
# tests each newer row against the query to find them): see ``_Postgres``.
WINDOW = 50_000
PG_CANDIDATES = 200
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """What to look for and how: words, filters (source, topic: a section or a person,
    organisation or place, date range, language), order (relevance or date) and a page."""

    text: str
    source_id: int | None = None
    topic: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    language: str | None = None
    order: Literal["relevance", "date"] = "relevance"
    limit: int = 20
    offset: int = 0

    @property
    def words(self) -> list[str]:
        return _WORD.findall(self.text)[:32]


@dataclass(frozen=True, slots=True)
class SearchHit:
    article: Article
    title: str
    snippet: str


@dataclass(frozen=True, slots=True)
class SearchResults:
    """A page of hits and how many match in all (counted up to ``cap``, then ``capped``)."""

    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    cap: int = COUNT_CAP

    @property
    def capped(self) -> bool:
        return self.total > self.cap


class SearchIndex:
    def __init__(
        self, engine: Engine, *, candidates: int = CANDIDATES, common_share: float = COMMON_SHARE,
        window: int = WINDOW,
    ) -> None:  # fmt: skip
        self.engine = engine
        self.candidates, self.common_share, self.window = candidates, common_share, window

    @storage_errors("searching")
    def search(self, query: SearchQuery) -> SearchResults:
        if not query.words:
            return SearchResults()
        postgres = self.engine.dialect.name == "postgresql"
        backend = (
            _Postgres(min(self.candidates, PG_CANDIDATES), self.window)
            if postgres
            else _SQLite(self.candidates, self.common_share)
        )
        return backend.run(self.engine, query)


FILTERS = ("source_id", "topic", "language", "since", "until")


def _filter_values(query: SearchQuery) -> dict[str, Any]:
    """The query's filters, as the values of the parameters ``_filters`` names."""
    values: dict[str, Any] = {
        "source_id": query.source_id,
        "topic": query.topic.lower() if query.topic else None,
        "language": query.language.lower() + "%" if query.language else None,
        "since": query.since,
        "until": query.until,
    }
    return {name: value for name, value in values.items() if value is not None}


def _filters(names: Iterable[str]) -> list[Any]:
    """Conditions for the named filters, each reading its value from a parameter of its name,
    so that a statement is built once for each set of filters (building one cost more client
    time than running it)."""
    when = func.coalesce(articles.c.published, articles.c.created_at)
    topic: Any = bindparam("topic")
    labelled = exists().where(
        article_labels.c.article_id == articles.c.id, article_labels.c.key == topic
    )  # a section or a name the article was labelled with, or the section its page declares
    conditions = {
        "source_id": articles.c.source_id == bindparam("source_id"),
        "topic": or_(labelled, func.lower(articles.c.section) == topic),
        "language": func.lower(articles.c.language).like(bindparam("language")),
        "since": when >= bindparam("since"),
        "until": when < bindparam("until"),
    }
    return [conditions[name] for name in FILTERS if name in names]


def _count(conn: Any, matched: Any, cap: int, values: dict[str, Any]) -> int:
    capped = matched.limit(cap + 1).subquery()
    return int(conn.execute(select(func.count()).select_from(capped), values).scalar_one())


def _newest() -> Any:
    return func.coalesce(articles.c.published, articles.c.created_at).desc()


# Highlighted title and snippet of each hit, by id, given the connection and the hits' rows.
_Marks = Callable[[Any, dict[int, Article]], dict[int, tuple[str, str]]]


def _hits(conn: Any, ids: list[int], marks: _Marks) -> list[SearchHit]:
    """Article rows for ranked ids (in their order), with highlighted title and snippet."""
    from broadsheet.storage.store import _article, _articles_by_ids

    if not ids:
        return []
    by_id = {r.id: _article(r) for r in conn.execute(_articles_by_ids(), {"ids": ids})}
    marked = marks(conn, by_id)
    return [
        SearchHit(by_id[i], *marked.get(i, (by_id[i].title or "", ""))) for i in ids if i in by_id
    ]


class _SQLite:
    """FTS5 with bm25. bm25 first counts every match of each word across the whole index, so for
    a word in more than ``COMMON_SHARE`` of recent articles (where that count costs up to tens of
    milliseconds and the word says little anyway) the newest candidates are ordered by whether
    the title has the words, then newest first, instead."""

    fts = table("article_fts", column("rowid"), column("rank"))
    column_: Any = literal_column("article_fts")
    # Column weights: title, body, author, source.
    bm25 = "bm25(10.0, 1.0, 4.0, 4.0)"

    def __init__(self, candidates: int, common_share: float) -> None:
        self.candidates, self.common_share = candidates, common_share

    def run(self, engine: Engine, query: SearchQuery) -> SearchResults:
        match = " ".join('"' + w.replace('"', "") + '"' for w in query.words)
        values = _filter_values(query)
        filters = _filters(values)
        joined = self.fts.join(articles, articles.c.id == self.fts.c.rowid)
        matched = (
            select(self.fts.c.rowid.label("id"))
            .select_from(joined if filters else self.fts)
            .where(self.column_.op("MATCH")(match), *filters)
        )
        newest = matched.order_by(self.fts.c.rowid.desc()).limit(self.candidates).subquery()
        with engine.connect() as conn:
            floor, top, found = conn.execute(
                select(func.min(newest.c.id), func.max(newest.c.id), func.count()), values
            ).one()
            if not found:
                return SearchResults()
            common = found >= self.candidates and found / (top - floor + 1) > self.common_share
            ranked = self._ranked(query, matched, match, joined, floor=floor, common=common,
                                  filtered=bool(filters))  # fmt: skip
            ranked = ranked.limit(query.limit).offset(query.offset)
            # ``found`` counted the newest matches up to ``candidates``: the count, when that
            # reached all of them or passed the cap.
            complete = found < self.candidates or found > COUNT_CAP
            if complete:
                total = min(found, COUNT_CAP + 1)
            else:
                total = _count(conn, matched, COUNT_CAP, values)
            ids = [r.id for r in conn.execute(ranked, values)]
            return SearchResults(_hits(conn, ids, self._marks(match)), total, cap=COUNT_CAP)

    def _ranked(self, query: SearchQuery, matched: Any, match: str, joined: Any, *, floor: int,
                common: bool, filtered: bool) -> Any:  # fmt: skip
        candidates = matched.where(self.fts.c.rowid >= floor)
        if query.order == "date":  # (``joined`` is the join ``matched`` may have already)
            return candidates.select_from(joined).order_by(_newest())
        if common:
            in_title = (
                select(self.fts.c.rowid)
                .where(
                    self.column_.op("MATCH")(f"{{title}} : ({match})"), self.fts.c.rowid >= floor
                )
                .correlate(None)
            )  # its own scan of the index, not the outer query's row
            return candidates.order_by(
                self.fts.c.rowid.in_(in_title).desc(), self.fts.c.rowid.desc()
            )
        if filtered:
            rank = func.bm25(self.column_, 10.0, 1.0, 4.0, 4.0)
            return candidates.order_by(rank, self.fts.c.rowid.desc())
        # Unfiltered relevance: FTS5 ranks inside the index, without a join per match.
        return candidates.where(self.fts.c.rank.op("MATCH")(self.bm25)).order_by(self.fts.c.rank)

    def _marks(self, match: str) -> _Marks:
        def marks(conn: Any, hits: dict[int, Article]) -> dict[int, tuple[str, str]]:
            rowid = self.fts.c.rowid
            marked = select(
                rowid.label("id"),
                func.highlight(self.column_, 0, MARK_START, MARK_END).label("title"),
                func.snippet(self.column_, 1, MARK_START, MARK_END, "…", 30).label("snippet"),
            ).where(  # the range lets FTS5 read only that part of each word's list
                self.column_.op("MATCH")(match),
                rowid.in_(list(hits)),
                rowid.between(min(hits), max(hits)),
            )
            return {r.id: (r.title or "", r.snippet or "") for r in conn.execute(marked)}

        return marks


class _Postgres:
    """PostgreSQL full-text search. Its GIN index finds matches in no order, so reading the
    newest of a word's matches means visiting every one of them (16,000 rows of a word in 1.7 %
    of a million articles: a quarter of a second). The search ranks the newest ``candidates``
    matches among the newest ``window`` articles, which hold enough for a page of all but rare
    words (the planner walks the newest rows back for a common word, and sorts the few matches
    of a rarer one), and only when they do not, among all of them (rare words have few matches
    to visit). Its count is that of the candidates, where its pages end, and past them it says
    "more than 200 results": counting a common word's matches to a thousand cost more than
    ranking them (each match is a visit to its row), and a count of all matches offered pages
    past the candidates that came back empty."""

    def __init__(self, candidates: int, window: int) -> None:
        self.candidates, self.window = candidates, window

    def run(self, engine: Engine, query: SearchQuery) -> SearchResults:
        values = _filter_values(query)
        shape = (query.order, tuple(values))
        params = {"q": query.text, "limit": query.limit, "offset": query.offset, **values}
        cap = min(self.candidates, COUNT_CAP)  # no page past the ranked candidates
        # Outside a transaction (``reading``), and not prepared, so that PostgreSQL plans each
        # search for its own words: psycopg prepares a statement run five times, and the plan
        # PostgreSQL then kept for any words scanned every row for a rare pair (seconds instead
        # of milliseconds).
        with reading(engine) as conn, _unprepared(conn):
            newest = conn.execute(_NEWEST_ID).scalar_one() or 0
            floor = max(0, newest - self.window)
            page = _pg_page(*shape, self.candidates, bounded=True)
            rows = conn.execute(page, {**params, "floor": floor}).all()
            found = rows[0].candidates if rows else 0
            if found < query.limit:  # not a page among the newest: look among all articles
                rows = conn.execute(_pg_page(*shape, self.candidates, bounded=False), params).all()
                found = rows[0].candidates if rows else 0
            # The count is of the candidates, which the pages reach; when they fill ``cap``,
            # there may be more: "more than".
            total = cap + 1 if found >= cap else found
            marks = _highlights(rows[0].lexemes if rows else "")
            return SearchResults(_hits(conn, [r.id for r in rows], marks), total, cap=cap)


_NEWEST_ID = select(func.max(articles.c.id))
_PG_INDEX = table("article_search", column("article_id"), column("document"))


def _tsquery() -> Any:
    return func.websearch_to_tsquery(literal("english").cast(_regconfig()), bindparam("q"))


@functools.lru_cache(maxsize=64)
def _pg_matched(order: str, filters: tuple[str, ...]) -> Any:
    """Ids of the articles matching the words (parameter ``q``) and the named filters. Each
    statement is built once per order and set of filters, its values given as parameters."""
    index = _PG_INDEX
    joined = index.join(articles, articles.c.id == index.c.article_id)
    return (
        select(index.c.article_id.label("id"))
        .select_from(joined if filters or order == "date" else index)
        .where(index.c.document.op("@@")(_tsquery()), *_filters(filters))
    )


@functools.lru_cache(maxsize=128)
def _pg_page(order: str, filters: tuple[str, ...], candidates: int, *, bounded: bool) -> Any:
    """The page (``limit``, ``offset``) of up to ``candidates`` matches, by rank or date, each
    row with how many candidates there were and the query's lexemes; documents are read for
    those alone. Bounded, they are the newest matches above ``floor`` (written into the SQL:
    as a parameter the planner guessed a third of the table and walked it row by row); over
    all articles, ranked by relevance, those the index gives first: asking for the newest of a
    word rare today let the planner walk back through every row."""
    index, matched = _PG_INDEX, _pg_matched(order, filters)
    if bounded:
        matched = matched.where(
            index.c.article_id > bindparam("floor", type_=Integer, literal_execute=True)
        )
    if bounded or order == "date":
        matched = matched.order_by(index.c.article_id.desc())
    newest = matched.limit(candidates).subquery()
    counted = func.count().over().label("candidates")
    lexemes = cast(_tsquery(), Text).label("lexemes")  # its stems, for the highlights
    page = select(newest.c.id, counted, lexemes)
    if order == "relevance":
        ranked = index.alias("ranked")
        rank = func.ts_rank_cd(ranked.c.document, _tsquery(), 1, type_=Float)
        page = page.join(ranked, ranked.c.article_id == newest.c.id)
        page = page.order_by(rank.desc(), newest.c.id.desc())
    else:
        when = func.coalesce(articles.c.published, articles.c.created_at)
        page = page.join(articles, articles.c.id == newest.c.id)
        page = page.order_by(when.desc(), newest.c.id.desc())
    return page.limit(bindparam("limit", type_=Integer)).offset(bindparam("offset", type_=Integer))


def _highlights(tsquery_text: str) -> _Marks:
    """Titles and snippets marked in Python (``highlight``) rather than by ``ts_headline``,
    which parsed each hit's text again on the database server."""
    highlighter = Highlighter(tsquery_lexemes(tsquery_text), MARK_START, MARK_END)

    def marks(conn: Any, hits: dict[int, Article]) -> dict[int, tuple[str, str]]:
        return {
            i: (highlighter.title(a.title or ""), highlighter.snippet(a.text or ""))
            for i, a in hits.items()
        }

    return marks


@contextmanager
def _unprepared(conn: Connection) -> Iterator[None]:
    """Statements on ``conn`` sent unprepared for the length of a ``with`` (psycopg's
    ``prepare_threshold``, restored after), so each is planned for its own parameters."""
    pooled = conn.connection
    dbapi: Any = pooled.dbapi_connection
    threshold = dbapi.prepare_threshold
    dbapi.prepare_threshold = None
    try:
        yield
    finally:
        if pooled.dbapi_connection is dbapi:  # not if a failure invalidated it
            assert dbapi is not None
            dbapi.prepare_threshold = threshold


def _regconfig() -> Any:
    from sqlalchemy.dialects.postgresql import REGCONFIG

    return REGCONFIG()
