"""A story page stays under the weight limit however many outlets covered the story."""

from __future__ import annotations

from broadsheet.core import Broadsheet
from tests.web.readerkit import add_article, new_reader


def test_a_story_of_hundreds_of_articles_stays_light(broadsheet: Broadsheet) -> None:
    now = broadsheet.now()
    story = broadsheet.store.stories.create_story(now)
    for n in range(600):
        source, _ = broadsheet.store.add_source(f"https://o{n}.example/f", now=now,
                                                title=f"The Daily Outlet Number {n}")  # fmt: skip
        article = add_article(broadsheet, n, f"Harbour reopens after the long storm, part {n}",
                              f"Ships sail again {n}.", source_id=source.id)  # fmt: skip
        broadsheet.store.stories.record_assignment(article, story, now=now)
    page = new_reader(broadsheet).get(f"/stories/{story}")
    assert page.status_code == 200
    assert len(page.content) < 200_000
    assert "600 articles" in page.text and "600 outlets" in page.text
    assert "The Daily Outlet Number 599" in page.text  # the first to report it is named
    assert "and 500 more" in page.text  # the rest are counted, not listed
