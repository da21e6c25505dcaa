"""HTTP fetching with caps: size (after decompression), total time, redirects; errors in words.

``fetch_url`` never raises anything but ``FetchError`` (and its kinds), whose message is the reason a
person reads on the sources page.
"""

from __future__ import annotations

import asyncio
import ssl
from dataclasses import dataclass

import httpx

from broadsheet.config import Settings
from broadsheet.exceptions import BlockedAddress, FetchError, TooLarge
from broadsheet.ingest.guard import AddressPolicy, Resolver, guarded_transport, system_resolver

__all__ = ["FetchResponse", "fetch_url", "make_client"]


@dataclass(frozen=True, slots=True)
class FetchResponse:
    url: str
    status: int
    content: bytes
    content_type: str
    etag: str | None = None
    last_modified: str | None = None

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
) -> FetchResponse:
    """GET ``url`` (conditionally when given validators); 304 comes back as a response."""
    headers = {"Accept": accept}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        async with asyncio.timeout(total_timeout):
            return await _get(client, url, headers, max_bytes)
    except TimeoutError as e:
        raise FetchError(f"timeout: no complete answer within {total_timeout:g} s") from e
    except httpx.HTTPError as e:
        raise FetchError(describe_http_error(e)) from e


async def _get(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], max_bytes: int
) -> FetchResponse:
    if not url.startswith(("http://", "https://")):
        raise BlockedAddress(f"blocked address: only http and https URLs are fetched, not {url}")
    async with client.stream("GET", url, headers=headers) as response:
        if response.status_code >= 400:
            raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}".strip())
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > max_bytes:
            raise TooLarge(f"too large: {int(length):,} bytes, over the {max_bytes:,} byte cap")
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():  # decompressed, so this also caps gzip bombs
            size += len(chunk)
            if size > max_bytes:
                raise TooLarge(f"too large: over the {max_bytes:,} byte cap (after decompression)")
            chunks.append(chunk)
        return FetchResponse(
            url=str(response.url),
            status=response.status_code,
            content=b"".join(chunks),
            content_type=response.headers.get("Content-Type", ""),
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
        )


def describe_http_error(error: httpx.HTTPError) -> str:
    """The reason for a failed request, in words a person understands."""
    if isinstance(error, httpx.TooManyRedirects):
        return "too many redirects (a redirect loop?)"
    if isinstance(error, httpx.ConnectTimeout):
        return "timeout: the server did not accept a connection"
    if isinstance(error, httpx.TimeoutException):
        return "timeout: the server stopped answering"
    if isinstance(error, httpx.ConnectError):
        text = str(error)
        if "DNS failure" in text or "Name or service not known" in text:
            return text if text.startswith("DNS failure") else "DNS failure: host not found"
        if isinstance(error.__cause__, ssl.SSLError) or "SSL" in text or "certificate" in text:
            return f"TLS failure: {text}"
        return f"connection failed: {text or 'refused'}"
    if isinstance(error, httpx.UnsupportedProtocol):
        return f"unsupported URL: {error}"
    if isinstance(error, httpx.DecodingError):
        return "bad response: the body could not be decompressed"
    return f"network error: {error.__class__.__name__}: {error}"
