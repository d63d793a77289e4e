"""subscribe(): feed URLs, autodiscovery from a served HTML page, local files, clear errors."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from httpserver import LoopbackServer

from newsreader.config import FetchSettings
from newsreader.feeds.fetch import Fetcher
from newsreader.feeds.subscribe import SubscribeError, subscribe
from newsreader.store.articles import ArticleFilter, list_articles
from newsreader.store.feeds import get_feed, list_feeds

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>World Desk</title>
<link>https://example.org/</link>
<item><guid>w1</guid><title>First story</title><link>https://example.org/1</link></item>
<item><guid>w2</guid><title>Second story</title><link>https://example.org/2</link></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Comments</title><id>urn:c</id><updated>2025-01-01T00:00:00Z</updated>
<entry><id>urn:c:1</id><title>A comment</title><updated>2025-01-01T00:00:00Z</updated></entry>
</feed>"""


def page(*links: str) -> bytes:
    """An HTML page announcing ``links`` as feeds."""
    tags = "".join(
        f'<link rel="alternate" type="application/rss+xml" title="f" href="{href}">'
        for href in links
    )
    head = f"<head><title>News</title>{tags}</head>"
    return f"<!doctype html><html>{head}<body>Hi</body></html>".encode()


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    """A real HTTP server on 127.0.0.1."""
    with LoopbackServer() as running:
        yield running


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    """A Fetcher with short timeouts."""
    with Fetcher(FetchSettings(connect_timeout=1.0, total_timeout=2.0)) as f:
        yield f


def titles(conn: sqlite3.Connection, feed_id: int) -> list[str]:
    """The stored article titles of a feed, sorted."""
    return sorted(a.title for a in list_articles(conn, ArticleFilter(feed_id=feed_id), None))


def test_feed_url_is_subscribed_with_its_articles(
    server: LoopbackServer, fetcher: Fetcher, conn: sqlite3.Connection
) -> None:
    server.route("/feed.xml", body=RSS, content_type="application/rss+xml", etag='"1"')
    result = subscribe(conn, server.url("/feed.xml"), fetcher, folder="World")
    assert (result.url, result.title, result.created, result.alternatives) == (
        server.url("/feed.xml"),
        "World Desk",
        True,
        [],
    )
    feed = get_feed(conn, result.feed_id)
    assert (feed.folder, feed.last_status, feed.etag) == ("World", "ok", '"1"')
    assert titles(conn, result.feed_id) == ["First story", "Second story"]


def test_subscribing_twice_does_not_duplicate(
    server: LoopbackServer, fetcher: Fetcher, conn: sqlite3.Connection
) -> None:
    server.route("/feed.xml", body=RSS)
    first = subscribe(conn, server.url("/feed.xml"), fetcher)
    again = subscribe(conn, server.url("/feed.xml"), fetcher)
    assert again.feed_id == first.feed_id and not again.created
    assert len(list_feeds(conn)) == 1 and len(titles(conn, first.feed_id)) == 2


def test_page_url_uses_the_first_advertised_feed_and_lists_the_rest(
    server: LoopbackServer, fetcher: Fetcher, conn: sqlite3.Connection
) -> None:
    server.route("/", body=page("/feed.xml", server.url("/comments.xml")), content_type="text/html")
    server.route("/feed.xml", body=RSS, content_type="application/rss+xml")
    server.route("/comments.xml", body=ATOM, content_type="application/atom+xml")
    result = subscribe(conn, server.url("/"), fetcher)
    assert result.url == server.url("/feed.xml")
    assert result.alternatives == [server.url("/comments.xml")]
    assert result.title == "World Desk"
    assert titles(conn, result.feed_id) == ["First story", "Second story"]
    assert server.count("/comments.xml") == 0  # listed, not fetched


def test_broken_advertised_link_falls_through_to_the_next(
    server: LoopbackServer, fetcher: Fetcher, conn: sqlite3.Connection
) -> None:
    server.route("/", body=page("/gone.xml", "/comments.xml"), content_type="text/html")
    server.route("/comments.xml", body=ATOM)
    result = subscribe(conn, server.url("/"), fetcher)
    assert (result.url, result.alternatives) == (server.url("/comments.xml"), [])
    assert titles(conn, result.feed_id) == ["A comment"]


def test_page_without_links_tries_common_paths(
    server: LoopbackServer, fetcher: Fetcher, conn: sqlite3.Connection
) -> None:
    server.route("/blog", body=page(), content_type="text/html")
    server.route("/rss.xml", body=RSS, content_type="text/xml")
    result = subscribe(conn, server.url("/blog"), fetcher)
    assert result.url == server.url("/rss.xml")
    assert server.count("/feed") == 1  # tried first, 404


def test_page_with_no_feed_is_a_clear_error(
    server: LoopbackServer, fetcher: Fetcher, conn: sqlite3.Connection
) -> None:
    server.route("/", body=page(), content_type="text/html")
    with pytest.raises(SubscribeError, match="^no feed found at http://127.0.0.1"):
        subscribe(conn, server.url("/"), fetcher)
    assert list_feeds(conn) == []


def test_http_error_and_unparseable_feed_are_clear_errors(
    server: LoopbackServer, fetcher: Fetcher, conn: sqlite3.Connection
) -> None:
    server.route("/broken.xml", body=b"plain text, not XML", content_type="application/rss+xml")
    with pytest.raises(SubscribeError, match="HTTP 404 Not Found"):
        subscribe(conn, server.url("/nothing.xml"), fetcher)
    with pytest.raises(SubscribeError, match="is not a feed"):
        subscribe(conn, server.url("/broken.xml"), fetcher)
    assert list_feeds(conn) == []


