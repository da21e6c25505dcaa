"""Which feed entries are new, which changed, which we already have: the pure *decide* step.

An entry is recognised by its GUID, then its link, then a hash of what it says. An entry whose GUID
changed but whose link did not is the same article (publishers regenerate GUIDs far more often than
they move articles). A known entry whose content or update time changed is *updated*: its article is
fetched again and updated in place, never stored twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from broadsheet.types import FeedEntry

__all__ = [
    "EntryIdentity", "EntryPlan", "KnownEntry", "content_hash", "identify", "plan_entries",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class EntryIdentity:
    """What recognises a feed entry again: its GUID, its link, and a hash of what it says."""

    guid: str | None
    link: str | None
    content_hash: str


@dataclass(frozen=True, slots=True)
class KnownEntry:
    """A stored entry as matching needs it."""

    id: int
    key: str
    guid: str | None
    link: str | None
    content_hash: str | None
    updated: datetime | None
    article_id: int | None
    full_text_pending: bool = False  # stored from the feed's text while its page failed for now
    expired: bool = False  # its article was removed by retention: never fetched again


def content_hash(entry: FeedEntry) -> str:
    """A hash of what the entry says (title, summary, content), whitespace-insensitive."""
    parts = (entry.title or "", entry.summary or "", entry.content_html or "")
    text = "\n".join(" ".join(p.split()) for p in parts)
    return hashlib.sha256(text.encode()).hexdigest()


def identify(entry: FeedEntry) -> EntryIdentity:
    return EntryIdentity(entry.guid, entry.link, content_hash(entry))


def new_key(identity: EntryIdentity) -> str:
    if identity.guid:
        return "guid:" + identity.guid
    if identity.link:
        return "link:" + identity.link
    return "hash:" + identity.content_hash


@dataclass(frozen=True, slots=True)
class EntryPlan:
    """What to do with one entry: store it (``new``), refresh it (``updated``) or nothing."""

    entry: FeedEntry
    identity: EntryIdentity
    key: str
    action: Literal["new", "updated", "unchanged"]


def _match(identity: EntryIdentity, known: Sequence[KnownEntry]) -> KnownEntry | None:
    for name in ("guid", "link", "content_hash"):
        value = getattr(identity, name)
        found = next((k for k in known if value and getattr(k, name) == value), None)
        if found is not None:
            return found
    return None


def _action(entry: FeedEntry, identity: EntryIdentity, known: KnownEntry) -> str:
    if known.expired:
        return "unchanged"  # retention removed its article on purpose
    if known.article_id is None:
        return "new"  # stored before without an article (its page failed): try again
    if known.full_text_pending:
        return "updated"  # kept from the feed's text while its page was unreachable: try again
    changed = known.content_hash is not None and known.content_hash != identity.content_hash
    newer = (
        entry.updated is not None and known.updated is not None and entry.updated > known.updated
    )
    return "updated" if changed or newer else "unchanged"


def plan_entries(entries: Sequence[FeedEntry], known: Sequence[KnownEntry]) -> list[EntryPlan]:
    """Decide for every entry of a feed; an entry repeated within the feed is planned once."""
    plans: list[EntryPlan] = []
    seen: set[str] = set()
    for entry in entries:
        identity = identify(entry)
        match = _match(identity, known)
        key = match.key if match is not None else new_key(identity)
        if key in seen:
            continue
        seen.add(key)
        action = "new" if match is None else _action(entry, identity, match)
        plans.append(EntryPlan(entry, identity, key, action))  # type: ignore[arg-type]
    return plans
