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
"""

from __future__ import annotations

import socket
import threading
import time
import zlib
from dataclasses import dataclass, replace
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

import httpx

from newsreader.config import FetchSettings
from newsreader.feeds.limits import (
    BodyTooLarge,
    BoundedDecoder,
    FetchError,
    HostQueue,
    SocketDeadline,
    host_key,
)
from newsreader.models import FetchResult
from newsreader.safety import clean_line

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
MAX_RETRY_AFTER = 7 * 24 * 3600.0
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
    """Fetches feeds over one shared connection pool; safe to use from many threads."""

    def __init__(self, settings: FetchSettings | None = None) -> None:
        self.settings = settings or FetchSettings()
        self.max_bytes = int(self.settings.max_body_mb * 1024 * 1024)
        self._slots = threading.BoundedSemaphore(max(1, self.settings.max_connections))
        self._hosts: dict[str, threading.BoundedSemaphore] = {}
        self._hosts_lock = threading.Lock()
        self._client = httpx.Client(
            follow_redirects=False,
            limits=httpx.Limits(
                max_connections=max(1, self.settings.max_connections),
                max_keepalive_connections=max(1, self.settings.max_connections),
            ),
            event_hooks={"response": [_stash_location]},
            headers={
                "User-Agent": self.settings.user_agent,
                "Accept": ACCEPT,
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
        with self._host_slot(url), self._slots:
            return self._fetch_http(url, etag, last_modified)

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
            return FetchResult(url=url, status=0, error=self._too_large())
        return FetchResult(url=url, status=200, body=body)

    def _too_large(self) -> str:
        return f"body larger than {self.settings.max_body_mb:g} MB"

    def _timed_out(self) -> str:
        return f"timed out after {self.settings.total_timeout:g} s"

    def _fetch_http(self, url: str, etag: str | None, last_modified: str | None) -> FetchResult:
        deadline = time.monotonic() + self.settings.total_timeout
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        seen = {url}
        permanent: str | None = None
        still_permanent = True
        for _hop in range(MAX_REDIRECTS + 1):
            try:
                result = self._one_hop(url, headers, deadline)
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
        self, url: str, headers: dict[str, str], deadline: float
    ) -> FetchResult | _Redirect:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(self._timed_out())
        timeout = httpx.Timeout(remaining, connect=min(self.settings.connect_timeout, remaining))
        try:
            with self._client.stream("GET", url, headers=headers, timeout=timeout) as response:
                return self._answer(url, response, deadline)
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
        self, url: str, response: httpx.Response, deadline: float
    ) -> FetchResult | _Redirect:
        status = response.status_code
        if 200 <= status < 300:
            return FetchResult(
                url=url,
                status=status,
                body=self._read_body(response, deadline),
                etag=response.headers.get("etag"),
                last_modified=response.headers.get("last-modified"),
                content_type=response.headers.get("content-type", ""),
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

    def _read_body(self, response: httpx.Response, deadline: float) -> bytes:
        length = response.headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_bytes:
            raise FetchError(self._too_large())
        decoder = BoundedDecoder(response.headers.get("content-encoding", ""), self.max_bytes)
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
            raise FetchError(self._too_large()) from exc
        finally:
            watchdog.cancel()


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


def http_error(status: int, response: httpx.Response) -> str:
    """'HTTP 404 Not Found', plus the wait a 429/503 asked for."""
    reason = httpx.codes.get_reason_phrase(status) or clean_line(response.reason_phrase)[:60]
    text = f"HTTP {status} {reason}".strip()
    wait = retry_after(response.headers.get("retry-after"))
    return f"{text} (retry after {wait:.0f} s)" if wait else text


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds a Retry-After header asks us to wait (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    wait = when - (time.time() if now is None else now)
    return min(max(wait, 0.0), MAX_RETRY_AFTER) or None


def describe_error(exc: BaseException) -> str:
    """A one-line description of a network error ("connection refused", ...)."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(chain) < 8:
        chain.append(current)
        current = current.__cause__ or current.__context__
    if any(isinstance(e, ConnectionRefusedError) for e in chain):
        return "connection refused"
    if any(isinstance(e, ConnectionResetError) for e in chain):
        return "connection reset by the server"
    if any(isinstance(e, socket.gaierror) for e in chain) or "Name or service" in str(exc):
        return "host not found"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"server broke the protocol: {clean_line(exc)[:120]}"
    if isinstance(exc, zlib.error):
        return "corrupt compressed body"
    text = clean_line(exc)[:160] or type(exc).__name__
    return text
