"""``extract(html, url=…)``: the pipeline from page to ``ExtractedArticle``.

Hand-written glue: parse once, read metadata from the untouched tree, narrow several-article pages
to the URL's article, find the body in the markup (or take the structured-data body when the
markup holds far less of it), and render it as text and sanitized HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from broadsheet.exceptions import ExtractionError
from broadsheet.extract.attribution import find_attribution
from broadsheet.extract.blocks import iter_blocks
from broadsheet.extract.body import body_blocks
from broadsheet.extract.boilerplate import prune_names, prune_tags
from broadsheet.extract.candidates import best_container
from broadsheet.extract.dom import Element, parse, squash
from broadsheet.extract.jsonld import text_value
from broadsheet.extract.metadata import PageMetadata, read_metadata, scoped_metadata
from broadsheet.extract.render import render_body
from broadsheet.extract.sanitize import sanitize_html
from broadsheet.extract.scope import article_scope
from broadsheet.extract.teasers import teaser_cards
from broadsheet.types import ExtractedArticle

__all__ = ["extract"]

# The structured body is used when it is this long and the markup gave less than this share.
_STRUCTURED_MIN_CHARS = 200
_STRUCTURED_SHARE = 0.5
# The markup's body is checked against the structured one by this many opening characters.
_OPENING_CHARS = 60
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Body:
    text: str
    html: str


def _dom_body(root: Element, meta: PageMetadata, url: str | None) -> Body | None:
    """The body found in the markup: best container, furniture and teasers set aside."""
    prune_tags(root)
    cards = teaser_cards(root)
    candidate = best_container(root, iter_blocks(root), cards)
    if candidate is None:
        return None
    container = candidate.element
    prune_names(container)
    blocks = iter_blocks(container)
    kept = body_blocks(blocks, container, cards, (meta.title, meta.standfirst))
    if not kept:
        return None
    text = "\n".join(block.text for block in kept)
    return Body(text, render_body(container, blocks, kept, title=meta.title, url=url))


def _structured_body(meta: PageMetadata, found: Body | None) -> Body | None:
    """The JSON-LD ``articleBody`` when the markup gave much less of it (text rendered by
    scripts, or a body container the page hides) and what it gave opens the same text (not
    another article of the page): paragraphs on its own line breaks."""
    body = text_value(meta.article.get("articleBody")) if meta.article else None
    if not body or len(body) < _STRUCTURED_MIN_CHARS:
        return None
    if found is not None:
        if len(found.text) >= _STRUCTURED_SHARE * len(body):
            return None
        if _words(found.text.split("\n")[0])[:_OPENING_CHARS] not in _words(body):
            return None
    paragraphs = [squash(line) for line in body.splitlines() if line.strip()]
    markup = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return Body("\n".join(paragraphs), sanitize_html(markup))


def _words(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def extract(html: str | bytes, *, url: str | None = None) -> ExtractedArticle:
    """Extract the main article of a page, or raise ``ExtractionError`` saying why not."""
    page = parse(html)
    root = page.root
    meta = read_metadata(root, url)
    scope, by_url = article_scope(root, url)
    if scope is not None:
        meta = scoped_metadata(meta, scope, url) if by_url else meta
        root = scope
    found = _dom_body(root, meta, url)
    body = _structured_body(meta, found) or found
    if body is None:
        raise ExtractionError("no article text found on the page")
    return ExtractedArticle(
        title=meta.title,
        text=body.text,
        html=body.html,
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
        attribution=find_attribution(body.text, meta.authors),
        truncated=meta.paywalled or page.cut,
    )
