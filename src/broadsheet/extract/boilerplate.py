"""Removal of page furniture before the body is looked for.

Hand-written because these are the judgements that make an article reader: which tags never carry
article prose (scripts, navigation, forms), and which class and id words name furniture (share bars,
sign-up prompts, "related stories", comments). Names are split into words, camelCase included, so
``shareBar`` and ``share-bar`` are the same thing and ``shareholder`` is not ``share``.
"""

from __future__ import annotations

import re
from functools import lru_cache

import lxml.etree

from broadsheet.extract.dom import Element, drop_tree, text_of

__all__ = [
    "attribute_words",
    "is_furniture_name",
    "never_wraps_article",
    "prune_names",
    "prune_tags",
]

# Tags whose whole subtree is never article prose.
_DROP_TAGS = frozenset(
    {
        "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed",
        "button", "input", "select", "textarea", "label", "nav", "aside", "footer", "dialog",
        "math", "audio", "video", "map", "head", "link", "meta", "title",
    }
)  # fmt: skip
_DROP_ROLES = frozenset({"navigation", "complementary", "banner", "contentinfo", "search", "menu"})

# Words in class or id that name furniture whatever else the name says (``article-footer``).
_STRONG_FURNITURE = frozenset(
    {
        "share", "sharing", "sharebar", "social", "related", "recommended", "recommendations",
        "newsletter", "subscribe", "subscription", "signup", "sidebar", "breadcrumb",
        "breadcrumbs", "comment", "comments", "cookie", "cookies", "consent", "footer", "nav",
        "navbar", "navigation", "menu", "popup", "modal", "outbrain", "taboola", "recirc",
        "trending", "popular", "disclaimer", "masthead", "pagination", "paywall", "byline",
        "toolbar", "overlay", "login", "signin", "copyright",
    }
)  # fmt: skip
# Furniture words that never name a wrapper of the article (unlike ``sidebar``, ``overlay``):
# such an element is furniture however much text it holds (a long comment thread).
_NEVER_WRAPPING = frozenset(
    {
        "comment", "comments", "disqus", "replies", "related", "recommended", "recommendations",
        "outbrain", "taboola", "recirc", "trending", "popular", "newsletter", "share", "sharing",
        "sharebar", "social", "copyright", "cookie", "consent",
    }
)  # fmt: skip
# Words that name furniture unless the name also says it holds the article (``post-content-ad``).
_FURNITURE = _STRONG_FURNITURE | frozenset(
    {
        "promo", "promotion", "ad", "ads", "advert", "adverts", "advertisement", "advertising",
        "sponsor", "sponsored", "widget", "tags", "tag", "author", "authors", "caption", "credit",
        "credits", "banner", "rating", "teaser", "dateline", "timestamp", "date", "published",
        "meta", "metadata", "follow", "hidden", "hide", "print", "skip", "more", "readmore",
        "toast", "tooltip", "header", "topics", "keywords", "embed", "video", "gallery",
        "slideshow", "carousel", "tools", "sr", "screen", "visually", "rollover", "popover",
        "hovercard",
    }
)  # fmt: skip
# Words that say a container holds the article itself; they outweigh one furniture word.
_CONTENT = frozenset(
    {"article", "body", "content", "story", "entry", "post", "main", "prose", "paragraph"}
)
# A furniture-named element holding more than this share of the page's text is not pruned.
_SHARE_LIMIT = 0.3
# Figures and their captions are kept whatever their class says (``class="caption"``).
_KEPT_TAGS = frozenset(
    {"figure", "figcaption", "img", "picture", "blockquote", "tr", "td", "th", "tbody", "thead"}
)
# Elements whose attributes may hide them or give them a furniture role, found by lxml in C.
_MARKED_HIDDEN_OR_ROLE = lxml.etree.XPath(
    "//*[@hidden or @aria-hidden or @style or @role or contains(@class, 'collapse')]"
)
_NO_WORDS: frozenset[str] = frozenset()
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


@lru_cache(maxsize=4096)
def _words(value: str) -> frozenset[str]:
    return frozenset(word.lower() for word in _WORD.findall(value))


def attribute_words(element: Element) -> frozenset[str]:
    """The words of an element's class and id attributes, lower-cased."""
    names = element.get("class"), element.get("id")
    return _words(f"{names[0] or ''} {names[1] or ''}") if any(names) else _NO_WORDS


def _is_furniture_tag(element: Element) -> bool:
    if element.tag in _DROP_TAGS or element.get("role") in _DROP_ROLES:
        return True
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    if "display:none" in element.get("style", "").replace(" ", ""):
        return True
    return _is_collapsed(element)


def _is_collapsed(element: Element) -> bool:
    """Closed by the page's CSS framework until a reader opens it (Bootstrap's ``collapse``
    without ``show``/``in``); the reader of the page does not see it."""
    classes = set((element.get("class") or "").split())
    return "collapse" in classes and not classes & {"show", "in"}


def is_furniture_name(element: Element) -> bool:
    """Do the element's class and id words name furniture (and no article part)? Figures,
    quotes and table parts are never furniture by name."""
    if element.tag in _KEPT_TAGS:
        return False
    words = attribute_words(element)
    if words & _STRONG_FURNITURE:
        return True
    return bool(words & _FURNITURE) and not words & _CONTENT


def never_wraps_article(element: Element) -> bool:
    """Does the element's name say it is furniture that never wraps an article (comments), and
    nothing that might (``social-share article-body`` could be the article's own box)?"""
    words = attribute_words(element)
    return bool(words & _NEVER_WRAPPING) and not words & _CONTENT


def prune_tags(root: Element) -> None:
    """Remove the subtrees whose tag or role alone says they are not article prose."""
    doomed = [*root.iter(*_DROP_TAGS), *_MARKED_HIDDEN_OR_ROLE(root)]
    _drop([el for el in doomed if el.tag not in ("html", "body") and _is_furniture_tag(el)])


def prune_names(container: Element) -> None:
    """Remove furniture-named subtrees inside the chosen body ``container``.

    A name is weaker evidence than a tag: class names are reused for wrappers (``Page-ad-margins``,
    ``theiaStickySidebar``), so an element named like furniture that holds a large share of the
    body's text is kept.
    """
    limit = _SHARE_LIMIT * len(text_of(container))
    doomed = [
        el
        for el in container.iterdescendants()
        if isinstance(el.tag, str)
        and not _wraps_quote(el)
        and is_furniture_name(el)
        and (never_wraps_article(el) or len(text_of(el)) < limit)
    ]
    _drop(doomed)


def _wraps_quote(element: Element) -> bool:
    """Is the element a wrapper around a quote (an embedded post in an "embed" box)?"""
    quote = next(element.iter("blockquote"), None)
    return quote is not None and len(text_of(quote)) >= 0.8 * len(text_of(element))


def _drop(elements: list[Element]) -> None:
    for element in elements:
        if element.getparent() is not None:
            drop_tree(element)
