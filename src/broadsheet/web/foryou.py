"""The For you page, the signals a reader sends (opens, reading to the end, more or less like
this, hide) and the page where they see and erase their own."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from broadsheet.core import Broadsheet
from broadsheet.for_you import SIGNAL_KINDS, ForYouItem
from broadsheet.types import User
from broadsheet.web.auth import SignedIn, _bs, safe_next, viewer
from broadsheet.web.fragments import fragment, wants_fragment
from broadsheet.web.pages import render

__all__ = ["for_you_items", "router"]

router = APIRouter()
TARGET_KINDS = ("article", "source", "topic", "entity", "search")
_NOTED = {
    "more": "Noted: more like this.", "less": "Noted: less like this.",
    "hide": "Hidden from For you.", "open": "Noted.", "read_end": "Noted.", "save": "Noted.",
}  # fmt: skip


@router.get("/for-you", response_class=HTMLResponse)
def for_you_page(request: Request) -> Response:
    user = viewer(request)
    if user is None:
        return render(request, "for_you.html", items=[], signed_in=False)
    items = for_you_items(_bs(request), user)
    return render(request, "for_you.html", items=items, signed_in=True)


def for_you_items(broadsheet: Broadsheet, user: User) -> list[ForYouItem]:
    """The reader's For you page, with today's top stories to keep a slot for."""
    top = tuple(card.story.id for card in broadsheet.top_stories(limit=20))
    return broadsheet.for_you.page(user, top_story_ids=top)


@router.post("/signals")
def record_signal(
    request: Request,
    user: SignedIn,
    kind: str = Form(""),
    target: str = Form(""),
    target_kind: str = Form("article"),
    weight: float = Form(1.0),
    next: str = Form(""),
) -> Response:
    """A form post (then back to ``next``) or a script's beacon (204)."""
    if kind not in SIGNAL_KINDS or target_kind not in TARGET_KINDS or not target.strip():
        return render(request, "error.html", status_code=400, message="Unknown signal.")
    _bs(request).for_you.record(
        user, kind, target_kind, target.strip()[:200], weight=min(max(weight, 0.0), 1.0)
    )
    if wants_fragment(request):
        return fragment(request, "_signal_noted.html", message=_NOTED[kind])
    if next:
        return RedirectResponse(safe_next(next), status_code=303)
    return Response(status_code=204)


@router.get("/settings/signals", response_class=HTMLResponse)
def signals_page(request: Request, user: SignedIn) -> Response:
    signals = _bs(request).store.signals.list_for(user.id, limit=1000)
    return render(request, "signals.html", signals=signals)


@router.post("/settings/signals/erase")
def erase_signals(request: Request, user: SignedIn) -> Response:
    _bs(request).store.signals.erase(user.id)
    return RedirectResponse("/settings/signals?erased=1", status_code=303)
