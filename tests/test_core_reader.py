"""The core's reader parts: an editor's source standing weighs in Top stories."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from broadsheet.config import Settings
from broadsheet.core import make_broadsheet
from broadsheet.types import ExtractedArticle
from tests.conftest import Clock


def test_source_standing_weighs_in_top_stories(tmp_path: Path, clock: Clock) -> None:
    bs = make_broadsheet(Settings(data_dir=tmp_path), now=clock)
    now = clock()
    stories = {}
    for name in ("x", "y"):
        source, _ = bs.store.add_source(f"https://{name}.example/feed", now=now, title=name)
        article = ExtractedArticle(
            title=f"Story {name}", text=f"Body {name}", html="<p>b</p>",
            published=now - timedelta(hours=1),
        )  # fmt: skip
        saved = bs.store.save_article(article, url=f"https://{name}.example/1",
                                      source_id=source.id, now=now)  # fmt: skip
        stories[name] = (bs.store.stories.create_story(now), source.id)
        bs.store.stories.record_assignment(saved.id, stories[name][0], now=now,
                                           headline=f"Story {name}")  # fmt: skip
    for favoured, other in (("x", "y"), ("y", "x")):
        bs.store.curation.set_standing(stories[favoured][1], 5.0, now=now)
        bs.store.curation.set_standing(stories[other][1], 0.5, now=now)
        assert bs.top_stories()[0].story.id == stories[favoured][0]
    bs.close()
