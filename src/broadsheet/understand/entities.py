"""Key people, organisations and places of a story, without an NLP model.

Capitalised-phrase extraction with a small stop list (see :func:`capitalised_phrases`), counted by
how many member articles mention each phrase, then sorted into kinds by cheap cues: honorifics and
"said" for people, organisational words ("Party", "Court", "Inc") for organisations, a short
gazetteer suffix list and "in/at/from <Name>" for places. It is decent on English news and wrong at
the edges (a one-word surname may land in "other"); a tagger model would do better but would cost
a download and a hundred times the time per article, which this layer must not pay at ingestion.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from broadsheet.understand.text import capitalised_phrases

__all__ = ["Entity", "key_entities"]

_ORG_WORDS_TEXT = """
    party court department ministry council committee commission agency bank university company
    corp corporation inc ltd group association union senate house congress parliament police
    army navy force forces fbi cia nato un eu who news times post press office board federal
    reserve administration government club team league foundation institute
"""
_ORG_WORDS = frozenset(_ORG_WORDS_TEXT.split())
_PLACE_SUFFIXES = ("land", "stan", "ia", "burg", "ville", "ton", "city", "shire")
_TITLES_TEXT = """
    mr mrs ms dr sen senator rep representative president gov governor minister secretary judge
    justice general gen chancellor king queen prince pope mayor chief
"""
_TITLES = frozenset(_TITLES_TEXT.split())
_POSSESSIVE = re.compile("['\u2019]s?$")
_PLACE_CONTEXT = re.compile(
    r"(?:\b(?:in|at|from|near|across)\s+(?:northern|southern|eastern|western|central)?\s*"
    r"|[A-Z]\w+,\s)$"
)
_LEAD_TITLE = re.compile(
    r"^(?:President|Prime Minister|Sen\.|Senator|Rep\.|Gov\.|Governor|Mr\.?|"
    r"Mrs\.?|Ms\.?|Dr\.?|Judge|Secretary|Minister)\s+"
)


@dataclass(frozen=True, slots=True)
class Entity:
    """A name and its kind (``person``, ``organisation``, ``place`` or ``other``), with the number
    of member articles that mention it."""

    name: str
    kind: str
    articles: int


def key_entities(texts: Sequence[str], limit: int = 12) -> list[Entity]:
    """The names most member articles mention, longest form first among equals.

    A one-word name that is part of a longer name found in the same story ("Sanders" in "Bernie
    Sanders") is counted with the longer one.
    """
    per_doc = [set(_clean(p) for p in capitalised_phrases(t)) - {""} for t in texts]
    counts: Counter[str] = Counter(p for doc in per_doc for p in doc)
    merged = _merge_short_forms(counts)
    ranked = sorted(merged.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))
    context = "\n".join(texts)
    return [
        Entity(name, _kind(name, context), n)
        for name, n in ranked[:limit]
        if n >= 2 or len(texts) == 1
    ]


def _clean(phrase: str) -> str:
    phrase = _POSSESSIVE.sub("", _LEAD_TITLE.sub("", phrase)).strip(" .")
    return phrase if len(phrase) > 2 and not phrase.isdigit() else ""


def _merge_short_forms(counts: Counter[str]) -> dict[str, int]:
    longer = [p for p in counts if " " in p]
    merged: dict[str, int] = {}
    for phrase, n in counts.items():
        home = phrase
        if " " not in phrase:
            homes = [p for p in longer if phrase in p.split() and counts[p] * 2 >= n]
            if homes:
                home = max(homes, key=lambda p: counts[p])
        merged[home] = max(merged.get(home, 0), n)
    return merged


def _kind(name: str, context: str) -> str:
    words = name.lower().split()
    if any(w in _ORG_WORDS for w in words) or name.isupper():
        return "organisation"
    if _placed(name, context):
        return "place"
    if _said_by(name, context) or _titled(name, context):
        return "person"
    if words[-1].endswith(_PLACE_SUFFIXES):
        return "place"
    return "person" if len(words) == 2 else "other"


def _said_by(name: str, context: str) -> bool:
    return (
        re.search(rf"{re.escape(name)},?\s+(?:said|says|told|added|wrote)\b", context) is not None
    )


def _titled(name: str, context: str) -> bool:
    for m in re.finditer(rf"(\w+\.?)\s+{re.escape(name)}\b", context):
        if m.group(1).lower().rstrip(".") in _TITLES:
            return True
    return False


def _placed(name: str, context: str) -> bool:
    hits = [m.start() for m in re.finditer(re.escape(name), context)][:20]
    placed = sum(1 for h in hits if _PLACE_CONTEXT.search(context[max(0, h - 20) : h]))
    return placed * 3 >= len(hits) > 0


def entity_names(entities: Iterable[Entity]) -> list[str]:
    return [e.name for e in entities]
