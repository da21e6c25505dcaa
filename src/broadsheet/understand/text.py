"""Tokens, sentences and name-like phrases of news text, shared by every understand stage.

Hand-written on purpose: the stages need the same few cheap, deterministic operations on every
article at ingestion speed (tens of microseconds per article), which a general NLP pipeline would
make a hundred times slower and would pull in a model. English-centred but harmless elsewhere: the
word pattern is Unicode, and the stop list only removes English function words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

__all__ = [
    "STOPWORDS",
    "capitalised_phrases",
    "name_tokens",
    "normalise_token",
    "sentences",
    "words",
]

_WORD = re.compile(r"[^\W_]+(?:['\u2019.-][^\W_]+)*")
_SENTENCE_END = re.compile('(?<=[.!?\u2026"\u201d\u2019)])\\s+(?=["\u201c\u2018(]?[A-Z0-9])|\n+')
_JOINERS = ("of", "de", "the", "and")
_URL_LINE = re.compile(r"^\s*(?:https?\s*:\s*/\s*/|www\s*\.)\S*.*$", re.MULTILINE)

_STOPWORDS_TEXT = """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    said says say according told tell new one two year years time last first week day get got
    would could may might must shall us mr mrs ms dr people like make made many much even back
    well still way since per via including another just over around whether already yet
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())

# Capitalised words that start sentences or headlines without naming anything.
_NOT_NAMES_TEXT = """
    however meanwhile instead although though thus hence therefore
    monday tuesday wednesday thursday friday saturday sunday january february march april june
    july august september october november december today yesterday tomorrow breaking update
    updated watch read video photo opinion analysis exclusive live news report
"""
_NOT_NAMES = STOPWORDS | frozenset(_NOT_NAMES_TEXT.split())


@lru_cache(maxsize=200_000)
def normalise_token(token: str) -> str:
    """Lower-case, drop possessives and a plural ``s`` so "Iran's" and "Iran" meet."""
    t = token.lower().replace("\u2019", "'")
    if t.endswith("'s"):
        t = t[:-2]
    t = t.replace("'", "")
    if len(t) > 4 and t.endswith("s") and not t.endswith(("ss", "us", "is")):
        t = t[:-1]
    return t


def words(text: str, limit: int | None = None) -> list[str]:
    """Normalised content words of ``text`` (the first ``limit`` of them): no stop words, no
    one-letter tokens."""
    out: list[str] = []
    for token in _WORD.findall(text):
        t = normalise_token(token)
        if len(t) > 1 and t not in STOPWORDS:
            out.append(t)
            if len(out) == limit:
                break
    return out


def strip_url_lines(text: str) -> str:
    """Drop lines that are only a web address (scraped copies often start with one)."""
    return _URL_LINE.sub("", text)


def sentences(text: str) -> list[str]:
    """Split into sentences at end punctuation followed by a capital, and at line breaks."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def capitalised_phrases(text: str) -> Iterator[str]:
    """Runs of capitalised words ("Bernie Sanders", "Supreme Court"), as written.

    A run may hold "of"/"de"/"the" inside ("Bank of England"). The first word of a sentence counts
    only when it is not a common word, since every sentence starts with a capital.
    """
    for sentence in sentences(text):
        run: list[str] = []
        end = 0
        for i, m in enumerate(_WORD.finditer(sentence)):
            w = m.group()
            if sentence[end : m.start()].strip():
                yield from _flush(run)
                run = []
            end = m.end()
            named = w[0].isupper() and not ((i == 0 or not run) and w.lower() in _NOT_NAMES)
            joiner = bool(run) and w in _JOINERS and len(run) < 4
            if named or joiner:
                run.append(w)
            else:
                yield from _flush(run)
                run = []
        yield from _flush(run)


def _flush(run: list[str]) -> Iterator[str]:
    while run and run[-1] in _JOINERS:
        run.pop()
    if run and not (len(run) == 1 and run[0].lower() in _NOT_NAMES):
        yield " ".join(run)


def name_tokens(text: str) -> set[str]:
    """Normalised single words that appear inside capitalised phrases or as numbers.

    These are the words that name an event's who/where/when ("Nevada", "sanders", "7.1"); two
    articles about the same kind of event but a different event share topic words, not these.
    """
    out: set[str] = set()
    for phrase in capitalised_phrases(text):
        for w in phrase.split():
            t = normalise_token(w)
            if len(t) > 1 and t not in _NOT_NAMES:
                out.add(t)
    return out
