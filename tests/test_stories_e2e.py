"""Done-when of the stories issue: a site ingesting many outlets shows one story per event with
all its outlets, through the real fetcher, extractor, clusterer and web app."""

from __future__ import annotations

import asyncio
import ipaddress
from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient

from broadsheet.config import Settings
from broadsheet.core import make_broadsheet
from broadsheet.web.app import create_app
from tests.conftest import Clock
from tests.localserver import LocalServer
from tests.outlets import COVERAGE, OUTLETS, install_outlets


def test_each_event_is_one_story_with_all_its_outlets(
    server: LocalServer, tmp_path: Path, clock: Clock
) -> None:
    clock.current = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # the pages' publication day
    settings = Settings(data_dir=tmp_path, allow_networks=(ipaddress.ip_network("127.0.0.0/8"),))
    broadsheet = make_broadsheet(settings, now=clock)
    for feed in install_outlets(server):
        broadsheet.store.add_source(feed, now=clock())
    report = asyncio.run(broadsheet.fetch_due())
    assert report.new_articles == len(COVERAGE)
    assert broadsheet.assign_stories() == len(COVERAGE)

    top = broadsheet.top_stories()
    assert len(top) == 2
    for card in top:
        assert sorted(card.outlets) == sorted(OUTLETS)
        assert card.story.article_count == 3
    with TestClient(create_app(broadsheet)) as client:
        for card in top:
            page = client.get(f"/stories/{card.story.id}").text
            assert all(outlet in page for outlet in OUTLETS)
            assert "<dt>Places</dt>" in page and 'class="summary"' in page
            assert "Only here:" in page  # each outlet's distinctive sentences
    broadsheet.close()


def test_story_text_is_withheld_behind_the_membership_gate(
    server: LocalServer, tmp_path: Path, clock: Clock
) -> None:
    clock.current = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    settings = Settings(
        data_dir=tmp_path, allow_networks=(ipaddress.ip_network("127.0.0.0/8"),),
        membership_enabled=True, free_articles_per_month=0,
    )  # fmt: skip
    broadsheet = make_broadsheet(settings, now=clock)
    for feed in install_outlets(server):
        broadsheet.store.add_source(feed, now=clock())
    asyncio.run(broadsheet.fetch_due())
    broadsheet.assign_stories()
    story = broadsheet.top_stories()[0].story
    with TestClient(create_app(broadsheet)) as client:
        page = client.get(f"/stories/{story.id}").text
    assert 'class="summary"' not in page and "Only here:" not in page
    assert all(outlet in page for outlet in OUTLETS)  # who covered it stays visible
    broadsheet.close()
