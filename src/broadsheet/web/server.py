"""``broadsheet serve``: uvicorn over the app, with the fetch loop inside unless told otherwise.

With ``--workers N`` uvicorn runs N processes, each making its app from the environment
(``worker_app``): one Python process is one core, so a two-core machine serves twice the pages
with two. Every process runs the background loops too; that is safe because sources are claimed
through leases (no two processes fetch one source) and one process at a time holds the story
stage's lead (``AssignmentLead``). Migrations run once, in the parent, before any worker starts.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import fields
from typing import TYPE_CHECKING, Any

from broadsheet.config import Settings, load_settings
from broadsheet.logs import configure_logging

if TYPE_CHECKING:
    from broadsheet.core import Broadsheet

__all__ = ["serve", "worker_app"]

# How the parent tells its worker processes to fetch or not (settings go by BROADSHEET_* names).
FETCH_ENV = "BROADSHEET_SERVE_FETCH"


def serve(
    settings: Settings, *, host: str | None, port: int | None, worker: bool = True,
    workers: int = 1,
) -> None:  # fmt: skip
    import uvicorn

    from broadsheet.core import make_broadsheet

    configure_logging(settings.log_format)
    host = host or settings.host
    port = port or settings.port
    print(
        f"Broadsheet is serving on http://{host}:{port}/ (data: {settings.resolved_database_url})"
    )
    if workers > 1:
        make_broadsheet(settings).close()  # migrate once, before the workers open it
        os.environ.update(_environment(settings, fetch=worker))
        uvicorn.run("broadsheet.web.server:worker_app", factory=True, host=host, port=port,
                    workers=workers, log_level="info", proxy_headers=True)  # fmt: skip
        return
    broadsheet = make_broadsheet(settings)
    try:
        uvicorn.run(_app(broadsheet, fetch=worker), host=host, port=port, log_level="info",
                    proxy_headers=True)  # fmt: skip
    finally:
        broadsheet.close()


def worker_app() -> Any:
    """One worker process's app (``uvicorn --factory``), from the settings the parent put in the
    environment."""
    from broadsheet.core import make_broadsheet

    settings = load_settings()
    configure_logging(settings.log_format)
    broadsheet = make_broadsheet(settings, migrate=False)
    return _app(broadsheet, fetch=os.environ.get(FETCH_ENV, "1") == "1", close=True)


def _app(broadsheet: Broadsheet, *, fetch: bool, close: bool = False) -> Any:
    from broadsheet.web.app import create_app
    from broadsheet.web.home import in_a_thread
    from broadsheet.workers.loop import fetch_forever
    from broadsheet.workers.story_loop import assign_stories_forever

    async def background(bs: Broadsheet) -> None:
        # Stories are assigned here even with --no-worker: fetching may run elsewhere.
        tasks = [assign_stories_forever(bs)] + ([fetch_forever(bs)] if fetch else [])
        try:
            await asyncio.gather(*tasks)
        finally:
            if close:  # a worker process owns its Broadsheet: closed when the app stops
                bs.close()

    return create_app(broadsheet, background=background, refresh_home=in_a_thread)


def _environment(settings: Settings, *, fetch: bool) -> dict[str, str]:
    """Every setting as the ``BROADSHEET_*`` variable the workers load it from (whatever set it:
    file, environment or command line)."""
    chosen = {FETCH_ENV: "1" if fetch else "0"}
    for item in fields(Settings):
        value = getattr(settings, item.name)
        if isinstance(value, tuple):  # allow_networks
            value = ",".join(str(v) for v in value)
        chosen[f"BROADSHEET_{item.name.upper()}"] = "" if value is None else str(value)
    return chosen
