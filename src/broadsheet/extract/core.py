"""``extract(html, url=…)``: the pipeline from page to ``ExtractedArticle``.

Hand-written glue: parse once, read metadata from the untouched tree, prune furniture, find the
body, and render it as text and sanitized HTML.
"""

from __future__ import annotations

from broadsheet.exceptions import ExtractionError
from broadsheet.extract.attribution import find_attribution
from broadsheet.extract.blocks import iter_blocks
from broadsheet.extract.boilerplate import prune_names, prune_tags
from broadsheet.extract.candidates import best_container, body_blocks
from broadsheet.extract.dom import parse
from broadsheet.extract.metadata import read_metadata, scoped_metadata
from broadsheet.extract.render import render_body
from broadsheet.extract.scope import article_scope
from broadsheet.extract.teasers import teaser_cards
from broadsheet.types import ExtractedArticle

__all__ = ["extract"]


def extract(html: str | bytes, *, url: str | None = None) -> ExtractedArticle:
    """Extract the main article of a page, or raise ``ExtractionError`` saying why not."""
    page = parse(html)
    root = page.root
    meta = read_metadata(root, url)
    scope, by_url = article_scope(root, url)
    if scope is not None:
        meta = scoped_metadata(meta, scope, url) if by_url else meta
        root = scope
    prune_tags(root)
    cards = teaser_cards(root)
    candidate = best_container(root, iter_blocks(root), cards)
    if candidate is None:
        raise ExtractionError("no article text found on the page")
    container = candidate.element
    prune_names(container)
    blocks = iter_blocks(container)
    kept = body_blocks(blocks, container, cards)
    if not kept:
        raise ExtractionError("no article text found on the page")
    text = "\n".join(block.text for block in kept)
    body_html = render_body(container, blocks, kept, title=meta.title, url=url)
    return ExtractedArticle(
        title=meta.title,
        text=text,
        html=body_html,
        authors=meta.authors,
        standfirst=meta.standfirst,
        publisher=meta.publisher,
        section=meta.section,
        published=meta.published,
        modified=meta.modified,
        language=meta.language,
        canonical_url=meta.canonical_url,
        url=url,
        lead_image=meta.lead_image,
        attribution=find_attribution(text, meta.authors),
        truncated=meta.paywalled or page.cut,
    )
