"""The home page, built once for every reader and reused: top stories, our picks and the latest
articles are the same for all, so they are ranked, read and rendered to HTML once per change of
the content (``storage.versions``) or of the minute, and each request renders only its own
shell around them (who is signed in, the CSRF token, what that reader follows).

Ranking top stories reads every recent story's members and rendering forty cards costs more than
all the rest of a request; done per request, it held the page to a few dozen requests a second.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from markupsafe import Markup

from broadsheet.core import Broadsheet
from broadsheet.storage.versions import content_version
from broadsheet.types import Article

__all__ = ["HomeCache", "HomeParts", "home_page"]

PAGE_SIZE = 30
TOP_STORIES = 10
PICKS = 6


@dataclass(frozen=True, slots=True)
class HomeParts:
    """The shared parts of one home page, as HTML ready to place."""

    key: tuple[Any, ...]
    top: Markup  # top stories and our picks
    latest: Markup  # the latest articles and the pager


class HomeCache:
    """The first page's shared parts, rebuilt when their key moves on (one a process)."""

    def __init__(self) -> None:
        self._parts: HomeParts | None = None
        self._lock = threading.Lock()

    def parts(self, request: Request, broadsheet: Broadsheet) -> HomeParts:
        minute = broadsheet.now().replace(second=0, microsecond=0)
        key = (content_version(broadsheet.store.engine), minute)
        with self._lock:
            if self._parts is not None and self._parts.key == key:
                return self._parts
        parts = build_parts(request, broadsheet, page=1, key=key)
        with self._lock:
            self._parts = parts
        return parts


def build_parts(
    request: Request, broadsheet: Broadsheet, *, page: int, key: tuple[Any, ...] = ()
) -> HomeParts:
    """Read and render the shared parts of home page ``page`` (top stories and picks on the first
    page only)."""
    found = broadsheet.list_articles(limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    context: dict[str, Any] = {
        "articles": found[:PAGE_SIZE], "page": page, "has_next": len(found) > PAGE_SIZE,
        "copies": broadsheet.store.copy_counts([a.id for a in found[:PAGE_SIZE]]),
        "has_sources": bool(found) or bool(broadsheet.list_sources()),
        "top_stories": [], "picks": [],
    }  # fmt: skip
    if page == 1:
        context["top_stories"] = broadsheet.top_stories(limit=TOP_STORIES)
        context["picks"] = broadsheet.store.curation.active_picks(broadsheet.now(), limit=PICKS)
    env = request.app.state.templates.env
    top = env.get_template("_home_top.html").render(context)
    latest = env.get_template("_home_latest.html").render(context)
    return HomeParts(key, Markup(top), Markup(latest))


def _cache(request: Request) -> HomeCache:
    cache: HomeCache | None = getattr(request.app.state, "home_cache", None)
    if cache is None:
        cache = request.app.state.home_cache = HomeCache()
    return cache


def home_page(request: Request, page: int) -> Response:
    """``GET /``: the shared parts (cached for the first page) inside this reader's shell."""
    from broadsheet.web.auth import viewer
    from broadsheet.web.library import _following
    from broadsheet.web.pages import render

    broadsheet: Broadsheet = request.app.state.broadsheet
    if page == 1:
        parts = _cache(request).parts(request, broadsheet)
    else:
        parts = build_parts(request, broadsheet, page=page)
    user = viewer(request)
    following: list[Article] = _following(broadsheet, user.id) if user and page == 1 else []
    return render(request, "home.html", parts=parts, following=following)
