"""Fetching: conditional GET, caps and errors in words, against a real local server."""

from __future__ import annotations

import asyncio
import gzip
import ipaddress
import tracemalloc
import zlib
from datetime import UTC, datetime, timedelta

import pytest

from broadsheet.config import Settings
from broadsheet.exceptions import FetchError, TooLarge
from broadsheet.ingest.fetch import (
    FetchResponse,
    HTTPStatusError,
    cache_max_age,
    fetch_url,
    make_client,
)
from broadsheet.ingest.throttle import Throttle
from tests.localserver import LocalServer, Reply

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
LOOPBACK = Settings(allow_networks=(ipaddress.ip_network("127.0.0.0/8"),), max_redirects=3)


def fetch(url: str, **kwargs: object) -> FetchResponse:
    async def go() -> FetchResponse:
        async with make_client(LOOPBACK) as client:
            options: dict[str, object] = {"max_bytes": 50_000, "total_timeout": 10, **kwargs}
            return await fetch_url(client, url, **options)  # type: ignore[arg-type]

    return asyncio.run(go())


def test_conditional_get_sends_validators_and_reports_not_modified(server: LocalServer) -> None:
    def route(handler: object) -> Reply:
        headers = dict(handler.headers)  # type: ignore[attr-defined]
        if headers.get("If-None-Match") == '"v1"':
            return Reply(b"", 304)
        return Reply(
            b"feed", headers={"ETag": '"v1"', "Last-Modified": "Mon, 23 Nov 2026 10:00:00 GMT"}
        )

    server.routes["/feed"] = route
    first = fetch(server.url("/feed"))
    second = fetch(server.url("/feed"), etag=first.etag, last_modified=first.last_modified)
    assert (first.status, first.etag) == (200, '"v1"')
    assert second.not_modified and second.content == b""
    assert server.requests[1][1]["If-Modified-Since"] == "Mon, 23 Nov 2026 10:00:00 GMT"
    assert "Broadsheet" in server.requests[0][1]["User-Agent"]


def test_http_errors_are_named(server: LocalServer) -> None:
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(server.url("/missing"))


def test_size_cap(server: LocalServer) -> None:
    server.routes["/big"] = Reply(b"x" * 60_000)
    with pytest.raises(TooLarge, match="too large"):
        fetch(server.url("/big"))


def test_decompression_cap_stops_a_gzip_bomb(server: LocalServer) -> None:
    bomb = gzip.compress(b"\0" * 5_000_000)
    server.routes["/bomb"] = Reply(bomb, headers={"Content-Encoding": "gzip"})
    assert len(bomb) < 50_000
    with pytest.raises(TooLarge, match="after decompression"):
        fetch(server.url("/bomb"))


def test_redirect_loop(server: LocalServer) -> None:
    server.routes["/a"] = Reply(b"", 302, {"Location": "/b"})
    server.routes["/b"] = Reply(b"", 302, {"Location": "/a"})
    with pytest.raises(FetchError, match="too many redirects"):
        fetch(server.url("/a"))


def test_redirects_are_followed_and_final_url_kept(server: LocalServer) -> None:
    server.routes["/old"] = Reply(b"", 301, {"Location": "/new"})
    server.routes["/new"] = Reply(b"moved")
    response = fetch(server.url("/old"))
    assert response.content == b"moved" and response.url.endswith("/new")


def test_refused_connection_is_said_in_words() -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on: bound, never listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        with pytest.raises(FetchError, match="connection failed"):
            fetch(f"http://127.0.0.1:{port}/")


def test_retry_after_is_kept_with_the_status(server: LocalServer) -> None:
    server.routes["/busy"] = Reply(b"", 429, {"Retry-After": "30"})
    server.routes["/down"] = Reply(b"", 503, {"Retry-After": "Mon, 23 Nov 2026 13:00:00 GMT"})
    with pytest.raises(HTTPStatusError) as busy:
        fetch(server.url("/busy"))
    assert (busy.value.status, busy.value.retry_after) == (429, "30")
    assert str(busy.value) == "HTTP 429 Too Many Requests (retry after 30 s)"
    with pytest.raises(HTTPStatusError, match="HTTP 503 Service Unavailable") as down:
        fetch(server.url("/down"))
    assert down.value.retry_after == "Mon, 23 Nov 2026 13:00:00 GMT"


def test_cache_control_max_age_is_read(server: LocalServer) -> None:
    server.routes["/cached"] = Reply(b"x", headers={"Cache-Control": "public, max-age=600"})
    assert fetch(server.url("/cached")).max_age == 600
    assert cache_max_age("no-cache") == 0 and cache_max_age("private") is None


def test_download_cap_and_decompressed_cap_are_separate(server: LocalServer) -> None:
    body = b"<p>" + b"news " * 8_000 + b"</p>"  # 40 kB, compresses to well under 1 kB
    server.routes["/gz"] = Reply(gzip.compress(body), headers={"Content-Encoding": "gzip"})
    server.routes["/deflate"] = Reply(zlib.compress(body), headers={"Content-Encoding": "deflate"})
    assert fetch(server.url("/gz"), max_download_bytes=2_000).content == body
    assert fetch(server.url("/deflate")).content == body
    with pytest.raises(TooLarge, match="download cap"):
        fetch(server.url("/gz"), max_download_bytes=100)
    server.routes["/br"] = Reply(b"x", headers={"Content-Encoding": "br"})
    with pytest.raises(FetchError, match="unsupported content encoding"):
        fetch(server.url("/br"))


def test_a_gzip_bomb_is_stopped_in_bounded_memory(server: LocalServer) -> None:
    bomb = gzip.compress(b"\0" * 50_000_000)
    server.routes["/bomb"] = Reply(bomb, headers={"Content-Encoding": "gzip"})
    tracemalloc.start()
    try:
        with pytest.raises(TooLarge, match="after decompression"):
            fetch(server.url("/bomb"), max_bytes=1_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8_000_000  # the cap plus buffers, not the 50 MB the body inflates to


def test_throttle_caps_each_host_and_the_total() -> None:
    running: dict[str, int] = {}
    most: dict[str, int] = {}

    async def request(throttle: Throttle, url: str) -> None:
        host = url.split("/")[2]
        async with throttle.slot(url):
            running[host] = running.get(host, 0) + 1
            running["*"] = running.get("*", 0) + 1
            most[host] = max(most.get(host, 0), running[host])
            most["*"] = max(most.get("*", 0), running["*"])
            await asyncio.sleep(0.01)
            running[host] -= 1
            running["*"] -= 1

    async def go() -> None:
        throttle = Throttle(total=3, per_host=2, now=lambda: NOW)
        urls = [f"https://{h}.example/{i}" for h in "abc" for i in range(5)]
        await asyncio.gather(*(request(throttle, u) for u in urls))

    asyncio.run(go())
    assert most["*"] == 3 and max(v for k, v in most.items() if k != "*") == 2


def test_a_host_that_said_wait_is_not_asked_again_until_then() -> None:
    now = [NOW]
    throttle = Throttle(total=4, per_host=2, now=lambda: now[0])
    throttle.hold("https://busy.example/feed", "120")

    async def ask(url: str) -> None:
        async with throttle.slot(url):
            pass

    with pytest.raises(FetchError, match=r"rate limited: busy\.example asked us to wait until"):
        asyncio.run(ask("https://busy.example/other"))
    asyncio.run(ask("https://calm.example/"))
    now[0] += timedelta(seconds=121)
    asyncio.run(ask("https://busy.example/other"))
