"""Fault containment: one fetch run over a healthy source and a dozen hostile or broken ones.

Each broken source ends with its reason in words, within the configured time limits (4 s here), and the
healthy source is stored as if nothing happened.
"""

from __future__ import annotations

import asyncio
import gzip
import ipaddress
import socket
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from broadsheet.config import Settings
from broadsheet.core import Broadsheet, make_broadsheet
from tests.conftest import Clock
from tests.ingest.faultserver import FaultServer, Stream, endless, fault_server, whole
from tests.site import STORIES, article_page, feed

RSS = "application/rss+xml"
HTML = "text/html; charset=utf-8"


async def resolve_test_names(host: str, port: int) -> list[str]:
    """Every ``*.test`` name is the fault server; anything else does not exist."""
    if host.endswith(".test"):
        return ["127.0.0.2"]
    raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")


@pytest.fixture
def hostile() -> Iterator[FaultServer]:
    with fault_server("127.0.0.2") as server:
        yield server


def install(server: FaultServer) -> dict[str, str]:
    """Routes for every fault; returns source URL → the start of the expected error (or "ok")."""
    base = server.url("ok.test", "")
    server.routes["/feed.xml"] = whole(feed(base), Content_Type=RSS)
    for slug, title, body in STORIES:
        server.routes[f"/articles/{slug}"] = whole(
            article_page(slug, title, body), Content_Type=HTML
        )
    page = "<html><head><title>Caf\u00e9</title></head><body><article><h1>Caf\u00e9 culture</h1>"
    page += "<p>The caf\u00e9 on the corner reopened this week after a long renovation.</p>" * 5
    page += "</article></body></html>"
    one_item = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Charset</title>'
        f"<item><title>Caf\u00e9</title><link>{server.url('charset.test', '/cafe')}</link>"
        f"<guid>cafe</guid></item></channel></rss>"
    )
    server.routes["/charset.xml"] = whole(one_item.encode(), Content_Type=RSS)
    server.routes["/cafe"] = whole(page.encode("cp1252"), Content_Type=HTML)  # says UTF-8, is not
    server.routes["/drip"] = Stream((bytes([b]) for b in feed(base)), delay=1.0)
    server.routes["/endless"] = lambda: Stream(endless(), headers={"Content-Type": RSS})
    server.routes["/bomb"] = whole(gzip.compress(b"\0" * 30_000_000), Content_Encoding="gzip")
    server.routes["/invalid"] = whole(b"<rss><channel><item><title>x", Content_Type=RSS)
    server.routes["/html"] = whole(b"<!doctype html><html><body>Welcome</body></html>")
    server.routes["/loop-a"] = whole(b"", 302, Location="/loop-b")
    server.routes["/loop-b"] = whole(b"", 302, Location="/loop-a")
    server.routes["/to-loopback"] = whole(b"", 302, Location=f"http://127.0.0.1:{server.port}/")
    server.routes["/to-metadata"] = whole(b"", 302, Location="http://169.254.169.254/latest/")
    server.routes["/busy"] = whole(b"slow down", 429, Retry_After="120")
    server.routes["/broken"] = whole(b"oops", 500)
    return {
        server.url("ok.test", "/feed.xml"): "ok",
        server.url("charset.test", "/charset.xml"): "ok",
        server.url("drip.test", "/drip"): "timeout: no complete answer within 4 s",
        server.url("endless.test", "/endless"): "too large",
        server.url("bomb.test", "/bomb"): "too large",
        server.url("invalid.test", "/invalid"): "not a feed: invalid XML",
        server.url("html.test", "/html"): "not a feed: the address returned an HTML page",
        server.url("loop.test", "/loop-a"): "too many redirects",
        server.url("loopback.test", "/to-loopback"): "blocked address: 127.0.0.1",
        server.url("metadata.test", "/to-metadata"): "blocked address: 169.254.169.254",
        server.url("busy.test", "/busy"): "HTTP 429 Too Many Requests (retry after 120 s)",
        server.url("broken.test", "/broken"): "HTTP 500 Internal Server Error",
        f"https://tls.test:{server.port}/feed.xml": "TLS failure",
        "http://nowhere.invalid/feed.xml": "DNS failure",
    }


@pytest.fixture
def broadsheet(tmp_path: Path, clock: Clock) -> Iterator[Broadsheet]:
    settings = Settings(
        data_dir=tmp_path, allow_networks=(ipaddress.ip_network("127.0.0.2/32"),),
        connect_timeout=2.0, read_timeout=3.0, total_timeout=4.0, max_body_bytes=500_000,
        max_download_bytes=200_000, max_redirects=3,
    )  # fmt: skip
    bs = make_broadsheet(settings, now=clock, resolver=resolve_test_names)
    yield bs
    bs.close()


def test_every_fault_ends_as_a_reason_on_its_source_and_the_run_goes_on(
    broadsheet: Broadsheet, hostile: FaultServer, clock: Clock
) -> None:
    expected = install(hostile)
    for url in expected:
        broadsheet.store.add_source(url, now=clock())

    report = asyncio.run(broadsheet.fetch_due())

    assert len(report.results) == len(expected)
    by_url = {s.url: s for s in broadsheet.list_sources()}
    for url, reason in expected.items():
        source = by_url[url]
        if reason == "ok":
            assert (source.status, source.last_error) == ("ok", None), url
        else:
            assert source.status == "error", url
            assert source.last_error is not None and source.last_error.startswith(reason), (
                url, source.last_error,
            )  # fmt: skip
    titles = {a.title for a in broadsheet.list_articles()}
    assert {title for _, title, _ in STORIES} <= titles
    cafe = next(a for a in broadsheet.list_articles() if a.url.endswith("/cafe"))
    assert "caf\u00e9 on the corner" in cafe.text
    busy = by_url[hostile.url("busy.test", "/busy")]
    assert busy.next_fetch_at is not None
    assert busy.next_fetch_at >= clock() + timedelta(seconds=120)
