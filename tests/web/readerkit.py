"""Helpers for the reader's web tests: an app over a fresh SQLite store with a movable clock, and a
browser-like client that keeps cookies and fills in the CSRF token."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response

from broadsheet.config import Settings
from broadsheet.core import Broadsheet, make_broadsheet
from broadsheet.types import Author, ExtractedArticle
from broadsheet.web.app import create_app
from tests.conftest import Clock

PASSWORD = "correct horse battery"


class FakeMailer:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []

    def send(self, to: str, subject: str, body: str) -> None:
        self.sent.append((to, subject, body))


class Reader:
    """One browser: its own cookies; ``post`` takes the CSRF token from the last page seen."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.token = ""

    def get(self, path: str, **kw: Any) -> Response:
        response = self.client.get(path, **kw)
        found = re.search(r'name="csrf" value="([^"]+)"', response.text)
        if found:
            self.token = found.group(1)
        return response

    def post(self, path: str, data: dict[str, str] | None = None, **kw: Any) -> Response:
        if not self.token:
            self.get("/signin")
        return self.client.post(path, data={"csrf": self.token, **(data or {})}, **kw)

    def sign_up(self, email: str, password: str = PASSWORD, **extra: str) -> Response:
        self.get("/signup")
        return self.post("/signup", {"email": email, "password": password, **extra},
                         follow_redirects=False)  # fmt: skip

    def sign_in(self, email: str, password: str = PASSWORD) -> Response:
        self.get("/signin")
        return self.post("/signin", {"email": email, "password": password},
                         follow_redirects=False)  # fmt: skip


def make_app(tmp_path: Path, clock: Clock, **settings: Any) -> Broadsheet:
    return make_broadsheet(Settings(data_dir=tmp_path, **settings), now=clock)


def new_reader(broadsheet: Broadsheet) -> Reader:
    return Reader(TestClient(create_app(broadsheet), base_url="https://testserver"))


def add_article(
    broadsheet: Broadsheet, n: int, title: str, text: str, *, source_id: int | None = None,
    section: str | None = None,
) -> int:  # fmt: skip
    now = broadsheet.now()
    article = ExtractedArticle(
        title=title, text=text, html=f"<p>{text}</p>", section=section,
        authors=(Author("Ada Reporter"),), published=now - timedelta(hours=n), language="en",
    )  # fmt: skip
    url = f"https://news.example/{n}"
    return broadsheet.store.save_article(article, url=url, source_id=source_id, now=now).id


NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def put_in_story(
    broadsheet: Broadsheet, article_ids: list[int], *, syndication_group: int | None = None
) -> int:
    """A new story holding the articles (as copies of one another, given a group); its id."""
    story = broadsheet.store.stories.create_story(broadsheet.now())
    for article_id in article_ids:
        broadsheet.store.stories.record_assignment(
            article_id, story, now=broadsheet.now(), syndication_group=syndication_group
        )
    return story
