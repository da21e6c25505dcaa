"""Synthetic sources, articles and stories for the web latency benchmark, loaded in bulk.

Saving a million articles one by one through the store (each indexed by the search triggers as it
lands) takes about an hour; this loads them in big transactions with the search triggers and the
secondary indexes out of the way, then builds the indexes and the search index once over the whole
table (COPY on PostgreSQL), which takes minutes. The schema is the migrated one: only the loading
is hand-made, so what the server reads is what Broadsheet itself would have written.
"""

from __future__ import annotations

import itertools
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, insert, select, text

from broadsheet.storage.schema import articles, sources, stories, story_articles

__all__ = ["WORDS", "build"]

SYLLABLES = ["ka", "lo", "mi", "ra", "ten", "su", "vo", "ne", "ba", "ri", "do", "pel", "an", "tor",
             "is", "mu", "gra", "fe", "li", "os"]  # fmt: skip
OUTLETS = 200
BATCH = 20_000
SPAN = timedelta(days=30)  # articles are spread over the last month
STORY_HOURS = 36  # a story's coverage arrives within this many hours of its first article


def _vocabulary(size: int = 4000) -> list[str]:
    """Pseudo-words, most common first: text drawn from them follows a Zipf-like law, so a
    query's selectivity resembles that of real news text."""
    rng = random.Random(0)
    words: dict[str, None] = {}
    while len(words) < size:
        words["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))] = None
    return list(words)


WORDS = _vocabulary()
_CUMULATIVE = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(WORDS))))


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choices(WORDS, cum_weights=_CUMULATIVE, k=n)).capitalize() + "."


@dataclass
class _StoryStats:
    """A story's counts and time span, gathered while its articles are generated."""

    start: datetime
    count: int = 0
    outlets: set[int] = field(default_factory=set)
    first: datetime | None = None
    last: datetime | None = None

    def add(self, source_id: int, when: datetime) -> None:
        self.count += 1
        self.outlets.add(source_id)
        self.first = when if self.first is None else min(self.first, when)
        self.last = when if self.last is None else max(self.last, when)


