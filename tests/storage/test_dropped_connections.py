"""A connection the database server dropped (a restart) costs no reader an error: the call that
meets it is made again on a fresh connection."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from broadsheet.storage import Store
from broadsheet.storage.engine import normalize_url
from tests.storage.articles import save_numbered


def _drop_connections(url: str) -> int:
    """End every session of the database but this one, as a server restart would."""
    admin = create_engine(normalize_url(url), poolclass=NullPool)
    with admin.connect() as conn:
        ended = conn.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar_one()
        conn.commit()
    return int(ended)


@pytest.mark.postgres
def test_reads_and_writes_survive_the_server_dropping_connections(postgres_url: str) -> None:
    store = Store.open(postgres_url)
    first = save_numbered(store, 1)
    assert store.get_article(first).title == "Title 1"  # the pool now holds a connection
    assert _drop_connections(postgres_url) >= 1
    assert store.get_article(first).title == "Title 1"  # a read meets a dropped connection
    assert _drop_connections(postgres_url) >= 1
    second = save_numbered(store, 2)  # and a write
    assert store.get_article(second).title == "Title 2"
    assert {a.id for a in store.list_articles()} == {first, second}  # saved once
    store.close()
