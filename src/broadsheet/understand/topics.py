"""The sections (politics, world, business, …) and named entities of one article, for topic pages.

Sections: the page's own declared section when it names one of ours (synonyms mapped: "Tech",
"Markets", "Football"); otherwise the section whose description lies nearest the article in a
static word-embedding space (WordLlama, whose vectors ship inside its PyPI package). That is
zero-shot: each section is described by a few dozen everyday words, so no labelled corpus and no
training are needed. A second section is kept when it scores almost as high as the first. A
declared section we have no name for ("Opinion", "Local") is kept under its own name, beside the
inferred one.

Entities: the people, organisations and places an article names in its headline or more than
once in its body, sorted into kinds by the cues the story pages use (``story_text.entity_kind``);
a person named by surname alone takes the full name other articles gave ("Trump" is the "Donald
Trump" of the rest of the stream).

Hand-written because it is glue: a lookup table, one matrix product and a counter; no library
does "news sections of this text" offline.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from broadsheet.understand.story_text import entity_kind
from broadsheet.understand.text import capitalised_phrases

__all__ = [
    "SECTIONS",
    "Embed",
    "FullNames",
    "Label",
    "TopicLabeller",
    "article_entities",
    "canonical_section",
]

Embed = Callable[[Sequence[str]], npt.NDArray[np.float32]]

# Each section as the words its articles use; the prototype is the embedding of this text.
_DESCRIPTIONS = {
    "politics": """politics election campaign vote voters congress senate parliament democrats
        republicans president impeachment lawmakers legislation governor policy party candidate
        minister government""",
    "world": """international foreign war military troops embassy diplomat protesters country
        nations border refugees conflict ceasefire sanctions united nations abroad regime""",
    "business": """business company companies market markets shares stocks investors earnings
        revenue profit economy economic trade bank sales prices ceo merger deal industry""",
    "technology": """technology tech software apple google microsoft app apps smartphone iphone
        laptop internet online digital computer gaming streaming device data users""",
    "science": """science scientists research study researchers space nasa planet moon
        astronomers telescope physics biology universe discovery spacecraft climate species""",
    "health": """health medical doctors patients hospital disease virus infection symptoms
        treatment drug vaccine illness diet nutrition cases outbreak""",
    "sport": """sport sports game games team season coach players league match win goal
        championship football soccer tennis basketball quarterback tournament""",
    "culture": """culture film movie music album band song tour actor actress television show
        series book novel art artist festival hollywood celebrity""",
}
SECTIONS: tuple[str, ...] = tuple(_DESCRIPTIONS)

_SYNONYMS = {
    "politics": "politics political elections election government congress parliament",
    "world": "world international global foreign europe asia africa americas middle-east",
    "business": "business economy economics markets market finance money companies industry",
    "technology": "technology tech science-tech sci-tech gadgets computing internet games gaming",
    "science": "science environment climate space nature",
    "health": "health wellness medicine coronavirus",
    "sport": "sport sports football soccer cricket tennis rugby nfl nba golf cycling",
    "culture": "culture arts entertainment books music film movies tv television celebrity",
}
_CANONICAL = {word: section for section, words in _SYNONYMS.items() for word in words.split()}
# Short forms that name one place, shown under its full name.
_ALIASES = {"u.s": "United States", "us": "United States", "usa": "United States",
            "u.s.a": "United States", "u.k": "United Kingdom", "uk": "United Kingdom"}  # fmt: skip
_TITLE_WORDS = """president prime minister chancellor king queen prince princess pope senator
    governor mayor judge general secretary chief chairman chairwoman director spokesman
    spokeswoman coach mr mrs ms dr sir lord lady rep sen gov former late vice state attorney"""
_TITLES = frozenset(_TITLE_WORDS.split())
_SECOND_WITHIN = 0.02  # a second section when its cosine is this close to the first's
_MAX_ENTITIES = 8


@dataclass(frozen=True, slots=True)
class Label:
    """One thing an article is about: ``kind`` is ``section``, ``person``, ``organisation`` or
    ``place``; ``key`` is the lower-cased name that topic pages and follows use."""

    kind: str
    key: str
    name: str


def canonical_section(declared: str | None) -> str | None:
    """Our name for a page's declared section ("Tech" → technology), or None if we have none."""
    if not declared:
        return None
    slug = re.sub(r"[^a-z]+", "-", declared.lower()).strip("-")
    if slug in _CANONICAL:
        return _CANONICAL[slug]
    return next((_CANONICAL[w] for w in slug.split("-") if w in _CANONICAL), None)


