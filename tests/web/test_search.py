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


def test_the_chosen_source_is_the_selected_option(broadsheet: Broadsheet) -> None:
    reader = new_reader(broadsheet)
    first, _ = broadsheet.store.add_source(
        "https://a.example/feed", now=broadsheet.now(), title="A"
    )
    second, _ = broadsheet.store.add_source(
        "https://b.example/feed", now=broadsheet.now(), title="B"
    )
    unfiltered = reader.get("/search?q=x").text
    assert "selected" not in unfiltered.split('name="source"')[1].split("</select>")[0]
    chosen = reader.get(f"/search?q=x&source={second.id}").text
    options = chosen.split('name="source"')[1].split("</select>")[0]
    assert f'<option value="{second.id}" selected>B</option>' in options
    assert f'<option value="{first.id}">A</option>' in options
    # The options rendered for no choice are not the chosen page's.
    assert (
        "selected"
        not in reader.get("/search?q=x").text.split('name="source"')[1].split("</select>")[0]
    )
