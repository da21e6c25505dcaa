"""The web app factory: ``create_app(broadsheet)`` wires views, static files and security."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from broadsheet.core import Broadsheet
from broadsheet.extract.sanitize import sanitize_html
from broadsheet.web.home import HomeCache, Refresh
from broadsheet.web.security import SecurityHeaders

__all__ = ["create_app"]

HERE = Path(__file__).parent


def _timeago(value: datetime | None, now: datetime) -> str:
    if value is None:
        return ""
    seconds = (now - value).total_seconds()
    if seconds < 0:
        return value.strftime("%d %b %Y, %H:%M")
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{int(seconds // size)} {unit} ago"
    return "just now"


def make_templates(broadsheet: Broadsheet) -> Jinja2Templates:
    templates = Jinja2Templates(directory=HERE / "templates")
    # Templates ship with the package: checking each file's time on every render was 5% of a
    # search page.
    templates.env.auto_reload = False
    templates.env.filters["timeago"] = lambda v: _timeago(v, broadsheet.now())
    # Stored HTML was sanitized on the way in; sanitizing again on the way out costs little and
    # keeps a reader safe even from rows written by an older or buggier extractor.
    templates.env.filters["sanitize"] = lambda v: Markup(sanitize_html(v or ""))
    templates.env.filters["isodate"] = lambda v: v.isoformat() if v else ""
    templates.env.filters["longdate"] = lambda v: f"{v:%A %d %B %Y, %H:%M} UTC" if v else ""
    return templates


def create_app(
    broadsheet: Broadsheet,
    *,
    background: Callable[[Broadsheet], Any] | None = None,
    refresh_home: Refresh | None = None,
) -> FastAPI:
    """The ASGI app over ``broadsheet``; ``background`` (the fetch loop) runs while it serves;
    ``refresh_home`` rebuilds the home page's shared parts beside the requests (see ``home``)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        import asyncio

        task = asyncio.create_task(background(broadsheet)) if background else None
        try:
            yield
        finally:
            if task is not None:
                task.cancel()

    app = FastAPI(title="Broadsheet", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.broadsheet = broadsheet
    app.state.templates = make_templates(broadsheet)
    app.state.home_cache = HomeCache(refresh_home)
    from broadsheet.web import reader

    reader.install(app)  # CSRF checks and the viewer for every route included after it
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    from broadsheet.web import api, feeds, foryou, membership, metrics, pages, stories
    from broadsheet.web.sync import fever, greader, miniflux

    app.include_router(pages.router)
    app.include_router(stories.router)
    app.include_router(metrics.router)
    app.include_router(foryou.router)
    app.include_router(feeds.router)
    app.include_router(api.router)
    app.include_router(miniflux.router)
    membership.install(app)  # the paywall's pages, admin report and provider webhook
    app.include_router(greader.router)
    app.include_router(fever.router)
    pages.install_error_pages(app)
    return app
