"""Removal of page furniture before the body is looked for.

Hand-written because these are the judgements that make an article reader: which tags never carry
article prose (scripts, navigation, forms), and which class and id words name furniture (share bars,
sign-up prompts, "related stories", comments). Names are split into words, camelCase included, so
``shareBar`` and ``share-bar`` are the same thing and ``shareholder`` is not ``share``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from broadsheet.extract.dom import Element

__all__ = ["attribute_words", "is_furniture", "prune"]

# Tags whose whole subtree is never article prose.
_DROP_TAGS = frozenset(
    {
        "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed",
        "button", "input", "select", "textarea", "label", "nav", "aside", "footer", "dialog",
        "math", "audio", "video", "map", "head", "link", "meta", "title",
    }
)  # fmt: skip
_DROP_ROLES = frozenset({"navigation", "complementary", "banner", "contentinfo", "search", "menu"})

# Words in class or id that name furniture.
_FURNITURE = frozenset(
    {
        "share", "sharing", "sharebar", "social", "related", "recommended", "recommendations",
        "newsletter", "subscribe", "subscription", "signup", "promo", "promotion", "ad", "ads",
        "advert", "adverts", "advertisement", "advertising", "sponsor", "sponsored", "sidebar",
        "breadcrumb", "breadcrumbs", "comment", "comments", "cookie", "cookies", "consent", "footer",
        "nav", "navbar", "navigation", "menu", "popup", "modal", "outbrain", "taboola", "widget",
        "tags", "tag", "byline", "author", "authors", "caption", "credit", "credits", "recirc",
        "trending", "popular", "banner", "toolbar", "rating", "disclaimer", "masthead", "teaser",
        "dateline", "timestamp", "date", "published", "meta", "metadata", "pagination", "paywall",
        "follow", "hidden", "hide", "print", "skip", "login", "signin", "more", "readmore",
        "next", "prev", "previous", "overlay", "toast", "tooltip", "header", "topics", "keywords",
        "embed", "video", "player", "gallery", "slideshow", "carousel", "tools",
    }
)  # fmt: skip
# Words that say a container holds the article itself; they outweigh one furniture word.
_CONTENT = frozenset(
    {"article", "body", "content", "story", "entry", "post", "text", "main", "prose", "paragraph"}
)
# A furniture-named element holding more than this share of the page's text is not pruned.
_SHARE_LIMIT = 0.3
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


@lru_cache(maxsize=4096)
def _words(value: str) -> frozenset[str]:
    return frozenset(word.lower() for word in _WORD.findall(value))


def attribute_words(element: Element) -> frozenset[str]:
    """The words of an element's class and id attributes, lower-cased."""
    return _words(f"{element.get('class', '')} {element.get('id', '')}")


def _is_furniture_tag(element: Element) -> bool:
    if element.tag in _DROP_TAGS or element.get("role") in _DROP_ROLES:
        return True
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    return "display:none" in element.get("style", "").replace(" ", "")


def _is_furniture_name(element: Element) -> bool:
    words = attribute_words(element)
    return bool(words & _FURNITURE) and not words & _CONTENT


def is_furniture(element: Element) -> bool:
    """Does the element's markup say it is page furniture rather than article prose?"""
    return _is_furniture_tag(element) or _is_furniture_name(element)


def prune(root: Element) -> None:
    """Remove furniture subtrees from ``root`` in place, keeping the text that follows them.

    A name is weaker evidence than a tag: class names are reused for page-wide wrappers
    (``Page-ad-margins``, a ``<body>`` class list), so an element named like furniture that holds
    a large share of the page's text is kept and judged later by its content.
    """
    body = root.find("body")
    limit = _SHARE_LIMIT * len(body.text_content()) if body is not None else 0.0
    doomed: list[Element] = []
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag in ("html", "body"):
            continue
        if _is_furniture_tag(element) or (
            _is_furniture_name(element) and len(element.text_content()) < limit
        ):
            doomed.append(element)
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()
