"""Fetcher against a real HTTP server on 127.0.0.1: limits, redirects, validators, errors."""

from __future__ import annotations

import gzip
import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from httpserver import LoopbackServer, Route, Seen, free_port

from newsreader.config import FetchSettings
from newsreader.feeds.fetch import Fetcher, retry_after

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><guid>1</guid><title>One</title></item></channel></rss>"""


@pytest.fixture
def http_server() -> Iterator[LoopbackServer]:
    """A real HTTP server on 127.0.0.1."""
    with LoopbackServer() as server:
        yield server


def fetcher(**overrides: object) -> Fetcher:
    """A Fetcher with small limits so slow cases end fast."""
    values = {"connect_timeout": 1.0, "total_timeout": 1.0, **overrides}
    return Fetcher(FetchSettings(**values))  # type: ignore[arg-type]


def test_plain_fetch_returns_body_validators_and_type(http_server: LoopbackServer) -> None:
    http_server.route(
        "/f",
        body=RSS,
        etag='"v1"',
        last_modified="Wed, 01 Jan 2025 00:00:00 GMT",
        content_type="application/rss+xml",
    )
    with fetcher() as f:
        result = f.fetch(http_server.url("/f"))
    assert (result.status, result.body, result.error) == (200, RSS, "")
    assert result.etag == '"v1"'
    assert result.last_modified == "Wed, 01 Jan 2025 00:00:00 GMT"
    assert result.content_type == "application/rss+xml"
    sent = http_server.seen("/f")[0].headers
    assert sent["user-agent"].startswith("newsreader/")
    assert "gzip" in sent["accept-encoding"]


def test_validators_are_sent_back_and_304_has_no_body(http_server: LoopbackServer) -> None:
    http_server.route("/f", body=RSS, etag='"v1"', last_modified="Wed, 01 Jan 2025 00:00:00 GMT")
    with fetcher() as f:
        first = f.fetch(http_server.url("/f"))
        second = f.fetch(http_server.url("/f"), first.etag, first.last_modified)
    assert (second.status, second.body, second.error) == (304, b"", "")
    headers = http_server.seen("/f")[1].headers
    assert headers["if-none-match"] == '"v1"'
    assert headers["if-modified-since"] == "Wed, 01 Jan 2025 00:00:00 GMT"
    assert http_server.conditional_count("/f") == 1


def test_connections_are_reused_after_304_errors_and_redirects(
    http_server: LoopbackServer,
) -> None:
    http_server.route("/f", body=RSS, etag='"v1"')
    http_server.route("/gone", status=404, body=b"<html>" + b"x" * 1000 + b"</html>")
    http_server.route("/moved", status=302, headers={"Location": "/f"}, body=b"see /f")
    with fetcher(max_connections=1) as f:
        for _ in range(3):
            assert f.fetch(http_server.url("/f"), etag='"v1"').status == 304
            assert f.fetch(http_server.url("/gone")).status == 404
            assert f.fetch(http_server.url("/moved")).body == RSS
    assert http_server.count() == 12
    assert http_server.connections == 1


def test_gzip_body_is_decompressed(http_server: LoopbackServer) -> None:
    http_server.route("/f", body=RSS * 50, gzip=True)
    with fetcher() as f:
        result = f.fetch(http_server.url("/f"))
    assert result.body == RSS * 50


def test_deflate_with_and_without_zlib_header(http_server: LoopbackServer) -> None:
    raw = zlib.compressobj(wbits=-15)
    http_server.route("/zlib", body=zlib.compress(RSS), headers={"Content-Encoding": "deflate"})
    http_server.route(
        "/raw", body=raw.compress(RSS) + raw.flush(), headers={"Content-Encoding": "deflate"}
    )
    with fetcher() as f:
        assert f.fetch(http_server.url("/zlib")).body == RSS
        assert f.fetch(http_server.url("/raw")).body == RSS


def test_gzip_bomb_stops_at_the_cap(http_server: LoopbackServer) -> None:
    bomb = gzip.compress(b"\0" * (20 * 1024 * 1024))  # 20 KB on the wire, 20 MB inflated
    http_server.route("/bomb", body=bomb, headers={"Content-Encoding": "gzip"})
    with fetcher(max_body_mb=1.0) as f:
        result = f.fetch(http_server.url("/bomb"))
    assert result.error == "body larger than 1 MB"
    assert result.body == b""


def test_oversized_body_is_an_error(http_server: LoopbackServer) -> None:
    http_server.route("/big", body=b"x" * 300_000)
    with fetcher(max_body_mb=0.25) as f:
        result = f.fetch(http_server.url("/big"))
    assert (result.error, result.body) == ("body larger than 0.25 MB", b"")


def test_oversized_chunked_body_stops_reading_at_the_cap(http_server: LoopbackServer) -> None:
    http_server.route("/chunky", body=b"x" * 300_000, chunked=True)
    http_server.route("/small", body=RSS, chunked=True)
    with fetcher(max_body_mb=0.25) as f:
        assert f.fetch(http_server.url("/chunky")).error == "body larger than 0.25 MB"
        assert f.fetch(http_server.url("/small")).body == RSS


def test_permanent_redirect_chain_reports_the_new_url(http_server: LoopbackServer) -> None:
    http_server.route("/old", status=301, headers={"Location": "/older"})
    http_server.route("/older", status=308, headers={"Location": http_server.url("/new")})
    http_server.route("/new", body=RSS)
    with fetcher() as f:
        result = f.fetch(http_server.url("/old"))
    assert (result.status, result.body) == (200, RSS)
    assert result.url == http_server.url("/new")
    assert result.permanent_redirect == http_server.url("/new")


def test_temporary_redirect_is_followed_but_not_permanent(http_server: LoopbackServer) -> None:
    http_server.route("/a", status=301, headers={"Location": "/b"})
    http_server.route("/b", status=302, headers={"Location": "/c"})
    http_server.route("/c", body=RSS)
    with fetcher() as f:
        result = f.fetch(http_server.url("/a"))
    assert result.body == RSS
    assert result.permanent_redirect == http_server.url("/b")  # only the 301 part is permanent
    http_server.route("/t", status=307, headers={"Location": "/c"})
    with fetcher() as f:
        assert f.fetch(http_server.url("/t")).permanent_redirect is None


def test_redirect_loop_and_too_many_redirects(http_server: LoopbackServer) -> None:
    http_server.route("/x", status=302, headers={"Location": "/y"})
    http_server.route("/y", status=302, headers={"Location": "/x"})
    for i in range(7):
        http_server.route(f"/r{i}", status=302, headers={"Location": f"/r{i + 1}"})
    http_server.route("/r7", body=RSS)
    with fetcher() as f:
        assert f.fetch(http_server.url("/x")).error == "redirect loop"
        assert f.fetch(http_server.url("/r0")).error == "too many redirects"
        assert f.fetch(http_server.url("/r2")).body == RSS  # exactly 5 hops is fine
    assert http_server.count("/r6") == 1  # the 6th redirect was never followed past


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/f", "javascript:x"])
def test_redirect_to_other_scheme_is_refused(http_server: LoopbackServer, target: str) -> None:
    http_server.route("/evil", status=302, headers={"Location": target})
    with fetcher() as f:
        result = f.fetch(http_server.url("/evil"))
    assert result.error == "redirect to a non-http(s) URL refused"
    assert result.body == b""


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (404, "HTTP 404 Not Found"),
        (410, "HTTP 410 Gone"),
        (500, "HTTP 500 Internal Server Error"),
    ],
)
def test_http_errors(http_server: LoopbackServer, status: int, message: str) -> None:
    http_server.route("/e", status=status, body=b"<html>nope</html>")
    with fetcher() as f:
        result = f.fetch(http_server.url("/e"))
    assert (result.status, result.error, result.body) == (status, message, b"")


def test_retry_after_seconds_and_date(http_server: LoopbackServer) -> None:
    http_server.route("/busy", status=429, headers={"Retry-After": "120"})
    date = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 3600))
    http_server.route("/down", status=503, headers={"Retry-After": date})
    with fetcher() as f:
        busy = f.fetch(http_server.url("/busy"))
        down = f.fetch(http_server.url("/down"))
    assert busy.retry_after == 120
    assert busy.error == "HTTP 429 Too Many Requests (retry after 120 s)"
    assert down.retry_after is not None and 3500 < down.retry_after <= 3600
    assert down.error.startswith("HTTP 503 Service Unavailable")


def test_retry_after_parsing_edge_cases() -> None:
    assert retry_after("nonsense") is None
    assert retry_after("Wed, 01 Jan 2020 00:00:00 GMT") is None  # in the past
    assert retry_after("99999999999") == 7 * 24 * 3600.0


def test_silent_server_times_out(http_server: LoopbackServer) -> None:
    http_server.route("/silent", body=RSS, delay=30)
    start = time.monotonic()
    with fetcher(total_timeout=0.5) as f:
        result = f.fetch(http_server.url("/silent"))
    assert result.error == "timed out after 0.5 s"
    assert time.monotonic() - start < 1.5


def test_dripping_server_is_cut_at_the_total_deadline(http_server: LoopbackServer) -> None:
    http_server.route("/drip", body=RSS, drip=0.2)  # would take ~25 s
    start = time.monotonic()
    with fetcher(total_timeout=1.0) as f:
        result = f.fetch(http_server.url("/drip"))
    assert result.error == "timed out after 1 s"
    assert time.monotonic() - start < 1.6


def test_slow_gaps_longer_than_the_rest_of_the_deadline_are_cut(
    http_server: LoopbackServer,
) -> None:
    # Bytes at 0, 0.9 and 1.8 s: each gap is within the read timeout, the sum is not.
    http_server.route("/gap", body=b"abcd", drip=0.9)
    start = time.monotonic()
    with fetcher(total_timeout=1.0) as f:
        result = f.fetch(http_server.url("/gap"))
    assert result.error == "timed out after 1 s"
    assert time.monotonic() - start < 1.4


def test_connection_refused() -> None:
    with fetcher() as f:
        result = f.fetch(f"http://127.0.0.1:{free_port()}/feed")
    assert (result.status, result.error) == (0, "connection refused")


def test_unsupported_scheme_and_invalid_urls_are_errors_not_exceptions() -> None:
    with fetcher() as f:
        assert f.fetch("ftp://example.org/feed").error == "unsupported URL scheme 'ftp'"
        assert f.fetch("http://[oops/feed").error == "invalid URL"
        assert f.fetch("http://").error == "invalid URL"


def test_local_file_is_read_with_the_cap(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_bytes(RSS)
    big = tmp_path / "big.xml"
    big.write_bytes(b"x" * 300_000)
    with fetcher(max_body_mb=0.25) as f:
        assert (f.fetch(str(feed)).status, f.fetch(str(feed)).body) == (200, RSS)
        assert f.fetch(feed.as_uri()).body == RSS
        assert f.fetch(str(big)).error == "body larger than 0.25 MB"
        missing = f.fetch(str(tmp_path / "missing.xml"))
    assert missing.status == 0 and missing.error.startswith("cannot read")


def test_per_host_and_total_concurrency_limits(http_server: LoopbackServer) -> None:
    http_server.route("/slow", body=RSS, delay=0.2)
    with fetcher(max_per_host=2, max_connections=16) as f:
        threads = [
            threading.Thread(target=f.fetch, args=(http_server.url("/slow"),)) for _ in range(6)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert http_server.count("/slow") == 6
    assert http_server.max_inflight == 2


def test_handler_sees_each_request(http_server: LoopbackServer) -> None:
    def answer(seen: Seen) -> Route:
        return Route(body=seen.headers.get("if-none-match", "none").encode())

    http_server.route("/echo", handler=answer)
    with fetcher() as f:
        assert f.fetch(http_server.url("/echo"), etag='"e"').body == b'"e"'


PARTIAL = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
    b"<item><guid>1</guid><title>One</title></item>"
    b"<item><guid>2</guid><title>Two</title></item><item><guid>3</guid>"
)


def test_a_body_without_length_stalled_past_the_deadline_is_a_timeout(
    http_server: LoopbackServer,
) -> None:
    """Part of a feed, no Content-Length, then the socket held open: cut at the total
    timeout, that is a timeout, not the end of the body."""
    http_server.route("/stall", body=PARTIAL, length=False, stall=10)
    start = time.monotonic()
    with fetcher(total_timeout=0.8) as f:
        result = f.fetch(http_server.url("/stall"))
    assert (result.status, result.error, result.body) == (0, "timed out after 0.8 s", b"")
    assert time.monotonic() - start < 1.5


def test_a_body_without_length_that_ends_with_the_connection_is_whole(
    http_server: LoopbackServer,
) -> None:
    http_server.route("/close", body=RSS, length=False)
    with fetcher() as f:
        result = f.fetch(http_server.url("/close"))
    assert (result.status, result.error, result.body) == (200, "", RSS)


def test_a_chunked_body_stalled_past_the_deadline_is_a_timeout(
    http_server: LoopbackServer,
) -> None:
    # chunked framing announced, but the bytes are sent raw and the last chunk never comes
    http_server.route(
        "/chunks",
        body=b"%x\r\n" % len(PARTIAL) + PARTIAL + b"\r\n",
        length=False,
        stall=10,
        headers={"Transfer-Encoding": "chunked"},
    )
    with fetcher(total_timeout=0.8) as f:
        result = f.fetch(http_server.url("/chunks"))
    assert result.error == "timed out after 0.8 s" and result.body == b""


@pytest.mark.parametrize("cut", [1, 4, 8, 30])
def test_a_truncated_gzip_body_is_a_decompression_error(
    http_server: LoopbackServer, cut: int
) -> None:
    """The HTTP answer is complete (its Content-Length matches) but the gzip stream is not:
    its end (and its length and CRC trailer) never came."""
    http_server.route("/cut", body=RSS * 20, gzip=True, cut=cut)
    with fetcher() as f:
        result = f.fetch(http_server.url("/cut"))
    assert result.status == 0 and result.body == b""
    assert result.error == "corrupt compressed body: the gzip stream ends early"


def test_a_gzip_body_of_several_members_is_read_whole(http_server: LoopbackServer) -> None:
    """Concatenated gzip members are one gzip file (RFC 1952): every member is kept."""
    http_server.route(
        "/members",
        body=gzip.compress(RSS[:50]) + gzip.compress(RSS[50:]),
        headers={"Content-Encoding": "gzip"},
    )
    with fetcher() as f:
        assert f.fetch(http_server.url("/members")).body == RSS


def test_gzip_members_and_truncation_are_found_whatever_the_chunking() -> None:
    """Fed one byte at a time (as a slow network may), several members are read whole,
    bytes after the last member are ignored, and a cut stream is an error."""
    from newsreader.feeds.limits import TRUNCATED, BoundedDecoder, FetchError

    whole = gzip.compress(RSS[:50]) + gzip.compress(RSS[50:]) + b"\0\0"
    for body, expected in ((whole, RSS), (whole[:-30], None)):
        decoder = BoundedDecoder("gzip", 1 << 20)
        for i in range(len(body)):
            decoder.feed(body[i : i + 1])
        if expected is None:
            with pytest.raises(FetchError, match=TRUNCATED):
                decoder.finish()
        else:
            assert decoder.finish() == expected
