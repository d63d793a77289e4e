"""Duplicates: canonical URLs, copies told from near-misses, groups made at refresh, and
what a group changes in the store (one row per story, read together, is:duplicate)."""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from httpserver import LoopbackServer
from refresh_helpers import settings, subscribe_all

from newsreader.annotations import service
from newsreader.feeds.duplicates import canonical_url, detect, title_key
from newsreader.feeds.refresh import refresh
from newsreader.models import ParsedEntry
from newsreader.store import connect
from newsreader.store.articles import (
    ArticleFilter,
    articles_by_ids,
    get_article,
    list_articles,
    set_read,
    upsert_entries,
)
from newsreader.store.duplicates import other_copies
from newsreader.store.feeds import add_feed
from newsreader.store.views import Source, article_ids, mark_source_read, neighbour_unread

STORY = (
    "President Gustavo Petro spoke by phone with Donald Trump on Tuesday, the first call"
    " between the two leaders since a diplomatic standoff over deportation flights. Petro"
    " said the conversation was constructive and that both governments would name envoys."
)
OTHER = (
    "Heavy rain flooded the lower districts of the capital overnight; the mayor closed"
    " schools and asked residents to stay home while crews cleared the drains and roads."
)


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("https://WWW.Example.com/a/b/?utm_source=rss&id=2&b=1#top", "example.com/a/b?b=1&id=2"),
        ("http://example.com/a/b?fbclid=x&gclid=y&mc_cid=1&ref=tw", "example.com/a/b"),
        ("https://example.com:443/a?UTM_Medium=feed&z=1&a=2", "example.com/a?a=2&z=1"),
        ("https://example.com/", ""),  # a front page names no story
        ("https://example.com/?utm_source=x", ""),
        ("ftp://example.com/a", ""),
        ("not a url", ""),
    ],
)
def test_canonical_url_drops_tracking_and_sorts(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


def test_title_key_drops_labels_and_site_names() -> None:
    assert title_key("UPDATE: Petro and Trump talk - Reuters") == "petro and trump talk"
    assert title_key("Pétro, Trump talk!") == "petro trump talk"


def feed_with(conn: sqlite3.Connection, name: str, *entries: ParsedEntry) -> list[int]:
    feed_id, _ = add_feed(conn, f"http://127.0.0.1:1/{name}", name)
    conn.execute("UPDATE feeds SET title = ? WHERE id = ?", (name, feed_id))
    return list(upsert_entries(conn, feed_id, list(entries)).new_ids)


def entry(key: str, title: str, text: str, url: str = "", when: float = 1e9) -> ParsedEntry:
    return ParsedEntry(
        key=key,
        title=title,
        text=text,
        url=url or f"https://x.example/{next(_URLS)}",
        published=when,
    )


_URLS = itertools.count()
"""Every entry has a URL of its own unless a test gives one."""


def test_copies_group_and_a_near_miss_does_not(conn: sqlite3.Connection) -> None:
    url = "https://x.example/0"
    a = feed_with(conn, "A", entry("1", "Trump and Petro open channel", STORY, url=url))
    b = feed_with(
        conn,
        "B",
        entry("1", "Trump, Petro open a channel - B News", STORY.replace("Tuesday", "Monday")),
        entry("2", "Trump and Petro open channel", OTHER),  # same title, another story
    )
    c = feed_with(
        conn,
        "C",
        entry("9", "Something else", OTHER, url="https://x.example/0?utm_source=rss"),
    )  # the same URL as A's copy (tracking dropped): a copy whatever its text
    assert detect(conn, a) == 0
    assert detect(conn, b) == 2
    assert detect(conn, c) == 1
    assert other_copies(conn, a[0]) == [b[0], c[0]]
    assert other_copies(conn, b[1]) == []
    assert articles_by_ids(conn, [a[0]])[a[0]].also_in == ("B", "C")


def test_a_copy_outside_the_window_or_in_the_same_feed_is_not_grouped(
    conn: sqlite3.Connection,
) -> None:
    a = feed_with(conn, "A", entry("1", "Trump and Petro open channel", STORY))
    b = feed_with(
        conn, "B", entry("1", "Trump and Petro open channel", STORY, when=1e9 + 30 * 86400)
    )
    same = feed_with(conn, "A2", entry("7", "x", OTHER), entry("8", "y", OTHER))
    assert detect(conn, a + b + same) == 0


def test_a_group_is_one_row_read_together_and_is_duplicate(conn: sqlite3.Connection) -> None:
    a = feed_with(conn, "A", entry("1", "Trump and Petro open channel", STORY))
    b = feed_with(conn, "B", entry("1", "Trump and Petro open channel", STORY, when=1e9 + 60))
    alone = feed_with(conn, "C", entry("1", "Floods close schools", OTHER, when=1e9 + 30))
    detect(conn, a + b + alone)
    assert list(article_ids(conn, Source("all"))) == [alone[0], a[0]]
    assert list(article_ids(conn, Source("feed", feed_id=2))) == b  # its own copy
    assert neighbour_unread(conn, Source("all"), None) == alone[0]
    assert neighbour_unread(conn, Source("all"), alone[0]) == a[0]  # b is not listed
    found = {x.id for x in list_articles(conn, ArticleFilter(search="is:duplicate"))}
    assert found == {a[0], b[0]}
    assert set_read(conn, b) == a  # marking one read marks all
    assert get_article(conn, a[0]).is_read  # type: ignore[union-attr]
    set_read(conn, a, read=False)  # and unread likewise: a story has one state
    assert not get_article(conn, b[0]).is_read  # type: ignore[union-attr]
    assert mark_source_read(conn, Source("feed", feed_id=1)) == 2
    assert get_article(conn, b[0]).is_read  # type: ignore[union-attr]


def test_a_new_copy_of_a_read_story_arrives_read(conn: sqlite3.Connection) -> None:
    a = feed_with(conn, "A", entry("1", "Trump and Petro open channel", STORY))
    detect(conn, a)
    set_read(conn, a)
    b = feed_with(conn, "B", entry("1", "Trump and Petro open channel", STORY))
    detect(conn, b)
    assert get_article(conn, b[0]).is_read  # type: ignore[union-attr]


def test_annotations_stay_on_their_copy_and_show_on_every_row(conn: sqlite3.Connection) -> None:
    a = feed_with(conn, "A", entry("1", "Trump and Petro open channel", STORY))
    b = feed_with(conn, "B", entry("1", "Trump and Petro open channel", STORY))
    detect(conn, a + b)
    service.create_highlight(conn, b[0], 10, 15)
    rows = articles_by_ids(conn, a + b)
    assert rows[a[0]].copy_annotated and rows[b[0]].copy_annotated
    assert not list_articles(conn, ArticleFilter(annotated=True, feed_id=1))


def test_refresh_groups_copies_from_two_feeds(server: LoopbackServer, db_path: Path) -> None:
    item = (
        "<item><guid>{g}</guid><title>{t}</title><link>{u}</link>"
        "<description>&lt;p&gt;{x}&lt;/p&gt;</description></item>"
    )

    def doc(title: str, *items: str) -> bytes:
        return (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>https://example.org/</link>{''.join(items)}</channel></rss>"
        ).encode()

    server.route(
        "/a.xml",
        body=doc(
            "Wire", item.format(g="a1", t="Petro calls Trump", u="https://w.example/s", x=STORY)
        ),
    )
    server.route(
        "/b.xml",
        body=doc(
            "Paper",
            item.format(
                g="b1", t="Other", u="https://w.example/s?utm_source=rss&amp;utm_medium=x", x=OTHER
            ),
            item.format(g="b2", t="Petro calls Trump", u="https://p.example/x", x=OTHER),
        ),
    )
    subscribe_all(db_path, [server.url("/a.xml"), server.url("/b.xml")])
    summary = refresh(db_path, settings=settings(), rules=[])
    assert summary.new_articles == 3 and not summary.errors
    conn = connect(db_path)
    try:
        rows = list_articles(conn, ArticleFilter(search="is:duplicate"), limit=None)
        assert sorted(r.title for r in rows) == ["Other", "Petro calls Trump"]
        assert len(article_ids(conn, Source("all"))) == 2
    finally:
        conn.close()


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as running:
        yield running


def test_next_unread_steps_over_every_copy_not_listed(conn: sqlite3.Connection) -> None:
    first = feed_with(conn, "A", entry("1", "Trump and Petro open channel", STORY))
    later = [
        feed_with(conn, name, entry("1", "Trump and Petro open channel", STORY, when=1e9 + n))[0]
        for n, name in enumerate(("B", "C", "D"), start=1)
    ]
    detect(conn, first + later)
    assert list(article_ids(conn, Source("all"))) == first
    assert neighbour_unread(conn, Source("all"), None) == first[0]  # D, C, B stepped over
    assert neighbour_unread(conn, Source("all"), None, forward=False) == first[0]
    assert neighbour_unread(conn, Source("feed", feed_id=4), None) == later[-1]


def test_a_rule_that_marks_a_copy_read_marks_every_copy(conn: sqlite3.Connection) -> None:
    from newsreader.feeds.rules import apply_rules, compile_rules
    from newsreader.rulespec import parse_rules

    a = feed_with(conn, "A", entry("1", "Trump and Petro open channel", STORY, url="https://x/1"))
    b = feed_with(conn, "B", entry("1", "Trump and Petro open channel", STORY, url="https://x/1"))
    detect(conn, a + b)
    rules, _ = parse_rules([{"name": "r", "query": "petro", "actions": ["read"]}], "test:")
    compiled, _ = compile_rules(rules)
    apply_rules(conn, compiled, a)  # the rule sees a only; its copy b follows
    flags = dict(conn.execute("SELECT id, is_read FROM articles").fetchall())
    assert flags == {a[0]: 1, b[0]: 1}
