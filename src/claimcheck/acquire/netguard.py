"""The socket layer under every fetch: which addresses may be connected to, and until when.

Two promises hold where nothing above can get round them, on the socket itself:

* **No private addresses (SSRF guard).** A page, a redirect or a robots.txt must not
  make claimcheck fetch from the machine it runs on or its network (a cloud metadata
  service at 169.254.169.254, an admin page on localhost) and copy the answer into a
  report. The backend resolves the host itself and checks each address before the
  socket connects to it, so the address checked is the address connected to: a name
  that resolves to a public address once and a private one the next time (DNS
  rebinding) cannot slip through. Refused are unspecified, loopback, link-local,
  multicast, private, reserved and every other non-global address, IPv4 and IPv6,
  including IPv6 addresses that carry an IPv4 one (IPv4-mapped, 6to4, Teredo, NAT64),
  which are judged by both. ``allow_private`` turns the guard off (tests, local sites).
* **A deadline on the clock.** While ``deadline`` is set, every connect, read and
  write waits at most until it, and one that starts after it fails at once, so a
  server that trickles a byte at a time is cut off at the deadline, whatever the
  chunk sizes above.

httpx has no public hook for a network backend, so :class:`GuardedTransport` swaps
the connection pool :class:`httpx.HTTPTransport` builds for one that uses
:class:`GuardedBackend`; everything else (TLS with the host name, HTTP/1.1, error
mapping) stays httpx's. Environment proxies are not used: through a proxy the
guard could only see the proxy's address, not the site's.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

REFUSED_KINDS: tuple[tuple[str, str], ...] = (
    ("is_unspecified", "unspecified"),
    ("is_loopback", "loopback"),
    ("is_link_local", "link-local"),
    ("is_multicast", "multicast"),
    ("is_reserved", "reserved"),
    ("is_private", "private"),
)
"""``ipaddress`` properties that make an address off limits, checked in this order for the message."""
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class RefusedAddress(Exception):
    """Raised by the backend instead of connecting; ``acquire`` turns it into ``PrivateAddress``."""

    def __init__(self, host: str, address: IPAddress, kind: str) -> None:
        self.host, self.address, self.kind = host, address, kind
        super().__init__(f"{host} resolves to {address}, a {kind} address")


def refusal(address: IPAddress) -> str | None:
    """Why claimcheck will not connect to ``address`` (``"loopback"``, ...), or None if it is public."""
    for candidate in (embedded_ipv4(address), address):
        if candidate is None:
            continue
        for attribute, kind in REFUSED_KINDS:
            if getattr(candidate, attribute):
                return kind
        if not candidate.is_global:
            return "non-public"
    return None


def embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, Teredo client, NAT64), if any."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


class GuardedBackend(httpcore.SyncBackend):
    """httpcore's socket backend with the address check and the deadline (see the module docstring).

    ``deadline`` is a ``time.monotonic()`` value or None; the fetcher sets it for the
    length of one fetch. Not thread-safe, like the ``Fetcher`` that owns it.
    """

    def __init__(self, *, allow_private: bool = False) -> None:
        self.allow_private = allow_private
        self.deadline: float | None = None

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        refused: RefusedAddress | None = None
        failure: Exception | None = None
        for address in _resolve(host, port):
            kind = None if self.allow_private else refusal(address)
            if kind is not None:
                refused = refused or RefusedAddress(host, address, kind)
                continue
            wait = self.wait(timeout, httpcore.ConnectTimeout)
            try:
                stream = super().connect_tcp(str(address), port, wait, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
                continue
            return DeadlineStream(stream, self)
        if failure is not None:
            raise failure
        if refused is not None:
            raise refused
        raise httpcore.ConnectError(f"{host} has no address")

    def wait(self, timeout: float | None, expired: type[httpcore.TimeoutException]) -> float | None:
        """``timeout`` cut to the time left before the deadline; raises ``expired`` once it has passed."""
        if self.deadline is None:
            return timeout
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise expired("the time limit for this download ran out")
        return left if timeout is None else min(timeout, left)


class DeadlineStream(httpcore.NetworkStream):
    """A connected stream whose every read and write honours its backend's current deadline."""

    def __init__(self, inner: httpcore.NetworkStream, backend: GuardedBackend) -> None:
        self._inner = inner
        self._backend = backend

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._backend.wait(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._backend.wait(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        wait = self._backend.wait(timeout, httpcore.ConnectTimeout)
        return DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, wait), self._backend)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's own transport over a :class:`GuardedBackend` (why the pool is swapped: module docstring)."""

    def __init__(self, backend: GuardedBackend) -> None:
        super().__init__()
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(), keepalive_expiry=5.0, network_backend=backend
        )


def _resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to, in the resolver's order, without repeats."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise httpcore.ConnectError(f"{host} could not be resolved ({exc})") from exc
    addresses: dict[IPAddress, None] = {}
    for *_, sockaddr in infos:
        addresses[ipaddress.ip_address(str(sockaddr[0]).split("%")[0])] = None
    return list(addresses)
