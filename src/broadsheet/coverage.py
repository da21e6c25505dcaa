"""Reading stories back out of storage: top-story cards and a story's full coverage.

Orchestration only: the numbers come from storage, the ranking from ``rank.top``, the text work
(summary, entities, distinctive sentences) from ``understand``.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, cast

from broadsheet.rank.top import Coverage, rank_top_stories
from broadsheet.storage import Store
from broadsheet.storage.stories import StoryMember
from broadsheet.storage.story_texts import StoryTexts
from broadsheet.types import Article, OutletCoverage, Story, StoryCard, StoryCoverage

__all__ = [
    "ArticleContext",
    "RelatedIndex",
    "StoryReader",
    "article_context",
    "outlet_names",
    "story_coverage",
    "top_story_cards",
]


def _copies(members: list[StoryMember]) -> set[int]:
    """Article ids that repeat an earlier member's syndication group (``members`` oldest first)."""
    seen: set[int] = set()
    copies: set[int] = set()
    for m in members:
        if m.syndication_group is None:
            continue
        if m.syndication_group in seen:
            copies.add(m.article_id)
        seen.add(m.syndication_group)
    return copies


def top_story_cards(
    store: Store,
    *,
    now: datetime,
    limit: int = 20,
    window: timedelta = timedelta(hours=48),
    standing: Mapping[int, float] | None = None,
) -> list[StoryCard]:
    """The top stories of the last ``window``, each with its lead article and outlets. A quiet
    install (or one just filled from old archives) looks further back rather than show none."""
    stories: dict[int, Story] = {}
    for span in (window, window * 4, window * 16):
        stories = {s.id: s for s in store.stories.recent_stories(now - span, limit=limit * 10)}
        if len(stories) >= min(limit, 5):
            break
    by_story: dict[int, list[StoryMember]] = defaultdict(list)
    for member in store.stories.members(stories):
        by_story[member.story_id].append(member)
    sections = store.labels.story_sections(by_story)
    coverage = [
        Coverage(
            story_id=sid,
            headline=stories[sid].headline or "",
            outlets=tuple({m.source_id if m.source_id is not None else -m.article_id for m in ms}),
            article_times=tuple(m.published for m in ms),
            copies=len(_copies(ms)),
            topic=sections.get(sid),
        )
        for sid, ms in by_story.items()
    ]
    ranked = rank_top_stories(coverage, now=now, standing=standing, limit=limit)
    chosen = [(stories[r.story_id], by_story[r.story_id]) for r in ranked]
    leads = {a.id: a for a in store.get_articles([ms[0].article_id for _, ms in chosen])}
    names = _source_names(store, [m for _, ms in chosen for m in ms])
    return [
        StoryCard(story, leads[ms[0].article_id], _outlets_of(ms, names), len(_copies(ms)))
        for story, ms in chosen
        if ms[0].article_id in leads  # (a lead expired meanwhile: the story shows next time)
    ]


def _source_names(store: Store, members: list[StoryMember]) -> dict[int, str]:
    """The names of the members' sources, read in one query (a query per outlet made the home
    page's forty cards hundreds of round trips)."""
    found = store.get_sources({m.source_id for m in members if m.source_id is not None})
    return {i: s.title or s.url for i, s in found.items()}


def _outlets_of(members: list[StoryMember], names: Mapping[int, str]) -> tuple[str, ...]:
    """The members' outlets by name, first reporter first."""
    ids = dict.fromkeys(m.source_id for m in members if m.source_id in names)
    return tuple(names[i] for i in ids if i is not None)


