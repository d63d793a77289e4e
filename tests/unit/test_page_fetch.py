"""Fetcher.fetch_page against real loopback servers: which addresses a page from a feed may
reach (every hop), the pinned connection, redirects, size, time, type and per-host limits."""

from __future__ import annotations

import ipaddress
import threading
import time
from collections.abc import Iterator
from itertools import pairwise

import pytest

from newsreader.config import FetchSettings
from newsreader.feeds.addresses import (
    AddressPolicy,
    IPAddress,
    Resolver,
    check_page_address,
    is_private,
    resolve,
)
from newsreader.feeds.fetch import Fetcher
from newsreader.feeds.limits import FetchError
from newsreader.feeds.pageguard import sniffs_as_html
from tests.httpserver import LoopbackServer, Route, Seen

PAGE = "<!DOCTYPE html><html><head><title>Ünïcode</title></head><body><p>Text</p></body></html>"
HTML = PAGE.encode("utf-8")
FOREIGN = "refused: 127.0.0.2 is a loopback address and the feed is not on that host"


def fetcher(**overrides: object) -> Fetcher:
    """A Fetcher with small limits so slow cases end fast, and no page delay."""
    values = {"connect_timeout": 1.0, "total_timeout": 2.0, "page_delay": 0.0, **overrides}
    return Fetcher(FetchSettings(**values))  # type: ignore[arg-type]


@pytest.fixture
def other_host() -> Iterator[LoopbackServer]:
    """A second server on 127.0.0.2: loopback too, but another host."""
    with LoopbackServer("127.0.0.2") as server:
        yield server


def html_route(server: LoopbackServer, path: str, body: bytes = HTML, **answer: object) -> None:
    server.route(path, body=body, content_type="text/html; charset=utf-8", **answer)


def redirect(server: LoopbackServer, path: str, to: str, status: int = 302) -> None:
    server.route(path, status=status, headers={"Location": to}, content_type="text/plain")


# -- the page itself ---------------------------------------------------------------------


def test_page_is_fetched_byte_identical_after_a_redirect(http_server: LoopbackServer) -> None:
    html_route(http_server, "/article")
    redirect(http_server, "/go", "/article")
    with fetcher() as f:
        result = f.fetch_page(http_server.url("/go"), feed_url=http_server.url("/feed.xml"))
    assert (result.status, result.error) == (200, "")
    assert result.body == HTML
    assert result.url == http_server.url("/article")
    assert result.content_type == "text/html; charset=utf-8"
    sent = http_server.seen("/article")[0].headers
    assert sent["accept"].startswith("text/html")
    assert "if-none-match" not in sent and "if-modified-since" not in sent


def test_gzip_page_is_decoded(http_server: LoopbackServer) -> None:
    html_route(http_server, "/a", gzip=True)
    with fetcher() as f:
        result = f.fetch_page(http_server.url("/a"), feed_url=http_server.url("/feed"))
    assert (result.error, result.body) == ("", HTML)


def test_http_errors_and_empty_pages_are_errors(http_server: LoopbackServer) -> None:
    html_route(http_server, "/empty", body=b"")
    feed = http_server.url("/feed")
    with fetcher() as f:
        missing = f.fetch_page(http_server.url("/missing"), feed_url=feed)
        empty = f.fetch_page(http_server.url("/empty"), feed_url=feed)
    assert (missing.status, missing.error) == (404, "HTTP 404 Not Found")
    assert empty.error == "empty page"


# -- which addresses a page may reach ----------------------------------------------------


def test_redirect_to_another_loopback_host_is_refused(
    http_server: LoopbackServer, other_host: LoopbackServer
) -> None:
    html_route(other_host, "/secret")
    redirect(http_server, "/go", other_host.url("/secret"))
    with fetcher() as f:
        result = f.fetch_page(http_server.url("/go"), feed_url=http_server.url("/feed.xml"))
    assert result.error == FOREIGN
    assert result.url == other_host.url("/secret")
    assert (result.body, other_host.count()) == (b"", 0)  # never even connected


def test_a_direct_link_to_another_loopback_host_is_refused(
    http_server: LoopbackServer, other_host: LoopbackServer
) -> None:
    html_route(other_host, "/secret")
    with fetcher() as f:
        result = f.fetch_page(other_host.url("/secret"), feed_url=http_server.url("/feed"))
    assert result.error == FOREIGN
    assert other_host.count() == 0


