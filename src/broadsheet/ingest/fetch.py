"""HTTP fetching with caps: bytes on the wire, bytes after decompression, total time, redirects;
politeness (a cap per host and overall, ``Retry-After``); errors in words.

``fetch_url`` never raises anything but ``FetchError`` (and its kinds), whose message is the reason
a person reads on the sources page. We decompress bodies ourselves because httpx inflates each
network chunk whole: one 64 KiB chunk of a gzip bomb would be tens of MiB in memory before any cap
could look.
"""

from __future__ import annotations

import asyncio
import re
import ssl
import zlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx

from broadsheet.config import Settings
from broadsheet.exceptions import BlockedAddress, FetchError, TooLarge
from broadsheet.ingest.guard import AddressPolicy, Resolver, guarded_transport, system_resolver
from broadsheet.ingest.throttle import Throttle

__all__ = [
    "FetchResponse",
    "HTTPStatusError",
    "describe_http_error",
    "fetch_url",
    "make_client",
]

_MAX_AGE = re.compile(r"(?:^|,)\s*max-age\s*=\s*\"?(\d+)", re.IGNORECASE)


class HTTPStatusError(FetchError):
    """The server answered with an error status; ``retry_after`` is its header, raw, when sent."""

    def __init__(self, status: int, reason: str, retry_after: str | None = None) -> None:
        message = f"HTTP {status} {reason}".strip()
        if retry_after:
            unit = " s" if retry_after.strip().isdigit() else ""
            message += f" (retry after {retry_after.strip()}{unit})"
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class FetchResponse:
    url: str
    status: int
    content: bytes
    content_type: str
    etag: str | None = None
    last_modified: str | None = None
    max_age: int | None = None  # seconds, from Cache-Control

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def make_client(
    settings: Settings,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    resolver: Resolver = system_resolver,
) -> httpx.AsyncClient:
    """The HTTP client for every fetch; tests pass ``transport`` (e.g. ``httpx.MockTransport``)."""
    if transport is None:
        transport = guarded_transport(
            AddressPolicy(settings.allow_networks),
            resolver=resolver,
            max_connections=settings.fetch_concurrency * 2,
        )
    timeout = httpx.Timeout(
        settings.read_timeout, connect=settings.connect_timeout, pool=settings.total_timeout
    )
    return httpx.AsyncClient(
        transport=transport,
        timeout=timeout,
        follow_redirects=True,
        max_redirects=settings.max_redirects,
        headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
        trust_env=False,  # an environment proxy would bypass the address guard
    )


async def fetch_url(
    client: httpx.AsyncClient,
    url: str,
    *,
    max_bytes: int,
    total_timeout: float,
    etag: str | None = None,
    last_modified: str | None = None,
    accept: str = "*/*",
    max_download_bytes: int | None = None,
    throttle: Throttle | None = None,
) -> FetchResponse:
    """GET ``url`` (conditionally when given validators); 304 comes back as a response.

    ``max_download_bytes`` caps the bytes received, ``max_bytes`` the body after decompression;
    ``throttle`` (when given) holds the request to the per-host and overall caps.
    """
    headers = {"Accept": accept}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    caps = (max_download_bytes or max_bytes, max_bytes)
    try:
        async with asyncio.timeout(total_timeout):
            if throttle is None:
                return await _get(client, url, headers, caps)
            async with throttle.slot(url):
                response = await _get(client, url, headers, caps)
                return response
    except TimeoutError as e:
        raise FetchError(f"timeout: no complete answer within {total_timeout:g} s") from e
    except HTTPStatusError as e:
        if throttle is not None and e.status in (429, 503) and e.retry_after:
            throttle.hold(url, e.retry_after)
        raise
    except httpx.HTTPError as e:
        raise FetchError(describe_http_error(e)) from e


