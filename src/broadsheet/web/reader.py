"""The reader's features on the app: accounts, saved/history/settings, topics, search, admin and the
installable app. ``install(app)`` is called once by the app factory, before other routers."""

from __future__ import annotations

from fastapi import Depends, FastAPI, Request

from broadsheet.web import admin, auth, library, pwa, search, tokens, topics
from broadsheet.web.security import verify_csrf

__all__ = ["install"]


def _theme(request: Request) -> str:
    theme = request.cookies.get(library.THEME_COOKIE, "auto")
    return theme if theme in library.THEMES else "auto"


def install(app: FastAPI) -> None:
    # Every route after this point checks CSRF on state-changing requests and knows its viewer.
    app.router.dependencies.append(Depends(verify_csrf))
    app.router.dependencies.append(Depends(auth.load_viewer))
    env = app.state.templates.env
    env.globals["viewer"] = auth.viewer
    env.globals["theme_of"] = _theme
    env.filters["marked"] = search.marked
    for module in (auth, library, topics, tokens, search, admin, pwa):
        app.include_router(module.router)
    auth.install(app)
