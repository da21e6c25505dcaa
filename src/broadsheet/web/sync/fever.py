"""The Fever API at ``/api/fever/``, for apps such as Reeder, Unread or ReadKit.

Fever apps send ``api_key`` = md5("email:password"). We never keep passwords in a form that
could give that, so the "password" a reader types into a Fever app is one of their API tokens
(``broadsheet token create``); its Fever key is kept when the token is made. Groups are source
categories, feeds our sources, items our articles; read and saved state are the reader's own.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from broadsheet.core import Broadsheet
from broadsheet.extract.sanitize import sanitize_html
from broadsheet.storage.read_marks import page_by_id, select_entries
from broadsheet.types import Article, Source, User
from broadsheet.web.sync.miniflux import saved_among

__all__ = ["router"]

router = APIRouter(prefix="/api/fever", tags=["fever"], include_in_schema=False)
PAGE = 50


def _bs(request: Request) -> Broadsheet:
    broadsheet: Broadsheet = request.app.state.broadsheet
    return broadsheet


def _groups(sources: list[Source]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    names = sorted({s.category for s in sources if s.category})
    ids = {name: i for i, name in enumerate(names, start=1)}
    groups = [{"id": i, "title": name} for name, i in ids.items()]
    links = [
        {"group_id": i, "feed_ids": ",".join(str(s.id) for s in sources if s.category == name)}
        for name, i in ids.items()
    ]
    return groups, links


def _item(article: Article, read: bool, saved: bool) -> dict[str, Any]:
    return {
        "id": article.id,
        "feed_id": article.source_id or 0,
        "title": article.title or "Untitled",
        "author": ", ".join(a.name for a in article.authors),
        "html": sanitize_html(article.html) if article.html else "",
        "url": article.url,
        "is_saved": int(saved),
        "is_read": int(read),
        "created_on_time": int((article.published or article.created_at).timestamp()),
    }


def _items(broadsheet: Broadsheet, user: User, query: dict[str, str]) -> dict[str, Any]:
    engine = broadsheet.store.engine
    if "with_ids" in query:
        wanted = [int(i) for i in query["with_ids"].split(",") if i.strip().isdigit()][:PAGE]
        chosen = page_by_id(engine, ids=wanted, limit=PAGE)
    elif query.get("max_id", "").isdigit():
        chosen = page_by_id(engine, before=int(query["max_id"]), limit=PAGE)
    else:
        since = int(query["since_id"]) if query.get("since_id", "").isdigit() else 0
        chosen = page_by_id(engine, after=since, limit=PAGE)
    read = broadsheet.store.read_marks.read_among(user.id, chosen)
    saved = saved_among(broadsheet, user, chosen)
    found = broadsheet.membership.listable(user, [broadsheet.get_article(i) for i in chosen])
    items = [_item(a, a.id in read, a.id in saved) for a in found]  # the paywall: listable
    return {"items": items, "total_items": broadsheet.store.count_articles()}


def _mark(broadsheet: Broadsheet, user: User, form: dict[str, str]) -> None:
    kind, state, target = form.get("mark"), form.get("as"), form.get("id", "")
    if not target.lstrip("-").isdigit():
        return
    now, number = broadsheet.now(), int(target)
    if kind == "item" and state in ("read", "unread"):
        broadsheet.store.read_marks.mark(user.id, [number], read=state == "read", now=now)
    elif kind == "item" and state in ("saved", "unsaved"):
        broadsheet.get_article(number)
        if state == "saved":
            broadsheet.store.reading.save(user.id, number, now=now)
        else:
            broadsheet.store.reading.unsave(user.id, number)
    elif kind in ("feed", "group") and state == "read":
        sources = broadsheet.list_sources()
        if kind == "feed":
            chosen = [number]
        else:
            groups, _ = _groups(sources)
            title = next((g["title"] for g in groups if g["id"] == number), None)
            chosen = [s.id for s in sources if title is not None and s.category == title]
        ids, _ = select_entries(
            broadsheet.store.engine, user.id, source_ids=chosen, status="unread", limit=100_000
        )
        broadsheet.store.read_marks.mark(user.id, ids, read=True, now=now)


@router.api_route("/", methods=["GET", "POST"])
async def fever(request: Request) -> JSONResponse:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    query = dict(request.query_params) | form
    broadsheet = _bs(request)
    body: dict[str, Any] = {"api_version": 3, "auth": 0}
    user = broadsheet.store.api_tokens.user_for_fever_key(
        form.get("api_key", ""), now=broadsheet.now()
    )
    if user is None:
        return JSONResponse(body)
    body |= {"auth": 1, "last_refreshed_on_time": int(broadsheet.now().timestamp())}
    if "mark" in query:
        _mark(broadsheet, user, query)
    sources = broadsheet.list_sources()
    groups, links = _groups(sources)
    if "groups" in query:
        body |= {"groups": groups, "feeds_groups": links}
    if "feeds" in query:
        body["feeds"] = [
            {"id": s.id, "favicon_id": 0, "title": s.title or s.url, "url": s.url,
             "site_url": s.site_url or s.url, "is_spark": 0,
             "last_updated_on_time": int(s.last_success_at.timestamp()) if s.last_success_at else 0}
            for s in sources
        ]  # fmt: skip
        body["feeds_groups"] = links
    if "favicons" in query:
        body["favicons"] = []
    if "links" in query:
        body["links"] = []
    if "items" in query:
        body |= _items(broadsheet, user, query)
    if "unread_item_ids" in query:
        unread, _ = select_entries(
            broadsheet.store.engine, user.id, status="unread", limit=1_000_000
        )
        body["unread_item_ids"] = ",".join(str(i) for i in sorted(unread))
    if "saved_item_ids" in query:
        saved, _ = select_entries(broadsheet.store.engine, user.id, starred=True, limit=1_000_000)
        body["saved_item_ids"] = ",".join(str(i) for i in sorted(saved))
    return JSONResponse(body)
