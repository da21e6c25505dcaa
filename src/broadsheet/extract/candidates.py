"""Finding the article body: score text blocks, then pick the container that holds the prose.

Hand-written because this is the core judgement of the extractor. Each block gets a value: prose
(sentences, text outside links) counts for the container holding it, link lists and short labels
count against it. The body is the element whose subtree has the highest total, a maximum-sum
subtree: it grows while it gains prose and stops where furniture would cost more than it brings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from broadsheet.extract.blocks import HEADING_TAGS, Block
from broadsheet.extract.boilerplate import (
    attribute_words,
    is_furniture_name,
    never_wraps_article,
)
from broadsheet.extract.dom import Element, text_of

__all__ = ["Candidate", "best_container", "block_value", "body_blocks", "is_image_box"]

# A block of this many characters outside links is prose even without sentence punctuation.
_PROSE_CHARS = 120
# A block counts against its container by at most this many characters: one stray block (a
# paragraph full of hover-card links) must not split an article in two.
_COUNTED_CHARS = 80
# A sentence keeps its place in the body unless more than this share of it is link text.
_SENTENCE_LINK_DENSITY = 0.7
# A caption box is named as an image, holds one, has little text and sits this close to the text.
_IMAGE_WORDS = frozenset({"image", "img", "photo", "picture", "media", "figure", "thumbnail"})
_CAPTION_MAX_CHARS = 500
_IMAGE_BOX_DEPTH = 2
_TOKEN = re.compile(r"\w+")
# How many opening blocks may repeat the headline or standfirst.
_LEAD_BLOCKS = 3
_LONE_WORD = re.compile(r"^\w+$")
# An unrendered WordPress shortcode: ``[button link="…"] Send us your review[/button]``.
_SHORTCODE = re.compile(r"^\[\w+[^\]]*\].*\[/\w+\]$")
# Items of lists and tables belong to the body wherever they stand in it.
_LIST_TAGS = frozenset({"li", "td", "th", "dd", "dt", "pre"})
# Link text counts this much against a container, short labels this much per character.
_LINK_WEIGHT = 1.0
_SHORT_WEIGHT = 0.5
# A container the page marks as the article body wins when it holds this share of the prose.
_MARKED_SHARE = 0.2

# A furniture-named element holding more than this share of the page's prose is not furniture.
_NAMED_SHARE = 0.3


@dataclass(frozen=True, slots=True)
class Candidate:
    element: Element
    score: float


def _in_caption(block: Block) -> bool:
    """Is the block a caption: inside a figure, or in a small box named as an image that
    holds one (``<div class="image"><img><p>In this file photo…</p></div>``)?"""
    if block.tag == "figcaption":
        return True
    for depth, ancestor in enumerate(block.element.iterancestors()):
        if ancestor.tag in ("figcaption", "figure"):
            return True
        if depth < _IMAGE_BOX_DEPTH and is_image_box(ancestor):
            return True
    return False


def is_image_box(element: Element) -> bool:
    """A small element named as an image that holds one: a figure in all but name."""
    if not attribute_words(element) & _IMAGE_WORDS or next(element.iter("img"), None) is None:
        return False
    return len(text_of(element)) < _CAPTION_MAX_CHARS


def block_value(block: Block) -> float:
    """How much a block argues for the container that holds it (negative: against)."""
    own = block.length - block.link_chars
    if block.link_density > 0.5:
        return -_LINK_WEIGHT * min(block.length, _COUNTED_CHARS)
    if block.tag in HEADING_TAGS or block.tag in ("td", "th"):
        return 0.0
    if block.is_sentence or own >= _PROSE_CHARS:
        return float(own - _LINK_WEIGHT * block.link_chars)
    return -_SHORT_WEIGHT * min(block.length, _COUNTED_CHARS)


def _ancestors_and_self(element: Element) -> Iterator[Element]:
    yield element
    yield from element.iterancestors()


def _totals(blocks: list[Block]) -> tuple[dict[Element, float], dict[Element, float]]:
    """Per element: the sum of its blocks' values, and the sum of the positive ones (its prose)."""
    totals: dict[Element, float] = {}
    prose: dict[Element, float] = {}
    for block in blocks:
        value = block_value(block)
        for element in _ancestors_and_self(block.element):
            totals[element] = totals.get(element, 0.0) + value
            if value > 0:
                prose[element] = prose.get(element, 0.0) + value
    return totals, prose


def _marked_bodies(root: Element) -> list[Element]:
    """Elements the page itself marks as the article body (schema.org microdata)."""
    return [
        el
        for el in root.iter()
        if isinstance(el.tag, str) and "articleBody" in (el.get("itemprop") or "").split()
    ]


