"""A real server and Debian's headless Chromium for the browser tests.

The app runs under uvicorn in a thread, on SQLite in a temporary folder, with a fixed clock and
seeded articles from several outlets. Chromium is the system one (no browser download); axe-core
comes from the npm package that ``.ci/run`` unpacks into ``tests/browser/vendor/``. Without either
the tests skip, unless ``BROADSHEET_REQUIRE_BROWSER=1`` (set by ``.ci/run``) makes that a failure.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from broadsheet.config import Settings
from broadsheet.core import Broadsheet, make_broadsheet
from broadsheet.types import Author, ExtractedArticle
from tests.conftest import Clock

CHROMIUM = os.environ.get("BROADSHEET_CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
]  # fmt: skip
OUTLETS = ("Valley Tribune", "Harbour Post", "Morning Ledger")
EVENT = [
    ("Volcano erupts near the coast", "Lava reached the sea on Monday as the volcano erupted."),
    (
        "Volcano eruption forces evacuations",
        "The volcano erupted and lava reached the sea, forcing evacuations along the coast.",
    ),
    (
        "Coastal volcano erupts, lava reaches sea",
        "Residents fled as lava from the erupting volcano reached the sea on Monday.",
    ),
]


def _require(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("BROADSHEET_REQUIRE_BROWSER") == "1":
        pytest.fail(reason + " (BROADSHEET_REQUIRE_BROWSER=1)")
    pytest.skip(reason)


def seed(bs: Broadsheet) -> None:
    """A few hundred words from three outlets: one event covered by all, plus other news."""
    now = bs.now()
    for i, outlet in enumerate(OUTLETS):
        source, _ = bs.store.add_source(f"https://{i}.example/feed", now=now, title=outlet)
        title, text = EVENT[i]
        _save(bs, source.id, f"https://{i}.example/volcano", title, text, now - timedelta(hours=i))
        for j in range(4):
            _save(bs, source.id, f"https://{i}.example/other-{j}", f"{outlet} report {j} on the "
                  f"harbour budget", f"The council debated harbour budget item {j} at length.",
                  now - timedelta(hours=5 + j))  # fmt: skip
    bs.assign_stories()


def _save(bs: Broadsheet, source_id: int, url: str, title: str, text: str, when: Any) -> None:
    article = ExtractedArticle(
        title=title, text=text, html=f"<p>{text}</p>", published=when, language="en",
        authors=(Author("Ada Reporter"),), section="Science",
    )  # fmt: skip
    bs.store.save_article(article, url=url, source_id=source_id, now=bs.now())


class LiveServer:
    def __init__(self, bs: Broadsheet) -> None:
        import uvicorn

        from broadsheet.web.app import create_app

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        config = uvicorn.Config(create_app(bs), log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]})

    def __enter__(self) -> LiveServer:
        self.thread.start()
        for _ in range(200):
            if self.server.started:
                return self
            time.sleep(0.05)
        raise RuntimeError("the test server did not start")

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


@pytest.fixture
def live(tmp_path: Path, clock: Clock) -> Iterator[str]:
    bs = make_broadsheet(Settings(data_dir=tmp_path), now=clock)
    seed(bs)
    with LiveServer(bs) as server:
        yield server.url
    bs.close()


@pytest.fixture
def browser() -> Iterator[Any]:
    _require(Path(CHROMIUM).exists(), f"no Chromium at {CHROMIUM}")
    _require(AXE.exists(), f"no axe-core at {AXE} (.ci/run unpacks it from npm)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()
