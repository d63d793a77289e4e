"""A feed that moves permanently to a url already subscribed (in any spelling) is merged
into that subscription: one feed, no duplicate articles, annotations and notes kept.

Real parts: a loopback HTTP server, real parsing, a real SQLite store, the real
annotation service.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from httpserver import LoopbackServer
from refresh_helpers import settings, subscribe_all

from newsreader.annotations import service
from newsreader.feeds.refresh import refresh
from newsreader.store import connect
from newsreader.store.articles import ArticleFilter, list_articles, set_read, set_starred
from newsreader.store.feeds import list_feeds


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    """A real HTTP server on 127.0.0.1."""
    with LoopbackServer() as running:
        yield running


def _rss(guids: list[str], suffix: str = "") -> bytes:
    items = "".join(
        f"<item><guid>{g}</guid><title>Story {g}</title><link>https://site.example/{g}</link>"
        f"<description>Petro met Trump about {g}.{suffix} Then they talked.</description></item>"
        for g in guids
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Site</title>'
        f"<link>https://site.example/</link>{items}</channel></rss>"
    ).encode()


def test_a_move_to_a_subscribed_url_merges_the_two_feeds(
    server: LoopbackServer, db_path: Path
) -> None:
    server.route("/old.xml", body=_rss(["a", "b", "c"]))
    server.route("/new.xml", body=_rss(["b", "c", "d"], suffix=" Updated."))
    old_id, new_id = subscribe_all(db_path, [server.url("/old.xml"), server.url("/new.xml")])
    assert refresh(db_path, settings=settings()).new_articles == 6
    conn = connect(db_path)
    old_a, old_b, _old_c = (
        a.id
        for a in sorted(
            list_articles(conn, ArticleFilter(feed_id=old_id), None), key=lambda a: a.title
        )
    )
    claim = service.create_from_quote(conn, old_b, "Then they talked", "claim")
    note = service.add_note(conn, old_b, "check the date")
    set_starred(conn, old_a, True)
    set_read(conn, [old_b])
    conn.close()

    # the old url now moves permanently to the new one, spelled differently
    moved_to = server.url("/new.xml").replace("http://", "HTTP://")
    server.route("/old.xml", status=301, headers={"Location": moved_to})
    summary = refresh(db_path, settings=settings())
    assert summary.merged and summary.merged[0][:2] == (old_id, new_id)
    assert summary.notices() == [
        f"feed {old_id} moved permanently to <{server.url('/new.xml')}>, already subscribed "
        f"as feed {new_id}: merged into it (1 article moved, 2 duplicates joined; "
        "annotations and notes kept)"
    ]
    assert len(summary.errors) == 0

    conn = connect(db_path)
    assert [f.id for f in list_feeds(conn)] == [new_id]
    after = list_articles(conn, ArticleFilter(), None)
    assert sorted(a.title for a in after) == ["Story a", "Story b", "Story c", "Story d"]
    assert {a.feed_id for a in after} == {new_id}
    by_title = {a.title: a for a in after}
    assert by_title["Story a"].is_starred and by_title["Story b"].is_read
    kept = service.list_for_article(conn, by_title["Story b"].id)
    assert [(a.id, a.exact, a.orphaned) for a in kept.annotations] == [
        (claim.id, "Then they talked", False)
    ]
    assert [n.id for n in kept.notes] == [note.id]
    conn.close()
    requests = server.count("/old.xml")
    refresh(db_path, settings=settings())
    assert server.count("/old.xml") == requests  # the old url is not asked again


def test_a_move_to_a_new_url_only_changes_the_feed_url(
    server: LoopbackServer, db_path: Path
) -> None:
    server.route("/old.xml", status=308, headers={"Location": "/Moved.xml"})
    server.route("/Moved.xml", body=_rss(["a"]))
    [feed_id] = subscribe_all(db_path, [server.url("/old.xml")])
    summary = refresh(db_path, settings=settings())
    assert summary.merged == [] and summary.ok == 1
    conn = connect(db_path)
    assert [(f.id, f.url) for f in list_feeds(conn)] == [(feed_id, server.url("/Moved.xml"))]
    conn.close()