def _furniture_blocks(
    blocks: list[Block], prose: dict[Element, float], cards: set[Element]
) -> set[int]:
    """Indexes of the blocks inside a teaser card or an element named like furniture.

    A name is weaker evidence than a tag: class names are reused for page-wide wrappers
    (``Page-ad-margins``, ``l-sidebar-fixed`` around the article), so a furniture-named element
    that holds a large share of the page's prose is not taken for furniture.
    """
    limit = _NAMED_SHARE * max(prose.values(), default=0.0)
    verdicts: dict[Element, bool] = {}
    doomed: set[int] = set()
    for index, block in enumerate(blocks):
        for element in _ancestors_and_self(block.element):
            verdict = verdicts.get(element)
            if verdict is None:
                verdict = element in cards or _is_named_furniture(element, prose, limit)
                verdicts[element] = verdict
            if verdict:
                doomed.add(index)
                break
    return doomed


def _is_named_furniture(element: Element, prose: dict[Element, float], limit: float) -> bool:
    if element.tag in ("html", "body") or not is_furniture_name(element):
        return False
    return never_wraps_article(element) or prose.get(element, 0.0) < limit


def best_container(
    root: Element, blocks: list[Block], cards: set[Element] | None = None
) -> Candidate | None:
    """The body container: the element whose blocks add up to the highest value once furniture
    is set aside, or the element the page marks as its article body (schema.org microdata)
    when that one holds a fair share of the prose found."""
    _, prose = _totals(blocks)
    doomed = _furniture_blocks(blocks, prose, cards or set())
    totals, prose = _totals([b for i, b in enumerate(blocks) if i not in doomed])
    best = max(totals.items(), key=lambda item: item[1], default=None)
    if best is None or best[1] <= 0:
        return None
    element, score = best
    for marked in _marked_bodies(root):
        if prose.get(marked, 0.0) >= _MARKED_SHARE * prose.get(element, 0.0):
            return Candidate(marked, totals.get(marked, 0.0))
    return Candidate(element, score)


def _within(block: Block, container: Element) -> bool:
    return any(e is container for e in _ancestors_and_self(block.element))


def _in_card(block: Block, cards: set[Element]) -> bool:
    return bool(cards) and any(a in cards for a in _ancestors_and_self(block.element))


def body_blocks(
    blocks: list[Block],
    container: Element,
    cards: set[Element] | None = None,
    known: tuple[str | None, ...] = (),
) -> list[Block]:
    """The blocks of ``container`` that belong to the article text; ``known`` texts (the
    headline, the standfirst) are metadata, not body, where they open it."""
    kept: list[Block] = []
    for block in blocks:
        if not _within(block, container) or _in_caption(block) or block.tag == "h1":
            continue
        if _in_card(block, cards or set()):
            continue
        if _is_link_line(block) and not _is_data_or_quote(block):
            continue
        if _is_label(block) or _SHORTCODE.match(block.text):
            continue
        kept.append(block)
    return _trim_edges(_drop_known_lead(kept, known))


def _drop_known_lead(blocks: list[Block], known: tuple[str | None, ...]) -> list[Block]:
    """Drop opening blocks that repeat a known text (a standfirst printed above the body)."""
    keys = {_key(text) for text in known if text}
    start = 0
    while start < min(len(blocks), _LEAD_BLOCKS) and _repeats(blocks[start], keys):
        start += 1
    return blocks[start:]


def _repeats(block: Block, keys: set[str]) -> bool:
    """A repeat of a known text outside a paragraph (many pages open with their standfirst
    as the first ``<p>``, and that one is body)."""
    return block.tag != "p" and _key(block.text) in keys


def _key(text: str) -> str:
    return " ".join(_TOKEN.findall(text.casefold()))


def _is_link_line(block: Block) -> bool:
    """Mostly links, and not a sentence that merely links much of its words."""
    if block.link_density <= 0.5:
        return False
    return not block.is_sentence or block.link_density > _SENTENCE_LINK_DENSITY


def _is_label(block: Block) -> bool:
    """A lone word outside lists and headings: "Advertisement", "Share", "Advert"."""
    return (
        block.tag not in _LIST_TAGS
        and block.tag not in HEADING_TAGS
        and (_LONE_WORD.match(block.text) is not None)
    )


def _is_data_or_quote(block: Block) -> bool:
    """Table cells and quotes (embedded posts) are text even when they are links."""
    return block.tag in ("td", "th") or any(
        a.tag == "blockquote" for a in _ancestors_and_self(block.element)
    )


def _is_prose(block: Block) -> bool:
    if block.tag in _LIST_TAGS:
        return True
    return block.is_sentence or block.length - block.link_chars >= _PROSE_CHARS


def _trim_edges(blocks: list[Block]) -> list[Block]:
    """Drop the short lines before the first and after the last prose block: credits, stamps,
    staff lists and prompts that sit at the edges of a body container."""
    prose = [i for i, block in enumerate(blocks) if _is_prose(block)]
    if not prose:
        return blocks
    return blocks[prose[0] : prose[-1] + 1]
