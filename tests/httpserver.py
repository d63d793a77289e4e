"""A real HTTP server on 127.0.0.1 for tests that fetch: a route table, no mocks.

Each path answers with a :class:`Route` (status, headers, body, delay before answering,
a one-byte-at-a-time drip, gzip (also cut short), no Content-Length, a connection held
open after the body, ETag/Last-Modified with automatic 304) or with a handler
that builds one per request. The server records every request it saw, so tests can assert
on what the client really sent (conditional headers, how many requests, peak concurrency).

Usage::

    with LoopbackServer() as server:
        server.route("/feed.xml", body=RSS, etag='"v1"')
        fetcher.fetch(server.url("/feed.xml"))
        assert server.count("/feed.xml") == 1

or the ``http_server`` pytest fixture below (import it into a test module).
"""

from __future__ import annotations

import gzip
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass(frozen=True)
class Seen:
    """One request as the server received it."""

    method: str
    path: str
    """The path with its query string."""
    headers: dict[str, str]
    """Header names lower-cased."""

    @property
    def conditional(self) -> bool:
        """True when the client sent If-None-Match or If-Modified-Since."""
        return "if-none-match" in self.headers or "if-modified-since" in self.headers


@dataclass
class Route:
    """How one path answers."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/xml"
    delay: float = 0.0
    """Seconds to wait before sending anything (a slow or silent server)."""
    drip: float = 0.0
    """When > 0, send the body one byte at a time, this many seconds apart."""
    chunked: bool = False
    """Send the body with Transfer-Encoding: chunked (no Content-Length)."""
    gzip: bool = False
    """Compress the body when the client accepts gzip."""
    cut: int = 0
    """Drop this many bytes from the end of the (compressed) body: a truncated gzip stream
    sent with a Content-Length that matches what is sent, so only the gzip is incomplete."""
    length: bool = True
    """Send Content-Length; False: no length, the body ends when the connection closes."""
    stall: float = 0.0
    """After the body, hold the connection open this many seconds before closing it."""
    etag: str | None = None
    """Sent as ETag; a matching If-None-Match gets 304 Not Modified."""
    last_modified: str | None = None
    """Sent as Last-Modified; an equal If-Modified-Since gets 304 (when no ETag matched)."""
    handler: Callable[[Seen], Route] | None = None
    """Build the answer per request instead (its own handler is ignored)."""


class LoopbackServer:
    """A threaded HTTP/1.1 server on 127.0.0.1 with a route table; unknown paths get 404.

    ``host`` binds another loopback address instead (Linux answers on all of 127/8): a
    second host, for tests of which hosts a page may reach.
    """

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.routes: dict[str, Route] = {}
        self.requests: list[Seen] = []
        self.inflight = 0
        self.max_inflight = 0
        self.connections = 0
        """TCP connections accepted (a client reusing its connections keeps this low)."""
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = _QuietServer((host, 0), _make_handler(self))
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def port(self) -> int:
        """The port the server listens on."""
        return int(self._httpd.server_address[1])

    def url(self, path: str = "/") -> str:
        """The absolute URL of ``path`` on this server."""
        return f"http://{self.host}:{self.port}{path}"

    def route(self, path: str, **answer: object) -> Route:
        """Answer ``path`` with a :class:`Route` built from ``answer``; returns it."""
        self.routes[path] = Route(**answer)  # type: ignore[arg-type]
        return self.routes[path]

    def count(self, path: str | None = None) -> int:
        """Requests seen for ``path`` (or for every path)."""
        with self._lock:
            return sum(1 for r in self.requests if path is None or r.path == path)

    def conditional_count(self, path: str | None = None) -> int:
        """Conditional requests (If-None-Match / If-Modified-Since) seen for ``path``."""
        with self._lock:
            return sum(1 for r in self.requests if r.conditional and path in (None, r.path))

    def seen(self, path: str) -> list[Seen]:
        """Every request seen for ``path``, oldest first."""
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def start(self) -> LoopbackServer:
        """Start serving in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; requests still sleeping in a delay or drip give up at once."""
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _answer_for(self, seen: Seen) -> Route:
        route = self.routes.get(seen.path) or self.routes.get(seen.path.split("?")[0])
        if route is None:
            return Route(status=404, body=b"not found", content_type="text/plain")
        return route.handler(seen) if route.handler else route

    def _connected(self) -> None:
        with self._lock:
            self.connections += 1

    def _enter(self, seen: Seen) -> None:
        with self._lock:
            self.requests.append(seen)
            self.inflight += 1
            self.max_inflight = max(self.max_inflight, self.inflight)

    def _leave(self) -> None:
        with self._lock:
            self.inflight -= 1


class _QuietServer(ThreadingHTTPServer):
    """A client hanging up mid-answer is expected here (timeouts, size caps): no traceback."""

    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request: object, client_address: object) -> None:
        """Ignore errors from clients that went away."""


def _not_modified(route: Route, seen: Seen) -> bool:
    if route.status != 200:
        return False
    inm = seen.headers.get("if-none-match")
    if route.etag and inm is not None:
        return route.etag in [tag.strip() for tag in inm.split(",")] or inm.strip() == "*"
    ims = seen.headers.get("if-modified-since")
    return bool(route.last_modified and ims == route.last_modified)


def _make_handler(server: LoopbackServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            server._connected()

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            """Keep test output quiet."""

        def do_GET(self) -> None:  # noqa: N802
            seen = Seen(self.command, self.path, {k.lower(): v for k, v in self.headers.items()})
            server._enter(seen)
            try:
                self._send(server._answer_for(seen), seen)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True
            finally:
                server._leave()

        do_HEAD = do_GET  # noqa: N815

        def do_POST(self) -> None:  # noqa: N802
            """Answered as a GET of the same path (the body is read and dropped)."""
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.do_GET()

        def _send(self, route: Route, seen: Seen) -> None:
            if route.delay and server._stopping.wait(route.delay):
                return
            if _not_modified(route, seen):
                route = replace(route, status=304, body=b"")
            body = route.body
            headers = {"Content-Type": route.content_type, **route.headers}
            if route.gzip and "gzip" in seen.headers.get("accept-encoding", "") and body:
                body = gzip.compress(body)
                headers["Content-Encoding"] = "gzip"
            if route.cut:
                body = body[: max(0, len(body) - route.cut)]
            if route.etag:
                headers["ETag"] = route.etag
            if route.last_modified:
                headers["Last-Modified"] = route.last_modified
            if route.chunked:
                headers["Transfer-Encoding"] = "chunked"
            elif route.length:
                headers.setdefault("Content-Length", str(len(body)))
            else:
                headers["Connection"] = "close"
                self.close_connection = True
            self.send_response(route.status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            if self.command == "HEAD" or route.status == 304:
                return
            if route.chunked:
                self._write_chunked(body)
            else:
                self._write_body(body, route.drip)
            if route.stall:
                self.wfile.flush()
                server._stopping.wait(route.stall)
                self.close_connection = True

        def _write_chunked(self, body: bytes, size: int = 16384) -> None:
            for i in range(0, len(body), size):
                part = body[i : i + size]
                self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")

        def _write_body(self, body: bytes, drip: float) -> None:
            if drip <= 0:
                self.wfile.write(body)
                return
            for i in range(len(body)):
                self.wfile.write(body[i : i + 1])
                self.wfile.flush()
                if server._stopping.wait(drip):
                    self.close_connection = True
                    return

    return Handler


def free_port() -> int:
    """A loopback port nothing listens on (for "connection refused")."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> bool:
    """Poll ``condition`` until it is true or ``timeout`` seconds passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


@pytest.fixture
def http_server() -> Iterator[LoopbackServer]:
    """A started :class:`LoopbackServer`, stopped after the test."""
    with LoopbackServer() as server:
        yield server
