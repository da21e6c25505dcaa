"""Outgoing feeds: latest articles, top stories, one story, one topic and one search, as Atom,
RSS 2.0 and JSON Feed 1.1.

Atom and RSS are written by feedgen; JSON Feed is plain JSON. Entries link to our reading view and
carry the original address; the body is the sanitized HTML, or only the standfirst when full text
is withheld (e.g. behind a membership gate).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from broadsheet.extract.sanitize import sanitize_html
from broadsheet.types import Article, Enclosure
from broadsheet.web.pages import _bs

__all__ = ["FeedMeta", "render_feed", "router"]

router = APIRouter()
MEDIA_TYPES = {
    "atom": "application/atom+xml; charset=utf-8",
    "rss": "application/rss+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}
FEED_SIZE = 50


@dataclass(frozen=True, slots=True)
class FeedMeta:
    title: str
    self_url: str
    site_url: str
    updated: datetime


def _summary(article: Article) -> str:
    if article.standfirst:
        return article.standfirst
    return next((p.strip() for p in article.text.split("\n") if p.strip()), "")


def _content(article: Article, full: bool) -> str:
    return sanitize_html(article.html) if full and article.html else ""


def render_feed(
    fmt: str, meta: FeedMeta, articles: Sequence[Article], *, base: str, full: bool = True
) -> str:
    """The feed document in ``fmt`` (atom, rss or json)."""
    if fmt == "json":
        return _json_feed(meta, articles, base=base, full=full)
    from feedgen.feed import FeedGenerator

    generator = FeedGenerator()
    generator.load_extension("dc")  # RSS has no author names without Dublin Core
    generator.id(meta.self_url)
    generator.title(meta.title)
    generator.link(href=meta.self_url, rel="self")
    generator.link(href=meta.site_url, rel="alternate")
    generator.description(meta.title)
    generator.updated(meta.updated)
    generator.generator("Broadsheet")
    for article in reversed(articles):  # feedgen prepends: add oldest first
        entry = generator.add_entry()
        entry.id(f"{base}/articles/{article.id}")
        entry.title(article.title or "Untitled")
        # Only the alternate link: feedgen 1.0 drops the rel of other links, which would make
        # the original's address pass for ours. JSON Feed carries it as external_url.
        entry.link(href=f"{base}/articles/{article.id}", rel="alternate")
        entry.published(article.published or article.created_at)
        entry.updated(article.modified or article.published or article.created_at)
        entry.summary(_summary(article))
        for author in article.authors:
            if fmt == "atom":
                entry.author(name=author.name)
            else:
                entry.dc.dc_creator(author.name)
        if content := _content(article, full):
            entry.content(content, type="CDATA" if fmt == "rss" else "html")
        if fmt == "rss" and article.enclosures:  # RSS allows one; in Atom feedgen would drop
            first = article.enclosures[0]  # the rel="enclosure" (see above), so Atom has none
            entry.enclosure(first.url, str(first.length or 0),
                            first.type or "application/octet-stream")  # fmt: skip
    document: bytes = generator.atom_str() if fmt == "atom" else generator.rss_str()
    return document.decode()


def _json_feed(meta: FeedMeta, articles: Sequence[Article], *, base: str, full: bool) -> str:
    items = []
    for article in articles:
        item: dict[str, object] = {
            "id": f"{base}/articles/{article.id}",
            "url": f"{base}/articles/{article.id}",
            "external_url": article.url,
            "title": article.title or "Untitled",
            "summary": _summary(article),
            "date_published": (article.published or article.created_at).isoformat(),
            "authors": [{"name": a.name} for a in article.authors],
        }
        if content := _content(article, full):
            item["content_html"] = content
        else:
            item["content_text"] = _summary(article)
        if article.enclosures:
            item["attachments"] = [_attachment(e) for e in article.enclosures]
        items.append(item)
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": meta.title,
        "home_page_url": meta.site_url,
        "feed_url": meta.self_url,
        "items": items,
    }
    return json.dumps(document, ensure_ascii=False, indent=1)


def _attachment(enclosure: Enclosure) -> dict[str, object]:
    media_type = enclosure.type or "application/octet-stream"
    found: dict[str, object] = {"url": enclosure.url, "mime_type": media_type}
    if enclosure.length:
        found["size_in_bytes"] = enclosure.length
    return found


def _respond(request: Request, fmt: str, title: str, articles: Sequence[Article]) -> Response:
    if fmt not in MEDIA_TYPES:
        raise HTTPException(404, "Unknown feed format: use .atom, .rss or .json")
    broadsheet = _bs(request)
    base = str(request.base_url).rstrip("/")
    updated = max((a.created_at for a in articles), default=broadsheet.now())
    meta = FeedMeta(title, str(request.url), base + "/", updated)
    body = render_feed(fmt, meta, articles, base=base, full=full_text_allowed(request))
    return Response(body, media_type=MEDIA_TYPES[fmt])


def full_text_allowed(request: Request) -> bool:
    """Whether feeds may carry full article bodies (not when reading is gated by membership)."""
    settings = _bs(request).settings
    return not getattr(settings, "membership_enabled", False)


@router.get("/feeds/latest.{fmt}")
def latest_feed(request: Request, fmt: str) -> Response:
    articles = _bs(request).list_articles(limit=FEED_SIZE)
    return _respond(request, fmt, "Broadsheet — latest", articles)


@router.get("/feeds/top.{fmt}")
def top_feed(request: Request, fmt: str) -> Response:
    cards = _bs(request).top_stories(limit=FEED_SIZE)
    return _respond(request, fmt, "Broadsheet — top stories", [c.lead for c in cards])


@router.get("/feeds/stories/{story_id}.{fmt}")
def story_feed(request: Request, story_id: int, fmt: str) -> Response:
    coverage = _bs(request).story_coverage(story_id)
    articles = sorted(coverage.articles, key=lambda a: a.published or a.created_at, reverse=True)
    return _respond(request, fmt, f"Broadsheet — {coverage.headline}", articles)


@router.get("/feeds/topics/{name}.{fmt}")
def topic_feed(request: Request, name: str, fmt: str) -> Response:
    """A section or a person, organisation or place: its newest articles."""
    from broadsheet.web.topics import topic_named

    broadsheet = _bs(request)
    key, _, title = topic_named(broadsheet, name)
    articles = broadsheet.store.labels.list_articles(key, limit=FEED_SIZE)
    return _respond(request, fmt, f"Broadsheet — {title}", articles)


@router.get("/feeds/search.{fmt}")
def search_feed(request: Request, fmt: str, q: str = "", topic: str = "") -> Response:
    """A search kept as a feed: its newest matches (the search page links to it)."""
    from broadsheet.storage.search import SearchQuery

    if not q.strip():
        raise HTTPException(400, "A search feed needs words to look for: ?q=…")
    query = SearchQuery(q[:500], topic=topic.strip() or None, order="date", limit=FEED_SIZE)
    hits = _bs(request).store.search.search(query).hits
    return _respond(request, fmt, f"Broadsheet — search: {q.strip()[:100]}",
                    [h.article for h in hits])  # fmt: skip
