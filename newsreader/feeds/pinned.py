"""An httpx transport that connects only to addresses checked beforehand (no DNS rebinding).

Checking a page's address and then letting httpx resolve the name again to connect leaves
a race: a hostile DNS server answers the check with a public address and the connection
with 127.0.0.1. Here the check's answer is the connection's: before each hop the fetcher
pins the (host, port) it checked to the addresses it checked (:meth:`Pins.pinned`, per
thread: a sync httpx client connects in the calling thread), and the network backend opens
the socket to those addresses only; a connection to anything not pinned is refused. The
URL is unchanged, so the Host header and the TLS server name (SNI, certificate check) are
the host's, as without pinning.

A pooled keep-alive connection skips the backend; its peer address was checked when it was
opened, and the fetcher checks the peer of every answer again (:func:`peer_address`).

This reaches into httpx: :class:`PinnedTransport` replaces ``HTTPTransport._pool`` with a
pool on our backend (httpx has no public hook for a network backend). Environment proxies
are not used for pages: through a proxy the address check would mean nothing.
"""

from __future__ import annotations

import ipaddress
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

import httpcore
import httpx

from newsreader.feeds.addresses import IPAddress

REFUSED = "refused: connection to an address that was not checked"


class Pins:
    """The addresses each thread's current hop may connect to."""

    def __init__(self) -> None:
        self._local = threading.local()

    @contextmanager
    def pinned(self, host: str, port: int, addresses: Sequence[IPAddress]) -> Iterator[None]:
        """While inside, connections to ``host:port`` from this thread go to ``addresses``."""
        self._local.pin = (host, port, tuple(addresses))
        try:
            yield
        finally:
            self._local.pin = None

    def lookup(self, host: str, port: int) -> tuple[IPAddress, ...] | None:
        """The addresses pinned for ``host:port`` in this thread, or None."""
        pin = getattr(self._local, "pin", None)
        if pin is None or (pin[0], pin[1]) != (host.lower().rstrip("."), port):
            return None
        addresses: tuple[IPAddress, ...] = pin[2]
        return addresses


class PinnedBackend(httpcore.SyncBackend):
    """Opens TCP connections to the pinned addresses only, in their order."""

    def __init__(self, pins: Pins) -> None:
        self.pins = pins

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        """Connect to the first pinned address that answers (a literal: no DNS again)."""
        addresses = self.pins.lookup(host, port)
        if not addresses:
            raise httpcore.ConnectError(REFUSED)
        failure: httpcore.ConnectError | None = None
        for ip in addresses:
            try:
                return super().connect_tcp(str(ip), port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                failure = exc
        assert failure is not None
        raise failure


class PinnedTransport(httpx.HTTPTransport):
    """HTTP(S) over :class:`PinnedBackend`, with httpx's own certificate checks."""

    def __init__(self, pins: Pins, limits: httpx.Limits) -> None:
        super().__init__(limits=limits, trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=PinnedBackend(pins),
        )


def peer_address(response: httpx.Response) -> IPAddress | None:
    """The address the answer came from (None when the stream does not say)."""
    stream = response.extensions.get("network_stream")
    peer = stream.get_extra_info("server_addr") if stream is not None else None
    if not isinstance(peer, tuple) or not peer:
        return None
    try:
        return ipaddress.ip_address(str(peer[0]))
    except ValueError:
        return None
