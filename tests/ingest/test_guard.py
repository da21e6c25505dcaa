"""The address guard, against a real server on a loopback address."""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Iterator

import pytest

from broadsheet.config import Settings
from broadsheet.exceptions import BlockedAddress, FetchError
from broadsheet.ingest.fetch import fetch_url, make_client
from broadsheet.ingest.guard import AddressPolicy
from tests.localserver import LocalServer, Reply, local_server

ALLOWED = ipaddress.ip_network("127.0.0.2/32")


@pytest.fixture
def site() -> Iterator[LocalServer]:
    with local_server("127.0.0.2") as srv:
        yield srv


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
     "0.0.0.0", "224.0.0.1", "240.0.0.1", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1",
     "::ffff:169.254.169.254", "2001:db8::1"],
)  # fmt: skip
def test_private_and_reserved_addresses_are_refused(address: str) -> None:
    assert not AddressPolicy().is_allowed(address)


@pytest.mark.parametrize("address", ["93.184.215.14", "1.1.1.1", "2606:4700:4700::1111"])
def test_public_addresses_pass(address: str) -> None:
    assert AddressPolicy().is_allowed(address)


def test_operator_can_allow_a_range() -> None:
    policy = AddressPolicy([ipaddress.ip_network("10.0.0.0/8")])
    assert policy.is_allowed("10.9.8.7") and not policy.is_allowed("192.168.0.1")


def fetch(settings: Settings, url: str, resolver: object = None) -> object:
    async def go() -> object:
        kwargs = {"resolver": resolver} if resolver else {}
        async with make_client(settings, **kwargs) as client:  # type: ignore[arg-type]
            return await fetch_url(client, url, max_bytes=10_000, total_timeout=10)

    return asyncio.run(go())


def test_allowed_range_is_fetched(site: LocalServer) -> None:
    site.routes["/ok"] = Reply(b"hello")
    response = fetch(Settings(allow_networks=(ALLOWED,)), site.url("/ok"))
    assert response.content == b"hello"  # type: ignore[attr-defined]


def test_loopback_is_refused_by_default(site: LocalServer) -> None:
    site.routes["/ok"] = Reply(b"hello")
    with pytest.raises(BlockedAddress, match=r"127\.0\.0\.2"):
        fetch(Settings(), site.url("/ok"))
    assert site.requests == []


@pytest.mark.parametrize(
    "target", ["http://127.0.0.1:{port}/secret", "http://169.254.169.254/latest/meta-data/"]
)
def test_redirect_into_private_network_is_refused(site: LocalServer, target: str) -> None:
    site.routes["/go"] = Reply(b"", 302, {"Location": target.format(port=site.port)})
    with pytest.raises(BlockedAddress, match="private network"):
        fetch(Settings(allow_networks=(ALLOWED,)), site.url("/go"))
    assert [path for path, _ in site.requests] == ["/go"]


def test_host_names_are_checked_on_the_resolved_address(site: LocalServer) -> None:
    async def resolver(host: str, port: int) -> list[str]:
        return {"evil.example": ["10.0.0.5"], "fine.example": ["127.0.0.2"]}[host]

    site.routes["/ok"] = Reply(b"resolved")
    settings = Settings(allow_networks=(ALLOWED,))
    with pytest.raises(BlockedAddress, match=r"evil\.example resolves to 10\.0\.0\.5"):
        fetch(settings, "http://evil.example/", resolver)
    response = fetch(settings, f"http://fine.example:{site.port}/ok", resolver)
    assert response.content == b"resolved"  # type: ignore[attr-defined]


def test_dns_failure_is_said_in_words() -> None:
    async def resolver(host: str, port: int) -> list[str]:
        raise OSError("Name or service not known")

    with pytest.raises(FetchError, match="DNS failure"):
        fetch(Settings(), "http://nowhere.example/", resolver)


def test_non_http_schemes_are_refused() -> None:
    with pytest.raises(BlockedAddress):
        fetch(Settings(), "file:///etc/passwd")
