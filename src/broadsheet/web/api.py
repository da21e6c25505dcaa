"""The JSON API, v1: articles, stories, sources; per-user tokens (``Authorization: Bearer …``).

FastAPI documents it at ``/openapi.json``. Every error is JSON with a ``detail`` in words; a
malformed call is answered 422 by validation and never reaches the store.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request
from pydantic import BaseModel

from broadsheet.core import Broadsheet
from broadsheet.serialize import article_json, source_json, story_json
from broadsheet.types import User

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["api"])


def _bs(request: Request) -> Broadsheet:
    broadsheet: Broadsheet = request.app.state.broadsheet
    return broadsheet


def api_user(request: Request, authorization: Annotated[str | None, Header()] = None) -> User:
    """The token's user; 401 with a reason for a missing or unknown token."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise HTTPException(
            401, "Send an API token: Authorization: Bearer <token>",
            headers={"WWW-Authenticate": "Bearer"},
        )  # fmt: skip
    broadsheet = _bs(request)
    user = broadsheet.store.api_tokens.user_for(token.strip(), now=broadsheet.now())
    if user is None:
        raise HTTPException(401, "Unknown or revoked API token", {"WWW-Authenticate": "Bearer"})
    return user


Reader = Annotated[User, Depends(api_user)]


class NewSource(BaseModel):
    url: str


@router.get("/articles")
def list_articles(
    request: Request,
    user: Reader,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
    source_id: int | None = None,
) -> dict[str, Any]:
    """Newest articles first, without their bodies."""
    articles = _bs(request).list_articles(limit=limit, offset=offset, source_id=source_id)
    return {"articles": [article_json(a, body=False) for a in articles]}


@router.get("/articles/{article_id}")
def get_article(request: Request, user: Reader, article_id: int) -> dict[str, Any]:
    """One article with its body (behind the membership paywall, its preview) and its topics:
    sections and the people, organisations and places it names."""
    from broadsheet.web.membership import api_article

    broadsheet = _bs(request)
    found = api_article(request, user, broadsheet.get_article(article_id))
    labels = broadsheet.store.labels.labels_of(article_id)
    found["topics"] = [{"kind": t.kind, "key": t.key, "name": t.name} for t in labels]
    return found


@router.get("/stories/top")
def top_stories(
    request: Request, user: Reader, limit: Annotated[int, Query(ge=1, le=100)] = 20
) -> dict[str, Any]:
    cards = _bs(request).top_stories(limit=limit)
    return {
        "stories": [
            {**story_json(c.story), "lead": article_json(c.lead, body=False),
             "outlets": list(c.outlets), "syndicated_copies": c.copies}
            for c in cards
        ]
    }  # fmt: skip


@router.get("/stories/{story_id}")
def get_story(request: Request, user: Reader, story_id: int) -> dict[str, Any]:
    from broadsheet.web.stories import without_body_text_if_gated

    coverage = without_body_text_if_gated(request, _bs(request).story_coverage(story_id), user)
    return {
        **story_json(coverage.story),
        "headline": coverage.headline,
        "summary": list(coverage.summary),
        "people": list(coverage.people),
        "organisations": list(coverage.organisations),
        "places": list(coverage.places),
        "topics": [{"key": key, "name": name} for key, name in coverage.topics],
        "articles": [article_json(a, body=False) for a in coverage.articles],
        "outlets": [
            {"source": o.source, "first_at": o.first_at.isoformat(),
             "articles": [a.id for a in o.articles], "distinctive": list(o.distinctive)}
            for o in coverage.outlets
        ],
    }  # fmt: skip


@router.get("/topics")
def list_topics(
    request: Request, user: Reader, limit: Annotated[int, Query(ge=1, le=200)] = 50
) -> dict[str, Any]:
    """Sections and the people, organisations and places most in the news this week."""
    broadsheet = _bs(request)
    since = broadsheet.now() - timedelta(days=7)
    counts = broadsheet.store.labels.popular(since=since, limit=limit)
    return {"topics": [{"kind": c.kind, "key": c.key, "name": c.name, "articles": c.articles}
                       for c in counts]}  # fmt: skip


@router.get("/topics/{key}/articles")
def topic_articles(
    request: Request, user: Reader, key: str,
    limit: Annotated[int, Query(ge=1, le=200)] = 50, offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:  # fmt: skip
    """A topic's newest articles, without their bodies (syndicated copies folded)."""
    articles = _bs(request).store.labels.list_articles(key, limit=limit, offset=offset)
    return {"articles": [article_json(a, body=False) for a in articles]}


@router.get("/sources")
def list_sources(request: Request, user: Reader) -> dict[str, Any]:
    return {"sources": [source_json(s) for s in _bs(request).list_sources()]}


@router.post("/sources", status_code=201)
async def add_source(request: Request, user: Reader, body: NewSource) -> dict[str, Any]:
    """Add a source by feed or site URL; 422 with the reason when it is not a feed."""
    if user.role not in ("editor", "admin"):
        raise HTTPException(403, "Only editors and admins add sources")
    result = await _bs(request).add_source(body.url)
    if result.source is None:
        raise HTTPException(422, result.error or "Could not add the source")
    return {**source_json(result.source), "created": result.created}
