"""Download one feed, within limits: time, size, redirects, concurrency; never raises.

Why httpx (a synchronous ``httpx.Client``): one client shared by every thread gives a
thread-safe pool of keep-alive connections; its streaming API lets us stop reading at the
size cap and at the overall deadline; ``follow_redirects=False`` lets us follow redirects
ourselves and see every hop (301/308 vs 302, scheme checks, loops). We decode gzip/deflate
ourselves with ``zlib`` so the *decompressed* size is bounded too. Sync rather than async
because the callers (the CLI and a Textual thread worker) are threads, and the work after a
fetch (parsing, SQLite) is blocking anyway.

Limits (the mechanisms live in :mod:`newsreader.feeds.limits`): at most
``max_connections`` requests at once and ``max_per_host`` per host; a connect timeout and a
total deadline per feed (a server dripping one byte per second is cut off at the deadline:
the socket is shut down by a timer, and what was read by then is a timeout, never a body,
even without a Content-Length to show it is short); a compressed body must reach the end of
its stream (a truncated gzip is an error, not a shorter feed); bodies over ``max_body_mb``
(decompressed) are an error, refused early when Content-Length says so.

Article pages (:meth:`Fetcher.fetch_page`) go through the same hops and limits, with the
rules a link from a hostile feed needs on top: every hop's address is checked
(:mod:`newsreader.feeds.addresses`) and the connection pinned to it
(:mod:`newsreader.feeds.pinned`); only an HTML page is read
(:mod:`newsreader.feeds.pageguard`), within a smaller body cap; one host is asked for a
page at most every ``page_delay`` seconds.
"""

from __future__ import annotations

import threading
import time
import zlib
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

import httpx

from newsreader.config import FetchSettings
from newsreader.feeds.addresses import AddressPolicy, Resolver, bounded, resolve
from newsreader.feeds.httperrors import describe_error, http_error, max_age, retry_after
from newsreader.feeds.limits import (
    BodyTooLarge,
    BoundedDecoder,
    FetchError,
    HostQueue,
    SocketDeadline,
    host_key,
)
from newsreader.feeds.pageguard import (
    PAGE_ACCEPT,
    PAGE_MAX_MB,
    HostSpacing,
    accept_page,
    checked_page,
)
from newsreader.feeds.pinned import PinnedTransport, Pins
from newsreader.models import FetchResult

__all__ = [
    "Fetcher",
    "FetchError",
    "HostQueue",
    "describe_error",
    "host_key",
    "http_error",
    "is_local",
    "local_path",
    "retry_after",
]

MAX_REDIRECTS = 5
REDIRECTS = (301, 302, 303, 307, 308)
PERMANENT = (301, 308)
LOCATION = "x-newsreader-location"
DRAIN_BYTES = 64 * 1024
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9,"
    " application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8"
)


def is_local(url: str) -> bool:
    """True for a feed stored as a local file: an absolute path or a file:// URL."""
    return url.startswith("file://") or url.startswith("/")


def local_path(url: str) -> Path:
    """The file a local feed URL names."""
    if url.startswith("file://"):
        return Path(url2pathname(urlsplit(url).path))
    return Path(url)


