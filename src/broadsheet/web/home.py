"""The home page, built once for every reader and reused: top stories, our picks and the latest
articles are the same for all, so they are ranked, read and rendered to HTML once per change of
the content (``storage.versions``) or of the minute, and each request renders only its own
shell around them (who is signed in, the CSRF token, what that reader follows).

Ranking top stories reads every recent story's members and rendering forty cards costs more than
all the rest of a request; done per request, it held the page to a few dozen requests a second.
Rebuilt inside a request, it stalled every request behind it (a second and a half on PostgreSQL
with 100,000 stories), so the server rebuilds in the background and keeps serving the parts it
has until the new ones are ready; only a process that has none yet builds them in the request.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from jinja2 import Environment
from markupsafe import Markup

from broadsheet.core import Broadsheet
from broadsheet.storage.versions import content_version
from broadsheet.types import Article

__all__ = ["HomeCache", "HomeParts", "home_page", "in_a_thread"]

log = logging.getLogger(__name__)
Refresh = Callable[[Callable[[], None]], None]

PAGE_SIZE = 30
TOP_STORIES = 10
PICKS = 6


@dataclass(frozen=True, slots=True)
class HomeParts:
    """The shared parts of one home page, as HTML ready to place."""

    key: tuple[Any, ...]
    top: Markup  # top stories and our picks
    latest: Markup  # the latest articles and the pager


def in_a_thread(job: Callable[[], None]) -> None:
    """Run a rebuild beside the requests (what ``serve`` does)."""
    threading.Thread(target=job, name="home-rebuild", daemon=True).start()


class HomeCache:
    """The first page's shared parts, rebuilt when their key moves on (one a process).

    ``refresh`` runs a rebuild while stale parts are served, at most one every ``spacing``:
    while articles arrive several a second the key moves with each, and rebuilding for every one
    kept a core busy. Without ``refresh`` (tests, tools) the request that finds the parts stale
    rebuilds them itself, so every change shows at once."""

    def __init__(
        self, refresh: Refresh | None = None, *, spacing: timedelta = timedelta(seconds=2)
    ) -> None:
        self._parts: HomeParts | None = None
        self._lock = threading.Lock()
        self._rebuilding = threading.Lock()
        self._refresh, self._spacing = refresh, spacing
        self._started: datetime | None = None  # when the last background rebuild began

    def parts(self, env: Environment, broadsheet: Broadsheet) -> HomeParts:
        minute = broadsheet.now().replace(second=0, microsecond=0)
        key = (content_version(broadsheet.store.engine), minute)
        with self._lock:
            current = self._parts
        if current is not None and current.key == key:
            return current
        if current is None or self._refresh is None:
            return self._store(build_parts(env, broadsheet, page=1, key=key))
        now = broadsheet.now()
        if self._started is not None and timedelta(0) <= now - self._started < self._spacing:
            return current  # rebuilt a moment ago: this change shows with the next
        if self._rebuilding.acquire(blocking=False):  # one rebuild at a time; the rest wait
            self._started = now
            self._refresh(lambda: self._rebuild(env, broadsheet, key))
        with self._lock:
            return self._parts or current

    def _rebuild(self, env: Environment, broadsheet: Broadsheet, key: tuple[Any, ...]) -> None:
        try:
            self._store(build_parts(env, broadsheet, page=1, key=key))
        except Exception:  # the old parts stay; the next request tries again
            log.exception("rebuilding the home page failed")
        finally:
            self._rebuilding.release()

    def _store(self, parts: HomeParts) -> HomeParts:
        with self._lock:
            self._parts = parts
        return parts


def build_parts(
    env: Environment, broadsheet: Broadsheet, *, page: int, key: tuple[Any, ...] = ()
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
    top = env.get_template("_home_top.html").render(context)
    latest = env.get_template("_home_latest.html").render(context)
    return HomeParts(key, Markup(top), Markup(latest))


def _cache(request: Request) -> HomeCache:
    cache: HomeCache = request.app.state.home_cache  # made by ``create_app``
    return cache


def home_page(request: Request, page: int) -> Response:
    """``GET /``: the shared parts (cached for the first page) inside this reader's shell."""
    from broadsheet.web.auth import viewer
    from broadsheet.web.library import _following
    from broadsheet.web.pages import render

    broadsheet: Broadsheet = request.app.state.broadsheet
    env = request.app.state.templates.env
    if page == 1:
        parts = _cache(request).parts(env, broadsheet)
    else:
        parts = build_parts(env, broadsheet, page=page)
    user = viewer(request)
    following: list[Article] = _following(broadsheet, user.id) if user and page == 1 else []
    return render(request, "home.html", parts=parts, following=following)
