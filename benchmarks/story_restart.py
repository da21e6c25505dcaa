"""How long a restart takes to rebuild the story clusterer's window, with the sentence embeddings
stored beside each assignment and without them (as before 2026-12-02, when every member of the
window was encoded again).

N synthetic articles (the clustering benchmark's replay) are saved through the store and assigned
by the live assigner; then a new assigner restores the window twice: once reading the stored
embeddings, once after they are erased.

    uv run python benchmarks/story_restart.py --articles 5000 [--database URL]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from clustering import synthetic_stream

from broadsheet.storage import Store
from broadsheet.storage.schema import story_articles
from broadsheet.types import Author, ExtractedArticle
from broadsheet.workers.story_run import StoryAssigner


def load(store: Store, n: int) -> datetime:
    """Save ``n`` synthetic articles; returns the time of the last."""
    last = datetime(2026, 1, 1, tzinfo=UTC)
    source_ids: dict[str, int] = {}
    for record in synthetic_stream(n, per_day=n):
        name = record["source"]
        if name not in source_ids:
            source, _ = store.add_source(f"https://{name}.example/feed", now=last, title=name)
            source_ids[name] = source.id
        last = datetime.fromisoformat(record["published"])
        article = ExtractedArticle(
            title=record["title"], text=record["text"], html="<p>x</p>",
            authors=(Author("A Writer"),), published=last,
        )  # fmt: skip
        store.save_article(
            article, url=f"https://{name}.example/{record['id']}", source_id=source_ids[name],
            now=last,
        )  # fmt: skip
    return last


def timed_restore(store: Store, now: datetime) -> tuple[int, float]:
    assigner = StoryAssigner(store, now=lambda: now, window=timedelta(days=4))
    t0 = time.perf_counter()
    count = assigner.restore()
    return count, time.perf_counter() - t0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--database", help="database URL (default: a new SQLite file)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database or f"sqlite:///{Path(tmp) / 'restart.sqlite3'}"
        store = Store.open(url)
        now = load(store, args.articles) + timedelta(minutes=1)
        assigner = StoryAssigner(store, now=lambda: now, window=timedelta(days=4))
        t0 = time.perf_counter()
        while assigner.assign_pending(limit=1000):
            pass
        print(f"assigned {args.articles} articles in {time.perf_counter() - t0:.1f} s", flush=True)
        assigner.lead.release()
        count, kept = timed_restore(store, now)
        with store.engine.begin() as conn:
            conn.execute(story_articles.update().values(embedding=None))
        _, erased = timed_restore(store, now)
        print(
            f"restore of {count} articles: {kept:.1f} s with stored embeddings, "
            f"{erased:.1f} s encoding them again ({erased / kept:.1f} times as long)",
            flush=True,
        )
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