def test_local_file_is_stored_by_absolute_path(
    tmp_path: Path, fetcher: Fetcher, conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "mine.xml").write_bytes(RSS)
    monkeypatch.chdir(tmp_path)
    result = subscribe(conn, "mine.xml", fetcher)
    assert result.url == str(tmp_path.resolve() / "mine.xml")
    assert titles(conn, result.feed_id) == ["First story", "Second story"]
    assert subscribe(conn, (tmp_path / "mine.xml").as_uri(), fetcher).feed_id == result.feed_id


def test_local_file_must_exist_and_parse(
    tmp_path: Path, fetcher: Fetcher, conn: sqlite3.Connection
) -> None:
    (tmp_path / "notes.txt").write_text("just some notes")
    with pytest.raises(SubscribeError, match="no such file"):
        subscribe(conn, str(tmp_path / "missing.xml"), fetcher)
    with pytest.raises(SubscribeError, match="is not a feed"):
        subscribe(conn, str(tmp_path / "notes.txt"), fetcher)
    with pytest.raises(SubscribeError, match="unsupported address"):
        subscribe(conn, "ftp://example.org/feed.xml", fetcher)
    with pytest.raises(SubscribeError, match="nothing to subscribe to"):
        subscribe(conn, "   ", fetcher)
    assert list_feeds(conn) == []


def test_a_damaged_feed_is_subscribed_with_what_it_holds_and_shows_the_problem(
    server: LoopbackServer, fetcher: Fetcher, conn: sqlite3.Connection
) -> None:
    server.route("/cut.xml", body=RSS[: RSS.index(b"<item><guid>w2")] + b"<item><guid>w2")
    result = subscribe(conn, server.url("/cut.xml"), fetcher)
    assert result.problem.startswith("damaged XML, 1 entry recovered: Premature end of data")
    assert titles(conn, result.feed_id) == ["First story"]
    [feed] = list_feeds(conn)
    assert (feed.last_status, feed.last_error, feed.article_count) == ("error", result.problem, 1)


# -- autodiscovery says what it guessed and why declared links failed (issue 12, item 14) --
def test_a_guessed_address_is_said_to_be_a_guess(
    server: LoopbackServer, fetcher: Fetcher, conn: sqlite3.Connection
) -> None:
    server.route("/blog", body=page(), content_type="text/html")
    server.route("/atom.xml", body=ATOM, content_type="application/atom+xml")
    result = subscribe(conn, server.url("/blog"), fetcher)
    assert (result.url, result.guessed, result.failed_links) == (server.url("/atom.xml"), True, [])
    assert result.notes() == [
        f"{server.url('/atom.xml')} is a guess (the page declares no feed): a common feed "
        "address on that site, which answered with a feed"
    ]


def test_each_declared_link_that_fails_is_named_with_why(
    server: LoopbackServer, fetcher: Fetcher, conn: sqlite3.Connection
) -> None:
    dns = "http://no-such-host.invalid/feed.xml"
    server.route("/", body=page("/gone.xml", "/page.html", dns), content_type="text/html")
    server.route("/page.html", body=page(), content_type="text/html")
    server.route("/feed", body=RSS, content_type="application/rss+xml")
    result = subscribe(conn, server.url("/"), fetcher)
    assert (result.url, result.guessed) == (server.url("/feed"), True)
    reasons = dict(result.failed_links)
    assert list(reasons) == [server.url("/gone.xml"), server.url("/page.html"), dns]
    assert reasons[server.url("/gone.xml")] == "HTTP 404 Not Found"
    assert reasons[server.url("/page.html")] == "not a feed (an HTML page)"
    assert reasons[dns] == "host not found"  # DNS
    notes = result.notes()
    assert (
        notes[0] == f"the page's feed link {server.url('/gone.xml')} does not work: "
        "HTTP 404 Not Found"
    )
    assert notes[-1].startswith(
        f"{server.url('/feed')} is a guess (none of the feeds it declares works)"
    )


def test_a_working_declared_link_is_no_guess_but_earlier_failures_are_named(
    server: LoopbackServer, fetcher: Fetcher, conn: sqlite3.Connection
) -> None:
    server.route("/", body=page("/gone.xml", "/comments.xml"), content_type="text/html")
    server.route("/comments.xml", body=ATOM)
    result = subscribe(conn, server.url("/"), fetcher)
    assert (result.guessed, result.failed_links) == (
        False,
        [(server.url("/gone.xml"), "HTTP 404 Not Found")],
    )


def test_when_nothing_works_the_error_names_each_declared_link(
    server: LoopbackServer, fetcher: Fetcher, conn: sqlite3.Connection
) -> None:
    server.route("/", body=page("/gone.xml", "/text.txt"), content_type="text/html")
    server.route("/text.txt", body=b"hello", content_type="text/plain")
    with pytest.raises(SubscribeError) as caught:
        subscribe(conn, server.url("/"), fetcher)
    assert str(caught.value) == (
        f"no feed found at {server.url('/')}; the 2 feed links it declares do not work "
        f"({server.url('/gone.xml')}: HTTP 404 Not Found; "
        f"{server.url('/text.txt')}: not a feed (text/plain))"
    )
    assert list_feeds(conn) == []
