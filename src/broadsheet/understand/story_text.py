"""What a story page says in words: its headline, a short extractive summary, the people,
organisations and places it names, and the sentences only one outlet reported.

Hand-written for the same reason as ``text``: it runs for every story page on two cores (once
per state of a story; the analysis is kept). The headline is the member title most like the
others (the most typical, not the loudest). The summary scores each sentence by how central its
words are to the whole coverage (words many outlets use, weighted by rarity across the story's
sentences) and prefers early sentences, which is where news puts what matters; near-repeats are
skipped. Entities are capitalised phrases named by several articles or repeatedly, sorted into
kinds by an entity model where one is given (``entity_ner``: spaCy's small English NER, reading
a few passages around each name) and otherwise by cues in the phrase and its context (titles and
first names for people, corporate words for organisations, prepositions and a short list of
countries and regions for places). Distinctive sentences are those of one outlet that no other
outlet's sentence comes close to.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from broadsheet.understand.text import capitalised_phrases, sentences, words

__all__ = [
    "EntityTyper",
    "MemberText",
    "StoryText",
    "analyse_story",
    "choose_headline",
    "entity_kind",
]


class EntityTyper(Protocol):
    def kinds(self, passages: Mapping[str, Sequence[str]]) -> dict[str, str | None]:
        """Each name's kind ("person", "organisation", "place", None: a name of something
        else) as read in its passages; names it cannot tell are left out."""
        ...


@dataclass(frozen=True, slots=True)
class MemberText:
    """One article of the story, as text analysis needs it."""

    outlet: str
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class StoryText:
    summary: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    distinctive: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


_ORG_WORDS = _wordset(
    """agency association authority bank board bureau club co commission committee company corp
    corporation council court department foundation fund government group inc institute ltd
    ministry nations network organisation organization office parliament party police press
    senate service team times union university house cup league news finals championship olympics
    awards festival museum hospital school college airlines airways motors"""
)
_PERSON_TITLES = _wordset(
    """president prime minister chancellor king queen prince princess pope senator governor mayor
    judge general secretary chief ceo chairman chairwoman director spokesman spokeswoman coach
    mr mrs ms dr sir lord lady rep sen gov"""
)
_PLACE_WORDS = _wordset(
    """afghanistan africa america argentina asia australia austria belgium brazil britain canada
    chile china colombia cuba denmark egypt england europe france gaza germany greece india
    indonesia iran iraq ireland israel italy japan jordan kenya korea lebanon libya mexico
    netherlands nigeria norway pakistan palestine peru philippines poland portugal qatar russia
    saudi scotland spain sudan sweden switzerland syria taiwan texas turkey uganda ukraine wales
    venezuela vietnam yemen california florida london paris berlin moscow beijing washington
    tehran kyiv york brussels tokyo delhi ocean sea river island islands bay gulf county
    province valley lake coast alabama alaska arizona arkansas colorado connecticut delaware
    georgia hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland
    massachusetts michigan minnesota mississippi missouri montana nebraska nevada hampshire jersey
    carolina dakota ohio oklahoma oregon pennsylvania rhode tennessee utah vermont virginia
    wisconsin wyoming puerto rico guam"""
)
# Nationality adjectives and titles that capitalised runs pick up but that name no one.
_NOT_ENTITIES = _wordset(
    """american british chinese russian korean iranian israeli palestinian ukrainian european
    african french german japanese indian mexican canadian australian syrian turkish afghan
    iraqi democratic republican democrat democrats republicans ceo cfo tv pm gmt utc covid
    covid-19 lgbtq lgbt day gov sen rep"""
)
_PLACE_BEFORE = re.compile(
    r"\b(?:in|at|from|near|to|across|outside|northern|southern|eastern|western)\s+$", re.IGNORECASE
)
_MAX_SENTENCES = 400
_POSSESSIVE = re.compile("['\u2019]s$")
_PASSAGES = 2  # passages of each name the entity model reads
_TYPED = 24  # names it reads them for, the most mentioned first
_PASSAGE_REACH = 90  # characters on each side of the name, within its paragraph


def _split(members: Sequence[MemberText]) -> list[tuple[str, str]]:
    """(outlet, sentence) pairs of the members' bodies, long enough to say something."""
    pairs = []
    for m in members:
        for s in sentences(m.text):
            if 40 <= len(s) <= 400 and len(words(s)) >= 5:
                pairs.append((m.outlet, s))
    return pairs[:_MAX_SENTENCES]


