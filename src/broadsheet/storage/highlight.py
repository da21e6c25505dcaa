"""Highlighted titles and snippets for PostgreSQL's search, made in the web process from the rows
it has already read.

``ts_headline`` parses each hit's text again on the server: about 5 ms of the 13 to 15 ms a page
of twenty cost PostgreSQL, on cores the web processes share with it. Here the query's own lexemes
(PostgreSQL's stems, read back with the ranked rows) are found in the text by their prefixes,
each candidate word confirmed with the same Snowball English stemmer PostgreSQL uses (PyStemmer),
and the snippet is the passage of about thirty words that holds the most of them. No library
makes snippets from a list of stems, hence this module; the stemming is PyStemmer's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import Stemmer

__all__ = ["Highlighter", "tsquery_lexemes"]

# One of PostgreSQL's tsquery operands: 'word' (quotes doubled inside), maybe negated with "!"
# and with a weight or prefix suffix (``:*``, ``:AB``).
_OPERAND = re.compile(r"(!?)\s*'((?:[^']|'')*)'")
SNIPPET_CHARS = 220  # about thirty words, as SQLite's snippet gives
LEAD_CHARS = 60  # of them before the passage's first match
TEXT_CHARS = 20_000  # as far into an article as a snippet looks (as ts_headline was given)
_stemmer = Stemmer.Stemmer("english")
_WORD = re.compile(r"\w+")


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def tsquery_lexemes(tsquery_text: str) -> frozenset[str]:
    """The lexemes a tsquery (as PostgreSQL writes it out) looks for; negated ones are left out,
    since a hit does not contain them."""
    return frozenset(
        word.replace("''", "'")
        for negated, word in _OPERAND.findall(tsquery_text)
        if not negated and word
    )


@dataclass(frozen=True, slots=True)
class _Match:
    start: int
    end: int
    lexeme: str


class Highlighter:
    """Marks the words whose English stem is one of ``lexemes`` with ``start`` and ``end``."""

    def __init__(self, lexemes: Iterable[str], start: str, end: str) -> None:
        self.lexemes = frozenset(lexemes)
        self.start, self.end = start, end
        # A stem is its word's beginning but for its last letter or so ("happi" for "happy"),
        # so a word can only match if it begins with the stem less its last letter: those
        # places are found with ``str.find`` (a regular expression took 20 times as long).
        self._prefixes = sorted({lex[:-1] if len(lex) > 2 else lex for lex in self.lexemes})
        self._stems: dict[str, str | None] = {}

    def _matches(self, text: str) -> list[_Match]:
        lower = text.lower()
        if len(lower) != len(text):  # a letter whose lower case is longer: offsets would slip
            lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        found: dict[int, _Match] = {}
        for prefix in self._prefixes:
            at = lower.find(prefix)
            while at != -1:
                if at == 0 or not _is_word_char(lower[at - 1]):
                    word = _WORD.match(lower, at)
                    if word is not None and at not in found:
                        lexeme = self._lexeme(word.group())
                        if lexeme is not None:
                            found[at] = _Match(at, word.end(), lexeme)
                at = lower.find(prefix, at + 1)
        return [found[at] for at in sorted(found)]

    def _lexeme(self, word: str) -> str | None:
        if word not in self._stems:
            stem = _stemmer.stemWord(word)
            self._stems[word] = stem if stem in self.lexemes else None
        return self._stems[word]

    def _mark(
        self, text: str, matches: list[_Match], start: int = 0, end: int | None = None
    ) -> str:
        """``text[start:end]`` with the ``matches`` in it marked."""
        parts, at = [], start
        for match in matches:
            parts += [text[at : match.start], self.start, text[match.start : match.end], self.end]
            at = match.end
        parts.append(text[at:end])
        return "".join(parts)

    def title(self, title: str) -> str:
        """The whole title, every match marked."""
        return self._mark(title, self._matches(title))

    def snippet(self, text: str) -> str:
        """The passage of about ``SNIPPET_CHARS`` holding the most distinct query words (the
        earliest of equals), with a second passage when the first lacks some the text has;
        the text's beginning when no word is in it."""
        text = text[:TEXT_CHARS]
        matches = self._matches(text)
        passages = [self._best(matches)] if matches else [[]]
        missing = {m.lexeme for m in matches} - {m.lexeme for m in passages[0]}
        if missing:
            # Elsewhere in the text (clear of the first passage): a second passage, if there it
            # finds a word the first lacks.
            first = passages[0]
            elsewhere = [
                m for m in matches if m.lexeme in missing and (
                    m.start >= first[-1].end + SNIPPET_CHARS
                    or m.end <= first[0].start - SNIPPET_CHARS)
            ]  # fmt: skip
            if elsewhere:
                passages.append(self._best(elsewhere))
                passages.sort(key=lambda p: p[0].start)
        spans = [self._span(text, p[0].start if p else 0) for p in passages]
        body = " … ".join(
            self._passage(text, span, p) for span, p in zip(spans, passages, strict=True)
        )
        return ("…" if spans[0][0] > 0 else "") + body + ("…" if spans[-1][1] < len(text) else "")

    @staticmethod
    def _best(matches: list[_Match]) -> list[_Match]:
        """The matches of the window starting at one of them that covers most distinct words."""
        best: list[_Match] = []
        best_score = 0
        for i, anchor in enumerate(matches[:200]):
            window = [m for m in matches[i:] if m.end <= anchor.start + SNIPPET_CHARS - LEAD_CHARS]
            score = len({m.lexeme for m in window})
            if score > best_score:
                best, best_score = window, score
        return best

    @staticmethod
    def _span(text: str, anchor: int) -> tuple[int, int]:
        """Where the passage around a match at ``anchor`` starts and ends, on word edges."""
        start = _word_start(text, max(0, anchor - LEAD_CHARS))
        return start, _word_end(text, start + SNIPPET_CHARS)

    def _passage(self, text: str, span: tuple[int, int], matches: list[_Match]) -> str:
        start, end = span
        inside = [m for m in matches if start <= m.start and m.end <= end]
        return self._mark(text, inside, start, end).strip()


def _word_start(text: str, at: int) -> int:
    """``at`` moved forward to the start of a word (unless it is the text's start)."""
    if at == 0:
        return 0
    space = text.find(" ", at)
    return at if space == -1 or space - at > 20 else space + 1


def _word_end(text: str, at: int) -> int:
    """``at`` moved back to the end of a word (unless it is past the text's end)."""
    if at >= len(text):
        return len(text)
    space = text.rfind(" ", 0, at)
    return at if space == -1 or at - space > 20 else space
