"""What a story page shows, computed from its member articles: pure functions, no storage.

Headline: the member title closest to the story's centre (the most typical headline, not the
loudest). Summary: extractive, the lead-area sentences closest to the centre, skipping ones that
repeat a chosen sentence (maximal marginal relevance). Distinctive sentences of an outlet: its
sentences that no other outlet's article comes close to, ranked by relevance to the story. Related
stories: nearest story centres. Hand-written: each is a few lines over the sparse vectors the
clusterer already uses, and a summarisation model would be a download and seconds per story.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from broadsheet.understand.entities import Entity, key_entities
from broadsheet.understand.text import sentences, words
from broadsheet.understand.vectors import SparseVector, cosine, dot, normalised

__all__ = [
    "OutletContribution",
    "StoryArticle",
    "StoryContent",
    "TimelineEntry",
    "choose_headline",
    "describe_story",
    "distinctive_sentences",
    "related_stories",
    "story_vector",
    "summarise",
    "timeline",
]

DocId = int | str
LEAD_SENTENCES = 8


@dataclass(frozen=True, slots=True)
class StoryArticle:
    """A member article as the story page needs it."""

    id: DocId
    title: str
    text: str
    published: datetime | None = None
    source: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    id: DocId
    published: datetime | None
    source: str | None
    title: str


@dataclass(frozen=True, slots=True)
class OutletContribution:
    """What one outlet says that the other outlets do not."""

    source: str
    article_ids: tuple[DocId, ...]
    sentences: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StoryContent:
    headline: str
    summary: tuple[str, ...]
    entities: tuple[Entity, ...]
    people: tuple[str, ...]
    organisations: tuple[str, ...]
    places: tuple[str, ...]
    first_article_id: DocId | None
    first_reporter: str | None
    first_published: datetime | None
    timeline: tuple[TimelineEntry, ...]
    outlets: tuple[str, ...]
    distinctive: tuple[OutletContribution, ...]


def describe_story(articles: Sequence[StoryArticle], summary_sentences: int = 3) -> StoryContent:
    """Everything the story page shows, from the story's member articles."""
    entries = timeline(articles)
    first = entries[0] if entries else None
    entities = tuple(key_entities([f"{a.title}.\n{a.text}" for a in articles]))
    return StoryContent(
        headline=choose_headline(articles),
        summary=tuple(summarise(articles, summary_sentences)),
        entities=entities,
        people=tuple(e.name for e in entities if e.kind == "person"),
        organisations=tuple(e.name for e in entities if e.kind == "organisation"),
        places=tuple(e.name for e in entities if e.kind == "place"),
        first_article_id=first.id if first else None,
        first_reporter=first.source if first else None,
        first_published=first.published if first else None,
        timeline=entries,
        outlets=tuple(dict.fromkeys(e.source for e in entries if e.source)),
        distinctive=tuple(distinctive_sentences(articles)),
    )


def timeline(articles: Iterable[StoryArticle]) -> tuple[TimelineEntry, ...]:
    """Member articles oldest first; undated ones last, in the order given."""
    indexed = list(enumerate(articles))
    indexed.sort(key=lambda ia: (ia[1].published is None, ia[1].published or 0, ia[0]))
    return tuple(TimelineEntry(a.id, a.published, a.source, a.title) for _, a in indexed)


def _idf(bags: Sequence[Counter[str]]) -> dict[str, float]:
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(bag.keys())
    n = len(bags)
    return {t: math.log((n + 1) / (c + 0.5)) for t, c in df.items()}


def _vector(bag: Counter[str], idf: dict[str, float]) -> SparseVector:
    return normalised({t: (1.0 + math.log(c)) * idf.get(t, 1.0) for t, c in bag.items()})


def story_vector(articles: Sequence[StoryArticle]) -> SparseVector:
    """The story's centre: the normalised sum of its members' title + lead vectors."""
    bags = [Counter(words(f"{a.title} {a.title} {_lead(a.text)}")) for a in articles]
    idf = _idf(bags)
    total: dict[str, float] = {}
    for bag in bags:
        for t, w in _vector(bag, idf).items():
            total[t] = total.get(t, 0.0) + w
    return normalised(total)


def _lead(text: str) -> str:
    return " ".join(sentences(text)[:LEAD_SENTENCES])


