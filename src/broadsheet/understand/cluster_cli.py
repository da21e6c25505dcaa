"""``broadsheet cluster FILE.jsonl``: replay articles through the live story clusterer.

Each input line is ``{id, title, text, published?, source?, url?}``; each output line is
``{id, story}`` in input order. Articles go through :class:`StoryClusterer` one at a time, exactly
as live ingestion feeds it (only their sentence embeddings are computed ahead, on a second
thread: the same results, sooner); the story written is the one each article's story resolves
to after the whole file: articles moved by a later regrouping are followed, and a story merged
later points to its successor, so this is what a reader would see at the end.
A bad line is reported on standard error by number and skipped; it never stops the run.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, TextIO

from broadsheet.understand.stories import StoryClusterer, StoryConfig, StoryDoc

__all__ = ["doc_from_json", "run_cluster"]

log = logging.getLogger(__name__)


def doc_from_json(record: dict[str, Any]) -> StoryDoc:
    """A :class:`StoryDoc` from one input record; raises ``ValueError`` when it is unusable."""
    if "id" not in record:
        raise ValueError("no id")
    published = record.get("published")
    return StoryDoc(
        id=record["id"],
        title=str(record.get("title") or ""),
        text=str(record.get("text") or ""),
        published=_parse_time(published) if published else None,
        source=str(record["source"]) if record.get("source") else None,
    )


def _parse_time(value: Any) -> datetime:
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value, tz=UTC)
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def run_cluster(
    infile: TextIO,
    outfile: TextIO,
    *,
    config: StoryConfig | None = None,
    errors: TextIO | None = None,
) -> int:
    """Cluster every article of ``infile`` and write ``{id, story}`` lines; returns an exit code
    (0, or 1 when some lines were skipped)."""
    errors = errors or sys.stderr
    clusterer = StoryClusterer(config)
    order: list[Any] = []
    story_of: dict[Any, int] = {}
    bad = [0]
    for assignment in clusterer.assign_all(_docs(infile, errors, bad)):
        order.append(assignment.doc_id)
        story_of[assignment.doc_id] = assignment.story_id
        story_of.update(assignment.moved)
    for doc_id in order:
        story = clusterer.resolve(story_of[doc_id])
        outfile.write(json.dumps({"id": doc_id, "story": story}) + "\n")
    return 1 if bad[0] else 0


def _docs(infile: TextIO, errors: TextIO, bad: list[int]) -> Iterator[StoryDoc]:
    """The articles of ``infile``; a line that is not one is reported and counted in ``bad``."""
    for number, line in enumerate(infile, 1):
        if not line.strip():
            continue
        try:
            yield doc_from_json(json.loads(line))
        except (ValueError, TypeError, AttributeError) as e:
            bad[0] += 1
            print(f"line {number}: skipped ({e})", file=errors)
