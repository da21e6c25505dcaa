"""``broadsheet serve``: uvicorn over the app, with the fetch loop inside unless told otherwise."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from broadsheet.config import Settings
from broadsheet.logs import configure_logging

if TYPE_CHECKING:
    from broadsheet.core import Broadsheet

__all__ = ["serve"]


def serve(settings: Settings, *, host: str | None, port: int | None, worker: bool = True) -> None:
    import uvicorn

    from broadsheet.core import make_broadsheet
    from broadsheet.web.app import create_app
    from broadsheet.web.home import in_a_thread
    from broadsheet.workers.loop import fetch_forever
    from broadsheet.workers.story_loop import assign_stories_forever

    configure_logging(settings.log_format)
    broadsheet = make_broadsheet(settings)

    async def background(bs: Broadsheet) -> None:
        # Stories are assigned here even with --no-worker: fetching may run elsewhere.
        tasks = [assign_stories_forever(bs)] + ([fetch_forever(bs)] if worker else [])
        await asyncio.gather(*tasks)

    app = create_app(broadsheet, background=background, refresh_home=in_a_thread)
    host = host or settings.host
    port = port or settings.port
    print(
        f"Broadsheet is serving on http://{host}:{port}/ (data: {settings.resolved_database_url})"
    )
    try:
        uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=True)
    finally:
        broadsheet.close()
