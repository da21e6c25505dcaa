"""Public value types: frozen, slotted dataclasses shared by every layer.

Times are timezone-aware UTC ``datetime`` objects. Nothing here touches the network or storage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

__all__ = [
    "Article",
    "Author",
    "Enclosure",
    "ExtractedArticle",
    "FeedEntry",
    "FetchReport",
    "LeadImage",
    "OutletCoverage",
    "ParsedFeed",
    "Source",
    "SourceFetchResult",
    "Story",
    "StoryCard",
    "StoryCoverage",
    "User",
]


@dataclass(frozen=True, slots=True)
class Author:
    """A byline: a person's name, plus their role or affiliation when the page gives one."""

    name: str
    role: str | None = None


@dataclass(frozen=True, slots=True)
class LeadImage:
    url: str
    caption: str | None = None
    credit: str | None = None


@dataclass(frozen=True, slots=True)
class ExtractedArticle:
    """What extraction pulls out of one page.

    ``html`` is sanitized structured HTML of the body (safe to show); ``text`` the plain body text
    with one paragraph per line.
    """

    title: str | None
    text: str
    html: str
    authors: tuple[Author, ...] = ()
    standfirst: str | None = None
    publisher: str | None = None
    section: str | None = None
    published: datetime | None = None
    modified: datetime | None = None
    language: str | None = None
    canonical_url: str | None = None
    url: str | None = None
    lead_image: LeadImage | None = None
    attribution: str | None = None
    truncated: bool = False
    enclosures: tuple[Enclosure, ...] = ()  # from the feed entry, not the page

    @property
    def word_count(self) -> int:
        return len(self.text.split())

    @property
    def reading_minutes(self) -> int:
        """Reading time at 230 words a minute, at least one minute for any text."""
        return max(1, round(self.word_count / 230)) if self.text else 0


@dataclass(frozen=True, slots=True)
class Enclosure:
    """A file an entry carries (a podcast's audio, a photo): its address, media type and size in
    bytes, as the feed gives them."""

    url: str
    type: str | None = None
    length: int | None = None

    @property
    def kind(self) -> str:
        """``audio``, ``video``, ``image`` or ``file``, from the media type or the address."""
        major = (self.type or "").split("/", 1)[0]
        if major in ("audio", "video", "image"):
            return major
        suffix = self.url.rsplit("?", 1)[0].rsplit(".", 1)[-1].lower()
        return _KIND_BY_SUFFIX.get(suffix, "file")


_KIND_BY_SUFFIX = {
    "mp3": "audio", "m4a": "audio", "ogg": "audio", "opus": "audio", "wav": "audio",
    "mp4": "video", "webm": "video", "mov": "video", "m4v": "video",
    "jpg": "image", "jpeg": "image", "png": "image", "gif": "image", "webp": "image",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One item of a parsed feed, before its article page is fetched."""

    guid: str | None
    link: str | None
    title: str | None
    summary: str | None = None
    content_html: str | None = None
    authors: tuple[str, ...] = ()
    published: datetime | None = None
    updated: datetime | None = None
    enclosures: tuple[Enclosure, ...] = ()


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    title: str | None
    site_url: str | None
    entries: tuple[FeedEntry, ...]
    format: str


@dataclass(frozen=True, slots=True)
class Source:
    id: int
    url: str
    title: str | None
    site_url: str | None
    status: str
    last_error: str | None
    last_fetched_at: datetime | None
    last_success_at: datetime | None
    next_fetch_at: datetime | None
    error_count: int = 0
    etag: str | None = None
    last_modified: str | None = None
    category: str | None = None
    full_text: bool = True
    interval_seconds: int | None = None
    created_at: datetime | None = None
    items_per_day: float | None = None
    paused_reason: str | None = None
    retention_days: int | None = None  # None: the site-wide setting


@dataclass(frozen=True, slots=True)
class Article:
    """A stored article: extracted page plus where it came from."""

    id: int
    url: str
    source_id: int | None
    source_title: str | None
    title: str | None
    text: str
    html: str
    created_at: datetime
    canonical_url: str | None = None
    authors: tuple[Author, ...] = ()
    standfirst: str | None = None
    publisher: str | None = None
    section: str | None = None
    published: datetime | None = None
    modified: datetime | None = None
    language: str | None = None
    lead_image: LeadImage | None = None
    attribution: str | None = None
    word_count: int = 0
    enclosures: tuple[Enclosure, ...] = ()

    @property
    def reading_minutes(self) -> int:
        return max(1, round(self.word_count / 230)) if self.word_count else 0


@dataclass(frozen=True, slots=True)
class Story:
    """The coverage of one event across outlets. A merged story names its successor."""

    id: int
    headline: str | None
    article_count: int
    outlet_count: int
    first_published: datetime | None
    last_published: datetime | None
    merged_into: int | None = None


@dataclass(frozen=True, slots=True)
class StoryCard:
    """A story as a list shows it: its lead article and who covered it."""

    story: Story
    lead: Article
    outlets: tuple[str, ...]
    copies: int = 0


@dataclass(frozen=True, slots=True)
class OutletCoverage:
    """One outlet's part in a story: its articles, and the sentences only it reported."""

    source: str
    first_at: datetime
    articles: tuple[Article, ...]
    distinctive: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StoryCoverage:
    """Full coverage of one story."""

    story: Story
    headline: str
    summary: tuple[str, ...]
    articles: tuple[Article, ...]  # oldest first, syndicated copies folded
    outlets: tuple[OutletCoverage, ...]  # who reported first, first
    copies: dict[int, tuple[Article, ...]]  # representative article id -> its copies
    people: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    related: tuple[Story, ...] = ()
    topics: tuple[tuple[str, str], ...] = ()  # (key, name): its sections, then names, most shared


@dataclass(frozen=True, slots=True)
class User:
    id: int
    email: str
    role: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class SourceFetchResult:
    """The outcome of fetching one source once: counts, or the error in words."""

    source_id: int
    url: str
    ok: bool
    new_articles: int = 0
    updated_articles: int = 0
    error: str | None = None
    not_modified: bool = False


@dataclass(frozen=True, slots=True)
class FetchReport:
    results: tuple[SourceFetchResult, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> int:
        return sum(1 for r in self.results if r.ok)

    @property
    def failed(self) -> int:
        return sum(1 for r in self.results if not r.ok)

    @property
    def new_articles(self) -> int:
        return sum(r.new_articles for r in self.results)
