"""A reader's own pages: saved articles, history, settings (follows, theme), and the save / follow
buttons that change them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from broadsheet.core import Broadsheet
from broadsheet.storage.reading import FOLLOW_KINDS
from broadsheet.storage.search import SearchQuery
from broadsheet.types import Article
from broadsheet.web.auth import SignedIn, _bs, safe_next, viewer
from broadsheet.web.fragments import fragment, wants_fragment
from broadsheet.web.pages import render

__all__ = ["THEMES", "THEME_COOKIE", "article_extras", "router"]

router = APIRouter()
PAGE_SIZE = 30
THEME_COOKIE = "bs_theme"
THEMES = ("auto", "light", "dark")


def _back(next: str) -> Response:
    return RedirectResponse(safe_next(next), status_code=303)


@router.get("/saved", response_class=HTMLResponse)
def saved_page(request: Request, user: SignedIn, page: int = 1) -> Response:
    page = max(1, page)
    found = _bs(request).store.reading.list_saved(
        user.id, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE
    )
    return render(request, "saved.html", articles=found[:PAGE_SIZE], page=page,
                  has_next=len(found) > PAGE_SIZE)  # fmt: skip


@router.post("/articles/{article_id}/save")
def save(request: Request, article_id: int, user: SignedIn, next: str = Form("/saved")) -> Response:
    broadsheet = _bs(request)
    article = broadsheet.get_article(article_id)  # 404 for an unknown article
    broadsheet.store.reading.save(user.id, article_id, now=broadsheet.now())
    broadsheet.for_you.record(user, "save", "article", str(article_id))
    if wants_fragment(request):
        return fragment(request, "_save_form.html", article=article, saved=True)
    return _back(next)


@router.post("/articles/{article_id}/unsave")
def unsave(
    request: Request, article_id: int, user: SignedIn, next: str = Form("/saved")
) -> Response:
    broadsheet = _bs(request)
    broadsheet.store.reading.unsave(user.id, article_id)
    if wants_fragment(request):
        article = broadsheet.get_article(article_id)
        return fragment(request, "_save_form.html", article=article, saved=False)
    return _back(next)


@router.get("/history", response_class=HTMLResponse)
def history_page(request: Request, user: SignedIn, page: int = 1) -> Response:
    page = max(1, page)
    found = _bs(request).store.reading.list_history(
        user.id, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE
    )
    return render(request, "history.html", articles=found[:PAGE_SIZE], page=page,
                  has_next=len(found) > PAGE_SIZE)  # fmt: skip


@router.post("/history/clear")
def clear_history(request: Request, user: SignedIn) -> Response:
    _bs(request).store.reading.clear_history(user.id)
    return _back("/history")


@router.get("/settings", response_class=HTMLResponse)
def settings_page(request: Request, user: SignedIn) -> Response:
    broadsheet = _bs(request)
    follows = broadsheet.store.reading.list_follows(user.id)
    theme = request.cookies.get(THEME_COOKIE, "auto")
    return render(request, "settings.html", follows=follows, sources=broadsheet.list_sources(),
                  themes=THEMES, theme=theme)  # fmt: skip


@router.post("/follow")
def follow(
    request: Request, user: SignedIn, kind: str = Form(""), key: str = Form(""),
    label: str = Form(""), next: str = Form("/settings"),
) -> Response:  # fmt: skip
    key = key.strip()[:200]
    if kind not in FOLLOW_KINDS or not key:
        return render(request, "error.html", status_code=400, message="Nothing to follow.")
    broadsheet = _bs(request)
    broadsheet.store.reading.follow(
        user.id, kind, key, now=broadsheet.now(), label=label.strip()[:200] or None
    )
    if wants_fragment(request):
        return _follow_form(request, kind, key, label, next, following=True)
    return _back(next)


@router.post("/unfollow")
def unfollow(
    request: Request, user: SignedIn, kind: str = Form(""), key: str = Form(""),
    label: str = Form(""), next: str = Form("/settings"),
) -> Response:  # fmt: skip
    _bs(request).store.reading.unfollow(user.id, kind, key)
    if wants_fragment(request):
        return _follow_form(request, kind, key, label, next, following=False)
    return _back(next)


def _follow_form(
    request: Request, kind: str, key: str, label: str, next: str, *, following: bool
) -> Response:
    return fragment(request, "_follow_form.html", kind=kind, key=key, name=label.strip() or key,
                    next=safe_next(next), following=following)  # fmt: skip


@router.post("/settings/theme")
def set_theme(request: Request, theme: str = Form("auto"), next: str = Form("/")) -> Response:
    """Works signed out too: the choice lives in a cookie, so pages render in it at once."""
    response = _back(next)
    if theme in THEMES:
        response.set_cookie(THEME_COOKIE, theme, max_age=365 * 86400, samesite="lax",
                            secure=request.url.scheme == "https")  # fmt: skip
    return response


@router.get("/offline", response_class=HTMLResponse)
def offline_page(request: Request) -> Response:
    return render(request, "offline.html")


def _following(broadsheet: Broadsheet, user_id: int, limit: int = 8) -> list[Article]:
    """Newest from followed sources, sections and people, organisations and places: by the
    articles' labels, and for a followed name also by full-text search (a name typed in Settings
    may be one the labeller has not picked out); and the newest matches of followed searches."""
    follows = broadsheet.store.reading.list_follows(user_id)
    keys = [f.key for f in follows if f.kind in ("topic", "entity")]
    source_ids = [int(f.key) for f in follows if f.kind == "source" and f.key.isdigit()]
    found = {a.id: a for a in broadsheet.store.labels.list_following(keys, source_ids, limit=limit)}
    for follow in follows:
        if follow.kind in ("entity", "search"):
            query = SearchQuery(follow.key, order="date", limit=4)
            hits = broadsheet.store.search.search(query).hits
            found.update((h.article.id, h.article) for h in hits)
    newest = sorted(found.values(), key=lambda a: (a.published or a.created_at, a.id), reverse=True)
    return newest[:limit]


def article_extras(request: Request, article: Article) -> dict[str, Any]:
    """The reading view's reader parts: saved or not, and the article's story, copies and related
    stories; a signed-in read goes into the reader's history."""
    broadsheet = _bs(request)
    user = viewer(request)
    saved = False
    if user is not None:
        broadsheet.store.reading.record_read(user.id, article.id, now=broadsheet.now())
        saved = broadsheet.store.reading.is_saved(user.id, article.id)
        if request.headers.get("sec-fetch-dest", "document") == "document":  # a person, not a cache
            broadsheet.for_you.record(user, "open", "article", str(article.id))
    return {"saved": saved, "context": broadsheet.article_context(article.id),
            "topics": broadsheet.store.labels.labels_of(article.id)}  # fmt: skip
