"""The background story loop: each tick places and labels waiting articles; the first tick (and
then one an hour) removes the articles past their retention."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from broadsheet.config import Settings
from broadsheet.core import make_broadsheet
from broadsheet.types import ExtractedArticle
from broadsheet.workers.story_loop import assign_stories_forever
from tests.conftest import Clock


def test_ticks_place_label_and_expire(tmp_path: Path, clock: Clock) -> None:
    broadsheet = make_broadsheet(Settings(data_dir=tmp_path, retention_days=30), now=clock)
    for n, days in ((1, 40), (2, 1)):
        article = ExtractedArticle(title=f"Cup final {n}", text=f"The team won the match {n}.",
                                   html="<p>x</p>", section="Sport",
                                   published=clock() - timedelta(days=days))  # fmt: skip
        broadsheet.store.save_article(article, url=f"https://x.example/{n}", source_id=None,
                                      now=clock())  # fmt: skip
    asyncio.run(assign_stories_forever(broadsheet, interval=0, ticks=2))
    [kept] = broadsheet.list_articles()
    assert kept.title == "Cup final 2"
    assert broadsheet.store.stories.story_of(kept.id) is not None
    assert [label.key for label in broadsheet.store.labels.labels_of(kept.id)][:1] == ["sport"]
    broadsheet.close()
