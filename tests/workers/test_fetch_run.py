"""A fetch run against a real local news site: conditional GET, entry identity and updates,
scheduling from the publishing rate, pausing after repeated failures and retrying, robots.txt."""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from broadsheet.config import Settings
from broadsheet.core import Broadsheet, make_broadsheet
from broadsheet.storage.ingestion import SourceSettings
from tests.conftest import Clock
from tests.localserver import LocalServer, Reply
from tests.site import STORIES, article_page

RSS = {"Content-Type": "application/rss+xml"}


def rss(items: list[tuple[str, str, str]], base: str, **headers: str) -> Reply:
    body = "".join(
        f"<item><title>{title}</title><link>{base}{link}</link><guid>{guid}</guid>"
        f"<description>{title}: the summary.</description>"
        f"<pubDate>Fri, 20 Nov 2026 0{i}:00:00 GMT</pubDate></item>"
        for i, (guid, link, title) in enumerate(items)
    )
    document = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Site</title>{body}'
    return Reply((document + "</channel></rss>").encode(), headers={**RSS, **headers})


@pytest.fixture
def broadsheet(tmp_path: Path, clock: Clock) -> Iterator[Broadsheet]:
    settings = Settings(
        data_dir=tmp_path, allow_networks=(ipaddress.ip_network("127.0.0.0/8"),),
        pause_after_errors=3, total_timeout=5,
    )  # fmt: skip
    bs = make_broadsheet(settings, now=clock)
    yield bs
    bs.close()


def site(server: LocalServer, feed: Reply | Any) -> str:
    server.routes["/feed.xml"] = feed
    for slug, title, body in STORIES:
        server.routes[f"/articles/{slug}"] = Reply(
            article_page(slug, title, body), headers={"Content-Type": "text/html"}
        )
    return server.url("/feed.xml")


def items(server: LocalServer) -> list[tuple[str, str, str]]:
    return [(f"guid-{slug}", f"/articles/{slug}", title) for slug, title, _ in STORIES]


def hits(server: LocalServer, prefix: str) -> int:
    return sum(1 for path, _ in server.requests if path.startswith(prefix))


def run(bs: Broadsheet, *, all_sources: bool = False) -> Any:
    return asyncio.run(bs.fetch_due(all_sources=all_sources))


def test_not_modified_costs_one_request_and_nothing_else(
    broadsheet: Broadsheet, server: LocalServer, clock: Clock
) -> None:
    base = server.url("").rstrip("/")
    full = rss(items(server), base, ETag='"v1"')

    def feed(handler: Any) -> Reply:
        return Reply(b"", 304) if handler.headers.get("If-None-Match") == '"v1"' else full

    url = site(server, feed)
    broadsheet.store.add_source(url, now=clock())
    assert run(broadsheet).new_articles == 3
    before = len(server.requests)
    clock.advance(days=2)
    [result] = run(broadsheet).results
    assert result.ok and result.not_modified
    assert len(server.requests) == before + 1
    assert broadsheet.store.count_articles() == 3


def test_changed_guid_is_the_same_article_and_an_edit_updates_it(
    broadsheet: Broadsheet, server: LocalServer, clock: Clock
) -> None:
    base = server.url("").rstrip("/")
    url = site(server, rss(items(server), base))
    broadsheet.store.add_source(url, now=clock())
    run(broadsheet)
    pages = hits(server, "/articles/")

    regenerated = [(f"new-{g}", link, title) for g, link, title in items(server)]
    server.routes["/feed.xml"] = rss(regenerated, base)
    clock.advance(days=2)
    [result] = run(broadsheet).results
    assert (result.new_articles, result.updated_articles) == (0, 0)
    assert hits(server, "/articles/") == pages  # nothing fetched again

    edited = list(regenerated)
    edited[0] = (edited[0][0], edited[0][1], "Glacier retreat: new figures")
    server.routes["/feed.xml"] = rss(edited, base)
    clock.advance(days=2)
    [result] = run(broadsheet).results
    assert (result.new_articles, result.updated_articles) == (0, 1)
    assert broadsheet.store.count_articles() == 3


