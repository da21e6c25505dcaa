"""For you end to end in-process: a reader follows a topic and likes a few articles, the page
changes with reasons, and erasing their signals resets it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from broadsheet.config import Settings
from broadsheet.core import Broadsheet, make_broadsheet
from broadsheet.for_you import ForYou
from broadsheet.rank.foryou import HashingEmbedder
from broadsheet.types import ExtractedArticle
from broadsheet.web.app import create_app

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
EMAIL, PASSWORD = "reader@example.org", "a long enough password"
SPORT = ["Cup final goes to penalties", "Striker signs for rival club", "Marathon record falls"]
SCIENCE = [
    "Telescope finds water on exoplanet",
    "Gene therapy trial succeeds",
    "Comet visible tonight",
]


@pytest.fixture
def broadsheet(tmp_path: Path) -> Iterator[Broadsheet]:
    bs = make_broadsheet(Settings(data_dir=tmp_path), now=lambda: NOW)
    bs.__dict__["_for_you"] = ForYou(bs.store, now=lambda: NOW, embedder=HashingEmbedder(64))
    desk, _ = bs.store.add_source("https://desk.example/feed", now=NOW, title="The Desk")
    for i, title in enumerate(SPORT + SCIENCE):
        section = "Sport" if title in SPORT else "Science"
        article = ExtractedArticle(
            title=title, text=f"{title}. A report on {section.lower()}.", html=f"<p>{title}</p>",
            section=section, published=NOW - timedelta(hours=i),
        )  # fmt: skip
        bs.store.save_article(article, url=f"https://desk.example/{i}", source_id=desk.id, now=NOW)
    bs.accounts.add_user(EMAIL, PASSWORD)
    yield bs
    bs.close()


def _signed_in(client: TestClient) -> str:
    page = client.get("/signin")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token is not None
    response = client.post(
        "/signin", data={"email": EMAIL, "password": PASSWORD, "csrf": token.group(1)}
    )
    assert response.status_code in (200, 303)
    return token.group(1)


def _titles(html: str) -> list[str]:
    return re.findall(r'<h2><a href="/articles/\d+">([^<]+)</a></h2>', html)


def test_for_you_learns_says_why_and_forgets(broadsheet: Broadsheet) -> None:
    with TestClient(create_app(broadsheet)) as client:
        assert "Sign in" in client.get("/for-you").text
        csrf = _signed_in(client)
        cold = client.get("/for-you").text
        assert set(_titles(cold)) <= set(SPORT + SCIENCE) and _titles(cold)

        user, _ = broadsheet.store.get_user_by_email(EMAIL)
        broadsheet.store.reading.follow(user.id, "topic", "science", now=NOW, label="Science")
        for title in SCIENCE[:2]:
            article_id = next(a.id for a in broadsheet.list_articles() if a.title == title)
            sent = client.post("/signals", data={"kind": "more", "target": str(article_id),
                                                 "csrf": csrf, "next": "/for-you"},
                               follow_redirects=False)  # fmt: skip
            assert sent.status_code == 303 and sent.headers["location"] == "/for-you"
        learned = client.get("/for-you").text
        assert _titles(learned)[0] in SCIENCE
        assert "because you follow" in learned.lower()

        signals = client.get("/settings/signals").text
        assert signals.count("More like this") >= 2
        refused = client.post("/settings/signals/erase", data={"csrf": "forged"})
        assert refused.status_code == 403
        erased = client.post("/settings/signals/erase", data={"csrf": csrf})
        assert "Erased" in erased.text
        assert broadsheet.store.signals.count_for(user.id) == 0
        bad = client.post("/signals", data={"kind": "steal", "target": "1", "csrf": csrf})
        assert bad.status_code == 400


def test_reading_sends_signals(broadsheet: Broadsheet) -> None:
    with TestClient(create_app(broadsheet)) as client:
        csrf = _signed_in(client)
        user, _ = broadsheet.store.get_user_by_email(EMAIL)
        article = broadsheet.list_articles()[0]
        page = client.get(f"/articles/{article.id}").text
        assert 'id="read-end"' in page and "/static/reading.js" in page
        client.get(f"/articles/{article.id}", headers={"Sec-Fetch-Dest": "empty"})  # a cache
        client.post(f"/articles/{article.id}/save", data={"csrf": csrf, "next": "/saved"})
        beacon = client.post(
            "/signals", data={"kind": "read_end", "target": str(article.id), "weight": "0.8"},
            headers={"X-CSRF-Token": csrf},
        )  # fmt: skip
        assert beacon.status_code == 204
        kinds = [s.kind for s in broadsheet.store.signals.list_for(user.id)]
        assert sorted(kinds) == ["open", "read_end", "save"]
        assert client.get("/static/reading.js").status_code == 200


def test_for_you_knows_the_sections_inferred_for_an_article(broadsheet: Broadsheet) -> None:
    text = "The striker scored twice as the team won the league match and the coach praised them."
    article = ExtractedArticle(
        title="Late winner", text=text, html=f"<p>{text}</p>", published=NOW - timedelta(hours=20)
    )  # no section declared
    broadsheet.store.save_article(article, url="https://desk.example/q", source_id=None, now=NOW)
    broadsheet.label_articles()
    user, _ = broadsheet.store.get_user_by_email(EMAIL)
    broadsheet.store.reading.follow(user.id, "topic", "sport", now=NOW, label="Sport")
    with TestClient(create_app(broadsheet)) as client:
        _signed_in(client)
        page = client.get("/for-you").text
    item = page.split(">Late winner<")[0].rsplit('<article class="item foryou-item">', 1)[1]
    assert "because you follow sport" in item.lower()
