"""Story pages ("full coverage")."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from broadsheet.types import StoryCoverage, User
from broadsheet.web.pages import _bs, render
from broadsheet.web.timeline import timeline_svg

__all__ = ["router"]

router = APIRouter()


def without_body_text_if_gated(
    request: Request, coverage: StoryCoverage, user: User | None = None
) -> StoryCoverage:
    """The summary and "only here" sentences quote article bodies: behind the membership gate a
    reader who could not read the articles freely sees the story without them."""
    from broadsheet.web.membership import memberships, reader_state

    service = memberships(request)
    if not service.enabled or not coverage.articles:
        return coverage
    if service.peek(reader_state(request, user), coverage.articles[0]):
        return coverage
    outlets = tuple(replace(o, distinctive=()) for o in coverage.outlets)
    return replace(coverage, summary=(), outlets=outlets)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
async def story_page(request: Request, story_id: int) -> Response:
    # Async: its reads are a few index look-ups (the coverage is cached), cheaper than a thread.
    broadsheet = _bs(request)
    live = broadsheet.store.stories.resolve(story_id)
    if live.id != story_id:  # merged: the old address keeps working
        return RedirectResponse(f"/stories/{live.id}", status_code=301)
    coverage = broadsheet.story_reader.coverage_of(live, now=broadsheet.now())
    coverage = without_body_text_if_gated(request, coverage)
    times = [a.published or a.created_at for a in coverage.articles]
    times += [a.published or a.created_at for c in coverage.copies.values() for a in c]
    chart = Markup(timeline_svg(times))  # built from numbers and escaped labels only
    return render(request, "story.html", coverage=coverage, chart=chart)