def test_next_fetch_follows_the_publishing_rate(
    broadsheet: Broadsheet, server: LocalServer, clock: Clock
) -> None:
    url = site(server, rss(items(server), server.url("").rstrip("/")))
    broadsheet.store.add_source(url, now=clock())
    run(broadsheet)
    source = broadsheet.get_source(1)
    # three items in the 3.5 days up to now: about one a day, so fetched about twice a day
    assert source.items_per_day == pytest.approx(0.86, abs=0.01)
    assert source.next_fetch_at == clock() + timedelta(seconds=int(86400 / 0.86 / 2))


def test_repeated_failures_pause_the_source_until_retried(
    broadsheet: Broadsheet, server: LocalServer, clock: Clock
) -> None:
    server.routes["/feed.xml"] = Reply(b"", 500)
    source, _ = broadsheet.store.add_source(server.url("/feed.xml"), now=clock())
    for _ in range(3):
        run(broadsheet)
        clock.advance(days=2)
    paused = broadsheet.get_source(source.id)
    assert paused.status == "paused" and paused.last_error == "HTTP 500 Internal Server Error"
    assert paused.paused_reason == "paused after 3 failed fetches in a row"
    assert run(broadsheet).results == ()

    site(server, rss(items(server), server.url("").rstrip("/")))
    retried = broadsheet.retry_source(source.id)
    assert retried.status == "error" and retried.paused_reason is None
    assert run(broadsheet).new_articles == 3
    assert broadsheet.get_source(source.id).status == "ok"


def test_gone_pauses_at_once(broadsheet: Broadsheet, server: LocalServer, clock: Clock) -> None:
    server.routes["/feed.xml"] = Reply(b"", 410)
    source, _ = broadsheet.store.add_source(server.url("/feed.xml"), now=clock())
    run(broadsheet)
    assert broadsheet.get_source(source.id).paused_reason == (
        "paused: the feed is gone for good (HTTP 410)"
    )


def test_robots_and_full_text_setting_keep_pages_unfetched(
    broadsheet: Broadsheet, server: LocalServer, clock: Clock
) -> None:
    base = server.url("").rstrip("/")
    url = site(server, rss(items(server), base))
    server.routes["/robots.txt"] = Reply(b"User-agent: *\nDisallow: /articles/\n")
    broadsheet.store.add_source(url, now=clock())
    assert run(broadsheet).new_articles == 3
    assert hits(server, "/articles/") == 0
    texts = {a.text for a in broadsheet.list_articles()}
    assert f"{STORIES[0][1]}: the summary." in texts

    server.routes["/robots.txt"] = Reply(b"", 404)
    other = site(server, rss(items(server), base))
    source, _ = broadsheet.store.add_source(other + "?second", now=clock())
    server.routes["/feed.xml?second"] = server.routes["/feed.xml"]
    broadsheet.update_source(source.id, SourceSettings("Mine", "Science", 3600, False, False))
    run(broadsheet)
    assert hits(server, "/articles/") == 0
    changed = broadsheet.get_source(source.id)
    assert (changed.title, changed.category, changed.interval_seconds) == ("Mine", "Science", 3600)
    assert changed.next_fetch_at == clock() + timedelta(seconds=3600)


def test_operator_pause_and_unpause(broadsheet: Broadsheet, clock: Clock) -> None:
    source, _ = broadsheet.store.add_source("https://x.example/feed", now=clock())
    paused = broadsheet.update_source(source.id, SourceSettings(None, None, None, True, True))
    assert (paused.status, paused.paused_reason) == ("paused", "paused by the operator")
    clock.advance(hours=1)
    back = broadsheet.update_source(source.id, SourceSettings(None, None, None, True, False))
    assert (back.status, back.next_fetch_at) == ("ok", clock())


