"""Teaser cards: the "more stories" items that sit beside, below or inside an article.

Hand-written because teasers look like prose (an excerpt is a sentence or two) and so fool any
judgement of single blocks. What gives them away is their shape: a run of sibling elements built
alike (same tag and first class), each short and each led by a link, the headline of another
page. Paragraphs are never cards (a run of paragraphs that open with links is an article's own
list), nor are table rows (a row led by a link is data).
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict

from broadsheet.extract.blocks import BLOCK_TAGS, HEADING_TAGS
from broadsheet.extract.dom import Element, squash, text_of

__all__ = ["teaser_cards"]

_CARD_TAGS = frozenset({"div", "li", "article", "section", "aside", "dd"})
# A card is short; its headline link is at least this long; a run has at least this many cards.
_CARD_MAX_CHARS = 600
_HEADLINE_MIN_CHARS = 15
_RUN = 3
_CARD_MAX_NODES = 200
_WORDS = re.compile(r"\w+")
_DIGITS = re.compile(r"\d+")


def _leads_with_link(card: Element) -> bool:
    """Is the card headed by a link: a link in a heading, or a link that opens the card and
    stands apart (not the start of a sentence that runs on, as in an article's own list)?"""
    for link in card.iter("a"):
        text = squash(text_of(link))
        if len(text) < _HEADLINE_MIN_CHARS:
            continue
        in_heading = any(a.tag in HEADING_TAGS for a in link.iterancestors()) or any(
            d.tag in HEADING_TAGS for d in link.iter()
        )
        if in_heading:
            return True
        line = _line_of(link, card)
        if len(squash(_text_before(line, link))) < _HEADLINE_MIN_CHARS:
            return not _runs_on(link, line)
    return False


def _runs_on(link: Element, line: Element) -> bool:
    """Does running text follow the link inline, before any other element of its line?"""
    node = link
    while node is not line:
        if _WORDS.search(node.tail or ""):
            return True
        if node.getnext() is not None:
            return False
        parent = node.getparent()
        if parent is None:
            return False
        node = parent
    return False


def _line_of(link: Element, card: Element) -> Element:
    """The innermost block element around ``link`` within ``card``."""
    for ancestor in link.iterancestors():
        if ancestor is card or ancestor.tag in BLOCK_TAGS:
            return ancestor
    return card


def _text_before(card: Element, link: Element) -> str:
    parts: list[str] = []
    for node in card.iter():
        if node is link:
            break
        parts.append(node.text or "")
        if node is not card and not any(a is link for a in node.iterdescendants()):
            parts.append(node.tail or "")
    return "".join(parts)


def _is_card(element: Element) -> bool:
    if len(squash(text_of(element))) > _CARD_MAX_CHARS:
        return False
    # A card is small markup too; the bound keeps the link search linear on hostile pages.
    nodes = sum(1 for _ in itertools.islice(element.iter(), _CARD_MAX_NODES + 1))
    return nodes <= _CARD_MAX_NODES and _leads_with_link(element)


def _first_class(element: Element) -> str:
    """The element's first class without digits: ``post-1806 post type-post`` → ``post-``;
    siblings built alike share it even when later classes name each item."""
    classes = (element.get("class") or "").split()
    return _DIGITS.sub("", classes[0]) if classes else ""


def teaser_cards(root: Element) -> set[Element]:
    """Elements that are cards of a run of at least three alike siblings."""
    cards: set[Element] = set()
    for parent in root.iter():
        if len(parent) < _RUN:
            continue
        groups: dict[tuple[str, str], list[Element]] = defaultdict(list)
        for child in parent:
            if isinstance(child.tag, str) and child.tag in _CARD_TAGS:
                groups[(child.tag, _first_class(child))].append(child)
        for members in groups.values():
            if len(members) < _RUN:
                continue
            found = [m for m in members if _is_card(m)]
            if len(found) >= _RUN:
                cards.update(found)
    return cards
