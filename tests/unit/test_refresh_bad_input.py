"""Issue 2, "Bad input": every kind of broken feed ends as an error status on that feed
(what ``newsreader feeds`` lists), within the time limit, and the other feeds refresh.

Damaged documents that still hold entries (truncated, wrong charset, entity declarations)
keep what could be recovered: their entries are stored and the feed shows the problem.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from httpserver import LoopbackServer, free_port
from refresh_helpers import ENTITY_BOMB, feeds_listed, rss, settings, stored, subscribe_all

from newsreader.feeds.refresh import refresh
from newsreader.store import connect

_WHOLE = rss("Cut", items=6, prefix="cut")
TRUNCATED = _WHOLE[: _WHOLE.index(b"<guid>cut-4") + 11]
"""Cut inside the fifth item: the four before it survive."""
WRONG_CHARSET = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Caf\xe9</title>'
    b"<item><guid>c1</guid><title>Caf\xe9 cr\xe8me</title></item></channel></rss>"
)
HUGE = b'<?xml version="1.0"?><rss version="2.0"><channel>' + b" " * (50 * 1024 * 1024)

CASES: dict[str, tuple[dict[str, object], str, int]] = {
    # path: (route, the error `newsreader feeds` shows, articles stored)
    "missing.xml": ({"status": 404}, "HTTP 404 Not Found", 0),
    "down.xml": ({"status": 503}, "HTTP 503 Service Unavailable", 0),
    "page.xml": (
        {"body": b"<html><body>not a feed</body></html>", "content_type": "text/html"},
        "not a feed: the document is an HTML page",
        0,
    ),
    "garbage.xml": (
        {"body": b"\x00\x01 this is not xml at all {{{"},
        "not a feed: the document is not XML",
        0,
    ),
    "silent.xml": ({"body": rss("Silent"), "delay": 5}, "timed out after 1 s", 0),
    "drip.xml": ({"body": rss("Drip"), "drip": 0.1}, "timed out after 1 s", 0),
    "huge.xml": ({"body": HUGE, "chunked": True}, "body larger than 20 MB", 0),
    "loop.xml": ({"status": 302, "headers": {"Location": "/loop.xml"}}, "redirect loop", 0),
    "bomb.xml": (
        {"body": ENTITY_BOMB},
        "entity declarations removed (possible entity-expansion attack)",
        1,
    ),
    "charset.xml": (
        {"body": WRONG_CHARSET},
        "wrong charset: the document is not valid utf-8; read as windows-1252",
        1,
    ),
    "truncated.xml": (
        {"body": TRUNCATED},
        "damaged XML, 4 entries recovered: Premature end of data in tag guid line 1",
        4,
    ),
}


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    """A real HTTP server on 127.0.0.1."""
    with LoopbackServer() as running:
        yield running


def test_each_bad_feed_ends_as_an_error_and_the_others_refresh(
    server: LoopbackServer, db_path: Path
) -> None:
    server.route("/good1.xml", body=rss("Good 1", prefix="g1"))
    server.route("/good2.xml", body=rss("Good 2", prefix="g2"), gzip=True)
    for path, (route, _error, _count) in CASES.items():
        server.route(f"/{path}", **route)
    names = ["good1.xml", *CASES, "good2.xml"]
    ids = dict(
        zip(names, subscribe_all(db_path, [server.url(f"/{n}") for n in names]), strict=True)
    )
    [refused] = subscribe_all(db_path, [f"http://127.0.0.1:{free_port()}/refused.xml"])

    start = time.monotonic()
    summary = refresh(db_path, settings=settings(max_body_mb=20))
    assert time.monotonic() - start < 4  # the 1 s deadline holds for every feed at once

    listed = feeds_listed(db_path)
    for name in ("good1.xml", "good2.xml"):
        assert (listed[ids[name]].last_status, listed[ids[name]].article_count) == ("ok", 3)
    shown = {
        name: (
            listed[ids[name]].last_status,
            listed[ids[name]].last_error,
            listed[ids[name]].article_count,
        )
        for name in CASES
    }
    assert shown == {name: ("error", error, count) for name, (_, error, count) in CASES.items()}
    assert (listed[refused].last_status, listed[refused].last_error) == (
        "error",
        "connection refused",
    )
    assert len(summary.errors) == len(CASES) + 1 and summary.ok == 2


def test_recovered_entries_are_stored_clean(server: LoopbackServer, db_path: Path) -> None:
    server.route("/truncated.xml", body=TRUNCATED)
    server.route("/charset.xml", body=WRONG_CHARSET)
    server.route("/bomb.xml", body=ENTITY_BOMB)
    cut, charset, bomb = subscribe_all(
        db_path, [server.url(f"/{n}.xml") for n in ("truncated", "charset", "bomb")]
    )
    refresh(db_path, settings=settings())
    assert stored(db_path, cut)[1] == ["cut 0", "cut 1", "cut 2", "cut 3"]
    assert stored(db_path, charset)[1] == ["Café crème"]
    feed, titles = stored(db_path, bomb)
    assert titles == ["&e;"] and feed is not None and len(feed.title) < 100  # never expanded
    conn = connect(db_path)
    longest = conn.execute("SELECT max(length(title) + length(text)) FROM articles").fetchone()
    conn.close()
    assert longest[0] < 1000


def test_a_repaired_feed_turns_ok_and_keeps_its_validators(
    server: LoopbackServer, db_path: Path
) -> None:
    route = server.route("/f.xml", body=TRUNCATED, etag='"v1"')
    [feed_id] = subscribe_all(db_path, [server.url("/f.xml")])
    refresh(db_path, settings=settings())
    feed = stored(db_path, feed_id)[0]
    assert feed is not None and feed.last_status == "error" and feed.etag is None
    refresh(db_path, settings=settings())  # no validator stored: fetched and checked again
    assert server.conditional_count("/f.xml") == 0
    route.body, route.etag = rss("Cut", items=6, prefix="cut"), '"v2"'
    summary = refresh(db_path, settings=settings())
    feed, titles = stored(db_path, feed_id)
    assert feed is not None and (feed.last_status, feed.last_error, feed.etag) == ("ok", "", '"v2"')
    assert (summary.new_articles, len(titles)) == (2, 6)


def test_damage_is_reported_from_parser_processes_too(
    server: LoopbackServer, db_path: Path
) -> None:
    server.route("/truncated.xml", body=TRUNCATED)
    server.route("/good.xml", body=rss("Good"))
    cut, good = subscribe_all(db_path, [server.url("/truncated.xml"), server.url("/good.xml")])
    summary = refresh(db_path, settings=settings(parse_workers=2, total_timeout=10))
    listed = feeds_listed(db_path)
    assert listed[cut].last_status == "error" and listed[cut].article_count == 4
    assert listed[cut].last_error.startswith("damaged XML, 4 entries recovered")
    assert (listed[good].last_status, summary.ok) == ("ok", 1)
