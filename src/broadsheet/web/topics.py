"""Topic pages: a section (politics, science, …) or a person, organisation or place, with the
newest articles labelled with it and a follow button; and the index of what the news is about."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from broadsheet.core import Broadsheet
from broadsheet.storage.labels import TopicCount
from broadsheet.understand.topics import SECTIONS, Label
from broadsheet.web.auth import _bs, viewer
from broadsheet.web.pages import render

__all__ = ["follow_kind", "router", "topic_named"]

router = APIRouter()
PAGE_SIZE = 30
_KIND_NAMES = {"person": "Person", "organisation": "Organisation", "place": "Place"}


def topic_named(broadsheet: Broadsheet, name: str) -> tuple[str, Label | None, str]:
    """The topic an address names: its key, its label as last seen (None: no article has it
    yet), and the name to show."""
    words = " ".join(name.split())
    label = broadsheet.store.labels.describe(words.lower())
    return words.lower(), label, label.name if label else words.title()


def follow_kind(label_kind: str) -> str:
    """Sections are followed as topics, people, organisations and places as entities."""
    return "topic" if label_kind == "section" else "entity"


@router.get("/topics", response_class=HTMLResponse)
def topics_index(request: Request) -> Response:
    """Every section, and the people, organisations and places most in the news this week."""
    counts = _popular(request, _bs(request))
    by_kind: dict[str, list[TopicCount]] = {k: [] for k in ("section", *_KIND_NAMES)}
    for c in counts:
        if c.kind in by_kind:
            by_kind[c.kind].append(c)
    shown = {c.key for c in by_kind["section"]}
    quiet = [s for s in SECTIONS if s not in shown]  # ours, even before any article has them
    return render(request, "topics.html", sections=by_kind["section"], quiet_sections=quiet,
                  people=by_kind["person"][:15], organisations=by_kind["organisation"][:15],
                  places=by_kind["place"][:15])  # fmt: skip


@router.get("/topics/{name}", response_class=HTMLResponse)
def topic_page(request: Request, name: str, page: int = 1) -> Response:
    """One topic's newest articles, with a follow button for signed-in readers."""
    page = max(1, page)
    broadsheet = _bs(request)
    key, label, title = topic_named(broadsheet, name)
    kind = label.kind if label else ("section" if key in SECTIONS else "")  # "": not seen yet
    found = broadsheet.store.labels.list_articles(
        key, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE
    )
    user = viewer(request)
    following = user is not None and broadsheet.store.reading.is_following(
        user.id, follow_kind(kind), key, any_case=True
    )
    copies = broadsheet.store.copy_counts([a.id for a in found[:PAGE_SIZE]])
    kind_name = _KIND_NAMES.get(kind, "Section" if kind == "section" else "Topic")
    return render(request, "topic.html", name=title, key=key, kind=follow_kind(kind),
                  kind_name=kind_name, articles=found[:PAGE_SIZE], copies=copies, page=page,
                  has_next=len(found) > PAGE_SIZE, following=following)  # fmt: skip


def _popular(request: Request, broadsheet: Broadsheet) -> list[TopicCount]:
    """This week's topic counts, counted again at most every ten minutes (a week of labels is
    most of the index page's cost)."""
    now = broadsheet.now()
    bucket = now.replace(minute=now.minute // 10 * 10, second=0, microsecond=0)
    cached: tuple[Any, list[TopicCount]] | None = getattr(request.app.state, "topic_counts", None)
    if cached is not None and cached[0] == bucket:
        return cached[1]
    counts = broadsheet.store.labels.popular(since=now - timedelta(days=7), limit=200)
    request.app.state.topic_counts = (bucket, counts)
    return counts
