"""Article metadata from a page: structured data first, then ``<meta>`` tags, then the markup.

Hand-written because each field has its own order of trust (JSON-LD says what the publisher meant,
Open Graph what it wants shared, the visible markup what a reader sees), and the answers must be
normalised: times timezone-aware, authors split into name and role, URLs absolute.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

from broadsheet.extract.attribution import WIRE_AGENCIES
from broadsheet.extract.boilerplate import attribute_words
from broadsheet.extract.dom import Element, squash, text_of
from broadsheet.extract.jsonld import article_objects, json_objects, text_value, types_of
from broadsheet.types import Author, LeadImage

__all__ = ["PageMetadata", "parse_datetime", "read_metadata", "scoped_metadata"]

_TITLE_SEPARATORS = re.compile(r"\s+[|\-\u2013\u2014\u00b7:\u00bb]\s+")
_BY = re.compile(r"^\s*(by|von|par|por|di)(\s+|$)", re.I)
_ROLE_SEPARATOR = re.compile(r"\s*[,|]\s*")
_DATE = re.compile(
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?\s+\d{1,2}\b"
    r"|\b\d{4}-\d\d-\d\d\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b"
)
_BYLINE_WORDS = frozenset({"byline", "author", "authors", "writer"})
_AGENCY_NAMES = "|".join(sorted(map(re.escape, WIRE_AGENCIES), key=len, reverse=True))
_TRAILING_AGENCY = re.compile(rf"[\s,]+(?:of\s+|for\s+)?(?:the\s+)?({_AGENCY_NAMES})$")
# No web page was published before this year; earlier ones are placeholders.
_FIRST_YEAR = 1990
_HOST = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$")
_NOT_SECTIONS = frozenset({"post", "article", "story", "page", "blog", "uncategorized", "none"})
_CREDIT_WORDS = frozenset({"credit", "credits", "copyright", "byline", "source", "photographer"})
_PAYWALL_WORDS = frozenset({"paywall", "premium", "subscriber", "locked", "metered"})


@dataclass(frozen=True, slots=True)
class PageMetadata:
    title: str | None = None
    standfirst: str | None = None
    authors: tuple[Author, ...] = ()
    publisher: str | None = None
    section: str | None = None
    published: datetime | None = None
    modified: datetime | None = None
    language: str | None = None
    canonical_url: str | None = None
    lead_image: LeadImage | None = None
    paywalled: bool = False
    article: dict[str, Any] | None = None


def parse_datetime(value: str | None) -> datetime | None:
    """An ISO 8601 time, timezone-aware (a time without zone is taken as UTC); placeholder
    years (``0001-01-01``) count as no time."""
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00").replace(" ", "T", 1)
    text = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", text)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.year < _FIRST_YEAR:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed


class _Meta:
    """The page's ``<meta>`` tags by lower-cased name or property (first one wins)."""

    def __init__(self, root: Element) -> None:
        self.values: dict[str, str] = {}
        for meta in root.iter("meta"):
            key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
            content = squash(meta.get("content") or "")
            if key and content and key not in self.values:
                self.values[key] = content

    def first(self, *keys: str) -> str | None:
        return next((self.values[k] for k in keys if k in self.values), None)


