"""Finding the article body: score text blocks, then pick the container that holds the prose.

Hand-written because this is the core judgement of the extractor. Each block gets a value: prose
(sentences, text outside links) counts for the container holding it, link lists and short labels
count against it. The body is the element whose subtree has the highest total, a maximum-sum
subtree: it grows while it gains prose and stops where furniture would cost more than it brings.
"""

from __future__ import annotations

from dataclasses import dataclass

from broadsheet.extract.blocks import HEADING_TAGS, Block
from broadsheet.extract.boilerplate import is_furniture_name, never_wraps_article
from broadsheet.extract.dom import Element

__all__ = ["Candidate", "best_container", "block_value"]

# A block counts against its container by at most this many characters: one stray block (a
# paragraph full of hover-card links) must not split an article in two.
_COUNTED_CHARS = 80
# Link text counts this much against a container, short labels this much per character.
_LINK_WEIGHT = 1.0
_SHORT_WEIGHT = 0.5
# A container the page marks as the article body wins when it holds this share of the prose.
_MARKED_SHARE = 0.2

# The body narrows to the deepest element holding this share of the container's prose.
_NARROW_SHARE = 0.9
# Narrowing stops at containers: one long paragraph is not the whole body.
_PARAGRAPH_TAGS = frozenset({"p", "li", "blockquote", "pre", "td", "dd", "dt"}) | HEADING_TAGS
# A furniture-named element holding more than this share of the page's prose is not furniture.
_NAMED_SHARE = 0.3


@dataclass(frozen=True, slots=True)
class Candidate:
    element: Element
    score: float


def block_value(block: Block) -> float:
    """How much a block argues for the container that holds it (negative: against)."""
    own = block.length - block.link_chars
    if block.link_density > 0.5:
        return -_LINK_WEIGHT * min(block.length, _COUNTED_CHARS)
    if block.tag in HEADING_TAGS or block.tag in ("td", "th"):
        return 0.0
    if block.is_prose:
        return float(own - _LINK_WEIGHT * block.link_chars)
    return -_SHORT_WEIGHT * min(block.length, _COUNTED_CHARS)


def _totals(
    order: list[Element], blocks: list[Block]
) -> tuple[dict[Element, float], dict[Element, float]]:
    """Per element of ``order`` (the tree in document order): the sum of its blocks' values, and
    the sum of the positive ones (its prose). Sums flow up one parent at a time, children
    before parents, so the work is linear in the size of the tree however deep it is."""
    totals: dict[Element, float] = {}
    prose: dict[Element, float] = {}
    for block in blocks:
        value = block_value(block)
        totals[block.element] = totals.get(block.element, 0.0) + value
        if value > 0:
            prose[block.element] = prose.get(block.element, 0.0) + value
    for element in reversed(order[1:]):
        parent = element.getparent()
        for sums in (totals, prose):
            if element in sums:
                sums[parent] = sums.get(parent, 0.0) + sums[element]
    return totals, prose


def _marked_bodies(root: Element) -> list[Element]:
    """Elements the page itself marks as the article body (schema.org microdata)."""
    return [
        el
        for el in root.iter()
        if isinstance(el.tag, str) and "articleBody" in (el.get("itemprop") or "").split()
    ]


def _furniture_blocks(
    order: list[Element], blocks: list[Block], prose: dict[Element, float], cards: set[Element]
) -> set[int]:
    """Indexes of the blocks inside a teaser card or an element named like furniture.

    A name is weaker evidence than a tag: class names are reused for page-wide wrappers
    (``Page-ad-margins``, ``l-sidebar-fixed`` around the article), so a furniture-named element
    that holds a large share of the page's prose is not taken for furniture.
    """
    limit = _NAMED_SHARE * max(prose.values(), default=0.0)
    inside: set[Element] = set()
    for element in order:  # parents come before their children
        parent = element.getparent()
        if parent in inside or element in cards or _is_named_furniture(element, prose, limit):
            inside.add(element)
    return {index for index, block in enumerate(blocks) if block.element in inside}


def _is_named_furniture(element: Element, prose: dict[Element, float], limit: float) -> bool:
    if element.tag in ("html", "body") or not is_furniture_name(element):
        return False
    return never_wraps_article(element) or prose.get(element, 0.0) < limit


def _narrowed(container: Element, prose: dict[Element, float]) -> Element:
    """The deepest element inside ``container`` that still holds nearly all of its prose: an
    author's bio, a disclosure or a cookie notice beside the article is not part of it."""
    floor = _NARROW_SHARE * prose.get(container, 0.0)
    inside = [
        element
        for element, amount in prose.items()
        if amount >= floor
        and element.tag not in _PARAGRAPH_TAGS
        and any(a is container for a in element.iterancestors())
    ]
    return max(inside, key=lambda e: sum(1 for _ in e.iterancestors()), default=container)


def best_container(
    root: Element, blocks: list[Block], cards: set[Element] | None = None
) -> Candidate | None:
    """The body container: the element whose blocks add up to the highest value once furniture
    is set aside, narrowed to the part that holds nearly all its prose; or the element the page
    marks as its article body (schema.org microdata) when that one holds a fair share of it."""
    order = [el for el in root.iter() if isinstance(el.tag, str)]
    _, prose = _totals(order, blocks)
    doomed = _furniture_blocks(order, blocks, prose, cards or set())
    totals, prose = _totals(order, [b for i, b in enumerate(blocks) if i not in doomed])
    best = max(totals.items(), key=lambda item: item[1], default=None)
    if best is None or best[1] <= 0:
        return None
    element = _narrowed(best[0], prose)
    score = totals.get(element, 0.0)
    for marked in _marked_bodies(root):
        if prose.get(marked, 0.0) >= _MARKED_SHARE * prose.get(element, 0.0):
            return Candidate(marked, totals.get(marked, 0.0))
    return Candidate(element, score)