def _vector(sentence: str, idf: dict[str, float]) -> dict[str, float]:
    counts = Counter(words(sentence))
    vec = {w: c * idf.get(w, 0.0) for w, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {w: v / norm for w, v in vec.items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(w, 0.0) for w, v in a.items())


def _summary(pairs: list[tuple[str, str]], limit: int) -> tuple[str, ...]:
    if not pairs:
        return ()
    docs = [set(words(s)) for _, s in pairs]
    df = Counter(w for d in docs for w in d)
    idf = {w: math.log(1 + len(docs) / c) for w, c in df.items()}
    outlets_of: Counter[str] = Counter()
    for (outlet, _), d in zip(pairs, docs, strict=True):
        outlets_of.update({f"{outlet}\0{w}" for w in d})
    spread = Counter(key.split("\0", 1)[1] for key in outlets_of)
    centroid = Counter({w: spread[w] * idf[w] for w in df})
    norm = math.sqrt(sum(v * v for v in centroid.values())) or 1.0
    scored = []
    for position, (_, s) in enumerate(pairs):
        vec = _vector(s, idf)
        centrality = sum(v * centroid[w] for w, v in vec.items()) / norm
        scored.append((centrality / (1 + 0.02 * position), position, s, vec))
    chosen: list[tuple[int, str, dict[str, float]]] = []
    for _, position, s, vec in sorted(scored, key=lambda t: -t[0]):
        if all(_cosine(vec, other) < 0.3 for _, _, other in chosen):
            chosen.append((position, s, vec))
        if len(chosen) == limit:
            break
    return tuple(s for _, s, _ in sorted(chosen, key=lambda t: t[0]))


def choose_headline(members: Sequence[MemberText]) -> str:
    """The member title most like the others (ties: the earliest given); without any title, the
    first sentence of the first text."""
    titles = [m.title.strip() for m in members if m.title.strip()]
    if not titles:
        first = next((sentences(m.text)[:1] for m in members if m.text.strip()), [])
        return first[0][:160] if first else ""
    bags = [Counter(words(t)) for t in titles]
    df = Counter(w for bag in bags for w in bag)
    idf = {w: math.log((len(bags) + 1) / (c + 0.5)) for w, c in df.items()}
    vectors = [_unit({w: (1 + math.log(c)) * idf[w] for w, c in bag.items()}) for bag in bags]
    total: Counter[str] = Counter()
    for vector in vectors:
        total.update(vector)
    centre = _unit(dict(total))
    best = max(range(len(titles)), key=lambda i: (_cosine(vectors[i], centre), -i))
    return titles[best]


def _unit(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    return {w: v / norm for w, v in vector.items()}


def _last_word(context: str) -> str:
    tail = context.lower().split()
    return tail[-1].strip(".,") if tail else ""


def entity_kind(phrase: str, contexts: list[str]) -> str | None:
    """Person, organisation or place, from cues in the phrase and the words before it."""
    tokens = phrase.lower().split()
    if tokens[-1] in _NOT_ENTITIES:
        return None
    before = {_last_word(ctx) for ctx in contexts}
    if any(t in _ORG_WORDS for t in tokens) or phrase.isupper() or before & _ORG_WORDS:
        return "organisation"
    if any(t in _PLACE_WORDS for t in tokens):
        return "place"
    if before & _PERSON_TITLES or (len(tokens) in (2, 3) and all(t.isalpha() for t in tokens)):
        return "person"
    if any(_PLACE_BEFORE.search(ctx) for ctx in contexts):
        return "place"
    return None


def _names(text: str) -> list[str]:
    """Capitalised phrases, with lists ("Bergen and Stavanger") split into their names and
    possessives ("Lohan's lawyer") cut back to the name."""
    names = (name for phrase in capitalised_phrases(text) for name in phrase.split(" and "))
    return [_POSSESSIVE.sub("", name.removeprefix("the ").removeprefix("of ")) for name in names]


def _entities(members: Sequence[MemberText], typer: EntityTyper | None) -> dict[str, list[str]]:
    mentions: Counter[str] = Counter()
    articles: Counter[str] = Counter()
    contexts: dict[str, list[str]] = {}
    passages: dict[str, list[str]] = {}
    for m in members:
        body = f"{m.title}\n{m.text[:6000]}"
        seen = set()
        for phrase in _names(body):
            if len(phrase) < 3 or len(phrase.split()) > 5:
                continue
            mentions[phrase] += 1
            if phrase in seen:
                continue
            seen.add(phrase)
            at = body.find(phrase)
            if len(contexts.setdefault(phrase, [])) < 5:
                contexts[phrase].append(body[max(0, at - 30) : at])
            if len(passages.setdefault(phrase, [])) < _PASSAGES:
                passages[phrase].append(_passage(body, at, len(phrase)))
        articles.update(seen)
    wanted = 2 if len(members) > 1 else 1
    named = [p for p, n in mentions.most_common() if articles[p] >= wanted or n >= 3]
    typed = typer.kinds({p: passages[p] for p in named[:_TYPED]}) if typer and named else {}
    kinds: dict[str, list[str]] = {"person": [], "organisation": [], "place": []}
    for phrase in named:
        kind = typed[phrase] if phrase in typed else entity_kind(phrase, contexts[phrase])
        if kind and not any(phrase in other for other in kinds[kind]):
            kinds[kind].append(phrase)
    return {kind: _fullest(names) for kind, names in kinds.items()}


def _fullest(names: list[str]) -> list[str]:
    """Each name in its fullest listed form, where the most mentioned was first: "Reid", then
    "Tara Reid" become "Tara Reid" alone, in the place of "Reid"."""
    out: list[str] = []
    for name in names:
        longer = [o for o in names if o != name and f" {name} " in f" {o} "]
        fullest = max(longer, key=len) if longer else name
        if fullest not in out:
            out.append(fullest)
    return out


def _passage(body: str, at: int, length: int) -> str:
    """The words around a name, for the entity model to read it in."""
    start = body.rfind("\n", 0, at) + 1
    start = max(start, at - _PASSAGE_REACH)
    end = body.find("\n", at + length)
    end = min(len(body) if end < 0 else end, at + length + _PASSAGE_REACH)
    return body[start:end]


def _distinctive(pairs: list[tuple[str, str]], per_outlet: int) -> dict[str, tuple[str, ...]]:
    outlets = {o for o, _ in pairs}
    if len(outlets) < 2:
        return {}
    docs = [set(words(s)) for _, s in pairs]
    df = Counter(w for d in docs for w in d)
    idf = {w: math.log(1 + len(docs) / c) for w, c in df.items()}
    vectors = [_vector(s, idf) for _, s in pairs]
    found: dict[str, list[str]] = {}
    for i, (outlet, s) in enumerate(pairs):
        closest = max(
            (_cosine(vectors[i], vectors[j]) for j, (o, _) in enumerate(pairs) if o != outlet),
            default=0.0,
        )
        mine = found.setdefault(outlet, [])
        if closest < 0.2 and len(mine) < per_outlet:
            mine.append(s)
    return {o: tuple(v) for o, v in found.items() if v}


def analyse_story(
    members: Sequence[MemberText],
    *,
    summary_sentences: int = 3,
    distinctive_per_outlet: int = 2,
    typer: EntityTyper | None = None,
) -> StoryText:
    """Summary, named entities and each outlet's distinctive sentences for one story; ``typer``
    (an entity model) tells the kinds of the names it recognises, the cues those it does not."""
    pairs = _split(members)
    kinds = _entities(members, typer)
    return StoryText(
        summary=_summary(pairs, summary_sentences),
        people=tuple(kinds["person"][:8]),
        organisations=tuple(kinds["organisation"][:8]),
        places=tuple(kinds["place"][:8]),
        distinctive=_distinctive(pairs, distinctive_per_outlet),
    )
