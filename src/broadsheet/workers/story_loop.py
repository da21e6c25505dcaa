"""The background story loop: places newly stored articles in stories every few seconds, and
labels them with their topics; every hour, removes the articles past their retention."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from broadsheet.core import Broadsheet

__all__ = ["assign_stories_forever"]

EXPIRE_EVERY = timedelta(hours=1)

log = logging.getLogger(__name__)


async def assign_stories_forever(
    broadsheet: Broadsheet, *, interval: float = 5.0, ticks: int | None = None
) -> None:
    """Assign and label waiting articles and analyse the stories they changed every
    ``interval`` seconds, and remove expired ones every hour (``ticks`` bounds the runs, for
    tests)."""
    done = 0
    expired_at: datetime | None = None
    while ticks is None or done < ticks:
        if expired_at is None or broadsheet.now() - expired_at >= EXPIRE_EVERY:
            expired_at = broadsheet.now()
            await _expire(broadsheet)
        try:
            placed = await asyncio.to_thread(broadsheet.assign_stories)
            if placed:
                log.info("placed %d articles in stories", placed)
            labelled = await asyncio.to_thread(broadsheet.label_articles)
            if labelled:
                log.info("labelled %d articles with their topics", labelled)
            await asyncio.to_thread(broadsheet.analyse_stories)  # story pages open ready
        except asyncio.CancelledError:
            raise
        except Exception:  # the loop must outlive any one bad batch
            log.exception("story assignment failed")
        done += 1
        if ticks is None or done < ticks:
            await asyncio.sleep(interval)


async def _expire(broadsheet: Broadsheet) -> None:
    try:
        removed = await asyncio.to_thread(broadsheet.expire_articles)
    except asyncio.CancelledError:
        raise
    except Exception:  # retention waits for the next hour; assignment goes on meanwhile
        log.exception("removing expired articles failed")
        return
    if removed:
        log.info("removed %d expired articles", removed)
