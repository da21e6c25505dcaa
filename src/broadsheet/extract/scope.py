"""Pages that carry several articles (endless-scroll templates): the one the URL is about.

Hand-written because the evidence is a convention, not a standard: each article sits in its own
``<article>`` (or schema.org ``Article`` item) and names its address somewhere, in ``data-url``,
an ``itemid``, a ``<meta itemprop="url">`` or the link of its headline. The article whose address
matches the page URL is the scope of the body search; no match, no scope.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

import lxml.etree

from broadsheet.extract.dom import Element, squash, text_of

__all__ = ["article_scope", "same_page"]

_URL_ATTRIBUTES = (
    "data-url", "data-href", "data-permalink", "data-canonical", "data-article-url",
    "data-share-url", "itemid", "data-uri",
)  # fmt: skip
# An article element with less text than this is a teaser, not one of the page's articles.
_MIN_ARTICLE_CHARS = 400


def _key(url: str) -> str:
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}".lower()


def same_page(a: str, b: str) -> bool:
    """Do two URLs name the same page (scheme, ``www.``, query, fragment and final slash aside)?"""
    return bool(a and b) and _key(a) == _key(b)


def _is_article(element: Element) -> bool:
    if element.tag == "article":
        return True
    kind = element.get("itemtype") or ""
    return "Article" in kind or "BlogPosting" in kind


_ARTICLES = lxml.etree.XPath(
    "//article | //*[contains(@itemtype, 'Article') or contains(@itemtype, 'BlogPosting')]"
)


def _outer_articles(root: Element) -> list[Element]:
    found: list[Element] = _ARTICLES(root)
    return [el for el in found if not any(_is_article(a) for a in el.iterancestors())]


def _headed_article(articles: list[Element]) -> Element | None:
    """The one article that holds the page's ``<h1>``, when the others hold none."""
    headed = [a for a in articles if next(a.iter("h1"), None) is not None]
    if len(headed) == 1 and len(squash(text_of(headed[0]))) >= _MIN_ARTICLE_CHARS:
        return headed[0]
    return None


def _names_address(element: Element) -> bool:
    """A canonical link, or the link of a headline."""
    if element.tag == "link":
        return bool(element.get("rel") == "canonical")
    return element.tag == "a" and any(a.tag in ("h1", "h2") for a in element.iterancestors())


def _addresses(article: Element) -> Iterator[str]:
    for name in _URL_ATTRIBUTES:
        if article.get(name):
            yield article.get(name, "")
    for element in article.iter("meta", "link", "a"):
        if element.tag == "meta" and element.get("itemprop") in ("url", "mainEntityOfPage"):
            yield element.get("content") or ""
        elif _names_address(element):
            yield element.get("href") or ""


def article_scope(root: Element, url: str | None) -> tuple[Element | None, bool]:
    """The article element ``url`` is about when the page carries several (and ``True``: the
    page's own metadata may be about another one); else the one that holds the page's headline
    (and ``False``); else ``None``."""
    articles = _outer_articles(root)
    if len(articles) < 2:
        return None, False
    long_enough = [a for a in articles if len(squash(text_of(a))) >= _MIN_ARTICLE_CHARS]
    matches = [
        article
        for article in long_enough
        if url and any(same_page(urljoin(url, a), url) for a in _addresses(article) if a)
    ]
    if len(matches) == 1:
        return matches[0], True
    return _headed_article(articles), False