def _name(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return text_value(value)


def _title(article: dict[str, Any], meta: _Meta, root: Element) -> str | None:
    found = text_value(article.get("headline")) or meta.first("og:title", "twitter:title")
    if not found:
        h1 = next(root.iter("h1"), None)
        found = squash(text_of(h1)) if h1 is not None else None
    if not found:
        title = root.find(".//title")
        text = squash(text_of(title)) if title is not None else ""
        found = _TITLE_SEPARATORS.split(text)[0] if text else None
    return found or None


def _person(value: Any) -> Author | None:
    if isinstance(value, str):
        return author_from_byline(value)
    if not isinstance(value, dict):
        return None
    byline = author_from_byline(text_value(value.get("name")) or "")
    if byline is None:
        return None
    parts = [
        byline.role,
        text_value(value.get("jobTitle")),
        _name(value.get("affiliation") or value.get("worksFor")),
    ]
    return Author(byline.name, ", ".join(p for p in parts if p) or None)


def author_from_byline(text: str) -> Author | None:
    """``"By Scott Lucas, Professor of International Politics"`` → name and role.

    A date printed after the byline (``"Jane Roe | November 18, 2019 12:01 PM"``) is cut off;
    a wire agency at the end (``"ELLEN MARSH Associated Press"``) becomes the role.
    """
    text = _BY.sub("", squash(text))
    date = _DATE.search(text)
    text = (text[: date.start()] if date else text).strip(" ,|\u2022-")
    if not text or len(text) > 200:
        return None
    agency = _TRAILING_AGENCY.search(text)
    if agency and agency.start() > 0:
        name, role = text[: agency.start()].strip(" ,|"), agency.group(1)
    else:
        name, role = _ROLE_SEPARATOR.split(text, maxsplit=1)[0], ""
        role = text[len(name) :].strip(" ,|")
    if name.isupper() and name not in WIRE_AGENCIES:
        name = name.title()
    return Author(name, role or None) if name else None


def _authors(article: dict[str, Any], meta: _Meta, root: Element) -> tuple[Author, ...]:
    raw = article.get("author") or article.get("creator")
    people = raw if isinstance(raw, list) else [raw]
    found = [a for a in (_person(p) for p in people) if a is not None]
    if not found:
        byline = meta.first("author", "article:author", "byl", "parsely-author")
        if byline and not byline.startswith("http"):
            found = [
                a for a in map(author_from_byline, re.split(r"\s*(?:;|\band\b|&)\s*", byline)) if a
            ]
    if not found:
        found = _byline_elements(root)
    unique: dict[str, Author] = {}
    for author in found:
        if author.name not in unique or (author.role and not unique[author.name].role):
            unique[author.name] = author
    return tuple(unique.values())


def _byline_elements(root: Element) -> list[Author]:
    """The byline printed on the page: an element marked as the author, else the first element
    named as a byline (the outermost, so that a role printed beside the name comes along)."""
    marked = [
        el
        for el in root.iter()
        if isinstance(el.tag, str) and (el.get("rel") == "author" or el.get("itemprop") == "author")
    ]
    named = (el for el in root.iter() if isinstance(el.tag, str) and _is_byline_name(el))
    for element in [*marked, next(named, None)]:
        author = author_from_byline(text_of(element)) if element is not None else None
        if author:
            return [author]
    return []


def _is_byline_name(element: Element) -> bool:
    return bool(attribute_words(element) & _BYLINE_WORDS) and len(text_of(element)) < 200


def _image(
    article: dict[str, Any], meta: _Meta, root: Element, url: str | None
) -> LeadImage | None:
    image = article.get("image")
    if isinstance(image, list):
        image = image[0] if image else None
    caption = credit = None
    if isinstance(image, dict):
        caption = text_value(image.get("caption") or image.get("description"))
        credit = text_value(image.get("creditText")) or _name(image.get("copyrightHolder"))
        image = image.get("url") or image.get("contentUrl")
    source = image if isinstance(image, str) else meta.first("og:image", "twitter:image")
    if not source:
        return None
    printed = _printed_caption(root, source)
    caption = caption or (printed[0] if printed else None)
    credit = credit or (printed[1] if printed else None)
    caption = caption or meta.first("og:image:alt", "twitter:image:alt")
    return LeadImage(urljoin(url or "", source.strip()), caption, credit)


def _file_name(address: str) -> str:
    return address.split("?")[0].rstrip("/").rsplit("/", 1)[-1].lower()


def _printed_caption(root: Element, source: str) -> tuple[str | None, str | None] | None:
    """Caption and credit printed under the lead image on the page, found by its file name."""
    wanted = _file_name(source)
    for figure in root.iter("figure"):
        images = figure.iter("img", "source")
        if not any(_file_name(i.get("src") or i.get("data-src") or "") == wanted for i in images):
            continue
        caption = next(figure.iter("figcaption"), None)
        if caption is None:
            return None
        credit = next((e for e in caption.iter() if attribute_words(e) & _CREDIT_WORDS), None)
        credit_text = squash(text_of(credit)) if credit is not None else None
        text = squash(text_of(caption))
        if credit_text and text.endswith(credit_text):
            text = text[: -len(credit_text)].strip()
        return text or None, credit_text or None
    return None


def _language(root: Element, meta: _Meta, article: dict[str, Any]) -> str | None:
    found = (
        root.get("lang")
        or text_value(article.get("inLanguage"))
        or meta.first("og:locale", "content-language", "language")
    )
    return found.replace("_", "-").split(",")[0].strip() if found else None


def _canonical(root: Element, meta: _Meta, url: str | None) -> str | None:
    link = next((ln.get("href") for ln in root.iter("link") if ln.get("rel") == "canonical"), None)
    found = link or meta.first("og:url")
    return urljoin(url or "", found.strip()) if found else url


def _publisher(article: dict[str, Any], meta: _Meta, root: Element) -> str | None:
    found = _name(article.get("publisher")) or meta.first("og:site_name", "application-name")
    if not found:
        org = next(
            (
                o
                for o in json_objects(root)
                if types_of(o) & {"Organization", "NewsMediaOrganization"}
            ),
            None,
        )
        found = _name(org) if org else None
    return found


def _paywalled(article: dict[str, Any], meta: _Meta) -> bool:
    free = article.get("isAccessibleForFree")
    if free is False or (isinstance(free, str) and free.lower() == "false"):
        return True
    tier = (meta.first("article:content_tier") or "").lower()
    return tier in ("locked", "metered") or bool(set(tier.split()) & _PAYWALL_WORDS - {"metered"})


def _time(article: dict[str, Any], meta: _Meta, root: Element, key: str) -> datetime | None:
    names = {
        "datePublished": ("article:published_time", "datepublished", "date", "pubdate", "dc.date"),
        "dateModified": (
            "article:modified_time",
            "datemodified",
            "og:updated_time",
            "last-modified",
        ),
    }[key]
    found = parse_datetime(text_value(article.get(key))) or parse_datetime(meta.first(*names))
    if found is None and key == "datePublished":
        time = next((t for t in root.iter("time") if t.get("datetime")), None)
        found = parse_datetime(time.get("datetime")) if time is not None else None
    return found


def _people(authors: tuple[Author, ...], publisher: str | None) -> tuple[Author, ...]:
    """Bylines that name the publisher itself ("BBC News" on the BBC) are no authors."""
    own = (publisher or "").casefold()
    return tuple(a for a in authors if a.name.casefold() not in (own, f"{own} staff"))


def _section(article: dict[str, Any], meta: _Meta) -> str | None:
    """The section, unless the page fills it with a host name or a content type."""
    found = text_value(article.get("articleSection")) or meta.first("article:section", "section")
    if not found or _HOST.match(found.casefold()) or found.casefold() in _NOT_SECTIONS:
        return None
    return found


def read_metadata(root: Element, url: str | None = None) -> PageMetadata:
    """Everything but the body, read from the untouched page."""
    articles = article_objects(root)
    article = articles[0] if articles else {}
    meta = _Meta(root)
    publisher = _publisher(article, meta, root)
    return PageMetadata(
        title=_title(article, meta, root),
        standfirst=text_value(article.get("description"))
        or meta.first("og:description", "description", "twitter:description"),
        authors=_people(_authors(article, meta, root), publisher),
        publisher=publisher,
        section=_section(article, meta),
        published=_time(article, meta, root, "datePublished"),
        modified=_time(article, meta, root, "dateModified"),
        language=_language(root, meta, article),
        canonical_url=_canonical(root, meta, url),
        lead_image=_image(article, meta, root, url),
        paywalled=_paywalled(article, meta),
        article=article or None,
    )


def scoped_metadata(meta: PageMetadata, scope: Element, url: str | None) -> PageMetadata:
    """Page metadata corrected by what one article of a several-article page says of itself;
    what the page says only of its first article (standfirst, image, times) is dropped."""
    heading = next(scope.iter("h1", "h2"), None)
    title = squash(text_of(heading)) if heading is not None else ""
    time = next((t for t in scope.iter("time") if t.get("datetime")), None)
    published = parse_datetime(time.get("datetime")) if time is not None else None
    authors = _byline_elements(scope)
    image = next((i for i in scope.iter("img") if i.get("src") or i.get("data-src")), None)
    source = (image.get("src") or image.get("data-src") or "") if image is not None else ""
    return replace(
        meta,
        title=title or meta.title,
        standfirst=None,
        published=published,
        modified=None,
        authors=tuple(authors),
        canonical_url=url,
        lead_image=LeadImage(urljoin(url or "", source), image.get("alt") or None)
        if image is not None and not source.startswith("data:")
        else None,
        article=None,
    )
