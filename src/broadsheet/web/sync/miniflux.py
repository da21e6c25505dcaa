"""A Miniflux-compatible API subset under ``/api/miniflux/v1``: enough for apps such as newsboat to
list feeds and categories, read entries, and mark them read, unread or starred.

Feed ids are our source ids and entry ids our article ids. Authentication is HTTP Basic with the
reader's email and password, or ``X-Auth-Token`` with one of their API tokens.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from pydantic import BaseModel

from broadsheet.core import Broadsheet
from broadsheet.extract.sanitize import sanitize_html
from broadsheet.storage.read_marks import select_entries
from broadsheet.types import Article, Source, User
from broadsheet.web.membership import gate_sync
from broadsheet.web.sync.auth import basic_credentials, sign_in

__all__ = ["router"]

router = APIRouter(prefix="/api/miniflux/v1", tags=["miniflux"], include_in_schema=False)
UNCATEGORISED = "All"


def _bs(request: Request) -> Broadsheet:
    broadsheet: Broadsheet = request.app.state.broadsheet
    return broadsheet


def miniflux_user(request: Request) -> User:
    token = request.headers.get("X-Auth-Token")
    if token:
        broadsheet = _bs(request)
        user = broadsheet.store.api_tokens.user_for(token, now=broadsheet.now())
        if user is None:
            raise HTTPException(401, "Access Unauthorized")
        return user
    credentials = basic_credentials(request)
    if credentials is None:
        raise HTTPException(
            401, "Access Unauthorized", {"WWW-Authenticate": 'Basic realm="Broadsheet"'}
        )
    return sign_in(request, *credentials)


Reader = Annotated[User, Depends(miniflux_user)]


def _categories(sources: list[Source]) -> dict[str, int]:
    names = sorted({s.category for s in sources if s.category} - {UNCATEGORISED})
    return {UNCATEGORISED: 1} | {name: i for i, name in enumerate(names, start=2)}


def _feed(source: Source, categories: dict[str, int], user: User) -> dict[str, Any]:
    category = source.category or UNCATEGORISED
    return {
        "id": source.id,
        "user_id": user.id,
        "title": source.title or source.url,
        "site_url": source.site_url or source.url,
        "feed_url": source.url,
        "checked_at": source.last_fetched_at.isoformat() if source.last_fetched_at else None,
        "parsing_error_count": source.error_count,
        "parsing_error_message": source.last_error or "",
        "category": {"id": categories[category], "title": category, "user_id": user.id},
    }


def _entry(article: Article, user: User, read: bool, starred: bool) -> dict[str, Any]:
    published = (article.published or article.created_at).isoformat()
    return {
        "id": article.id,
        "user_id": user.id,
        "feed_id": article.source_id or 0,
        "status": "read" if read else "unread",
        "hash": str(article.id),
        "title": article.title or "Untitled",
        "url": article.url,
        "comments_url": "",
        "published_at": published,
        "created_at": article.created_at.isoformat(),
        "content": sanitize_html(article.html) if article.html else "",
        "author": ", ".join(a.name for a in article.authors),
        "starred": starred,
        "reading_time": article.reading_minutes,
        "enclosures": [
            {
                "id": article.id * 100 + i,
                "user_id": user.id,
                "entry_id": article.id,
                "url": e.url,
                "mime_type": e.type or "",
                "size": e.length or 0,
            }
            for i, e in enumerate(article.enclosures)
        ],
        "tags": [],
    }


@router.get("/me")
def me(user: Reader) -> dict[str, Any]:
    return {"id": user.id, "username": user.email, "is_admin": user.role == "admin"}


@router.get("/categories")
def categories(request: Request, user: Reader) -> list[dict[str, Any]]:
    found = _categories(_bs(request).list_sources())
    return [{"id": i, "title": name, "user_id": user.id} for name, i in found.items()]


@router.get("/feeds")
def feeds(request: Request, user: Reader) -> list[dict[str, Any]]:
    sources = _bs(request).list_sources()
    cats = _categories(sources)
    return [_feed(s, cats, user) for s in sources]


@router.get("/feeds/{feed_id}")
def feed(request: Request, user: Reader, feed_id: int) -> dict[str, Any]:
    broadsheet = _bs(request)
    source = broadsheet.get_source(feed_id)
    return _feed(source, _categories(broadsheet.list_sources()), user)


def _entries(
    request: Request, user: User, source_id: int | None, status: str | None,
    direction: str, limit: int, offset: int,
) -> dict[str, Any]:  # fmt: skip
    broadsheet = _bs(request)
    ids, total = select_entries(
        broadsheet.store.engine, user.id, source_id=source_id, status=status,
        newest_first=direction == "desc", limit=limit, offset=offset,
    )  # fmt: skip
    read = broadsheet.store.read_marks.read_among(user.id, ids)
    saved = saved_among(broadsheet, user, ids)
    articles = gate_sync(request, user, [broadsheet.get_article(i) for i in ids])
    return {
        "total": total,
        "entries": [_entry(a, user, a.id in read, a.id in saved) for a in articles],
    }


def saved_among(broadsheet: Broadsheet, user: User, ids: list[int]) -> set[int]:
    """Which of ``ids`` the reader saved (starred, in the apps' words)."""
    return {i for i in ids if broadsheet.store.reading.is_saved(user.id, i)}


Status = Literal["read", "unread"] | None
Direction = Literal["asc", "desc"]


@router.get("/feeds/{feed_id}/entries")
def feed_entries(
    request: Request, user: Reader, feed_id: int, status: Status = None,
    direction: Direction = "desc", limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0, order: str = "published_at",
) -> dict[str, Any]:  # fmt: skip
    _bs(request).get_source(feed_id)  # 404 for an unknown feed
    return _entries(request, user, feed_id, status, direction, limit, offset)


@router.get("/entries")
def entries(
    request: Request, user: Reader, status: Status = None, direction: Direction = "desc",
    limit: Annotated[int, Query(ge=1, le=1000)] = 100, offset: Annotated[int, Query(ge=0)] = 0,
    feed_id: int | None = None, order: str = "published_at",
) -> dict[str, Any]:  # fmt: skip
    return _entries(request, user, feed_id, status, direction, limit, offset)


@router.get("/entries/{entry_id}")
def entry(request: Request, user: Reader, entry_id: int) -> dict[str, Any]:
    broadsheet = _bs(request)
    article = gate_sync(request, user, [broadsheet.get_article(entry_id)])[0]
    read = entry_id in broadsheet.store.read_marks.read_among(user.id, [entry_id])
    saved = broadsheet.store.reading.is_saved(user.id, entry_id)
    return _entry(article, user, read, saved)


class StatusChange(BaseModel):
    entry_ids: list[int]
    status: Literal["read", "unread"]


@router.put("/entries", status_code=204)
def update_entries(request: Request, user: Reader, change: StatusChange) -> Response:
    broadsheet = _bs(request)
    broadsheet.store.read_marks.mark(
        user.id, change.entry_ids, read=change.status == "read", now=broadsheet.now()
    )
    return Response(status_code=204)


@router.put("/entries/{entry_id}/bookmark", status_code=204)
def toggle_bookmark(request: Request, user: Reader, entry_id: int) -> Response:
    broadsheet = _bs(request)
    broadsheet.get_article(entry_id)
    reading = broadsheet.store.reading
    if reading.is_saved(user.id, entry_id):
        reading.unsave(user.id, entry_id)
    else:
        reading.save(user.id, entry_id, now=broadsheet.now())
    return Response(status_code=204)