async def _get(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], caps: tuple[int, int]
) -> FetchResponse:
    if not url.startswith(("http://", "https://")):
        raise BlockedAddress(f"blocked address: only http and https URLs are fetched, not {url}")
    async with client.stream("GET", url, headers=headers) as response:
        status = response.status_code
        if status >= 400 or (300 <= status < 400 and status != 304):
            raise HTTPStatusError(
                status, response.reason_phrase, response.headers.get("Retry-After")
            )
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > caps[0]:
            raise TooLarge(
                f"too large: {int(length):,} bytes, over the {caps[0]:,} byte download cap"
            )
        encoding = response.headers.get("Content-Encoding", "identity")
        content = await read_body(response.aiter_raw(), encoding, *caps)
        return FetchResponse(
            url=str(response.url),
            status=status,
            content=content,
            content_type=response.headers.get("Content-Type", ""),
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
            max_age=cache_max_age(response.headers.get("Cache-Control")),
        )


def cache_max_age(cache_control: str | None) -> int | None:
    """Seconds from ``Cache-Control: max-age=N`` (``no-cache``/``no-store`` count as 0)."""
    if not cache_control:
        return None
    if re.search(r"no-(cache|store)", cache_control, re.IGNORECASE):
        return 0
    match = _MAX_AGE.search(cache_control)
    return int(match.group(1)) if match else None


def _decompressor(encoding: str) -> zlib._Decompress | None:
    kind = encoding.strip().lower()
    if kind in ("", "identity"):
        return None
    if kind in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if kind == "deflate":
        return zlib.decompressobj(zlib.MAX_WBITS | 32)  # zlib or gzip header, detected
    raise FetchError(f"bad response: unsupported content encoding {encoding!r}")


async def read_body(
    chunks: AsyncIterator[bytes], encoding: str, max_download: int, max_body: int
) -> bytes:
    """The decoded body, read with both caps; memory holds at most ``max_body`` and one chunk."""
    inflater = _decompressor(encoding)
    parts: list[bytes] = []
    received = size = 0
    async for chunk in chunks:
        received += len(chunk)
        if received > max_download:
            raise TooLarge(f"too large: over the {max_download:,} byte download cap")
        for part in _inflate(inflater, chunk, max_body - size):
            size += len(part)
            parts.append(part)
    if inflater is not None and not inflater.eof and received:
        raise FetchError("bad response: the compressed body ends early")
    return b"".join(parts)


def _inflate(inflater: zlib._Decompress | None, chunk: bytes, room: int) -> list[bytes]:
    if inflater is None:
        if len(chunk) > room:
            raise TooLarge(f"too large: over the {room:,} byte cap")
        return [chunk]
    out: list[bytes] = []
    data = chunk
    try:
        while data:
            part = inflater.decompress(data, room + 1)
            room -= len(part)
            if room < 0:
                raise TooLarge("too large: over the byte cap (after decompression)")
            out.append(part)
            data = inflater.unconsumed_tail
    except zlib.error as e:
        raise FetchError("bad response: the body could not be decompressed") from e
    return out


def describe_http_error(error: httpx.HTTPError) -> str:
    """The reason for a failed request, in words a person understands."""
    if isinstance(error, httpx.TooManyRedirects):
        return "too many redirects (a redirect loop?)"
    if isinstance(error, httpx.ConnectTimeout):
        return "timeout: the server did not accept a connection"
    if isinstance(error, httpx.TimeoutException):
        return "timeout: the server stopped answering"
    if isinstance(error, httpx.ConnectError):
        return _describe_connect_error(error)
    if isinstance(error, httpx.UnsupportedProtocol):
        return f"unsupported URL: {error}"
    if isinstance(error, httpx.DecodingError):
        return "bad response: the body could not be decompressed"
    if isinstance(error, httpx.RemoteProtocolError):
        return f"bad response: the server broke the HTTP protocol ({error})"
    return f"network error: {error.__class__.__name__}: {error}"


def _describe_connect_error(error: httpx.ConnectError) -> str:
    text = str(error)
    if "DNS failure" in text or "Name or service not known" in text:
        return text if text.startswith("DNS failure") else "DNS failure: host not found"
    if isinstance(error.__cause__, ssl.SSLError) or "SSL" in text or "certificate" in text:
        return f"TLS failure: {text}"
    return f"connection failed: {text or 'refused'}"
