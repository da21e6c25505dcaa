"""The background fetch loop that ``serve`` runs inside the web process (and ``worker`` alone)."""

from __future__ import annotations

import asyncio
import logging

from broadsheet.core import Broadsheet

__all__ = ["fetch_forever"]

log = logging.getLogger(__name__)


async def fetch_forever(
    broadsheet: Broadsheet, *, owner: str | None = None, stop: asyncio.Event | None = None
) -> None:
    """Run a worker until ``stop`` is set or the task is cancelled; a crash is logged and the
    worker started again after a tick, so the loop outlives any one bad run."""
    stop = stop or asyncio.Event()
    while not stop.is_set():
        try:
            await broadsheet.run_worker(owner=owner, stop=stop)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("the fetch worker failed; starting it again")
            await asyncio.sleep(broadsheet.settings.scheduler_tick_seconds)
