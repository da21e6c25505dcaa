"""The chosen body as structured, sanitized HTML.

Hand-written because the reading view needs the article's own structure (paragraphs, headings,
lists, quotes, tables, figures) without what the text pass left out: furniture blocks, the repeated
headline, lazy-loading tricks for images and captions printed twice.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

import lxml.etree

from broadsheet.extract.blocks import Block
from broadsheet.extract.body import is_image_box
from broadsheet.extract.dom import Element, drop_tree, squash, text_of
from broadsheet.extract.sanitize import sanitize_html

__all__ = ["render_body"]

_LAZY_SOURCES = ("data-src", "data-lazy-src", "data-original", "data-url", "src")
_CAPTION_TAGS = ("figcaption", "caption")
_BETWEEN_TAGS = re.compile(r">\s+<")
# How many elements before the body to look at for a lead figure, and how much text it may hold.
_FIGURE_LOOKBACK = 3
_FIGURE_MAX_CHARS = 600


def _figures_from_image_boxes(container: Element) -> None:
    """Image boxes become figures, their text the caption, so the reader shows it as one."""
    for box in [el for el in container.iter("div", "span", "p") if is_image_box(el)]:
        if any(a.tag == "figure" for a in box.iterancestors()) or box.find(".//figure") is not None:
            continue
        box.tag = "figure"
        for child in box.iter("p", "span", "div"):
            if child is not box and squash(text_of(child)) and not len(child):
                child.tag = "figcaption"
                break


def _drop_unkept(container: Element, blocks: list[Block], kept: list[Block]) -> None:
    keep = {id(b.element) for b in kept}
    for block in blocks:
        element = block.element
        if block.tag == "div" and len(element):
            continue  # a run of a mixed element: its siblings may be kept
        unkept = id(element) not in keep and element is not container
        if unkept and element.tag not in _CAPTION_TAGS:
            drop_tree(element)


def _fix_images(container: Element, url: str | None) -> None:
    for image in list(container.iter("img")):
        source = next((image.get(a) for a in _LAZY_SOURCES if image.get(a, "").strip()), None)
        if source is None or source.startswith("data:"):
            srcset = (image.get("data-srcset") or image.get("srcset") or "").split(",")[0].split()
            source = srcset[0] if srcset else None
        if not source or source.startswith("data:"):
            drop_tree(image)
            continue
        image.set("src", urljoin(url or "", source.strip()))


def _collapse_captions(container: Element) -> None:
    """Keep each figure's caption once, however many times the page printed it, and each
    figure once (pages print one for narrow and one for wide screens)."""
    figures: set[tuple[str, ...]] = set()
    for figure in list(container.iter("figure")):
        seen: set[str] = set()
        for caption in list(figure.iter(*_CAPTION_TAGS)):
            text = squash(text_of(caption))
            if text in seen or not text:
                drop_tree(caption)
            seen.add(text)
        key = (*sorted(seen), *(i.get("src", "") for i in figure.iter("img")))
        if key in figures:
            drop_tree(figure)
        figures.add(key)


def _drop_title(container: Element, title: str | None) -> None:
    for heading in list(container.iter("h1")):
        text = squash(text_of(heading))
        if heading.getparent() is not None and (not title or text == title or len(text) < 200):
            drop_tree(heading)


def _adopt_leading_figures(container: Element) -> None:
    """Move into the body the figures printed just before it (a lead photo above the text)."""
    for sibling in list(container.itersiblings(preceding=True))[:_FIGURE_LOOKBACK]:
        figure = sibling if sibling.tag == "figure" else next(sibling.iter("figure"), None)
        if figure is None or len(squash(text_of(sibling))) > _FIGURE_MAX_CHARS:
            continue
        container.insert(0, figure)
        figure.tail = None


def render_body(
    container: Element,
    blocks: list[Block],
    kept: list[Block],
    *,
    title: str | None,
    url: str | None,
) -> str:
    """Sanitized HTML of ``container`` holding only the kept blocks and figures."""
    _figures_from_image_boxes(container)
    _drop_unkept(container, blocks, kept)
    _adopt_leading_figures(container)
    _fix_images(container, url)
    _collapse_captions(container)
    _drop_title(container, title)
    for link in container.iter("a"):
        if link.get("href"):
            link.set("href", urljoin(url or "", link.get("href", "").strip()))
    markup = lxml.etree.tostring(container, encoding="unicode", method="html")
    clean = sanitize_html(markup)
    if "<pre" in clean:  # whitespace inside preformatted text is content
        return clean.strip()
    # Indentation between tags becomes one line break: the same rendering, a tidier document.
    return _BETWEEN_TAGS.sub(">\n<", clean).strip()
