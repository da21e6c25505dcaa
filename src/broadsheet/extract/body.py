"""Which blocks of the chosen container are the article's text.

Hand-written because the container also holds what is not text to read: captions (kept for the
HTML, not the text), teaser cards, link lines, lone labels ("Advertisement"), a standfirst printed
again above the body, and credits or prompts at its edges. Each rule says what it removes.
"""

from __future__ import annotations

import itertools
import re

from broadsheet.extract.blocks import HEADING_TAGS, Block
from broadsheet.extract.boilerplate import attribute_words
from broadsheet.extract.dom import Element, text_of

__all__ = ["body_blocks", "is_image_box"]

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


def _in_caption(block: Block, figures: set[Element], boxes: set[Element]) -> bool:
    """Is the block a caption: inside a figure, or in a small box named as an image that
    holds one (``<div class="image"><img><p>In this file photo…</p></div>``)?"""
    if block.tag == "figcaption" or block.element in figures:
        return True
    near = itertools.islice(block.element.iterancestors(), _IMAGE_BOX_DEPTH)
    return any(ancestor in boxes for ancestor in near)


def _regions(container: Element, tags: tuple[str, ...], marked: set[Element]) -> set[Element]:
    """The elements of ``container`` inside (or being) one of ``tags`` or ``marked``: one pass
    from the top, parents before children."""
    inside: set[Element] = set()
    for element in container.iter():
        if element.getparent() in inside or element.tag in tags or element in marked:
            inside.add(element)
    return inside


def is_image_box(element: Element) -> bool:
    """A small element named as an image that holds one: a figure in all but name."""
    if not attribute_words(element) & _IMAGE_WORDS or next(element.iter("img"), None) is None:
        return False
    return len(text_of(element)) < _CAPTION_MAX_CHARS


def body_blocks(
    blocks: list[Block],
    container: Element,
    cards: set[Element] | None = None,
    known: tuple[str | None, ...] = (),
) -> list[Block]:
    """The blocks of ``container`` (``blocks`` are its own) that belong to the article text;
    ``known`` texts (the headline, the standfirst) are metadata, not body, where they open it."""
    figures = _regions(container, ("figure", "figcaption"), set())
    teasers = _regions(container, (), cards or set())
    quotes = _regions(container, ("blockquote", "td", "th"), set())
    boxes = {element for element in container.iter() if is_image_box(element)}
    kept: list[Block] = []
    for block in blocks:
        if _in_caption(block, figures, boxes) or block.tag == "h1" or block.element in teasers:
            continue
        if _is_link_line(block) and block.element not in quotes:
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


def _is_prose(block: Block) -> bool:
    return block.tag in _LIST_TAGS or block.is_prose


def _trim_edges(blocks: list[Block]) -> list[Block]:
    """Drop the short lines before the first and after the last prose block: credits, stamps,
    staff lists and prompts that sit at the edges of a body container."""
    prose = [i for i, block in enumerate(blocks) if _is_prose(block)]
    if not prose:
        return blocks
    return blocks[prose[0] : prose[-1] + 1]
