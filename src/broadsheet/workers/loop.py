"""The background fetch loop that ``serve`` (and ``worker``) run."""

from __future__ import annotations

import asyncio
import logging

from broadsheet.core import Broadsheet

__all__ = ["fetch_forever"]

log = logging.getLogger(__name__)


async def fetch_forever(broadsheet: Broadsheet, *, ticks: int | None = None) -> None:
    """Fetch due sources every ``scheduler_tick_seconds``; a failed run is logged and retried.

    ``ticks`` bounds the number of runs (tests); ``None`` runs until cancelled.
    """
    done = 0
    while ticks is None or done < ticks:
        try:
            report = await broadsheet.fetch_due()
            if report.results:
                log.info(
                    "fetch run: %d ok, %d failed, %d new articles",
                    report.ok, report.failed, report.new_articles,
                )  # fmt: skip
        except asyncio.CancelledError:
            raise
        except Exception:  # the loop must outlive any one bad run
            log.exception("fetch run failed")
        done += 1
        if ticks is None or done < ticks:
            await asyncio.sleep(broadsheet.settings.scheduler_tick_seconds)
