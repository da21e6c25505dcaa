"""The background story loop: places newly stored articles in stories every few seconds, and
labels them with their topics."""

from __future__ import annotations

import asyncio
import logging

from broadsheet.core import Broadsheet

__all__ = ["assign_stories_forever"]

log = logging.getLogger(__name__)


async def assign_stories_forever(
    broadsheet: Broadsheet, *, interval: float = 5.0, ticks: int | None = None
) -> None:
    """Assign and label waiting articles every ``interval`` seconds (``ticks`` bounds the runs,
    for tests)."""
    done = 0
    while ticks is None or done < ticks:
        try:
            placed = await asyncio.to_thread(broadsheet.assign_stories)
            if placed:
                log.info("placed %d articles in stories", placed)
            labelled = await asyncio.to_thread(broadsheet.label_articles)
            if labelled:
                log.info("labelled %d articles with their topics", labelled)
        except asyncio.CancelledError:
            raise
        except Exception:  # the loop must outlive any one bad batch
            log.exception("story assignment failed")
        done += 1
        if ticks is None or done < ticks:
            await asyncio.sleep(interval)
