"""Entry identity: GUID, then link, then content hash; changed entries are updates."""

from __future__ import annotations

from datetime import UTC, datetime

from broadsheet.ingest.entries import KnownEntry, content_hash, identify, plan_entries
from broadsheet.types import FeedEntry

T1 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
T2 = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)


def known(entry: FeedEntry, key: str, article_id: int | None = 1) -> KnownEntry:
    i = identify(entry)
    return KnownEntry(1, key, i.guid, i.link, i.content_hash, entry.updated, article_id)


def test_new_entries_get_keys_in_order_of_trust() -> None:
    entries = [
        FeedEntry(guid="g1", link="https://x/1", title="A"),
        FeedEntry(guid=None, link="https://x/2", title="B"),
        FeedEntry(guid=None, link=None, title="C", summary="only words"),
    ]
    plans = plan_entries(entries, [])
    assert [p.action for p in plans] == ["new", "new", "new"]
    assert [p.key.split(":")[0] for p in plans] == ["guid", "link", "hash"]


def test_a_changed_guid_with_the_same_link_is_the_same_article() -> None:
    before = FeedEntry(guid="old-guid", link="https://x/1", title="A")
    after = FeedEntry(guid="new-guid", link="https://x/1", title="A")
    [plan] = plan_entries([after], [known(before, "guid:old-guid")])
    assert (plan.action, plan.key) == ("unchanged", "guid:old-guid")


def test_same_guid_with_a_new_link_is_the_same_entry() -> None:
    before = FeedEntry(guid="g", link="https://x/old", title="A")
    [plan] = plan_entries([FeedEntry(guid="g", link="https://x/new", title="A")],
                          [known(before, "guid:g")])  # fmt: skip
    assert plan.key == "guid:g"


def test_entries_without_guid_or_link_are_matched_by_what_they_say() -> None:
    entry = FeedEntry(guid=None, link=None, title="C", summary="only   words")
    same = FeedEntry(guid=None, link=None, title="C", summary="only words")
    assert content_hash(entry) == content_hash(same)
    [plan] = plan_entries([same], [known(entry, "hash:x")])
    assert plan.action == "unchanged"


def test_changed_content_or_update_time_is_an_update() -> None:
    before = FeedEntry(guid="g", link="https://x/1", title="Quake", updated=T1)
    edited = FeedEntry(guid="g", link="https://x/1", title="Quake: toll rises", updated=T1)
    touched = FeedEntry(guid="g", link="https://x/1", title="Quake", updated=T2)
    assert plan_entries([edited], [known(before, "guid:g")])[0].action == "updated"
    assert plan_entries([touched], [known(before, "guid:g")])[0].action == "updated"


def test_an_entry_stored_without_article_is_tried_again_and_repeats_are_planned_once() -> None:
    entry = FeedEntry(guid="g", link="https://x/1", title="A")
    plans = plan_entries([entry, entry], [known(entry, "guid:g", article_id=None)])
    assert [p.action for p in plans] == ["new"]


def test_an_entry_kept_from_the_feed_while_its_page_failed_is_tried_again() -> None:
    entry = FeedEntry(guid="g", link="https://x/1", title="A")
    i = identify(entry)
    pending = KnownEntry(1, "guid:g", i.guid, i.link, i.content_hash, None, 7, True)
    [plan] = plan_entries([entry], [pending])
    assert plan.action == "updated"
    [plan] = plan_entries([entry], [known(entry, "guid:g")])
    assert plan.action == "unchanged"
