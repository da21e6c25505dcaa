"""``GET /search``: full text with filters, by relevance or date, with highlighted snippets. A plain
GET form, so it works without JavaScript."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup, escape

from broadsheet.storage.search import MARK_END, MARK_START, SearchQuery, SearchResults
from broadsheet.storage.versions import content_version
from broadsheet.types import Source
from broadsheet.web.auth import _bs, viewer
from broadsheet.web.pages import render

__all__ = ["marked", "router"]

router = APIRouter()
PAGE_SIZE = 20
_PAIR = re.compile(f"{MARK_START}([^{MARK_START}{MARK_END}]*){MARK_END}")


def marked(text: str) -> Markup:
    """Escape ``text`` entirely, then turn only our own match markers into ``<mark>``."""
    safe = str(escape(text))
    safe = _PAIR.sub(r"<mark>\1</mark>", safe)
    return Markup(safe.replace(MARK_START, "").replace(MARK_END, ""))


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _start(day: date | None) -> datetime | None:
    return datetime.combine(day, time(), UTC) if day else None


def _source_options(request: Request, selected: str) -> Markup:
    """The source filter's options, read again when sources are added or removed or a minute
    has passed (a renamed source shows within the minute), and rendered once for each of those
    when none is chosen: reading hundreds of sources was a fifth of a search page, rendering
    their options another 0.6 ms."""
    broadsheet = _bs(request)
    minute = broadsheet.now().replace(second=0, microsecond=0)
    version = content_version(broadsheet.store.engine)
    key = (version.sources, version.newest_source, minute)
    cached: tuple[Any, list[Source], Markup] | None = getattr(
        request.app.state, "source_options", None
    )
    template = request.app.state.templates.get_template("_source_options.html")
    if cached is None or cached[0] != key:
        sources = broadsheet.list_sources()
        cached = (key, sources, Markup(template.render(sources=sources, source="")))
        request.app.state.source_options = cached
    if not selected:
        return cached[2]
    return Markup(template.render(sources=cached[1], source=selected))


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request, q: str = "", source: str = "", topic: str = "",
    since: str = "", until: str = "", lang: str = "",
    order: Literal["relevance", "date"] = "relevance", page: int = 1,
) -> Response:  # fmt: skip
    page = max(1, min(page, 500))
    broadsheet = _bs(request)
    until_day = _day(until)
    query = SearchQuery(
        q[:500], source_id=int(source) if source.isdigit() else None,
        topic=topic.strip() or None, since=_start(_day(since)),
        until=_start(until_day + timedelta(days=1)) if until_day else None,
        language=lang.strip()[:16] or None, order=order, limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
    )  # fmt: skip
    from broadsheet.web.membership import gate_search

    found = broadsheet.store.search.search(query)
    syndication = broadsheet.store.syndication([h.article.id for h in found.hits])
    results = gate_search(request, _folded(found, syndication), query.words)
    copies = {i: n for i, (_, n) in syndication.items()}
    return render(
        request, "search.html", q=q, query=query, results=results, page=page, copies=copies,
        has_next=results.total > page * PAGE_SIZE, source_options=_source_options(request, source),
        since=since, until=until, lang=lang, topic=topic, source=source,
        following=_follows_search(request, q.strip()),
    )  # fmt: skip


def _folded(results: SearchResults, syndication: dict[int, tuple[int, int]]) -> SearchResults:
    """One hit for each syndicated story on the page: the best-placed of its copies."""
    seen: set[int] = set()
    hits = []
    for hit in results.hits:
        group = syndication.get(hit.article.id, (None, 0))[0]
        if group is None or group not in seen:
            hits.append(hit)
        if group is not None:
            seen.add(group)
    return replace(results, hits=hits)


def _follows_search(request: Request, words: str) -> bool:
    """Whether the signed-in reader follows this search (its newest matches fill Following)."""
    user = viewer(request)
    if user is None or not words:
        return False
    return _bs(request).store.reading.is_following(user.id, "search", words)
