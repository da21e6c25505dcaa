"""The search page's source filter is read once and reused, and still lists a new source at
once (a renamed one within the minute)."""

from __future__ import annotations

from broadsheet.core import Broadsheet
from broadsheet.storage.ingestion import SourceSettings
from tests.conftest import Clock
from tests.web.readerkit import new_reader


def test_the_source_filter_follows_new_and_renamed_sources(
    broadsheet: Broadsheet, clock: Clock
) -> None:
    reader = new_reader(broadsheet)
    assert "Valley Tribune" not in reader.get("/search?q=x").text
    source, _ = broadsheet.store.add_source(
        "https://t.example/feed", now=broadsheet.now(), title="Valley Tribune"
    )
    assert "Valley Tribune" in reader.get("/search?q=x").text
    broadsheet.update_source(
        source.id, SourceSettings("Hill Tribune", None, None, full_text=False, paused=False)
    )
    clock.advance(minutes=1)
    assert "Hill Tribune" in reader.get("/search?q=x").text
