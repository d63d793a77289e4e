"""Enclosures in the store: written with their article, replaced when the entry changes."""

from __future__ import annotations

import sqlite3

from newsreader.models import Enclosure, ParsedEntry
from newsreader.store.articles import upsert_entries
from newsreader.store.enclosures import enclosures_of
from newsreader.store.feeds import add_feed, remove_feed

MP3 = Enclosure("https://cdn.example/1.mp3", "audio/mpeg", 24_100_000)
MP4 = Enclosure("https://cdn.example/1.mp4", "video/mp4", None)


def entry(key: str, *enclosures: Enclosure, text: str = "") -> ParsedEntry:
    return ParsedEntry(
        key=key, title=key, text=text or f"body of {key}", enclosures=tuple(enclosures)
    )


def article_id(conn: sqlite3.Connection, key: str) -> int:
    return int(conn.execute("SELECT id FROM articles WHERE key = ?", (key,)).fetchone()[0])


def test_inserted_articles_get_their_enclosures_in_order(conn: sqlite3.Connection) -> None:
    feed, _ = add_feed(conn, "https://pod.example/feed.xml")
    result = upsert_entries(conn, feed, [entry("a", MP3, MP4), entry("b"), entry("c", MP4)])
    assert result.new == 3
    assert enclosures_of(conn, article_id(conn, "a")) == (MP3, MP4)
    assert enclosures_of(conn, article_id(conn, "b")) == ()
    assert enclosures_of(conn, article_id(conn, "c")) == (MP4,)


def test_an_update_replaces_the_rows_and_an_unchanged_entry_keeps_them(
    conn: sqlite3.Connection,
) -> None:
    feed, _ = add_feed(conn, "https://pod.example/feed.xml")
    upsert_entries(conn, feed, [entry("a", MP3, MP4), entry("b", MP3)])
    a, b = article_id(conn, "a"), article_id(conn, "b")
    again = upsert_entries(conn, feed, [entry("a", MP3, MP4), entry("b", MP3)])
    assert (again.new, again.updated) == (0, 0)
    assert enclosures_of(conn, a) == (MP3, MP4)

    changed = upsert_entries(conn, feed, [entry("a", MP4), entry("b")])
    assert changed.updated == 2  # the enclosures alone changed the entries
    assert enclosures_of(conn, a) == (MP4,)
    assert enclosures_of(conn, b) == ()
    assert conn.execute("SELECT count(*) FROM enclosures").fetchone()[0] == 1


def test_a_text_change_keeps_the_enclosures_it_still_has(conn: sqlite3.Connection) -> None:
    feed, _ = add_feed(conn, "https://pod.example/feed.xml")
    upsert_entries(conn, feed, [entry("a", MP3)])
    upsert_entries(conn, feed, [entry("a", MP3, text="new text")])
    assert enclosures_of(conn, article_id(conn, "a")) == (MP3,)


def test_a_repeated_key_stores_the_first_entry_s_enclosures(conn: sqlite3.Connection) -> None:
    feed, _ = add_feed(conn, "https://pod.example/feed.xml")
    upsert_entries(conn, feed, [entry("a", MP3), entry("a", MP4)])
    assert enclosures_of(conn, article_id(conn, "a")) == (MP3,)


def test_enclosures_go_with_their_feed(conn: sqlite3.Connection) -> None:
    feed, _ = add_feed(conn, "https://pod.example/feed.xml")
    upsert_entries(conn, feed, [entry("a", MP3, MP4)])
    assert remove_feed(conn, feed)
    assert conn.execute("SELECT count(*) FROM enclosures").fetchone()[0] == 0