def choose_headline(articles: Sequence[StoryArticle]) -> str:
    """The member title most like the others (ties: the earliest given)."""
    titles = [a.title.strip() for a in articles if a.title.strip()]
    if not titles:
        first = next((sentences(a.text)[:1] for a in articles if a.text.strip()), [])
        return first[0][:160] if first else ""
    bags = [Counter(words(t)) for t in titles]
    idf = _idf(bags)
    vecs = [_vector(b, idf) for b in bags]
    centre = normalised(_sum(vecs))
    best = max(range(len(titles)), key=lambda i: (dot(vecs[i], centre), -i))
    return titles[best]


def _sum(vecs: Iterable[SparseVector]) -> dict[str, float]:
    total: dict[str, float] = {}
    for v in vecs:
        for t, w in v.items():
            total[t] = total.get(t, 0.0) + w
    return total


def _candidate_sentences(articles: Sequence[StoryArticle]) -> list[tuple[int, int, str]]:
    out = []
    for i, a in enumerate(articles):
        for j, s in enumerate(sentences(a.text)[:LEAD_SENTENCES]):
            if 6 <= len(s.split()) <= 60:
                out.append((i, j, s))
    return out


def summarise(articles: Sequence[StoryArticle], n: int = 3, redundancy: float = 0.5) -> list[str]:
    """``n`` lead-area sentences closest to the story's centre, without repeats, in story order."""
    cands = _candidate_sentences(articles)
    if not cands:
        return []
    bags = [Counter(words(s)) for _, _, s in cands]
    idf = _idf(bags)
    vecs = [_vector(b, idf) for b in bags]
    centre = normalised(_sum(vecs))
    order = sorted(
        range(len(cands)), key=lambda k: (-dot(vecs[k], centre) - 0.02 / (1 + cands[k][1]), k)
    )
    chosen: list[int] = []
    for k in order:
        if all(_overlap(bags[k], bags[c]) < redundancy for c in chosen):
            chosen.append(k)
        if len(chosen) == n:
            break
    dated = timeline(articles)
    rank = {e.id: r for r, e in enumerate(dated)}
    chosen.sort(key=lambda k: (rank[articles[cands[k][0]].id], cands[k][1]))
    return [cands[k][2] for k in chosen]


def _overlap(a: Counter[str], b: Counter[str]) -> float:
    """Share of the shorter sentence's words that the other has too."""
    return len(a.keys() & b.keys()) / max(min(len(a), len(b)), 1)


def distinctive_sentences(
    articles: Sequence[StoryArticle], per_outlet: int = 2, novelty: float = 0.35
) -> list[OutletContribution]:
    """Per outlet, its sentences unlike any other outlet's, most relevant to the story first."""
    outlets: dict[str, list[int]] = {}
    for i, a in enumerate(articles):
        outlets.setdefault(a.source or f"#{a.id}", []).append(i)
    if len(outlets) < 2:
        return []
    sents = [
        (i, s) for i, a in enumerate(articles) for s in sentences(a.text) if len(s.split()) >= 8
    ]
    bags = [Counter(words(s)) for _, s in sents]
    idf = _idf(bags)
    vecs = [_vector(b, idf) for b in bags]
    centre = normalised(_sum(vecs))
    source_of = {i: a.source or f"#{a.id}" for i, a in enumerate(articles)}
    out = []
    for outlet, members in outlets.items():
        mine = [k for k, (i, _) in enumerate(sents) if i in members]
        theirs = [k for k, (i, _) in enumerate(sents) if source_of[i] != outlet]
        novel = [
            k
            for k in mine
            if max((cosine(vecs[k], vecs[o]) for o in theirs), default=0.0) < novelty
        ]
        novel.sort(key=lambda k: -dot(vecs[k], centre))
        picked = tuple(sents[k][1] for k in novel[:per_outlet])
        if picked:
            out.append(OutletContribution(outlet, tuple(articles[i].id for i in members), picked))
    return out


def related_stories(
    centre: SparseVector,
    others: Iterable[tuple[int, SparseVector]],
    limit: int = 5,
    min_score: float = 0.1,
) -> list[tuple[int, float]]:
    """The stories whose centres are nearest to ``centre`` (a linear pass over what the caller
    passes in: give it the live stories sharing words with this one, not the whole archive)."""
    scored = [(sid, dot(centre, vec)) for sid, vec in others]
    scored = [(sid, s) for sid, s in scored if s >= min_score]
    scored.sort(key=lambda x: (-x[1], x[0]))
    return scored[:limit]