class Fetcher:
    """Fetches feeds (and article pages) over shared connection pools; thread-safe.

    ``resolver`` is how page hosts are looked up (tests give a fixed answer to show that
    the connection goes where the check looked); a lookup may take at most the connect
    timeout.
    """

    def __init__(self, settings: FetchSettings | None = None, resolver: Resolver = resolve) -> None:
        self.settings = settings or FetchSettings()
        self.max_bytes = int(self.settings.max_body_mb * 1024 * 1024)
        self._slots = threading.BoundedSemaphore(max(1, self.settings.max_connections))
        self._hosts: dict[str, threading.BoundedSemaphore] = {}
        self._hosts_lock = threading.Lock()
        self._client = self._new_client(ACCEPT)
        self._feed_hops = _Hops(self._client, self.settings.max_body_mb)
        self._resolver = bounded(resolver, self.settings.connect_timeout)
        self._pins = Pins()
        self._spacing = HostSpacing(self.settings.page_delay)
        self._page_client: httpx.Client | None = None
        self._page_lock = threading.Lock()

    def _new_client(self, accept: str, pins: Pins | None = None) -> httpx.Client:
        """A client that follows no redirect itself; with ``pins``, on a pinned transport."""
        most = max(1, self.settings.max_connections)
        limits = httpx.Limits(max_connections=most, max_keepalive_connections=most)
        return httpx.Client(
            follow_redirects=False,
            limits=limits,
            transport=None if pins is None else PinnedTransport(pins, limits),
            event_hooks={"response": [_stash_location]},
            headers={
                "User-Agent": self.settings.user_agent,
                "Accept": accept,
                "Accept-Encoding": "gzip, deflate",
            },
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close every pooled connection."""
        self._client.close()
        with self._page_lock:
            if self._page_client is not None:
                self._page_client.close()

    def fetch(
        self, url: str, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """Fetch ``url`` (http(s), or a local file); problems come back as ``error``.

        Args:
            url: the feed's address, or an absolute path / file:// URL the user added.
            etag, last_modified: validators from the last fetch, sent back so an
                unchanged feed answers 304 with no body.
        """
        if is_local(url):
            return self._read_file(url)
        try:
            scheme = urlsplit(url).scheme.lower()
        except ValueError:
            return FetchResult(url=url, status=0, error="invalid URL")
        if scheme not in ("http", "https"):
            return FetchResult(url=url, status=0, error=f"unsupported URL scheme {scheme!r}")
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        with self._host_slot(url), self._slots:
            return self._fetch_http(url, headers, self._feed_hops)

    def fetch_page(self, url: str, *, feed_url: str) -> FetchResult:
        """Fetch the web page of an article from the feed at ``feed_url``; never raises.

        A feed's limits, and on top: http(s) only; every hop's address checked (no
        private address unless it is the feed's own host) with the connection pinned to
        it; only an HTML page, of at most ``PAGE_MAX_MB`` (or ``max_body_mb`` if smaller);
        ``page_delay`` seconds between two page fetches to one host. Only the page itself
        is fetched; no validators are sent. Problems come back as ``error`` (one line).
        """
        try:
            scheme = urlsplit(url).scheme.lower()
        except ValueError:
            return FetchResult(url=url, status=0, error="invalid URL")
        if scheme not in ("http", "https"):
            error = f"unsupported URL scheme {scheme!r}: a page must be http(s)"
            return FetchResult(url=url, status=0, error=error if scheme else "invalid URL")
        hops = self._page_hops(AddressPolicy(feed_url, self._resolver))
        with self._host_slot(url):
            self._spacing.wait_turn(host_key(url))
            with self._slots:
                return checked_page(self._fetch_http(url, {}, hops))

    def _page_hops(self, policy: AddressPolicy) -> _Hops:
        with self._page_lock:
            if self._page_client is None:
                self._page_client = self._new_client(PAGE_ACCEPT, self._pins)
            client = self._page_client
        limit = min(self.settings.max_body_mb, PAGE_MAX_MB)
        return _Hops(client, limit, partial(self._pin_hop, policy), partial(accept_page, policy))

    def _pin_hop(self, policy: AddressPolicy, url: str) -> AbstractContextManager[None]:
        """Check the hop's address (FetchError if refused); connect only to what was checked."""
        host, port, addresses = policy.addresses(url)
        return self._pins.pinned(host, port, addresses)

    def _host_slot(self, url: str) -> threading.BoundedSemaphore:
        host = host_key(url)
        with self._hosts_lock:
            if host not in self._hosts:
                self._hosts[host] = threading.BoundedSemaphore(max(1, self.settings.max_per_host))
            return self._hosts[host]

    def _read_file(self, url: str) -> FetchResult:
        path = local_path(url)
        try:
            with path.open("rb") as handle:
                body = handle.read(self.max_bytes + 1)
        except OSError as exc:
            return FetchResult(url=url, status=0, error=f"cannot read {path}: {exc.strerror}")
        if len(body) > self.max_bytes:
            return FetchResult(url=url, status=0, error=_too_large(self.settings.max_body_mb))
        return FetchResult(url=url, status=200, body=body)

    def _timed_out(self) -> str:
        return f"timed out after {self.settings.total_timeout:g} s"

    def _fetch_http(self, url: str, headers: dict[str, str], hops: _Hops) -> FetchResult:
        deadline = time.monotonic() + self.settings.total_timeout
        seen = {url}
        permanent: str | None = None
        still_permanent = True
        for _hop in range(MAX_REDIRECTS + 1):
            try:
                result = self._one_hop(url, headers, deadline, hops)
            except FetchError as exc:
                return FetchResult(url=url, status=0, error=str(exc))
            if not isinstance(result, _Redirect):
                moved = permanent if result.status in (200, 304) else None
                return _with_redirect(result, moved)
            still_permanent = still_permanent and result.status in PERMANENT
            if result.error:
                return FetchResult(url=url, status=result.status, error=result.error)
            url = result.location
            if url in seen:
                return FetchResult(url=url, status=result.status, error="redirect loop")
            seen.add(url)
            permanent = url if still_permanent else permanent
        return FetchResult(url=url, status=0, error="too many redirects")

    def _one_hop(
        self, url: str, headers: dict[str, str], deadline: float, hops: _Hops
    ) -> FetchResult | _Redirect:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(self._timed_out())
        timeout = httpx.Timeout(remaining, connect=min(self.settings.connect_timeout, remaining))
        try:
            with (
                hops.enter(url),
                hops.client.stream("GET", url, headers=headers, timeout=timeout) as response,
            ):
                return self._answer(url, response, deadline, hops)
        except httpx.ConnectTimeout as exc:
            raise FetchError(
                f"connection timed out after {self.settings.connect_timeout:g} s"
            ) from exc
        except httpx.TimeoutException as exc:
            raise FetchError(self._timed_out()) from exc
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise FetchError("invalid URL") from exc
        except (httpx.HTTPError, OSError, zlib.error, ValueError) as exc:
            if time.monotonic() >= deadline:
                raise FetchError(self._timed_out()) from exc
            raise FetchError(describe_error(exc)) from exc

    def _answer(
        self, url: str, response: httpx.Response, deadline: float, hops: _Hops
    ) -> FetchResult | _Redirect:
        status = response.status_code
        hops.accept(url, response)
        if 200 <= status < 300:
            return FetchResult(
                url=url,
                status=status,
                body=self._read_body(response, deadline, hops.max_mb),
                etag=response.headers.get("etag"),
                last_modified=response.headers.get("last-modified"),
                content_type=response.headers.get("content-type", ""),
                max_age=max_age(response.headers.get("cache-control")),
            )
        answer: FetchResult | _Redirect
        if status in REDIRECTS:
            answer = _redirect(url, response)
        elif status == 304:
            answer = FetchResult(
                url=url,
                status=304,
                etag=response.headers.get("etag"),
                last_modified=response.headers.get("last-modified"),
                max_age=max_age(response.headers.get("cache-control")),
            )
        else:
            answer = FetchResult(
                url=url,
                status=status,
                error=http_error(status, response),
                retry_after=retry_after(response.headers.get("retry-after")),
            )
        _drain(response, deadline)
        return answer

    def _read_body(self, response: httpx.Response, deadline: float, max_mb: float) -> bytes:
        limit = int(max_mb * 1024 * 1024)
        length = response.headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            raise FetchError(_too_large(max_mb))
        decoder = BoundedDecoder(response.headers.get("content-encoding", ""), limit)
        watchdog = SocketDeadline(response, deadline)
        try:
            for chunk in response.iter_raw():
                decoder.feed(chunk)
                if time.monotonic() >= deadline:
                    raise FetchError(self._timed_out())
            watchdog.cancel()
            if watchdog.fired or time.monotonic() >= deadline:  # cut off, not ended
                raise FetchError(self._timed_out())
            return decoder.finish()
        except BodyTooLarge as exc:
            raise FetchError(_too_large(max_mb)) from exc
        finally:
            watchdog.cancel()


def _too_large(max_mb: float) -> str:
    return f"body larger than {max_mb:g} MB"


def _no_check(url: str, response: httpx.Response) -> None:
    """A feed's answers need no check of their own."""


@dataclass(frozen=True, slots=True)
class _Hops:
    """How one fetch makes its hops: its client and body cap; ``enter(url)`` wraps each
    request (it may refuse the hop: FetchError); ``accept`` checks each answer's headers."""

    client: httpx.Client
    max_mb: float
    enter: Callable[[str], AbstractContextManager[object]] = lambda url: nullcontext()
    accept: Callable[[str, httpx.Response], None] = _no_check


def _drain(response: httpx.Response, deadline: float) -> None:
    """Read what is left of a small answer (304, an error page) so its connection is reused.

    A connection is only kept when its answer was read to the end; a big or endless body is
    not worth it: the connection is dropped instead.
    """
    length = response.headers.get("content-length", "")
    empty = response.status_code in (204, 304) or length == "0"
    if not empty and not (length.isdigit() and int(length) <= DRAIN_BYTES):
        return
    watchdog = None if empty else SocketDeadline(response, deadline)
    try:
        for _ in response.iter_raw():
            pass
    except (httpx.HTTPError, OSError):
        pass  # the answer is already known; only the connection is lost
    finally:
        if watchdog:
            watchdog.cancel()


@dataclass(frozen=True, slots=True)
class _Redirect:
    """A hop to follow (``location``), or a refused one (``error``)."""

    status: int
    location: str
    error: str = ""


def _stash_location(response: httpx.Response) -> None:
    """Move Location aside: httpx builds (and may choke on) a redirect request otherwise."""
    if "location" in response.headers:
        response.headers[LOCATION] = response.headers["location"]
        del response.headers["location"]


def _redirect(url: str, response: httpx.Response) -> _Redirect:
    location = response.headers.get(LOCATION, "").strip()
    if not location:
        return _Redirect(response.status_code, "", f"HTTP {response.status_code} without Location")
    target = urljoin(url, location)
    if urlsplit(target).scheme.lower() not in ("http", "https"):
        return _Redirect(response.status_code, target, "redirect to a non-http(s) URL refused")
    return _Redirect(response.status_code, target)


def _with_redirect(result: FetchResult, permanent: str | None) -> FetchResult:
    return result if permanent is None else replace(result, permanent_redirect=permanent)