def test_a_feed_on_a_private_host_may_link_to_that_host(other_host: LoopbackServer) -> None:
    html_route(other_host, "/a")
    with fetcher() as f:
        result = f.fetch_page(other_host.url("/a"), feed_url=other_host.url("/feed"))
    assert (result.error, result.body) == ("", HTML)


def test_another_port_of_the_feeds_host_is_another_service(http_server: LoopbackServer) -> None:
    with LoopbackServer() as second, fetcher() as f:
        html_route(second, "/a")
        result = f.fetch_page(second.url("/a"), feed_url=http_server.url("/feed"))
    assert result.error.startswith("refused: 127.0.0.1 is a loopback address")
    assert second.count() == 0


def test_same_host_by_address_localhost_and_127_0_0_1(http_server: LoopbackServer) -> None:
    html_route(http_server, "/a")
    feed = f"http://localhost:{http_server.port}/feed"
    with fetcher() as f:
        result = f.fetch_page(http_server.url("/a"), feed_url=feed)
    assert (result.error, result.body) == ("", HTML)


def test_a_feed_from_a_file_reaches_no_private_address(http_server: LoopbackServer) -> None:
    html_route(http_server, "/a")
    with fetcher() as f:
        result = f.fetch_page(http_server.url("/a"), feed_url="/home/me/feed.xml")
    assert result.error.startswith("refused: 127.0.0.1 is a loopback address")
    assert http_server.count() == 0


@pytest.mark.parametrize(
    "address",
    [
        "::ffff:10.0.0.1",
        "169.254.169.254",
        "fc00::1",
        "fd12:3456::1",
        "fe80::1",
        "::1",
        "::",
        "0.0.0.0",
        "127.0.0.2",
        "10.0.0.5",
        "172.16.0.1",
        "172.31.255.255",
        "192.168.1.1",
        "100.64.0.1",
        "224.0.0.1",
        "ff02::1",
        "240.0.0.1",
        "::10.0.0.1",
        "64:ff9b::7f00:1",
        "2002:7f00:1::",
        "::ffff:127.0.0.1",
    ],
)
def test_private_addresses(address: str) -> None:
    assert is_private(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "address",
    [
        "93.184.216.34",
        "8.8.8.8",
        "172.32.0.1",
        "2606:2800:220:1:248:1893:25c8:1946",
        "::ffff:93.184.216.34",
        "64:ff9b::5db8:d822",
    ],
)
def test_public_addresses(address: str) -> None:
    assert not is_private(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://10.0.0.5/x", "refused: 10.0.0.5 is a private address"),
        ("http://[::ffff:10.0.0.1]/x", "refused: ::ffff:10.0.0.1 is a private address"),
        ("http://169.254.169.254/latest/", "refused: 169.254.169.254 is a link-local address"),
        ("http://[fc00::1]:8080/", "refused: fc00::1 is a private address"),
        ("http://[::1]/", "refused: ::1 is a loopback address"),
    ],
)
def test_check_page_address_literals(url: str, reason: str) -> None:
    assert check_page_address(url, "https://example.org/feed") == (
        f"{reason} and the feed is not on that host"
    )


def test_check_page_address_public_literal_is_fine() -> None:
    assert check_page_address("https://93.184.216.34/a", "https://example.org/feed") is None
    assert check_page_address("http://10.0.0.5:8080/a", "http://10.0.0.5:8080/feed") is None


def fake_dns(answers: dict[str, list[str]]) -> Resolver:
    """A resolver answering from ``answers`` (a hostile DNS server, say), else the real one."""

    def resolver(host: str, port: int) -> list[IPAddress]:
        if host in answers:
            return [ipaddress.ip_address(a) for a in answers[host]]
        return resolve(host, port)

    return resolver


def test_a_name_is_judged_by_every_address_it_resolves_to() -> None:
    dns = fake_dns({"example.org": ["93.184.216.34", "10.0.0.5"], "feeds.example": ["1.1.1.1"]})
    policy = AddressPolicy("https://feeds.example/rss", dns)
    with pytest.raises(FetchError, match=r"^refused: example.org resolves to a private"):
        policy.addresses("https://example.org/article")
    message = check_page_address("http://no-such-host.invalid/", "https://example.org/")
    assert message == "host not found (no-such-host.invalid)"


