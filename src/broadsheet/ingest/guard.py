"""The address guard: fetches made for users never reach private networks.

The check runs where the connection is made, on the address the host name resolved to, so a DNS name
that points inside, or a redirect to one, is refused the same way as a literal address; we then
connect to exactly the address we checked (no second lookup an attacker could change). httpx has no
hook at that depth, hence a small httpcore network backend of our own.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
import typing
from collections.abc import Awaitable, Callable, Sequence

import certifi
import httpcore
import httpx

from broadsheet.exceptions import BlockedAddress

__all__ = ["AddressPolicy", "GuardedBackend", "Resolver", "guarded_transport", "system_resolver"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], Awaitable[list[str]]]


class AddressPolicy:
    """Refuses every address that is not globally routable, except the ranges an operator allows."""

    def __init__(self, allow: Sequence[IPNetwork] = ()) -> None:
        self.allow = tuple(allow)

    def is_allowed(self, address: str) -> bool:
        ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        if any(ip.version == net.version and ip in net for net in self.allow):
            return True
        return ip.is_global and not ip.is_multicast

    def check(self, host: str, address: str) -> None:
        if not self.is_allowed(address):
            raise BlockedAddress(
                f"blocked address: {host} resolves to {address}, a private network"
            )


async def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for ``host``."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves, checks every resolved address against the policy, then connects to the first."""

    def __init__(self, policy: AddressPolicy, resolver: Resolver = system_resolver) -> None:
        self.policy = policy
        self.resolver = resolver
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self._resolve(host, port, timeout)
        for address in addresses:
            self.policy.check(host, address)
        return await self._inner.connect_tcp(
            addresses[0], port, timeout, local_address, socket_options
        )

    async def _resolve(self, host: str, port: int, timeout: float | None) -> list[str]:
        try:
            ipaddress.ip_address(host.strip("[]"))
            return [host.strip("[]")]
        except ValueError:
            pass
        try:
            async with asyncio.timeout(timeout):
                addresses = await self.resolver(host, port)
        except (OSError, TimeoutError) as e:
            raise httpcore.ConnectError(f"DNS failure: cannot resolve {host}") from e
        if not addresses:
            raise httpcore.ConnectError(f"DNS failure: cannot resolve {host}")
        return addresses

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise BlockedAddress("blocked address: unix sockets are never fetched")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def guarded_transport(
    policy: AddressPolicy, *, resolver: Resolver = system_resolver, max_connections: int = 100
) -> httpx.AsyncHTTPTransport:
    """An httpx transport whose every connection goes through the guard."""
    transport = httpx.AsyncHTTPTransport()
    # httpx cannot take a network backend, so we give it the pool it would have built, guarded.
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=ssl.create_default_context(cafile=certifi.where()),
        max_connections=max_connections,
        max_keepalive_connections=max_connections,  # many hosts: keep what we opened
        keepalive_expiry=5.0,
        network_backend=GuardedBackend(policy, resolver),
    )
    return transport