def test_a_page_that_fails_for_now_is_tried_again_and_replaces_the_summary(
    broadsheet: Broadsheet, server: LocalServer, clock: Clock
) -> None:
    base = server.url("").rstrip("/")
    url = site(server, rss(items(server), base))
    slug, title, body = STORIES[0]
    server.routes[f"/articles/{slug}"] = Reply(b"busy", 503)
    server.routes[f"/articles/{STORIES[1][0]}"] = Reply(b"gone", 404)
    broadsheet.store.add_source(url, now=clock())
    assert run(broadsheet).new_articles == 3
    summary = f"{title}: the summary."
    assert summary in {a.text for a in broadsheet.list_articles()}
    server.routes[f"/articles/{slug}"] = Reply(
        article_page(slug, title, body), headers={"Content-Type": "text/html"}
    )
    server.routes[f"/articles/{STORIES[1][0]}"] = Reply(
        article_page(STORIES[1][0], STORIES[1][1], STORIES[1][2]),
        headers={"Content-Type": "text/html"},
    )
    before = hits(server, "/articles/")
    clock.advance(hours=2)
    assert run(broadsheet, all_sources=True).new_articles == 0
    assert hits(server, "/articles/") == before + 1  # only the page that may pass, once more
    texts = {a.title: a.text for a in broadsheet.list_articles()}
    assert summary not in texts.values() and body.split(". ")[0] in texts[title]
    assert texts[STORIES[1][1]] == f"{STORIES[1][1]}: the summary."  # a 404 stays as the feed said
    clock.advance(hours=2)
    run(broadsheet, all_sources=True)
    assert hits(server, "/articles/") == before + 1  # fetched in full: not again


def pod(base: str, *, summary: bool = False) -> bytes:
    """A feed of the first story with a file, and the feed's own summary if asked."""
    slug, title, _ = STORIES[0]
    description = f"<description>{title}: the summary.</description>" if summary else ""
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Pod</title><item>'
        f"<title>{title}</title><link>{base}/articles/{slug}</link><guid>g1</guid>{description}"
        f'<enclosure url="https://cdn.example/{slug}.mp3" length="2048" type="audio/mpeg"/>'
        f"</item></channel></rss>"
    ).encode()


def test_an_unchanged_feed_still_brings_the_pages_that_failed_for_now(
    broadsheet: Broadsheet, server: LocalServer, clock: Clock
) -> None:
    base = server.url("").rstrip("/")
    slug, title, body = STORIES[0]
    full = Reply(pod(base, summary=True), headers={**RSS, "ETag": '"v1"'})

    def feed(handler: Any) -> Reply:
        return Reply(b"", 304) if handler.headers.get("If-None-Match") == '"v1"' else full

    server.routes["/pod.xml"] = feed
    server.routes[f"/articles/{slug}"] = Reply(b"busy", 503)
    broadsheet.store.add_source(server.url("/pod.xml"), now=clock())
    assert run(broadsheet).new_articles == 1
    [article] = broadsheet.list_articles()
    assert article.text == f"{title}: the summary."
    clock.advance(hours=2)
    assert run(broadsheet, all_sources=True).results[0].updated_articles == 0  # 304: still busy
    assert broadsheet.list_articles()[0].text == f"{title}: the summary."
    server.routes[f"/articles/{slug}"] = Reply(
        article_page(slug, title, body), headers={"Content-Type": "text/html"}
    )
    clock.advance(hours=2)
    report = run(broadsheet, all_sources=True)
    assert report.results[0].not_modified and report.results[0].updated_articles == 1
    [article] = broadsheet.list_articles()
    assert body.split(". ")[0] in article.text  # the full text, though the feed said 304
    assert [e.url for e in article.enclosures] == [f"https://cdn.example/{slug}.mp3"]
    before = hits(server, "/articles/")
    clock.advance(hours=2)
    run(broadsheet, all_sources=True)
    assert hits(server, "/articles/") == before  # fetched in full: not again


def test_an_entrys_files_are_kept_with_its_article(
    broadsheet: Broadsheet, server: LocalServer, clock: Clock
) -> None:
    base = server.url("").rstrip("/")
    slug, _, body = STORIES[0]
    server.routes["/pod.xml"] = Reply(pod(base), headers=RSS)
    site(server, rss([], base))
    broadsheet.store.add_source(server.url("/pod.xml"), now=clock())
    assert run(broadsheet).new_articles == 1
    [article] = broadsheet.list_articles()
    assert body.split(". ")[0] in article.text  # the page was fetched and extracted
    assert [(e.url, e.length, e.kind) for e in article.enclosures] == [
        (f"https://cdn.example/{slug}.mp3", 2048, "audio")
    ]
