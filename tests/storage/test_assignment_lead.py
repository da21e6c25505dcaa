"""One process at a time leads the story stage, on PostgreSQL (an advisory lock) and on SQLite (a
lock on a file beside the database), and the lead passes on when its holder lets go."""

from __future__ import annotations

from broadsheet.storage import Store
from broadsheet.storage.stories import AssignmentLead


def test_one_lead_at_a_time(store: Store) -> None:
    assert store.engine.url.database not in (None, ":memory:")  # a file, as served
    first, second = AssignmentLead(store.engine), AssignmentLead(store.engine)
    assert first.acquire()
    assert first.acquire()  # still leads
    assert not second.acquire()  # (another process, as far as either can tell)
    first.release()
    assert second.acquire()
    assert not first.acquire()
    second.release()