def article_entities(title: str, text: str) -> list[Label]:
    """People, organisations and places named in the headline or more than once in the body
    (the headline's words vouch for a body name that holds them: "Quill", "Hortensia Quill")."""
    body = text[:6000]
    headline_words = {w for name in _names(title) for w in name.split()}
    phrases = dict.fromkeys(p for p in _names(body) if len(p) >= 3 and len(p.split()) <= 4)
    # counted in the text, so "Electoral Commission" inside a longer run counts too
    counts = Counter({p: len(re.findall(rf"\b{re.escape(p)}\b", body)) for p in phrases})
    found: list[Label] = []
    for phrase, count in counts.most_common():
        # the headline's "Quill" vouches for the body's "Hortensia Quill"
        if count < 2 and not headline_words.intersection(phrase.split()):
            continue
        at = body.find(phrase)
        alias = _ALIASES.get(phrase.lower())
        kind = "place" if alias else entity_kind(phrase, [body[max(0, at - 30) : at]])
        name = alias or _full_name(phrase, body[max(0, at - 4) : at], kind)
        key = name.lower()
        if kind and not any(_overlaps(key, f.key) for f in found):
            found.append(Label(kind, key, name))
        if len(found) == _MAX_ENTITIES:
            break
    return found


def _overlaps(key: str, other: str) -> bool:
    """One name holds the other's words ("trump", "donald trump"); "ida" and "florida" do not."""
    mine, theirs = set(key.split()), set(other.split())
    return mine <= theirs or theirs <= mine


def _full_name(phrase: str, before: str, kind: str | None) -> str:
    """The name without its holder's title ("President Joe Biden" is Joe Biden), and with the
    "New" that capitalised runs drop as a common word ("New Hampshire")."""
    if before == "New ":
        return f"New {phrase}"
    words = phrase.split()
    if kind == "person":
        while len(words) > 1 and words[0].lower().rstrip(".") in _TITLES:
            words = words[1:]
    return " ".join(words)


def _names(text: str) -> list[str]:
    """Capitalised phrases, with lists ("Herbert and Mahut") split into their names."""
    return [name for phrase in capitalised_phrases(text) for name in phrase.split(" and ")]


class FullNames:
    """The full names of people seen so far by surname, so that an article that says only
    "Trump" is labelled with the "Donald Trump" other articles name (the most often named one
    wins). Learnt from the stream the labeller sees; bounded."""

    def __init__(self, capacity: int = 100_000) -> None:
        self.capacity = capacity
        self._seen: dict[str, Counter[tuple[str, str]]] = {}

    def apply(self, labels: list[Label]) -> list[Label]:
        self._learn(labels)
        out: list[Label] = []
        for label in labels:
            full = self._best(label) if label.kind == "person" and " " not in label.key else None
            chosen = Label("person", full[0], full[1]) if full else label
            if all(chosen.key != o.key for o in out):
                out.append(chosen)
        return out

    def _learn(self, labels: list[Label]) -> None:
        for label in labels:
            if label.kind != "person" or " " not in label.key:
                continue
            surname = label.key.rsplit(" ", 1)[1]
            if surname in self._seen or len(self._seen) < self.capacity:
                self._seen.setdefault(surname, Counter())[(label.key, label.name)] += 1

    def _best(self, label: Label) -> tuple[str, str] | None:
        found = self._seen.get(label.key)
        return found.most_common(1)[0][0] if found else None


class TopicLabeller:
    """Sections and entities of articles; ``embed`` turns texts into unit rows (None: declared
    sections only)."""

    def __init__(self, embed: Embed | None) -> None:
        self._embed = embed
        self._prototypes: npt.NDArray[np.float32] | None = None
        self._full_names = FullNames()

    def label(self, items: Sequence[tuple[str, str, str | None]]) -> list[list[Label]]:
        """Labels for each ``(title, text, declared section)``, in order."""
        unmapped = [i for i, item in enumerate(items) if not canonical_section(item[2])]
        inferred = self._inferred(unmapped, items)
        out = []
        for i, (title, text, declared) in enumerate(items):
            sections = _declared(declared) + inferred.get(i, [])
            out.append(sections + self._full_names.apply(article_entities(title, text)))
        return out

    def _inferred(
        self, rows: list[int], items: Sequence[tuple[str, str, str | None]]
    ) -> dict[int, list[Label]]:
        if self._embed is None or not rows:
            return {}
        vectors = self._embed([f"{items[i][0]}\n{items[i][1][:3000]}" for i in rows])
        scores = vectors @ self._section_vectors().T
        return {row: _best_sections(score) for row, score in zip(rows, scores, strict=True)}

    def _section_vectors(self) -> npt.NDArray[np.float32]:
        if self._prototypes is None:
            assert self._embed is not None
            self._prototypes = self._embed([" ".join(d.split()) for d in _DESCRIPTIONS.values()])
        return self._prototypes


def _declared(declared: str | None) -> list[Label]:
    """The declared section as a label: ours when it maps, else its own name."""
    if not declared or not declared.strip():
        return []
    section = canonical_section(declared)
    if section:
        return [Label("section", section, section.capitalize())]
    name = " ".join(declared.split())[:60]
    return [Label("section", name.lower(), name)]


def _best_sections(score: npt.NDArray[np.float32]) -> list[Label]:
    order = np.argsort(-score)
    if not float(score[order[0]]) > 0:
        return []  # an empty text: no evidence at all
    chosen = [int(order[0])]
    if float(score[order[0]] - score[order[1]]) <= _SECOND_WITHIN:
        chosen.append(int(order[1]))
    return [Label("section", SECTIONS[i], SECTIONS[i].capitalize()) for i in chosen]
