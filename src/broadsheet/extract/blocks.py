"""Text blocks: the leaves of a page that carry running text, with the features used to judge them.

Hand-written because the segmentation decides what "a paragraph" is on pages that do not use ``<p>``
(text straight in ``<div>``, ``<br>`` separated lines), and the features (length, link share,
sentence punctuation) are the evidence every later step weighs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from broadsheet.extract.dom import Element, squash, text_of

__all__ = ["BLOCK_TAGS", "HEADING_TAGS", "MAX_BLOCKS", "PROSE_CHARS", "Block", "iter_blocks"]

HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
BLOCK_TAGS = frozenset(
    {
        "p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "blockquote",
        "pre", "table", "tr", "td", "th", "tbody", "thead", "figure", "figcaption", "header",
        "body", "form", "center", "address", "details", "summary", "hr", "br",
    }
) | HEADING_TAGS  # fmt: skip
MAX_BLOCKS = 10_000
# A block of this many characters outside links is prose even without sentence punctuation.
PROSE_CHARS = 120
_IDEOGRAPHS = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_SENTENCE_END = re.compile(r"[.!?\u2026:;\"\u201d\u2019)\u00bb\u3002\uff01\uff1f\u300d\u300f]\s*$")


@dataclass(slots=True)
class Block:
    """One run of text. ``element`` is the innermost element holding all of it."""

    element: Element
    tag: str
    text: str
    link_chars: int

    @property
    def length(self) -> int:
        return len(self.text)

    @property
    def link_density(self) -> float:
        return self.link_chars / self.length if self.text else 0.0

    @property
    def is_prose(self) -> bool:
        """A sentence, or enough text outside links to be prose without punctuation."""
        return self.is_sentence or self.length - self.link_chars >= PROSE_CHARS

    @property
    def is_sentence(self) -> bool:
        words = self.text.count(" ") + len(_IDEOGRAPHS.findall(self.text)) // 2
        return bool(_SENTENCE_END.search(self.text)) and words >= 4


def _is_block(node: object) -> bool:
    tag = getattr(node, "tag", None)
    return isinstance(tag, str) and tag in BLOCK_TAGS and tag != "br"


def _link_chars(element: Element) -> int:
    if element.tag == "a":
        return len(squash(text_of(element)))
    return sum(len(squash(text_of(a))) for a in element.iter("a"))


def _leaf_block(element: Element) -> Block | None:
    text = squash(text_of(element))
    if not text:
        return None
    return Block(element, element.tag, text, min(_link_chars(element), len(text)))


def _mixed_parts(element: Element) -> list[Element | Block]:
    """A mixed element (``<div>text<p>…</p>text</div>``) as its block children in order, with
    the inline text between them as blocks of its own."""
    parts: list[Element | Block] = []
    texts: list[str] = [element.text or ""]
    links = 0
    for child in element:
        if _is_block(child):
            _close_run(element, texts, links, parts)
            parts.append(child)
            texts, links = [child.tail or ""], 0
            continue
        if isinstance(child.tag, str):
            texts.append(text_of(child))
            links += _link_chars(child)
        texts.append(child.tail or "")
    _close_run(element, texts, links, parts)
    return parts


def _close_run(
    element: Element, texts: list[str], links: int, parts: list[Element | Block]
) -> None:
    text = squash("".join(texts))
    if text:
        parts.append(Block(element, "div", text, min(links, len(text))))


def iter_blocks(root: Element) -> list[Block]:
    """The text blocks under ``root`` in document order, at most ``MAX_BLOCKS`` of them (an
    article has hundreds; the cap bounds the time spent on hostile pages)."""
    blocks: list[Block] = []
    stack: list[Element | Block] = [root]
    while stack and len(blocks) < MAX_BLOCKS:
        item = stack.pop()
        if isinstance(item, Block):
            blocks.append(item)
            continue
        children = [child for child in item if isinstance(child.tag, str)]
        if any(_is_block(child) for child in children):
            stack.extend(reversed(_mixed_parts(item)))
        elif _is_block(item):
            block = _leaf_block(item)
            if block is not None:
                blocks.append(block)
        else:
            stack.extend(reversed(children))
    return blocks