def story_coverage(
    store: Store, story_id: int, *, now: datetime, reader: StoryReader | None = None
) -> StoryCoverage:
    """Everything the story page shows. Raises ``NotFound`` for an unknown id."""
    reader = reader or StoryReader(store)
    story = store.stories.get_story(story_id)
    members = store.stories.members([story.id])
    articles = store.get_articles([m.article_id for m in members])
    copy_ids = _copies(members)
    group_of = {m.article_id: m.syndication_group for m in members}
    representatives = [a for a in articles if a.id not in copy_ids]
    copies: dict[int, tuple[Article, ...]] = {}
    for rep in representatives:
        group = group_of.get(rep.id)
        if group is not None:
            found = tuple(a for a in articles if a.id in copy_ids and group_of[a.id] == group)
            if found:
                copies[rep.id] = found
    texts = reader.text_analysis(story, representatives, now=now)
    return StoryCoverage(
        story=story,
        headline=story.headline or texts.headline or "",  # the kept one, as lists show it
        summary=texts.summary,
        articles=tuple(representatives),
        outlets=_outlets(articles, texts.distinctive),
        copies=copies,
        people=texts.people,
        organisations=texts.organisations,
        places=texts.places,
        related=reader.related_index.related(store, story, now=now),
        topics=tuple((t.key, t.name) for t in store.labels.story_topics(story.id)),
    )


def _outlets(
    articles: list[Article], distinctive: Mapping[str, tuple[str, ...]]
) -> tuple[OutletCoverage, ...]:
    by_outlet: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        by_outlet[_outlet(article)].append(article)
    outlets = [
        OutletCoverage(
            source=name,
            first_at=min(a.published or a.created_at for a in group),
            articles=tuple(group),
            distinctive=distinctive.get(name, ()),
        )
        for name, group in by_outlet.items()
    ]
    return tuple(sorted(outlets, key=lambda o: o.first_at))


# Part of the key of kept analyses: raise it when the analysis changes, so that stories kept from
# before are analysed again.
ANALYSIS_VERSION = 2  # 2: names typed by the entity model (entity_ner)


@dataclass(frozen=True, slots=True)
class TextAnalysis:
    headline: str = ""
    summary: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    distinctive: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "headline": self.headline, "summary": list(self.summary), "people": list(self.people),
            "organisations": list(self.organisations), "places": list(self.places),
            "distinctive": {k: list(v) for k, v in self.distinctive.items()},
        }  # fmt: skip

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TextAnalysis:
        def strings(name: str) -> tuple[str, ...]:
            return tuple(str(x) for x in data.get(name) or ())

        distinctive = data.get("distinctive") or {}
        return cls(
            headline=str(data.get("headline") or ""), summary=strings("summary"),
            people=strings("people"), organisations=strings("organisations"),
            places=strings("places"),
            distinctive={str(k): tuple(str(x) for x in v) for k, v in distinctive.items()},
        )  # fmt: skip


def _text_analysis(articles: list[Article]) -> TextAnalysis:
    """Summary, entities and each outlet's distinctive sentences, from the members' text."""
    from broadsheet.understand.entity_ner import default_typer
    from broadsheet.understand.story_text import MemberText, analyse_story, choose_headline

    if not articles:
        return TextAnalysis()
    members = [
        MemberText(_outlet(a), a.title or "", a.text) for a in articles[:40]
    ]  # the oldest forty say what the story is; more would only slow the page
    found = analyse_story(members, typer=default_typer())
    headline = choose_headline(members)
    summary = found.summary or ((articles[0].standfirst,) if articles[0].standfirst else ())
    return TextAnalysis(
        headline=headline,
        summary=summary, people=found.people, organisations=found.organisations,
        places=found.places, distinctive=found.distinctive,
    )  # fmt: skip


def _outlet(article: Article) -> str:
    return article.source_title or article.publisher or "Unknown outlet"


@dataclass(frozen=True, slots=True)
class ArticleContext:
    """An article's place in the news: its story, its syndicated copies, related stories."""

    story: Story | None
    outlets: tuple[str, ...]
    copies: tuple[Article, ...]
    related: tuple[Story, ...]


def article_context(
    store: Store, article_id: int, *, now: datetime, reader: StoryReader | None = None
) -> ArticleContext:
    """What the reading view shows around an article (empty while it waits for its story)."""
    reader = reader or StoryReader(store)
    placed = store.stories.placement(article_id)
    if placed is None:
        return ArticleContext(None, (), (), ())
    story, group = placed
    copies: tuple[Article, ...] = ()
    if group is not None:
        ids = [i for i in store.stories.copies_of(group) if i != article_id]
        copies = tuple(store.get_articles(ids))
    related = reader.related_index.related(store, story, now=now)
    return ArticleContext(story, reader.outlet_names(story, now=now), copies, related)


