"""The Google Reader API under ``/api/greader``, in the flavour FreshRSS serves (JSON streams)
and the one FeedHQ served (Atom streams under ``/reader/atom/``), for apps such as newsboat,
Reeder, NetNewsWire or FeedMe.

Sign-in is ``POST /accounts/ClientLogin`` with the reader's email and password; the ``Auth``
token it returns is a sign-in session (``Authorization: GoogleLogin auth=…``). Streams:
``feed/<source id>``, ``user/-/label/<category>``, and the states ``reading-list``, ``starred``
and ``read``. Item ids are article ids, in Google's long form or as decimals.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import unquote

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import PlainTextResponse, Response

from broadsheet.core import Broadsheet
from broadsheet.extract.sanitize import sanitize_html
from broadsheet.storage.read_marks import select_entries
from broadsheet.types import Article, Source, User
from broadsheet.web.membership import gate_sync
from broadsheet.web.sync.auth import sign_in
from broadsheet.web.sync.miniflux import saved_among

__all__ = ["router"]

router = APIRouter(prefix="/api/greader", tags=["greader"], include_in_schema=False)
STATE = "user/-/state/com.google/"
READ, STARRED, READING_LIST = STATE + "read", STATE + "starred", STATE + "reading-list"
ITEM_PREFIX = "tag:google.com,2005:reader/item/"


def _bs(request: Request) -> Broadsheet:
    broadsheet: Broadsheet = request.app.state.broadsheet
    return broadsheet


@router.post("/accounts/ClientLogin")
def client_login(
    request: Request, Email: Annotated[str, Form()] = "", Passwd: Annotated[str, Form()] = ""
) -> Response:
    user = sign_in(request, Email, Passwd)
    token = _bs(request).accounts.start_session(user)
    return PlainTextResponse(f"SID={token}\nLSID=null\nAuth={token}\n")


def greader_user(request: Request) -> User:
    value = request.headers.get("Authorization", "")
    scheme, _, rest = value.partition(" ")
    token = rest.partition("auth=")[2] if scheme == "GoogleLogin" else ""
    user = _bs(request).accounts.session_user(token.strip() or None)
    if user is None:
        raise HTTPException(401, "Unauthorized")
    return user


Reader = Annotated[User, Depends(greader_user)]


@router.get("/reader/api/0/token")
def token(user: Reader) -> Response:
    # Auth is never a cookie here, so this edit token guards nothing; apps still ask for one.
    return PlainTextResponse(secrets.token_hex(28))


@router.get("/reader/api/0/user-info")
def user_info(user: Reader) -> dict[str, Any]:
    return {"userId": str(user.id), "userName": user.email, "userEmail": user.email,
            "userProfileId": str(user.id)}  # fmt: skip


def _label(source: Source) -> list[dict[str, str]]:
    if not source.category:
        return []
    return [{"id": f"user/-/label/{source.category}", "label": source.category}]


@router.get("/reader/api/0/subscription/list")
def subscriptions(request: Request, user: Reader) -> dict[str, Any]:
    return {
        "subscriptions": [
            {"id": f"feed/{s.id}", "title": s.title or s.url, "categories": _label(s),
             "url": s.url, "htmlUrl": s.site_url or s.url, "iconUrl": ""}
            for s in _bs(request).list_sources()
        ]
    }  # fmt: skip


@router.get("/reader/api/0/tag/list")
def tags(request: Request, user: Reader) -> dict[str, Any]:
    labels = sorted({s.category for s in _bs(request).list_sources() if s.category})
    states = [{"id": STARRED}, {"id": READ}, {"id": READING_LIST}]
    return {"tags": states + [{"id": f"user/-/label/{name}", "type": "folder"} for name in labels]}


@dataclass(frozen=True, slots=True)
class Stream:
    source_ids: list[int] | None = None
    starred: bool = False
    status: str | None = None


def _stream(broadsheet: Broadsheet, stream_id: str) -> Stream:
    stream_id = unquote(stream_id)
    if stream_id.startswith("feed/"):
        source_id = stream_id.removeprefix("feed/")
        if not source_id.isdigit():
            raise HTTPException(404, f"Unknown stream {stream_id}")
        broadsheet.get_source(int(source_id))
        return Stream([int(source_id)])
    if stream_id.startswith("user/-/label/"):
        label = stream_id.removeprefix("user/-/label/")
        return Stream([s.id for s in broadsheet.list_sources() if s.category == label])
    if stream_id in (READING_LIST, STATE + "reading-list"):
        return Stream()
    if stream_id == STARRED:
        return Stream(starred=True)
    if stream_id == READ:
        return Stream(status="read")
    raise HTTPException(404, f"Unknown stream {stream_id}")


def _select(
    request: Request, user: User, stream: Stream, *, n: int, r: str, xt: str, c: str
) -> tuple[list[int], str | None]:
    status = "unread" if xt == READ else stream.status
    offset = int(c) if c.isdigit() else 0
    ids, total = select_entries(
        _bs(request).store.engine, user.id, source_ids=stream.source_ids, status=status,
        starred=stream.starred, newest_first=r != "o", limit=n, offset=offset,
    )  # fmt: skip
    more = str(offset + n) if offset + n < total else None
    return ids, more


def _item(article: Article, read: bool, starred: bool) -> dict[str, Any]:
    published = article.published or article.created_at
    categories = [READING_LIST] + ([READ] if read else []) + ([STARRED] if starred else [])
    return {
        "id": f"{ITEM_PREFIX}{article.id:016x}",
        "crawlTimeMsec": str(int(article.created_at.timestamp() * 1000)),
        "timestampUsec": str(int(published.timestamp() * 1_000_000)),
        "published": int(published.timestamp()),
        "updated": int((article.modified or published).timestamp()),
        "title": article.title or "Untitled",
        "author": ", ".join(a.name for a in article.authors),
        "canonical": [{"href": article.url}],
        "alternate": [{"href": article.url, "type": "text/html"}],
        "categories": categories,
        "origin": {"streamId": f"feed/{article.source_id}", "title": article.source_title or ""},
        "summary": {"content": sanitize_html(article.html) if article.html else ""},
        "enclosure": [
            {"href": e.url, "type": e.type or "", "length": str(e.length or "")}
            for e in article.enclosures
        ],
    }


Count = Annotated[int, Query(ge=1, le=1000)]


@router.get("/reader/api/0/stream/contents/{stream_id:path}")
def stream_contents(
    request: Request, user: Reader, stream_id: str, n: Count = 20, r: str = "",
    xt: str = "", c: str = "",
) -> dict[str, Any]:  # fmt: skip
    broadsheet = _bs(request)
    ids, more = _select(request, user, _stream(broadsheet, stream_id), n=n, r=r, xt=xt, c=c)
    read = broadsheet.store.read_marks.read_among(user.id, ids)
    saved = saved_among(broadsheet, user, ids)
    found = gate_sync(request, user, [broadsheet.get_article(i) for i in ids])  # the paywall
    items = [_item(a, a.id in read, a.id in saved) for a in found]
    body: dict[str, Any] = {"id": stream_id, "updated": int(broadsheet.now().timestamp()),
                            "items": items}  # fmt: skip
    if more:
        body["continuation"] = more
    return body


@router.get("/reader/api/0/stream/items/ids")
def stream_item_ids(
    request: Request, user: Reader, s: str, n: Count = 1000, r: str = "", xt: str = "",
    c: str = "",
) -> dict[str, Any]:  # fmt: skip
    ids, more = _select(request, user, _stream(_bs(request), s), n=n, r=r, xt=xt, c=c)
    body: dict[str, Any] = {"itemRefs": [{"id": str(i)} for i in ids]}
    if more:
        body["continuation"] = more
    return body


def _item_id(value: str) -> int | None:
    value = value.strip()
    if value.startswith(ITEM_PREFIX):
        try:
            return int(value.removeprefix(ITEM_PREFIX), 16)
        except ValueError:
            return None
    return int(value) if value.lstrip("-").isdigit() else None


@router.post("/reader/api/0/edit-tag")
async def edit_tag(request: Request, user: Reader) -> Response:
    form = await request.form()
    ids = [i for v in form.getlist("i") if isinstance(v, str) and (i := _item_id(v)) is not None]
    adds = {v for v in form.getlist("a") if isinstance(v, str)}
    removes = {v for v in form.getlist("r") if isinstance(v, str)}
    broadsheet = _bs(request)
    marks, reading, now = broadsheet.store.read_marks, broadsheet.store.reading, broadsheet.now()
    if READ in adds or READ in removes:
        marks.mark(user.id, ids, read=READ in adds, now=now)
    for article_id in ids:
        if STARRED in adds:
            broadsheet.get_article(article_id)
            reading.save(user.id, article_id, now=now)
        elif STARRED in removes:
            reading.unsave(user.id, article_id)
    return PlainTextResponse("OK")


@router.post("/reader/api/0/mark-all-as-read")
async def mark_all_as_read(request: Request, user: Reader) -> Response:
    form = await request.form()
    stream_id = form.get("s")
    if not isinstance(stream_id, str):
        raise HTTPException(400, "Give the stream to mark read (s=)")
    broadsheet = _bs(request)
    stream = _stream(broadsheet, stream_id)
    ids, _ = select_entries(
        broadsheet.store.engine, user.id, source_ids=stream.source_ids, status="unread",
        starred=stream.starred, limit=100_000,
    )  # fmt: skip
    broadsheet.store.read_marks.mark(user.id, ids, read=True, now=broadsheet.now())
    return PlainTextResponse("OK")


@router.get("/reader/api/0/unread-count")
def unread_count(request: Request, user: Reader) -> dict[str, Any]:
    broadsheet = _bs(request)
    counts = []
    for source in broadsheet.list_sources():
        _, unread = select_entries(
            broadsheet.store.engine, user.id, source_id=source.id, status="unread", limit=1
        )
        counts.append({"id": f"feed/{source.id}", "count": unread})
    return {"max": 1000, "unreadcounts": counts}


@router.get("/reader/atom/{stream_id:path}")
def atom_stream(
    request: Request, user: Reader, stream_id: str, n: Count = 20, r: str = "", xt: str = "",
    c: str = "",
) -> Response:  # fmt: skip
    """The FeedHQ flavour: a stream as an Atom feed, read state in each entry's categories."""
    from broadsheet.web.sync.greader_atom import render_stream

    contents = stream_contents(request, user, stream_id, n=n, r=r, xt=xt, c=c)
    return Response(render_stream(contents), media_type="application/atom+xml; charset=utf-8")
