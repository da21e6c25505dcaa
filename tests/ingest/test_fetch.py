"""Fetching: conditional GET, caps and errors in words, against a real local server."""

from __future__ import annotations

import asyncio
import gzip
import ipaddress

import pytest

from broadsheet.config import Settings
from broadsheet.exceptions import FetchError, TooLarge
from broadsheet.ingest.fetch import FetchResponse, fetch_url, make_client
from tests.localserver import LocalServer, Reply

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
