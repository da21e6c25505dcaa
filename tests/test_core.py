"""The Broadsheet object end to end over a real local server: adding sources, a fetch run in
which a broken source is recorded and the others go on."""

from __future__ import annotations

import asyncio
import ipaddress
from pathlib import Path

import pytest

from broadsheet.config import Settings
from broadsheet.core import Broadsheet, make_broadsheet
from tests.conftest import Clock
from tests.localserver import LocalServer, Reply
from tests.site import STORIES, install_site


@pytest.fixture
def broadsheet(tmp_path: Path, clock: Clock) -> Broadsheet:
    settings = Settings(data_dir=tmp_path, allow_networks=(ipaddress.ip_network("127.0.0.0/8"),))
    return make_broadsheet(settings, now=clock)


def test_add_by_site_url_discovers_the_feed(broadsheet: Broadsheet, server: LocalServer) -> None:
    install_site(server)
    result = asyncio.run(broadsheet.add_source(server.url("/")))
    assert result.error is None and result.created
    assert result.source is not None and result.source.url == server.url("/feed.xml")
    again = asyncio.run(broadsheet.add_source(server.url("/feed.xml")))
    assert again.source is not None and again.source.id == result.source.id and not again.created


@pytest.mark.parametrize(
    ("route", "reason"),
    [
        (Reply(b"<html><body>No feeds here</body></html>", headers={"Content-Type": "text/html"}),
         "no feed found"),
        (Reply(b"gone", 404), "HTTP 404"),
        (Reply(b"<rss><channel><item>", headers={"Content-Type": "application/xml"}), "invalid XML"),
    ],
)  # fmt: skip
def test_add_refuses_what_is_not_a_feed(
    broadsheet: Broadsheet, server: LocalServer, route: Reply, reason: str
) -> None:
    server.routes["/x"] = route
    result = asyncio.run(broadsheet.add_source(server.url("/x")))
    assert result.source is None and result.error is not None and reason in result.error
    assert broadsheet.list_sources() == []


def test_a_broken_feed_is_recorded_and_the_run_goes_on(
    broadsheet: Broadsheet, server: LocalServer, clock: Clock
) -> None:
    install_site(server)
    server.routes["/broken.xml"] = Reply(b"<html><body>Oops</body></html>")
    server.routes["/gone.xml"] = Reply(b"", 500)
    for path in ("/feed.xml", "/broken.xml", "/gone.xml"):
        broadsheet.store.add_source(server.url(path), now=clock())

    report = asyncio.run(broadsheet.fetch_due())

    assert (report.ok, report.failed, report.new_articles) == (1, 2, len(STORIES))
    by_url = {s.url: s for s in broadsheet.list_sources()}
    broken, gone = by_url[server.url("/broken.xml")], by_url[server.url("/gone.xml")]
    assert (
        broken.status == "error"
        and broken.last_error == "not a feed: the address returned an HTML page"
    )
    assert gone.status == "error" and gone.last_error == "HTTP 500 Internal Server Error"
    assert gone.next_fetch_at is not None and gone.next_fetch_at > clock()
    assert by_url[server.url("/feed.xml")].status == "ok"


def test_a_bad_article_page_affects_only_its_entry(
    broadsheet: Broadsheet, server: LocalServer, clock: Clock
) -> None:
    install_site(server)
    slug = STORIES[0][0]
    server.routes[f"/articles/{slug}"] = Reply(b"", 404)
    broadsheet.store.add_source(server.url("/feed.xml"), now=clock())
    report = asyncio.run(broadsheet.fetch_due())
    titles = {a.title for a in broadsheet.list_articles()}
    # The page failed, so the feed's own summary stands in for it; nothing else is lost.
    assert report.ok == 1 and len(titles) == len(STORIES)
    summary_only = next(a for a in broadsheet.list_articles() if a.url.endswith(slug))
    assert summary_only.text.startswith(STORIES[0][2][:40])


def test_only_due_sources_are_fetched(
    broadsheet: Broadsheet, server: LocalServer, clock: Clock
) -> None:
    install_site(server)
    broadsheet.store.add_source(server.url("/feed.xml"), now=clock())
    asyncio.run(broadsheet.fetch_due())
    fetched = len(server.requests)
    clock.advance(minutes=5)
    assert asyncio.run(broadsheet.fetch_due()).results == ()
    assert len(server.requests) == fetched
    clock.advance(days=1)  # the feed publishes about once a day, so it is fetched twice a day
    assert len(asyncio.run(broadsheet.fetch_due()).results) == 1
