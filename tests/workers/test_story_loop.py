"""The background story loop: each tick places and labels waiting articles and analyses the
stories they changed; the first tick (and then one an hour) removes the articles past their
retention."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from broadsheet.config import Settings
from broadsheet.core import make_broadsheet
from broadsheet.storage.schema import story_texts
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
    placed = broadsheet.store.stories.story_of(kept.id)
    assert placed is not None
    assert [label.key for label in broadsheet.store.labels.labels_of(kept.id)][:1] == ["sport"]
    with broadsheet.store.engine.connect() as conn:  # its page will open without making it
        analysed = conn.execute(select(story_texts.c.story_id)).scalars().all()
    assert analysed == [placed[0]]
    assert broadsheet.analyse_stories() == 0  # nothing changed since
    broadsheet.close()