def test_the_connection_goes_to_the_address_checked(http_server: LoopbackServer) -> None:
    """pages.test resolves nowhere but in the check: the request still arrives, so the
    connection used the checked address (no second lookup a DNS rebinding could answer)."""
    html_route(http_server, "/a")
    dns = fake_dns({"pages.test": ["127.0.0.1"]})
    page = f"http://pages.test:{http_server.port}/a"
    with Fetcher(FetchSettings(page_delay=0), resolver=dns) as f:
        result = f.fetch_page(page, feed_url=http_server.url("/feed"))
    assert (result.error, result.body) == ("", HTML)
    assert http_server.seen("/a")[0].headers["host"] == f"pages.test:{http_server.port}"


def test_a_pooled_connection_to_a_private_address_serves_no_other_feed(
    http_server: LoopbackServer,
) -> None:
    """A name that was private for its own feed's page, and public for the next check, does
    not get the next feed's page through the connection still open to the private one."""
    html_route(http_server, "/mine")
    html_route(http_server, "/theirs")
    answers = {"pages.test": ["127.0.0.1"], "example.org": ["93.184.216.34"]}
    dns = fake_dns(answers)
    base = f"http://pages.test:{http_server.port}"
    with Fetcher(FetchSettings(page_delay=0), resolver=dns) as f:
        own = f.fetch_page(base + "/mine", feed_url=base + "/feed")
        answers["pages.test"] = ["93.184.216.34"]  # rebinding: now "public"
        other = f.fetch_page(base + "/theirs", feed_url="https://example.org/feed")
    assert own.error == ""
    assert http_server.connections == 1  # the second request went over the pooled one
    assert other.error.startswith("refused: pages.test resolves to a loopback address")
    assert other.body == b""


# -- schemes, redirects, size, time, type ------------------------------------------------


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("file:///etc/passwd", "unsupported URL scheme 'file': a page must be http(s)"),
        ("javascript:alert(1)", "unsupported URL scheme 'javascript': a page must be http(s)"),
        ("/relative/path", "invalid URL"),
        ("http://[::1/", "invalid URL"),
        ("http:///nohost", "invalid URL"),
    ],
)
def test_only_http_pages(url: str, error: str) -> None:
    with fetcher() as f:
        result = f.fetch_page(url, feed_url="https://example.org/feed")
    assert (result.status, result.error, result.body) == (0, error, b"")


def test_redirect_to_a_file_url_is_refused(http_server: LoopbackServer) -> None:
    redirect(http_server, "/go", "file:///etc/passwd")
    with fetcher() as f:
        result = f.fetch_page(http_server.url("/go"), feed_url=http_server.url("/feed"))
    assert result.error == "redirect to a non-http(s) URL refused"


@pytest.mark.parametrize(("hops", "ok"), [(5, True), (6, False)])
def test_at_most_five_redirects(http_server: LoopbackServer, hops: int, ok: bool) -> None:
    for i in range(hops):
        redirect(http_server, f"/r{i}", f"/r{i + 1}")
    html_route(http_server, f"/r{hops}")
    with fetcher() as f:
        result = f.fetch_page(http_server.url("/r0"), feed_url=http_server.url("/feed"))
    assert result.error == ("" if ok else "too many redirects")
    assert http_server.count(f"/r{hops}") == (1 if ok else 0)


@pytest.mark.parametrize("answer", [{}, {"chunked": True}])
def test_a_page_over_the_cap_is_refused(
    http_server: LoopbackServer, answer: dict[str, object]
) -> None:
    html_route(http_server, "/big", body=b"<html>" + b"x" * 200_000, **answer)
    with fetcher(max_body_mb=0.1) as f:
        result = f.fetch_page(http_server.url("/big"), feed_url=http_server.url("/feed"))
    assert (result.error, result.body) == ("body larger than 0.1 MB", b"")


def test_a_gzip_bomb_stops_at_the_page_cap(http_server: LoopbackServer) -> None:
    """12 MB of HTML in about 12 KB of gzip: the page cap (10 MB) holds though the feed
    cap (20 MB) would let it in."""
    html_route(http_server, "/bomb", body=b"<html><p>" + b" " * 12 * 1024 * 1024, gzip=True)
    with fetcher() as f:
        result = f.fetch_page(http_server.url("/bomb"), feed_url=http_server.url("/feed"))
    assert (result.error, result.body) == ("body larger than 10 MB", b"")


