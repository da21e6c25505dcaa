"""Shared fixtures: stores on SQLite and PostgreSQL, a fixed clock, local HTTP servers."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from broadsheet.storage import Store
from tests.localserver import LocalServer, local_server

POSTGRES_ADMIN_URL = os.environ.get(
    "BROADSHEET_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REQUIRE_POSTGRES = os.environ.get("BROADSHEET_REQUIRE_POSTGRES") == "1"
SHARED_DIR = Path(
    os.environ.get("BROADSHEET_SHARED_DIR", Path(__file__).resolve().parents[1].parent / "shared")
)


class Clock:
    """A clock that moves only when told."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 23, 12, 0, tzinfo=UTC))


def _postgres_admin() -> object:
    import psycopg

    try:
        return psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as e:
        message = f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}: {e}"
        if REQUIRE_POSTGRES:
            pytest.fail(message + " (BROADSHEET_REQUIRE_POSTGRES=1)")
        pytest.skip(message)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new, empty PostgreSQL database, dropped afterwards."""
    admin = _postgres_admin()
    name = f"broadsheet_test_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')  # type: ignore[attr-defined]
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[attr-defined]
        admin.close()  # type: ignore[attr-defined]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each storage test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite3'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    store = Store.open(database_url)
    yield store
    store.close()


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with local_server("127.0.0.1") as srv:
        yield srv
