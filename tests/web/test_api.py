"""The JSON API: token auth, articles, stories, sources, JSON errors, the OpenAPI document."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from broadsheet.cli import main
from broadsheet.config import Settings
from broadsheet.core import Broadsheet, make_broadsheet
from broadsheet.types import ExtractedArticle
from broadsheet.web.app import create_app

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def broadsheet(tmp_path: Path) -> Iterator[Broadsheet]:
    bs = make_broadsheet(Settings(data_dir=tmp_path), now=lambda: NOW)
    article = ExtractedArticle(
        title="Hello", text="Body text.", html="<p>Body text.</p>", section="Science"
    )
    bs.store.save_article(article, url="https://news.example/1", source_id=None, now=NOW)
    yield bs
    bs.close()


def _token(broadsheet: Broadsheet, role: str = "reader") -> str:
    user = broadsheet.store.create_user(f"{role}@example.org", "x", role=role, now=NOW)
    _, secret = broadsheet.store.api_tokens.create(user.id, "test", now=NOW)
    return secret


def test_requests_without_a_valid_token_are_refused(broadsheet: Broadsheet) -> None:
    with TestClient(create_app(broadsheet)) as client:
        missing = client.get("/api/v1/articles")
        wrong = client.get("/api/v1/articles", headers={"Authorization": "Bearer nope"})
    assert missing.status_code == 401 and "Authorization: Bearer" in missing.json()["detail"]
    assert missing.headers["www-authenticate"] == "Bearer"
    assert wrong.status_code == 401 and wrong.json()["detail"] == "Unknown or revoked API token"


def test_articles_and_errors(broadsheet: Broadsheet) -> None:
    auth = {"Authorization": f"Bearer {_token(broadsheet)}"}
    with TestClient(create_app(broadsheet)) as client:
        listing = client.get("/api/v1/articles", headers=auth).json()
        unlabelled = client.get("/api/v1/articles/1", headers=auth).json()
        broadsheet.label_articles()
        one = client.get("/api/v1/articles/1", headers=auth).json()
        missing = client.get("/api/v1/articles/99", headers=auth)
        malformed = client.get("/api/v1/articles?limit=abc", headers=auth)
        denied = client.post("/api/v1/sources", headers=auth, json={"url": "https://x.example"})
        bad_body = client.post("/api/v1/sources", headers=auth, content=b"{not json")
    assert [a["title"] for a in listing["articles"]] == ["Hello"]
    assert "text" not in listing["articles"][0]
    assert one["text"] == "Body text." and one["url"] == "https://news.example/1"
    assert unlabelled["topics"] == []
    assert one["topics"] == [{"kind": "section", "key": "science", "name": "Science"}]
    assert missing.status_code == 404 and missing.json() == {"detail": "no article 99"}
    assert malformed.status_code == 422 and malformed.json()["detail"][0]["loc"][-1] == "limit"
    assert denied.status_code == 403
    assert bad_body.status_code == 422


def test_editor_adds_a_source_and_errors_are_words(broadsheet: Broadsheet) -> None:
    auth = {"Authorization": f"Bearer {_token(broadsheet, 'editor')}"}
    with TestClient(create_app(broadsheet)) as client:
        refused = client.post("/api/v1/sources", headers=auth, json={"url": "http://127.0.0.1:9/"})
        sources = client.get("/api/v1/sources", headers=auth).json()
    assert refused.status_code == 422 and "blocked address" in refused.json()["detail"]
    assert sources == {"sources": []}


def test_openapi_document_lists_the_api(broadsheet: Broadsheet) -> None:
    with TestClient(create_app(broadsheet)) as client:
        spec = client.get("/openapi.json").json()
    assert {"/api/v1/articles", "/api/v1/articles/{article_id}", "/api/v1/stories/top",
            "/api/v1/stories/{story_id}", "/api/v1/sources"} <= set(spec["paths"])  # fmt: skip


def test_token_cli_round_trip(
    broadsheet: Broadsheet, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broadsheet.store.create_user("ada@example.org", "x", role="reader", now=NOW)
    base = ["--data-dir", str(tmp_path)]
    assert main([*base, "token", "create", "ada@example.org", "--name", "phone"]) == 0
    secret = capsys.readouterr().out.strip().rsplit(" ", 1)[-1]
    assert broadsheet.store.api_tokens.user_for(secret, now=NOW) is not None
    assert main([*base, "token", "list", "ada@example.org"]) == 0
    listed = capsys.readouterr().out
    assert "phone" in listed and secret not in listed
    token_id = listed.split("\t", 1)[0]
    assert main([*base, "token", "revoke", "ada@example.org", "--id", token_id]) == 0
    assert broadsheet.store.api_tokens.user_for(secret, now=NOW) is None
    assert main([*base, "token", "create", "nobody@example.org"]) == 2


def test_topics_and_a_topics_articles(broadsheet: Broadsheet) -> None:
    broadsheet.label_articles()
    auth = {"Authorization": f"Bearer {_token(broadsheet)}"}
    with TestClient(create_app(broadsheet)) as client:
        topics = client.get("/api/v1/topics", headers=auth).json()
        science = client.get("/api/v1/topics/science/articles", headers=auth).json()
        nothing = client.get("/api/v1/topics/sport/articles", headers=auth).json()
        spec = client.get("/openapi.json").json()
    assert topics["topics"] == [
        {"kind": "section", "key": "science", "name": "Science", "articles": 1}
    ]
    assert [a["title"] for a in science["articles"]] == ["Hello"]
    assert nothing == {"articles": []}
    assert "/api/v1/topics/{key}/articles" in spec["paths"]