@pytest.mark.parametrize("answer", [{"delay": 5.0}, {"drip": 0.05}])
def test_a_slow_page_hits_the_total_timeout(
    http_server: LoopbackServer, answer: dict[str, object]
) -> None:
    html_route(http_server, "/slow", **answer)
    started = time.monotonic()
    with fetcher(total_timeout=0.5) as f:
        result = f.fetch_page(http_server.url("/slow"), feed_url=http_server.url("/feed"))
    assert result.error == "timed out after 0.5 s"
    assert time.monotonic() - started < 2.0


def test_a_page_that_is_not_html_is_refused_before_its_body(http_server: LoopbackServer) -> None:
    http_server.route("/doc.pdf", body=b"%PDF-1.7" + b"x" * 300_000, content_type="application/pdf")
    with fetcher(max_body_mb=0.1) as f:  # refused for its type, not for its size
        result = f.fetch_page(http_server.url("/doc.pdf"), feed_url=http_server.url("/feed"))
    assert (result.error, result.body) == ("not a web page (content type application/pdf)", b"")


def test_xhtml_and_an_untyped_html_page_are_pages(http_server: LoopbackServer) -> None:
    http_server.route("/x", body=HTML, content_type="application/xhtml+xml")
    http_server.route("/untyped", body=b"\n  " + HTML, content_type="")
    http_server.route("/binary", body=b"\x89PNG\r\n\x1a\n...", content_type="")
    feed = http_server.url("/feed")
    with fetcher() as f:
        xhtml = f.fetch_page(http_server.url("/x"), feed_url=feed)
        untyped = f.fetch_page(http_server.url("/untyped"), feed_url=feed)
        binary = f.fetch_page(http_server.url("/binary"), feed_url=feed)
    assert (xhtml.error, untyped.error) == ("", "")
    assert untyped.body == b"\n  " + HTML
    assert binary.error == "not a web page (no content type, and the body is not HTML)"


def test_sniffing() -> None:
    assert sniffs_as_html(b"\xef\xbb\xbf<HTML lang=en>")
    assert sniffs_as_html(b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml">')
    assert sniffs_as_html(b"<p>hello")
    assert not sniffs_as_html(b'<?xml version="1.0"?><rss version="2.0">')
    assert not sniffs_as_html(b"<pre>")  # <p, but not the tag <p
    assert not sniffs_as_html(b"plain text")


# -- per-host limits ---------------------------------------------------------------------


def arrivals(server: LoopbackServer, path: str) -> list[float]:
    """Route ``path`` to a page that notes when each request arrived."""
    times: list[float] = []

    def note(seen: Seen) -> Route:
        times.append(time.monotonic())
        return Route(body=HTML, content_type="text/html")

    server.route(path, handler=note)
    return times


def fetch_in_threads(f: Fetcher, urls: list[str], feed_url: str) -> None:
    threads = [
        threading.Thread(target=f.fetch_page, args=(url,), kwargs={"feed_url": feed_url})
        for url in urls
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_page_delay_spaces_fetches_to_one_host(
    http_server: LoopbackServer, other_host: LoopbackServer
) -> None:
    times = arrivals(http_server, "/a")
    elsewhere = arrivals(other_host, "/b")
    with fetcher(page_delay=0.3) as f:
        fetch_in_threads(f, [http_server.url("/a")] * 3, http_server.url("/feed"))
        started = time.monotonic()
        f.fetch_page(other_host.url("/b"), feed_url=other_host.url("/feed"))
    gaps = [later - earlier for earlier, later in pairwise(sorted(times))]
    assert len(gaps) == 2 and min(gaps) >= 0.25
    assert elsewhere[0] - started < 0.2  # another host is not kept waiting


def test_pages_share_the_per_host_slots(http_server: LoopbackServer) -> None:
    html_route(http_server, "/a", delay=0.1)
    with fetcher(max_per_host=1) as f:
        fetch_in_threads(f, [http_server.url("/a")] * 3, http_server.url("/feed"))
    assert (http_server.count("/a"), http_server.max_inflight) == (3, 1)


def test_a_stuck_name_lookup_ends_at_the_connect_timeout() -> None:
    def stuck(host: str, port: int = 0) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
        time.sleep(5)
        return [ipaddress.ip_address("93.184.216.34")]

    settings = FetchSettings(page_delay=0, connect_timeout=0.3, total_timeout=1.0)
    began = time.monotonic()
    with Fetcher(settings, resolver=stuck) as fetcher:
        result = fetcher.fetch_page("http://slow-dns.example/a", feed_url="http://x.example/f")
    assert time.monotonic() - began < 2
    assert result.status == 0
    assert result.error == "looking up slow-dns.example took longer than 0.3 s"