def _batched(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    while batch := list(itertools.islice(items, size)):
        yield batch


def _times(rng: random.Random, n: int, plan: list[_StoryStats], now: datetime) -> list[datetime]:
    """Each article's publication time; article ``i`` is in story ``i mod len(plan)``, whose
    counts and span are gathered on the way (stories are stored before their members)."""
    times = []
    for i in range(n):
        story = plan[i % len(plan)]
        when = min(story.start + timedelta(seconds=rng.randint(0, STORY_HOURS * 3600)), now)
        story.add(i % OUTLETS + 1, when)
        times.append(when)
    return times


def _articles(
    rng: random.Random, times: list[datetime], n_stories: int, now: datetime
) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(article row, membership row) pairs."""
    for i, when in enumerate(times):
        story = i % n_stories
        source_id = i % OUTLETS + 1
        body = _text(rng, 150)
        yield (
            {"id": i + 1, "url": f"https://outlet{source_id}.example/a/{i}", "source_id": source_id,
             "title": _text(rng, 9), "authors": [{"name": f"Reporter {i % 997}"}],
             "published": when, "html": f"<p>{body}</p>", "text": body,
             "text_hash": f"{i:064x}", "word_count": 150, "created_at": now, "language": "en",
             "section": "world", "canonical_url": None},
            {"article_id": i + 1, "story_id": story + 1, "assigned_at": now},
        )  # fmt: skip


def build(engine: Engine, n_articles: int, n_stories: int, now: datetime, seed: int = 1) -> bool:
    """Fill an empty migrated database; returns False (and leaves it) when it is already full."""
    with engine.connect() as conn:
        if conn.execute(select(func.count()).select_from(articles)).scalar_one() >= n_articles:
            return False
    rng = random.Random(seed)
    plan = [_StoryStats(now - SPAN * rng.random()) for _ in range(n_stories)]
    headlines = [_text(rng, 8) for _ in range(n_stories)]
    times = _times(random.Random(seed + 1), n_articles, plan, now)
    loader = _Postgres(engine) if engine.dialect.name == "postgresql" else _SQLite(engine)
    with engine.begin() as conn:
        conn.execute(insert(sources), [
            {"url": f"https://outlet{i}.example/feed", "title": f"Outlet {i}", "created_at": now}
            for i in range(1, OUTLETS + 1)
        ])  # fmt: skip
        conn.execute(insert(stories), [
            {"id": j + 1, "headline": headlines[j], "article_count": s.count,
             "outlet_count": len(s.outlets), "first_published": s.first, "last_published": s.last,
             "created_at": now, "updated_at": now}
            for j, s in enumerate(plan)
        ])  # fmt: skip
    loader.load(_articles(rng, times, n_stories, now), n_articles)
    loader.finish()
    return True


def _progress(done: int, total: int) -> None:
    print(f"  {done} / {total} articles", file=sys.stderr, flush=True)


def _migration(name: str) -> Any:
    """A migration module (their file names are not importable names)."""
    import importlib.util
    from pathlib import Path

    import broadsheet.storage

    path = Path(broadsheet.storage.__file__).parent / "migrations" / "versions" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"_migration_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _SQLite:
    """Triggers and secondary indexes dropped during the load and made again after it, with the
    full-text table filled by one ``INSERT … SELECT``."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.saved: list[str] = []

    def load(self, rows: Iterator[tuple[dict[str, Any], dict[str, Any]]], total: int) -> None:
        with self.engine.begin() as conn:
            conn.exec_driver_sql("PRAGMA synchronous=OFF")
            found = conn.exec_driver_sql(
                "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND tbl_name IN "
                "('articles', 'story_articles') AND type IN ('index', 'trigger')"
            ).all()
            self.saved = [r.sql for r in found]
            for r in found:
                conn.exec_driver_sql(f"DROP {r.type.upper()} {r.name}")
        done = 0
        for batch in _batched(rows, BATCH):
            with self.engine.begin() as conn:
                conn.execute(insert(articles), [a for a, _ in batch])
                conn.execute(insert(story_articles), [m for _, m in batch])
            done += len(batch)
            _progress(done, total)

    def finish(self) -> None:
        fill = _migration("0003_reader").SQLITE_SEARCH[1]  # the statement that indexes all rows
        with self.engine.begin() as conn:
            for statement in self.saved:
                conn.exec_driver_sql(statement)
            print("  indexes made", file=sys.stderr, flush=True)
            conn.exec_driver_sql(fill)
            conn.execute(text("INSERT INTO article_fts(article_fts) VALUES ('optimize')"))
            conn.exec_driver_sql("ANALYZE")


class _Postgres:
    """COPY into the tables with the search trigger disabled, then the search documents in one
    ``INSERT … SELECT`` and fresh planner statistics."""

    COLUMNS = ("id", "url", "source_id", "title", "authors", "published", "html", "text",
               "text_hash", "word_count", "created_at", "language", "section",
               "canonical_url")  # fmt: skip

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def load(self, rows: Iterator[tuple[dict[str, Any], dict[str, Any]]], total: int) -> None:
        raw: Any = self.engine.raw_connection()
        try:
            with raw.cursor() as cur:
                cur.execute("ALTER TABLE articles DISABLE TRIGGER article_search_refresh")
                done = 0
                for batch in _batched(rows, BATCH):
                    self._copy(cur, batch)
                    done += len(batch)
                    _progress(done, total)
                cur.execute("ALTER TABLE articles ENABLE TRIGGER article_search_refresh")
            raw.commit()
        finally:
            raw.close()

    def _copy(self, cur: Any, batch: list[tuple[dict[str, Any], dict[str, Any]]]) -> None:
        with cur.copy(f"COPY articles ({', '.join(self.COLUMNS)}) FROM STDIN") as copy:
            for article, _ in batch:
                values = {**article, "authors": json.dumps(article["authors"])}
                copy.write_row([values[c] for c in self.COLUMNS])
        with cur.copy("COPY story_articles (article_id, story_id, assigned_at) FROM STDIN") as copy:
            for _, m in batch:
                copy.write_row([m["article_id"], m["story_id"], m["assigned_at"]])

    def finish(self) -> None:
        with self.engine.begin() as conn:
            conn.exec_driver_sql("SET maintenance_work_mem = '512MB'")
            conn.exec_driver_sql(
                "INSERT INTO article_search (article_id, document) "
                "SELECT a.id, article_search_document(a) FROM articles a"
            )
            for table in ("articles", "stories"):  # ids were given: move the sequences on
                conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                     f"(SELECT max(id) FROM {table}))")  # fmt: skip
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
