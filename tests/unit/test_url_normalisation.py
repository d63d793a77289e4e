"""One subscription per feed however its URL is spelled: scheme and host case, a default
port, an empty path and a trailing dot on the host do not make a second subscription —
in ``add``, in OPML import and in permanent redirects (tests/unit/test_refresh_redirects.py).

Property tests for :func:`newsreader.urls.normalise_url`; real store, server and parser
for the places that use it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest
from httpserver import LoopbackServer
from hypothesis import given
from hypothesis import strategies as st

from newsreader.config import FetchSettings
from newsreader.feeds.fetch import Fetcher
from newsreader.feeds.opml import parse_opml
from newsreader.feeds.subscribe import subscribe
from newsreader.store.feeds import add_feed, find_feed_id, list_feeds, move_feed
from newsreader.urls import normalise_url, same_url

LABEL = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)
HOST = st.lists(LABEL, min_size=1, max_size=3).map(".".join)
PATH = st.lists(st.text("abcXYZ019-_.~%", min_size=1, max_size=6), max_size=3).map(
    lambda parts: "".join("/" + p for p in parts)
)
QUERY = st.one_of(st.just(""), st.text("abAB=&19", min_size=1, max_size=8).map("?{}".format))
SCHEME = st.sampled_from(["http", "https"])


def _recase(text: str, flips: list[bool]) -> str:
    padded = flips + [False] * len(text)
    return "".join(c.upper() if flip else c for c, flip in zip(text, padded, strict=False))


@given(
    scheme=SCHEME,
    host=HOST,
    path=PATH,
    query=QUERY,
    flips=st.lists(st.booleans(), max_size=40),
    default_port=st.booleans(),
    dot=st.booleans(),
)
def test_spellings_of_one_url_normalise_alike(
    scheme: str, host: str, path: str, query: str, flips: list[bool], default_port: bool, dot: bool
) -> None:
    plain = f"{scheme}://{host}{path or '/'}{query}"
    port = {"http": ":80", "https": ":443"}[scheme] if default_port else ""
    spelled = (
        f"{_recase(scheme, flips)}://{_recase(host, flips[5:])}{'.' if dot else ''}"
        f"{port}{path}{query}"
    )
    assert normalise_url(spelled) == normalise_url(plain) == plain
    assert same_url(spelled, plain)


@given(scheme=SCHEME, host=HOST, path=PATH, query=QUERY, port=st.integers(1, 65535))
def test_what_names_another_resource_is_kept(
    scheme: str, host: str, path: str, query: str, port: int
) -> None:
    """Path and query keep their case; a port that is not the default stays."""
    url = f"{scheme}://{host}:{port}{path or '/'}{query}"
    normal = normalise_url(url)
    assert normal.endswith(f"{path or '/'}{query}")
    if port != {"http": 80, "https": 443}[scheme]:
        assert normal == url
    upper = url.replace(path, path.upper()) if path else url
    assert same_url(upper, url) == (upper == url)


@given(st.text(max_size=40))
def test_normalising_any_text_is_idempotent_and_never_raises(text: str) -> None:
    once = normalise_url(text)
    assert normalise_url(once) == once


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        ("HTTP://Example.COM", "http://example.com/"),
        ("https://EXAMPLE.com.:443/Feed.XML?A=1#Top", "https://example.com/Feed.XML?A=1#Top"),
        ("http://user:PW@Example.com:8080/x", "http://user:PW@example.com:8080/x"),
        ("http://[::1]:80/feed", "http://[::1]/feed"),
        ("HTTPS://[2001:DB8::1]:8443/", "https://[2001:db8::1]:8443/"),
        ("/home/me/feed.xml", "/home/me/feed.xml"),
        ("file:///Home/Feed.xml", "file:///Home/Feed.xml"),
        ("http://example.com:99999/", "http://example.com:99999/"),  # not a URL: left alone
    ],
)
def test_examples(url: str, normal: str) -> None:
    assert normalise_url(url) == normal


def test_the_store_keeps_one_subscription_per_url(conn: sqlite3.Connection) -> None:
    first, created = add_feed(conn, "HTTP://News.Example.COM.:80/rss")
    assert created
    assert [f.url for f in list_feeds(conn)] == ["http://news.example.com/rss"]
    for spelling in (
        "http://news.example.com/rss",
        "http://NEWS.example.com:80/rss",
        "Http://news.example.com./rss",
    ):
        assert add_feed(conn, spelling) == (first, False)
    assert add_feed(conn, "http://news.example.com/RSS")[1]  # another path: another feed


def test_an_older_spelling_in_the_store_is_found(conn: sqlite3.Connection) -> None:
    """A store written before URLs were normalised may hold other spellings: they are
    normalised once, and two older rows that are one URL are both kept."""
    conn.executemany(
        "INSERT INTO feeds (url) VALUES (?)",
        [
            ("HTTPS://Old.Example.org:443/Feed",),
            ("http://twice.example/a",),
            ("HTTP://Twice.Example/a",),
        ],
    )
    old, twice, twice_again = (r[0] for r in conn.execute("SELECT id FROM feeds ORDER BY id"))
    assert find_feed_id(conn, "https://old.example.org/Feed") == old
    assert add_feed(conn, "https://OLD.example.org/Feed") == (old, False)
    assert add_feed(conn, "http://TWICE.example:80/a") == (twice, False)
    assert [f.url for f in sorted(list_feeds(conn), key=lambda f: f.id)] == [
        "https://old.example.org/Feed",
        "http://twice.example/a",
        "HTTP://Twice.Example/a",
    ]
    other, _ = add_feed(conn, "https://elsewhere.example/feed")
    assert not move_feed(conn, other, "https://old.example.org./Feed")  # taken: no move
    assert twice_again


def test_opml_import_gives_one_feed_per_url() -> None:
    opml = b"""<opml version="2.0"><body>
      <outline type="rss" text="A" xmlUrl="HTTP://Feeds.Example.com:80/a"/>
      <outline type="rss" text="A again" xmlUrl="http://feeds.example.com./a"/>
      <outline type="rss" text="B" xmlUrl="feed://Feeds.Example.com/b"/>
    </body></opml>"""
    assert [(f.url, f.title) for f in parse_opml(opml)] == [
        ("http://feeds.example.com/a", "A"),
        ("http://feeds.example.com/b", "B"),
    ]


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    """A real HTTP server on 127.0.0.1."""
    with LoopbackServer() as running:
        yield running


RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>
<item><guid>d1</guid><title>One</title></item></channel></rss>"""


def test_add_of_another_spelling_or_a_redirect_to_it_is_already_subscribed(
    server: LoopbackServer, conn: sqlite3.Connection
) -> None:
    server.route("/feed.xml", body=RSS)
    server.route(
        "/go",
        status=301,
        headers={"Location": server.url("/feed.xml").replace("http://", "HTTP://")},
    )
    with Fetcher(FetchSettings(connect_timeout=1.0, total_timeout=2.0)) as fetcher:
        first = subscribe(conn, server.url("/feed.xml").replace("http://", "HTTP://"), fetcher)
        again = subscribe(conn, server.url("/go"), fetcher)
        third = subscribe(conn, server.url("/feed.xml").replace("127.0.0.1", "127.0.0.1."), fetcher)
    assert first.created and first.url == server.url("/feed.xml")
    assert (again.feed_id, again.created) == (first.feed_id, False)
    assert (third.feed_id, third.created) == (first.feed_id, False)
    assert [f.url for f in list_feeds(conn)] == [server.url("/feed.xml")]
