"""The home page's shared parts are built once and reused, yet every change shows at once and no
reader ever sees another's shell (name, CSRF token, follows)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient
from jinja2 import DictLoader, Environment

from broadsheet.core import Broadsheet
from broadsheet.web.app import create_app
from broadsheet.web.home import HomeCache
from tests.conftest import Clock
from tests.web.readerkit import Reader, add_article, new_reader, put_in_story


def _csrf_tokens(page: str) -> set[str]:
    return set(re.findall(r'name="csrf" value="([^"]+)"', page))


def test_a_new_article_shows_at_once_without_the_clock_moving(broadsheet: Broadsheet) -> None:
    reader = new_reader(broadsheet)
    add_article(broadsheet, 1, "Harbour reopens", "Ships sail again.")
    assert "Harbour reopens" in reader.get("/").text
    add_article(broadsheet, 2, "Bridge closes", "Traffic diverted.")
    assert "Bridge closes" in reader.get("/").text


def test_the_shared_parts_are_reused_until_something_changes(
    broadsheet: Broadsheet, clock: Clock
) -> None:
    add_article(broadsheet, 1, "Harbour reopens", "Ships sail again.")
    reader = new_reader(broadsheet)
    reader.get("/")
    cache: HomeCache = reader.client.app.state.home_cache  # type: ignore[attr-defined]
    first = cache._parts
    reader.get("/")
    assert cache._parts is first  # same content, same minute: not rebuilt
    clock.advance(minutes=1)
    reader.get("/")
    assert cache._parts is not first  # "5 min ago" has moved on


def test_the_server_serves_the_old_parts_while_it_rebuilds(broadsheet: Broadsheet) -> None:
    jobs: list[Callable[[], None]] = []  # rebuilds handed to the server's background
    reader = Reader(
        TestClient(create_app(broadsheet, refresh_home=jobs.append), base_url="https://testserver")
    )
    add_article(broadsheet, 1, "Harbour reopens", "Ships sail again.")
    assert "Harbour reopens" in reader.get("/").text  # nothing built yet: built in the request
    assert jobs == []
    add_article(broadsheet, 2, "Bridge closes", "Traffic diverted.")
    assert "Bridge closes" not in reader.get("/").text  # stale, and one rebuild under way
    reader.get("/")
    assert len(jobs) == 1  # not a second one while the first runs
    jobs.pop()()
    assert "Bridge closes" in reader.get("/").text
    assert jobs == []


# The shared parts reduced to the latest titles, to see which content a rebuild saw.
TITLES = Environment(loader=DictLoader({
    "_home_top.html": "top", "_home_latest.html": "{{ articles | map(attribute='title') | join(', ') }}",
}))  # fmt: skip


def test_background_rebuilds_are_spaced_while_articles_pour_in(
    broadsheet: Broadsheet, clock: Clock
) -> None:
    jobs: list[Callable[[], None]] = []
    cache = HomeCache(refresh=jobs.append, spacing=timedelta(seconds=2))
    add_article(broadsheet, 1, "Harbour reopens", "Ships sail again.")
    cache.parts(TITLES, broadsheet)
    add_article(broadsheet, 2, "Bridge closes", "Traffic diverted.")
    cache.parts(TITLES, broadsheet)
    jobs.pop()()
    clock.advance(seconds=1)
    add_article(broadsheet, 3, "Tunnel opens", "Trains run.")
    assert "Tunnel" not in cache.parts(TITLES, broadsheet).latest and jobs == []  # too soon
    clock.advance(seconds=1)
    cache.parts(TITLES, broadsheet)
    jobs.pop()()
    assert "Tunnel opens" in cache.parts(TITLES, broadsheet).latest


def test_a_failed_rebuild_keeps_the_old_parts_and_is_tried_again(broadsheet: Broadsheet) -> None:
    jobs: list[Callable[[], None]] = []
    cache = HomeCache(refresh=jobs.append, spacing=timedelta(0))
    broken = Environment(loader=DictLoader({}))  # its templates are missing
    add_article(broadsheet, 1, "Harbour reopens", "Ships sail again.")
    assert cache.parts(TITLES, broadsheet).latest == "Harbour reopens"
    add_article(broadsheet, 2, "Bridge closes", "Traffic diverted.")
    assert cache.parts(broken, broadsheet).latest == "Harbour reopens"
    jobs.pop()()  # fails: logged, and the old parts stay
    assert cache.parts(TITLES, broadsheet).latest == "Harbour reopens"  # still stale
    assert len(jobs) == 1  # the failed rebuild let go: this request asked for another
    jobs.pop()()
    assert cache.parts(TITLES, broadsheet).latest == "Harbour reopens, Bridge closes"
    assert jobs == []


def test_a_pick_shows_and_goes_at_once(broadsheet: Broadsheet) -> None:
    article = add_article(broadsheet, 1, "Volcano erupts", "Lava reached the sea.")
    reader = new_reader(broadsheet)
    assert "Our picks" not in reader.get("/").text
    now = broadsheet.now()
    pick = broadsheet.store.curation.create_pick(
        article_id=article, note="Read this", starts_at=now, ends_at=None, now=now
    )
    assert "Read this" in reader.get("/").text
    broadsheet.store.curation.delete_pick(pick)
    assert "Read this" not in reader.get("/").text


def test_readers_never_see_each_others_shell(broadsheet: Broadsheet) -> None:
    source, _ = broadsheet.store.add_source(
        "https://t.example/feed", now=broadsheet.now(), title="Tribune"
    )
    add_article(broadsheet, 1, "From the Tribune", "News.", source_id=source.id)
    ada, anonymous = new_reader(broadsheet), new_reader(broadsheet)
    ada.sign_up("ada@example.org")
    ada.post("/follow", {"kind": "source", "key": str(source.id), "label": "Tribune"})
    mine = ada.get("/")
    assert 'id="following-h"' in mine.text and "Sign out" in mine.text
    theirs = anonymous.get("/")
    assert 'id="following-h"' not in theirs.text and "Sign out" not in theirs.text
    assert "From the Tribune" in theirs.text  # the shared part is the same for both
    ada_tokens, anonymous_tokens = _csrf_tokens(ada.get("/").text), _csrf_tokens(theirs.text)
    assert ada_tokens == {ada.client.cookies["bs_csrf"]}
    assert anonymous_tokens == {anonymous.client.cookies["bs_csrf"]}
    assert ada_tokens != anonymous_tokens
    assert mine.headers["cache-control"] == "private, no-cache"
    assert "cache-control" not in theirs.headers


def test_later_pages_are_not_the_cached_first(broadsheet: Broadsheet) -> None:
    for n in range(35):
        add_article(broadsheet, n, f"Article number {n}", f"Text {n}.")
    reader = new_reader(broadsheet)
    first, second = reader.get("/").text, reader.get("/?page=2").text
    assert "Article number 0<" in first and "Article number 0<" not in second
    assert "Article number 34<" in second and 'rel="prev"' in second


def test_latest_folds_copies_and_says_where_else(broadsheet: Broadsheet, clock: Clock) -> None:
    original = add_article(broadsheet, 2, "Wire: harbour reopens", "Ships sail again today.")
    copy = add_article(broadsheet, 1, "Harbour reopens (wire)", "Ships sail again today!")
    put_in_story(broadsheet, [original, copy], syndication_group=original)
    clock.advance(minutes=1)
    latest = new_reader(broadsheet).get("/").text.split('id="latest-h"')[1]
    assert "Wire: harbour reopens" in latest and "Harbour reopens (wire)" not in latest
    assert "also in 1 outlet" in latest
