"""Where URL ingest may connect: public addresses only, unless the team allows more (the SSRF guard).

A host is resolved through the OS, so `0x7f000001`, `2130706433`, `0177.0.0.1` and `127.1` mean what they
mean to a socket, and every address it resolves to must be globally reachable: loopback, private,
link-local, shared (CGNAT), multicast, reserved, unspecified and documentation addresses are refused, and
so are IPv6 addresses that carry such an IPv4 address (IPv4-mapped, 6to4, NAT64).

`GuardedTransport` makes that check each time a request is sent and then connects to the very address it
checked: the URL's host is replaced by the address (the Host header, SNI and the certificate check keep
the name), so there is no second lookup for a DNS rebinding to answer differently. The fetcher follows
redirects by hand, so every hop passes through it. Proxies from the environment are not used: a proxy
would make the connection for us, to wherever it resolves.

`KURULTAI_URL_ALLOW` lets a team reach its own hosts: names (exact, any case) and networks (CIDR, or
single addresses), separated by commas or spaces, e.g. `KURULTAI_URL_ALLOW=wiki.corp,10.20.0.0/16`.
"""

from __future__ import annotations

import ipaddress
import os
import re
import socket
import threading
from collections.abc import Callable, Iterable
from typing import Any

import httpx

from kurultai.clean import InputError

ALLOW_ENV = "KURULTAI_URL_ALLOW"

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], list[str]]

_NAT64 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("64:ff9b:1::/48"))
# the first property an address has names why it is refused (127.0.0.1 is loopback before it is private)
_KINDS = (("is_unspecified", "an unspecified"), ("is_loopback", "a loopback"), ("is_link_local", "a link-local"),
          ("is_multicast", "a multicast"), ("is_site_local", "a site-local"), ("is_reserved", "a reserved"),
          ("is_private", "a private"))


class Refused(InputError):
    """A URL whose host ingest may not reach."""


def resolve(host: str, port: int) -> list[str]:
    """Every address the OS gives for `host`, in its order, without repeats."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _forms(address: Address) -> tuple[Address, ...]:
    """What the address reaches: an IPv4-mapped or NAT64 address its IPv4 host; a 6to4 address itself and
    its IPv4 relay."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            return (address.ipv4_mapped,)
        if any(address in net for net in _NAT64):
            return (ipaddress.IPv4Address(int(address) & 0xFFFFFFFF),)
        if address.sixtofour:
            return address, address.sixtofour
    return (address,)


def forbidden(address: Address) -> str | None:
    """Why ingest may not connect to `address` ("a loopback", "a private"...), or None for a public one."""
    for form in _forms(address):
        for prop, kind in _KINDS:
            if getattr(form, prop, False):
                return kind
        if not form.is_global:  # shared 100.64/10 and the like
            return "a non-public"
    return None


def _host_name(entry: str) -> str:
    """An allow-list host name spelt as in a request's URL: lower case, IDNA, no final dot."""
    try:
        if re.fullmatch(r"[\w.-]+", entry):
            return httpx.URL(f"http://{entry}/").raw_host.decode("ascii").rstrip(".")
    except httpx.InvalidURL:
        pass
    raise InputError(f"{ALLOW_ENV}: {entry[:100]!r} is neither a host name nor a network")


def parse_allow(entries: Iterable[str]) -> tuple[frozenset[str], tuple[Network, ...]]:
    """Host names and networks from allow-list entries; InputError for an entry that is neither."""
    hosts: set[str] = set()
    networks: list[Network] = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            hosts.add(_host_name(entry))
    return frozenset(hosts), tuple(networks)


class UrlGuard:
    """Which hosts may be connected to: public ones, and those of the allow-list."""

    def __init__(self, allow: Iterable[str] = (), resolver: Resolver = resolve) -> None:
        self.hosts, self.networks = parse_allow(allow)
        self.resolver = resolver

    @classmethod
    def from_env(cls) -> UrlGuard:
        return cls(os.environ.get(ALLOW_ENV, "").replace(",", " ").split())

    def addresses(self, host: str, port: int) -> list[str]:
        """The addresses to connect to for `host`; Refused if any of them is not to be reached, OSError if
        the host does not resolve."""
        found = self.resolver(host, port)
        if not found:
            raise OSError(f"no address for {host}")
        if host.lower().rstrip(".") in self.hosts:
            return found
        for text in found:
            address = ipaddress.ip_address(text.split("%", 1)[0])
            kind = forbidden(address)
            if kind and not any(form in net for form in _forms(address) for net in self.networks):
                where = host if text == host else f"{host} (at {text})"
                raise Refused(f"refused: {where} is {kind} address; {ALLOW_ENV} lists the hosts and networks "
                              "a team may reach")
        return found


class GuardedTransport(httpx.BaseTransport):
    """An HTTP transport that connects only where its guard allows, to the address the guard checked.

    One connection pool (an `httpx.HTTPTransport` made with `options`, e.g. `verify`) per host name: a
    pooled connection is always to the host whose name it was opened, and its certificate checked, for."""

    def __init__(self, guard: UrlGuard, **options: Any) -> None:
        self.guard = guard
        self.options = options
        self._pools: dict[str, httpx.HTTPTransport] = {}
        self._lock = threading.Lock()

    def _pool(self, host: str) -> httpx.HTTPTransport:
        with self._lock:
            if host not in self._pools:
                self._pools[host] = httpx.HTTPTransport(**self.options)
            return self._pools[host]

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        host = url.raw_host.decode("ascii")
        try:
            addresses = self.guard.addresses(host, url.port or (443 if url.scheme == "https" else 80))
        except (OSError, UnicodeError) as exc:
            raise httpx.ConnectError(f"cannot resolve {host}: {getattr(exc, 'strerror', None) or exc}",
                                     request=request) from None
        pool = self._pool(host)
        failure: httpx.ConnectError | None = None
        for address in addresses:
            pinned = httpx.Request(request.method, url.copy_with(host=address), headers=request.headers,
                                   stream=request.stream, extensions={**request.extensions, "sni_hostname": host})
            try:
                return pool.handle_request(pinned)
            except httpx.ConnectError as exc:  # this address does not answer: the next one may
                failure = exc
        assert failure is not None
        raise failure

    def close(self) -> None:
        with self._lock:
            pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            pool.close()
