"""The full-text index after migration 3: new articles are indexed by upsert_entries (one
statement per feed, no per-row trigger), exactly once, in stores old and new."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from newsreader.models import ParsedEntry
from newsreader.store import connect
from newsreader.store.articles import ArticleFilter, article_ids, upsert_entries
from newsreader.store.feeds import add_feed, remove_feed
from newsreader.store.schema import MIGRATIONS, _statements, schema_version


def entry(key: str, text: str) -> ParsedEntry:
    return ParsedEntry(key=key, title=key.title(), text=text, html=f"<p>{text}</p>")


def found(conn: sqlite3.Connection, query: str) -> list[int]:
    return sorted(article_ids(conn, ArticleFilter(search=query)))


def index_is_sound(conn: sqlite3.Connection) -> bool:
    """FTS5's own check that the index holds exactly the articles' current rows."""
    conn.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)")
    return True


def test_new_articles_are_indexed_once_and_their_ids_returned(conn: sqlite3.Connection) -> None:
    feed, _ = add_feed(conn, "https://example.org/feed")
    first = upsert_entries(conn, feed, [entry("a", "white house talks"), entry("b", "rain")])
    assert first.new_ids == tuple(sorted(first.new_ids)) and len(first.new_ids) == 2
    assert found(conn, '"white house"') == [first.new_ids[0]]
    second = upsert_entries(conn, feed, [entry("a", "green house talks"), entry("c", "snow")])
    assert (second.new, second.updated, second.changed_ids) == (1, 1, (first.new_ids[0],))
    assert found(conn, '"white house"') == [] and found(conn, "green") == [first.new_ids[0]]
    assert found(conn, "snow") == list(second.new_ids)
    assert conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == 3
    assert index_is_sound(conn)
    remove_feed(conn, feed)
    assert found(conn, "talks") == [] and index_is_sound(conn)


def test_a_store_from_before_migration_3_keeps_its_index(db_path: Path) -> None:
    raw = sqlite3.connect(db_path, isolation_level=None)
    for script in MIGRATIONS[:2]:
        for statement in _statements(script):
            raw.execute(statement)
    raw.execute("PRAGMA user_version = 2")
    raw.execute("INSERT INTO feeds (url) VALUES ('https://example.org/feed')")
    raw.execute(
        "INSERT INTO articles (feed_id, key, title, text, sort_time)"
        " VALUES (1, 'old', 'Old', 'indexed by the trigger', 1)"
    )
    raw.close()

    conn = connect(db_path)  # migrates to the current version
    assert schema_version(conn) == len(MIGRATIONS)
    triggers = {
        r[0]
        for r in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
        if r[0].startswith("articles_fts")
    }  # the index's (later ones serve others)
    assert triggers == {"articles_fts_update", "articles_fts_delete"}
    new = upsert_entries(conn, 1, [entry("new", "indexed by the store")])
    assert found(conn, "trigger") == [1] and found(conn, "store") == list(new.new_ids)
    assert found(conn, "indexed") == [1, *new.new_ids] and index_is_sound(conn)
    conn.close()
