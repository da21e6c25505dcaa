"""Leases: due sources are claimed by one worker at a time, and a dead worker's lease runs out."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from broadsheet.storage import Store
from broadsheet.storage.ingestion import IngestStore

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
LEASE = timedelta(minutes=15)


def claim(ingest: IngestStore, owner: str, limit: int = 100, now: datetime = NOW) -> set[int]:
    found = ingest.claim_due_sources(owner=owner, now=now, lease_until=now + LEASE, limit=limit)
    return {s.id for s in found}


def test_claims_are_disjoint_and_skip_paused_and_not_yet_due(store: Store) -> None:
    ids = [store.add_source(f"https://s{i}.example/feed", now=NOW)[0].id for i in range(6)]
    ingest = IngestStore(store.engine)
    ingest.record_success(ids[4], now=NOW, next_fetch_at=NOW + timedelta(hours=1), etag=None,
                          last_modified=None)  # fmt: skip
    ingest.record_failure(ids[5], now=NOW, error="HTTP 500", next_fetch_at=NOW,
                          pause_reason="paused after 10 failed fetches in a row")  # fmt: skip
    first = claim(ingest, "a", limit=2)
    second = claim(ingest, "b")
    assert len(first) == 2 and first.isdisjoint(second)
    assert first | second == set(ids[:4])
    assert claim(ingest, "c") == set()


def test_a_dead_workers_lease_runs_out_and_a_finished_fetch_gives_it_back(store: Store) -> None:
    source, _ = store.add_source("https://a.example/feed", now=NOW)
    ingest = IngestStore(store.engine)
    assert claim(ingest, "dead") == {source.id}
    assert claim(ingest, "alive", now=NOW + LEASE - timedelta(seconds=1)) == set()
    assert claim(ingest, "alive", now=NOW + LEASE + timedelta(seconds=1)) == {source.id}
    ingest.record_failure(source.id, now=NOW, error="timeout", next_fetch_at=NOW)
    assert claim(ingest, "other") == {source.id}  # the lease went with the recorded outcome


def test_a_worker_restarted_under_its_name_takes_its_leases_back(store: Store) -> None:
    source, _ = store.add_source("https://a.example/feed", now=NOW)
    ingest = IngestStore(store.engine)
    assert claim(ingest, "worker-1") == {source.id}
    ingest.release_leases("worker-1")
    assert claim(ingest, "worker-1") == {source.id}


@pytest.mark.postgres
def test_concurrent_claims_on_postgresql_never_overlap(postgres_url: str) -> None:
    store = Store.open(postgres_url)
    try:
        for i in range(200):
            store.add_source(f"https://s{i}.example/feed", now=NOW)
        ingest = IngestStore(store.engine)
        claimed: dict[str, list[int]] = {f"w{n}": [] for n in range(6)}
        start = threading.Barrier(len(claimed))

        def work(owner: str) -> None:
            start.wait()
            while batch := claim(ingest, owner, limit=7):
                claimed[owner].extend(batch)

        threads = [threading.Thread(target=work, args=(o,)) for o in claimed]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        everything = [i for ids in claimed.values() for i in ids]
        assert len(everything) == len(set(everything)) == 200
        assert sum(1 for ids in claimed.values() if ids) > 1  # the work was shared
    finally:
        store.close()
