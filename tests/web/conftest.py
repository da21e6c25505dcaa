"""Fixtures for the web tests: an app over a fresh SQLite store on the test clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from broadsheet.core import Broadsheet
from broadsheet.web.app import create_app
from tests.conftest import Clock
from tests.web.readerkit import make_app


@pytest.fixture
def broadsheet(tmp_path: Path, clock: Clock) -> Iterator[Broadsheet]:
    bs = make_app(tmp_path, clock)
    yield bs
    bs.close()


@pytest.fixture
def client(broadsheet: Broadsheet) -> Iterator[TestClient]:
    with TestClient(create_app(broadsheet), base_url="https://testserver") as c:
        yield c