def outlet_names(store: Store, story: Story) -> tuple[str, ...]:
    """The names of the outlets that covered ``story``, first reporter first."""
    members = store.stories.members([story.id])
    return _outlets_of(members, _source_names(store, members))


class RelatedIndex:
    """Recent stories by the distinctive words of their headlines, so that "related stories" is a
    few dictionary look-ups per page instead of a scan of every recent story.

    At most every ``check`` it reads the stories made since it last looked (by id) and those
    changed since (grown ones with new headlines, merged ones), and updates only those: rebuilding
    it from thousands of stories stalled every request of the process for the better part of a
    second, and stories change every few seconds. A change stamped by a writer whose clock runs
    behind is taken up by the full rebuild every ``ttl``, which also drops stories that left the
    window."""

    def __init__(
        self, *, window: timedelta = timedelta(days=7), ttl: timedelta = timedelta(minutes=10),
        check: timedelta = timedelta(seconds=1), common: float = 0.01, floor: int = 50,
    ):  # fmt: skip
        # A word in more than ``common`` of recent headlines (and more than ``floor`` of them, so
        # that a small install keeps every word) tells nothing of what a story is about, and
        # walking its long posting list was most of a story page.
        self.window, self.ttl, self.check = window, ttl, check
        self.common, self.floor = common, floor
        self._built: datetime | None = None
        self._checked: datetime | None = None
        self._newest = 0  # the newest story id read so far
        self._seen: datetime | None = None  # the latest change to a story read so far
        self._postings: dict[str, set[int]] = {}
        self._stories: dict[int, Story] = {}
        self._lock = threading.Lock()

    def related(
        self, store: Store, story: Story, *, now: datetime, limit: int = 5
    ) -> tuple[Story, ...]:
        """Recent stories sharing at least two uncommon headline words with ``story``, most shared
        first."""
        from broadsheet.rank.top import headline_words

        mine = headline_words(story.headline or "")
        if not mine:
            return ()
        with self._lock:
            self._bring_up_to_date(store, now)
            longest = max(self.floor, int(self.common * len(self._stories)))
            shared: Counter[int] = Counter()
            for word in mine:
                posting = self._postings.get(word, ())
                if len(posting) <= longest:
                    shared.update(posting)
            shared.pop(story.id, None)
            found = [self._stories[i] for i, n in shared.items() if n >= 2]
        found.sort(key=lambda s: (-shared[s.id], -s.outlet_count, -s.id))
        return tuple(found[:limit])

    def _bring_up_to_date(self, store: Store, now: datetime) -> None:
        if self._built is None or not timedelta(0) <= now - self._built < self.ttl:
            # Read the marks first: what changes during the rebuild is read at the next check.
            self._newest, self._seen = store.stories.newest_id(), store.stories.last_change()
            self._postings, self._stories = {}, {}
            for story in store.stories.recent_stories(now - self.window, limit=20_000):
                self._put(story)
            self._built = self._checked = now
        elif self._checked is None or not timedelta(0) <= now - self._checked < self.check:
            for story in store.stories.stories_after(self._newest):
                self._put(story)
                self._newest = max(self._newest, story.id)
            for story, changed_at in store.stories.changed_since(self._seen):
                self._drop(story.id)
                if story.merged_into is None:
                    self._put(story)
                self._seen = max(self._seen or changed_at, changed_at)
            self._checked = now

    def _put(self, story: Story) -> None:
        from broadsheet.rank.top import headline_words

        self._stories[story.id] = story
        for word in headline_words(story.headline or ""):
            self._postings.setdefault(word, set()).add(story.id)

    def _drop(self, story_id: int) -> None:
        from broadsheet.rank.top import headline_words

        old = self._stories.pop(story_id, None)
        if old is not None:
            for word in headline_words(old.headline or ""):
                self._postings.get(word, set()).discard(story_id)


