"""Shared fixtures: stores on SQLite and PostgreSQL, a fixed clock, local HTTP servers."""

from __future__ import annotations

import os
import shutil
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


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A migrated PostgreSQL database that each test's database is copied from: migrating once
    per session instead of once per test keeps the suite fast."""
    admin = _postgres_admin()
    name = f"broadsheet_template_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')  # type: ignore[attr-defined]
    Store.open(f"{POSTGRES_ADMIN_URL.rsplit('/', 1)[0]}/{name}").close()
    try:
        yield name
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[attr-defined]
        admin.close()  # type: ignore[attr-defined]


@pytest.fixture
def postgres_url(postgres_template: str) -> Iterator[str]:
    """A new PostgreSQL database with the current schema, dropped afterwards."""
    admin = _postgres_admin()
    name = f"broadsheet_test_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{postgres_template}"')  # type: ignore[attr-defined]
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[attr-defined]
        admin.close()  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite database file that each test copies."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    Store.open(f"sqlite:///{path}").close()
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each storage test runs on SQLite and on PostgreSQL, on a database of its own."""
    if request.param == "sqlite":
        path = tmp_path / "test.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
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
