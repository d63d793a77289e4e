"""The bounds every fetch runs within: body size (decompressed too), a socket deadline, and
fair turns between hosts.

- :class:`BoundedDecoder` collects a body and decodes gzip/deflate itself, so the
  *decompressed* size is capped: a gzip bomb stops at the cap instead of inflating a 64 KB
  chunk into 64 MB.
- :class:`SocketDeadline` shuts a response's socket down at the deadline, so a server
  dripping one byte per second cannot hold a fetch past it.
- :class:`HostQueue` hands out feeds host by host, at most ``per_host`` at once per host.
"""

from __future__ import annotations

import socket
import threading
import time
import zlib
from collections import Counter, deque
from collections.abc import Iterable
from urllib.parse import urlsplit

import httpx

from newsreader.models import Feed
from newsreader.safety import clean_line

TRUNCATED = "corrupt compressed body: the gzip stream ends early"
_GZIP_MAGIC = b"\x1f\x8b"


class FetchError(Exception):
    """A fetch failed; the message is the one-line error stored on the feed."""


class BodyTooLarge(Exception):
    """The (decompressed) body passed the size cap."""


class BoundedDecoder:
    """Collects a body, decompressing gzip/deflate, never holding more than ``limit`` bytes."""

    def __init__(self, encoding: str, limit: int) -> None:
        self.limit = limit
        self.parts: list[bytes] = []
        self.size = 0
        encoding = encoding.strip().lower()
        if encoding in ("", "identity"):
            self._zlib = None
        elif encoding in ("gzip", "x-gzip", "deflate"):
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib header
            self._raw_deflate = encoding == "deflate"
        else:
            raise FetchError(f"unsupported content encoding {clean_line(encoding)[:40]!r}")

    def feed(self, chunk: bytes) -> None:
        """Add one raw chunk from the wire."""
        if self._zlib is None:
            self._keep(chunk)
            return
        while True:
            self._keep(self._decompress(chunk))
            if self._zlib.unconsumed_tail:
                raise BodyTooLarge
            rest = self._zlib.unused_data
            if not (self._zlib.eof and rest.startswith(_GZIP_MAGIC)):
                return  # more to come, or the end (bytes after the last member are ignored)
            chunk, self._zlib = rest, zlib.decompressobj(zlib.MAX_WBITS | 32)  # next member

    def _decompress(self, chunk: bytes) -> bytes:
        assert self._zlib is not None
        try:
            return self._zlib.decompress(chunk, self.limit + 1 - self.size)
        except zlib.error:
            if not (self._raw_deflate and self.size == 0):
                raise
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)  # deflate sent without header
            self._raw_deflate = False
            return self._zlib.decompress(chunk, self.limit + 1)

    def finish(self) -> bytes:
        """The whole decoded body.

        Raises:
            FetchError: the compressed stream ended before its end (a truncated gzip body,
                whose HTTP answer may look complete).
        """
        if self._zlib is not None:
            self._keep(self._zlib.flush())
            if not self._zlib.eof:
                raise FetchError(TRUNCATED)
        return b"".join(self.parts)

    def _keep(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.limit:
            raise BodyTooLarge
        if data:
            self.parts.append(data)


class SocketDeadline:
    """Shuts the response's socket down at the deadline, so no slow read outlives it."""

    def __init__(self, response: httpx.Response, deadline: float) -> None:
        stream = response.extensions.get("network_stream")
        sock = stream.get_extra_info("socket") if stream is not None else None
        self._timer: threading.Timer | None = None
        self._fired = threading.Event()
        if isinstance(sock, socket.socket):
            self._timer = threading.Timer(
                max(0.0, deadline - time.monotonic()), self._shut, (sock,)
            )
            self._timer.daemon = True
            self._timer.start()

    @property
    def fired(self) -> bool:
        """True once the socket was shut at the deadline: what was read since is not the
        whole body, even when it looks like an orderly end (a body without a length ends
        with the connection)."""
        return self._fired.is_set()

    def cancel(self) -> None:
        """The read finished in time: no shutdown."""
        if self._timer is not None:
            self._timer.cancel()

    def _shut(self, sock: socket.socket) -> None:
        self._fired.set()
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def host_key(url: str) -> str:
    """The host (and port) a per-host limit applies to (local files all share one)."""
    try:
        parts = urlsplit(url)
        return f"{(parts.hostname or '').lower()}:{parts.port or ''}"
    except ValueError:
        return ""


class HostQueue:
    """Feeds grouped by host, handed out in turn so one busy host does not block the rest."""

    def __init__(self, feeds: Iterable[Feed], per_host: int) -> None:
        self.per_host = max(1, per_host)
        self.queues: dict[str, deque[Feed]] = {}
        self.active: Counter[str] = Counter()
        for feed in feeds:
            self.queues.setdefault(host_key(feed.url), deque()).append(feed)

    def pop(self) -> Feed | None:
        """A feed whose host is below its limit (hosts taken round-robin), or None."""
        for host in list(self.queues):
            if self.active[host] >= self.per_host:
                continue
            queue = self.queues.pop(host)
            feed = queue.popleft()
            if queue:
                self.queues[host] = queue  # to the back of the line
            self.active[host] += 1
            return feed
        return None

    def release(self, feed: Feed) -> None:
        """A fetch from ``feed``'s host finished."""
        self.active[host_key(feed.url)] -= 1
