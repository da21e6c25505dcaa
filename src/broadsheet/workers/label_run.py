"""Topic labelling: every stored article without labels gets its sections and named entities.

A stage of its own beside story assignment, reading what fetching wrote, so a crash loses nothing
(an unlabelled article is picked up again) and labels never hold up fetching.
"""

from __future__ import annotations

import functools
import logging

from broadsheet.storage import Store
from broadsheet.understand.topics import TopicLabeller

__all__ = ["default_labeller", "label_pending"]

log = logging.getLogger(__name__)


@functools.cache
def default_labeller() -> TopicLabeller:
    """Sections inferred with WordLlama's vectors; declared sections only when they won't load.
    One per process: the vectors are read-only and take seconds to load."""
    from broadsheet.rank.foryou.embed import WordLlamaEmbedder

    embedder = WordLlamaEmbedder(256)
    try:
        embedder(["probe"])
    except (ImportError, OSError) as e:
        log.warning("wordllama unavailable: sections only as pages declare them",
                    extra={"error": str(e)})  # fmt: skip
        return TopicLabeller(None)
    return TopicLabeller(embedder)


def label_pending(store: Store, labeller: TopicLabeller, *, limit: int = 500) -> int:
    """Label up to ``limit`` waiting articles, oldest first; returns how many."""
    pending = store.labels.pending(limit=limit)
    if not pending:
        return 0
    labels = labeller.label([(a.title, a.text, a.section) for a in pending])
    store.labels.record(list(zip(pending, labels, strict=True)))
    return len(pending)
