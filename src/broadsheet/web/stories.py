"""Story pages ("full coverage")."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from broadsheet.web.pages import _bs, render
from broadsheet.web.timeline import timeline_svg

__all__ = ["router"]

router = APIRouter()


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: int) -> Response:
    broadsheet = _bs(request)
    live = broadsheet.store.stories.resolve(story_id)
    if live.id != story_id:  # merged: the old address keeps working
        return RedirectResponse(f"/stories/{live.id}", status_code=301)
    coverage = broadsheet.story_coverage(story_id)
    times = [a.published or a.created_at for a in coverage.articles]
    times += [a.published or a.created_at for c in coverage.copies.values() for a in c]
    chart = Markup(timeline_svg(times))  # built from numbers and escaped labels only
    return render(request, "story.html", coverage=coverage, chart=chart)