class _Lru:
    """A small least-recently-used map, safe to share between threads."""

    def __init__(self, size: int) -> None:
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            if key not in self._items:
                return None
            self._items.move_to_end(key)
            return self._items[key]

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self._size:
                self._items.popitem(last=False)


class StoryReader:
    """Top stories, full coverage and article context over one store, with the costly parts kept
    for as long as they stay true.

    A story's coverage (members, outlets, text analysis) is keyed on the story's own row, whose
    counts and span change whenever it gains, loses or merges members, so a cached entry can only
    be of the story as it still is; ``ttl`` bounds how long an article edited in place (a new
    title) may show its old title. Related stories are looked up per request: they change when
    other stories do."""

    def __init__(
        self, store: Store, *, text_cache: int = 256, story_cache: int = 2048,
        ttl: timedelta = timedelta(minutes=5),
    ) -> None:  # fmt: skip
        self.store = store
        self.related_index = RelatedIndex()
        self.ttl = ttl
        self.kept_texts = StoryTexts(store.engine)
        self._texts = _Lru(text_cache)
        self._coverage = _Lru(story_cache)
        self._outlets = _Lru(story_cache * 4)

    def top_story_cards(self, *, now: datetime, limit: int = 20) -> list[StoryCard]:
        return top_story_cards(self.store, now=now, limit=limit)

    def story_coverage(self, story_id: int, *, now: datetime) -> StoryCoverage:
        return self.coverage_of(self.store.stories.get_story(story_id), now=now)

    def coverage_of(self, story: Story, *, now: datetime) -> StoryCoverage:
        """``story_coverage`` for a story already read (the story page resolved it)."""
        story_id = story.id
        coverage = self._fresh(self._coverage, story, now)
        if coverage is None:
            coverage = story_coverage(self.store, story_id, now=now, reader=self)
            self._coverage.put(story, (now, coverage))
        return replace(coverage, related=self.related_index.related(self.store, story, now=now))

    def article_context(self, article_id: int, *, now: datetime) -> ArticleContext:
        return article_context(self.store, article_id, now=now, reader=self)

    def analyse_changed(
        self, since: datetime, *, now: datetime, limit: int
    ) -> tuple[int, datetime]:
        """Make and keep the text analysis of up to ``limit`` stories changed after ``since``
        (oldest change first; merged ones need none); returns how many, and the change reached."""
        done, reached = 0, since
        for story, changed_at in self.store.stories.changed_since(since, limit=limit):
            if story.merged_into is None:
                members = self.store.stories.members([story.id])
                copies = _copies(members)
                ids = [m.article_id for m in members if m.article_id not in copies]
                self.text_analysis(story, self.store.get_articles(ids), now=now)
                done += 1
            reached = changed_at
        return done, reached

    def outlet_names(self, story: Story, *, now: datetime) -> tuple[str, ...]:
        names = self._fresh(self._outlets, story, now)
        if names is None:
            names = outlet_names(self.store, story)
            self._outlets.put(story, (now, names))
        return cast(tuple[str, ...], names)

    def _fresh(self, cache: _Lru, story: Story, now: datetime) -> Any | None:
        found = cache.get(story)
        if found is None or not timedelta(0) <= now - found[0] < self.ttl:
            return None
        return found[1]

    def text_analysis(
        self, story: Story, articles: list[Article], *, now: datetime
    ) -> TextAnalysis:
        """The story's text analysis, computed once per state of the story: kept here, and in
        the database for the other processes."""
        key = (story.id, story.article_count, story.first_published, story.last_published)
        found: TextAnalysis | None = self._texts.get(key)
        if found is not None:
            return found
        version = f"{ANALYSIS_VERSION}/{key[1:]}"
        kept = self.kept_texts.get(story.id, version)
        if kept is not None:
            found = TextAnalysis.from_json(kept)
        else:
            found = _text_analysis(articles)
            self.kept_texts.put(story.id, version, found.to_json(), now=now)
        self._texts.put(key, found)
        return found
