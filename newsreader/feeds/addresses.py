"""Which network addresses a link from a feed may make newsreader fetch.

A feed is hostile, and so are the links in it: ``<link>http://192.168.1.1/reboot</link>``
must not turn the reader into a tool that reaches the user's router, a cloud metadata
service (169.254.169.254) or a database on the loopback. So a page is refused when its host
resolves to a loopback, private, link-local or otherwise non-public address
(:func:`is_private`) — unless the feed itself lives on that same host.

"The same host" (:class:`AddressPolicy`): the same port (80 and 443 count as one: a site
on both), and either the same host name or only addresses the feed's host resolves to too.
So a feed on ``localhost:8080`` may link to ``127.0.0.1:8080``, but a feed on ``127.0.0.1``
may not link to ``127.0.0.2`` (another loopback address: another host), nor to another
port of its own host (another service). The check is on the resolved addresses, every one
of them, and :mod:`newsreader.feeds.pinned` then connects only to the addresses checked.

What this does not stop: whoever controls the DNS of the feed's own host can point it (and
so its pages) anywhere; they can already do that to the feed fetch itself.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import httpx

from newsreader.feeds.limits import FetchError
from newsreader.safety import clean_line

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[IPAddress]]

_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_COMPAT = ipaddress.IPv6Network("::/96")
_WEB_PORTS = (80, 443)


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, compatible, NAT64, 6to4)."""
    if isinstance(ip, ipaddress.IPv4Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64 or (ip in _COMPAT and int(ip) > 1):  # ::1 and :: are themselves
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_private(ip: IPAddress) -> bool:
    """True for any address that is not a public unicast one.

    Loopback, RFC 1918, CGNAT (100.64/10), link-local, unspecified, multicast, reserved,
    unique-local (fc00::/7), documentation ranges...; an IPv6 address carrying an IPv4 one
    (``::ffff:10.0.0.1``, ``64:ff9b::a00:1``, ``2002:a00:1::``) is judged by that one.
    """
    inner = _embedded_ipv4(ip)
    if inner is not None:
        return is_private(inner)
    return (
        not ip.is_global
        or ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def address_kind(ip: IPAddress) -> str:
    """'loopback', 'link-local' or 'private': for an error message."""
    inner = _embedded_ipv4(ip) or ip
    if inner.is_loopback:
        return "loopback"
    if inner.is_link_local:
        return "link-local"
    return "private"


def resolve(host: str, port: int = 0) -> list[IPAddress]:
    """Every address ``host`` resolves to (a literal address is itself), in DNS order.

    Raises:
        OSError: the name does not resolve (``socket.gaierror``).
    """
    found: list[IPAddress] = []
    for *_, sockaddr in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
        ip = ipaddress.ip_address(str(sockaddr[0]))
        if ip not in found:
            found.append(ip)
    return found


class LookupTimeout(OSError):
    """A name lookup took longer than it may."""


def bounded(resolver: Resolver, seconds: float) -> Resolver:
    """``resolver``, given at most ``seconds``: ``getaddrinfo`` has no timeout of its own,
    and a stuck lookup must not outlast a page's deadline. The lookup runs in a daemon
    thread, left behind (it ends with the system's own timeout) when it takes too long.
    """

    def lookup(host: str, port: int = 0) -> list[IPAddress]:
        answer: list[list[IPAddress] | BaseException] = []
        thread = threading.Thread(
            target=lambda: answer.append(_try(resolver, host, port)), daemon=True
        )
        thread.start()
        thread.join(seconds)
        if not answer:
            raise LookupTimeout(f"looking up {host} took longer than {seconds:g} s")
        result = answer[0]
        if isinstance(result, BaseException):
            raise result
        return result

    return lookup


def _try(resolver: Resolver, host: str, port: int) -> list[IPAddress] | BaseException:
    try:
        return resolver(host, port)
    except Exception as exc:  # re-raised on the caller's thread
        return exc


def web_target(url: str) -> tuple[str, int]:
    """The (ASCII host, port) httpx connects to for ``url``; ports are explicit.

    Raises:
        FetchError: not an http(s) URL with a host.
    """
    try:
        parsed = httpx.URL(url)
        host = parsed.raw_host.decode("ascii").lower().rstrip(".")
    except (httpx.InvalidURL, UnicodeError, ValueError) as exc:
        raise FetchError("invalid URL") from exc
    if parsed.scheme not in ("http", "https") or not host:
        raise FetchError("invalid URL")
    return host, parsed.port or (443 if parsed.scheme == "https" else 80)


def _same_port(first: int, second: int) -> bool:
    return first == second or (first in _WEB_PORTS and second in _WEB_PORTS)


@dataclass
class AddressPolicy:
    """The addresses pages linked from one feed may reach (see the module docstring)."""

    feed_url: str
    resolver: Resolver = resolve
    _feed_addresses: list[IPAddress] | None = field(default=None, init=False, repr=False)

    def addresses(self, url: str) -> tuple[str, int, list[IPAddress]]:
        """The host, port and checked addresses to connect to for ``url``.

        Raises:
            FetchError: the URL is invalid, its host does not resolve, or it resolves to an
                address a page from this feed may not reach (the message says which).
        """
        host, port = web_target(url)
        try:
            found = self.resolver(host, port)
        except LookupTimeout as exc:
            raise FetchError(clean_line(exc)[:200]) from exc
        except (OSError, UnicodeError, ValueError) as exc:
            raise FetchError(f"host not found ({clean_line(host)[:80]})") from exc
        if not found:
            raise FetchError(f"host not found ({clean_line(host)[:80]})")
        self.check(host, port, found)
        return host, port, found

    def check(self, host: str, port: int, found: Sequence[IPAddress]) -> None:
        """Refuse (FetchError) when a private address in ``found`` is not the feed's host."""
        for ip in found:
            if is_private(ip) and not self._feeds_own(host, port, ip):
                raise FetchError(_refusal(host, ip))

    def _feeds_own(self, host: str, port: int, ip: IPAddress) -> bool:
        try:
            feed_host, feed_port = web_target(self.feed_url)
        except FetchError:
            return False  # a local file, or no feed: no host of its own
        if not _same_port(port, feed_port):
            return False
        return host == feed_host or ip in self._feed_host_addresses(feed_host, feed_port)

    def _feed_host_addresses(self, host: str, port: int) -> list[IPAddress]:
        if self._feed_addresses is None:
            try:
                self._feed_addresses = self.resolver(host, port)
            except (OSError, UnicodeError, ValueError):
                self._feed_addresses = []
        return self._feed_addresses


def _is_literal(host: str, ip: IPAddress) -> bool:
    try:
        return ipaddress.ip_address(host) == ip
    except ValueError:
        return False


def _refusal(host: str, ip: IPAddress) -> str:
    kind = address_kind(ip)
    shown = clean_line(host)[:80]
    if _is_literal(host, ip):
        return f"refused: {shown} is a {kind} address and the feed is not on that host"
    return f"refused: {shown} resolves to a {kind} address ({ip}) and the feed is not on that host"


def check_page_address(url: str, feed_url: str) -> str | None:
    """Why the page at ``url``, linked from the feed at ``feed_url``, may not be fetched
    (one line: "refused: example.org resolves to a private address (10.0.0.5) ..."), or
    None when it may. An invalid URL or a host that does not resolve is a reason too."""
    try:
        AddressPolicy(feed_url).addresses(url)
    except FetchError as exc:
        return str(exc)
    return None
