"""The store: migrations, upsert semantics, flags, search filters, transactions."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from newsreader.models import ParsedEntry
from newsreader.store import connect, transaction
from newsreader.store.articles import (
    ArticleFilter,
    article_ids,
    counts,
    get_article,
    list_articles,
    mark_feed_read,
    set_read,
    set_starred,
    upsert_entries,
)
from newsreader.store.feeds import add_feed, list_feeds, move_feed, record_fetch, remove_feed
from newsreader.store.schema import MIGRATIONS, migrate, schema_version
from newsreader.store.search import QueryError


def entry(
    key: str, title: str = "", text: str = "", published: float | None = None, author: str = ""
) -> ParsedEntry:
    return ParsedEntry(
        key=key,
        title=title or key,
        text=text or f"body of {key}",
        html=f"<p>{text or key}</p>",
        published=published,
        author=author,
    )


def test_new_store_is_migrated_with_pragmas(db_path: Path) -> None:
    conn = connect(db_path)
    assert schema_version(conn) == len(MIGRATIONS)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {
        "feeds",
        "articles",
        "articles_fts",
        "actors",
        "actor_aliases",
        "annotations",
        "claim_about",
        "claim_status_history",
        "notes",
    } <= tables


def test_migrations_are_idempotent(db_path: Path) -> None:
    conn = connect(db_path)
    fid, _ = add_feed(conn, "http://example.org/feed")
    upsert_entries(conn, fid, [entry("a")])
    conn.close()
    again = connect(db_path)  # runs migrate() again on an up-to-date store
    assert migrate(again) == len(MIGRATIONS)
    assert [f.url for f in list_feeds(again)] == ["http://example.org/feed"]
    assert counts(again)["all"] == 1


def test_new_store_has_16k_pages_existing_store_keeps_its_own(tmp_path: Path) -> None:
    new = connect(tmp_path / "new.db")
    assert new.execute("PRAGMA page_size").fetchone()[0] == 16384
    empty = tmp_path / "empty.db"
    empty.touch()  # an empty file is a new store too
    assert connect(empty).execute("PRAGMA page_size").fetchone()[0] == 16384
    old_path = tmp_path / "old.db"
    old = sqlite3.connect(old_path)  # a store made before: 4 KB pages, not yet migrated
    old.execute("PRAGMA page_size = 4096")
    old.execute("CREATE TABLE unrelated (x)")
    old.commit()
    old.close()
    conn = connect(old_path)
    assert conn.execute("PRAGMA page_size").fetchone()[0] == 4096
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    fid, _ = add_feed(conn, "http://example.org/feed")
    upsert_entries(conn, fid, [entry("a", text="stored on small pages")])
    conn.close()
    again = connect(old_path)
    assert again.execute("PRAGMA page_size").fetchone()[0] == 4096
    assert [a.title for a in list_articles(again, ArticleFilter(search="small pages"))] == ["a"]


def test_store_from_a_newer_version_is_refused(db_path: Path) -> None:
    raw = sqlite3.connect(db_path)
    raw.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    raw.close()
    with pytest.raises(RuntimeError, match="newer"):
        connect(db_path)


def test_upsert_updates_in_place_and_keeps_flags(conn: sqlite3.Connection) -> None:
    fid, _ = add_feed(conn, "http://example.org/feed")
    first = upsert_entries(conn, fid, [entry("a", "Old title"), entry("b")])
    assert (first.new, first.updated) == (2, 0)
    [a_id] = [a.id for a in list_articles(conn) if a.title == "Old title"]
    set_read(conn, [a_id])
    set_starred(conn, a_id, True)
    second = upsert_entries(conn, fid, [entry("a", "New title", "changed text"), entry("b")])
    assert (second.new, second.updated, second.changed_ids) == (0, 1, (a_id,))
    article = get_article(conn, a_id)
    assert article is not None
    assert (article.title, article.text, article.is_read, article.is_starred) == (
        "New title",
        "changed text",
        True,
        True,
    )
    assert counts(conn)["all"] == 2


def test_unchanged_refetch_writes_nothing(conn: sqlite3.Connection) -> None:
    fid, _ = add_feed(conn, "http://example.org/feed")
    upsert_entries(conn, fid, [entry("a")])
    result = upsert_entries(conn, fid, [entry("a"), entry("a")])
    assert (result.new, result.updated) == (0, 0)


def test_duplicate_subscription_is_not_added(conn: sqlite3.Connection) -> None:
    assert add_feed(conn, "http://example.org/feed")[1] is True
    assert add_feed(conn, "http://example.org/feed")[1] is False
    assert len(list_feeds(conn)) == 1


def test_feed_status_and_redirect(conn: sqlite3.Connection) -> None:
    fid, _ = add_feed(conn, "http://example.org/old")
    other, _ = add_feed(conn, "http://example.org/taken")
    record_fetch(
        conn, fid, status="error", error="HTTP 500", http_status=500, retry_after=60, now=1000.0
    )
    [feed] = [f for f in list_feeds(conn) if f.id == fid]
    assert (feed.last_status, feed.last_error) == ("error", "HTTP 500")
    assert feed.next_fetch_after == 1060.0
    assert move_feed(conn, fid, "http://example.org/new")
    assert not move_feed(conn, fid, "http://example.org/taken")
    assert {f.url for f in list_feeds(conn)} == {
        "http://example.org/new",
        "http://example.org/taken",
    }
    assert other


def test_filters_and_order(conn: sqlite3.Connection) -> None:
    f1, _ = add_feed(conn, "http://one.example/feed", "One")
    f2, _ = add_feed(conn, "http://two.example/feed", "Two")
    upsert_entries(conn, f1, [entry("old", published=100.0), entry("new", published=300.0)])
    upsert_entries(conn, f2, [entry("mid", published=200.0)])
    assert [a.title for a in list_articles(conn)] == ["new", "mid", "old"]
    assert [a.title for a in list_articles(conn, ArticleFilter(feed_id=f2))] == ["mid"]
    set_read(conn, article_ids(conn, ArticleFilter(feed_id=f2)))
    assert [a.title for a in list_articles(conn, ArticleFilter(unread=True))] == ["new", "old"]
    assert mark_feed_read(conn, f1) == 2
    assert counts(conn)["unread"] == 0
    assert len(list_articles(conn, limit=1)) == 1


def test_search_language(conn: sqlite3.Connection) -> None:
    fid, _ = add_feed(conn, "http://inter.example/feed", "Inter Bellum News")
    other, _ = add_feed(conn, "http://other.example/feed", "Other")
    upsert_entries(
        conn,
        fid,
        [
            entry(
                "a", "Petro calls Trump", "Gustavo Petro spoke to the White House", 2e9, "FRANZ AG"
            ),
            entry("b", "Maduro captured", "Petro denounced the raid on Maduro", 1.7e9),
        ],
    )
    upsert_entries(conn, other, [entry("c", "Bogotá weather", "Rain in Bogotá", 1.8e9)])

    def titles(query: str) -> list[str]:
        return [a.title for a in list_articles(conn, ArticleFilter(search=query))]

    assert titles("petro") == ["Petro calls Trump", "Maduro captured"]
    assert titles("petro -maduro") == ["Petro calls Trump"]
    assert titles('"white house"') == ["Petro calls Trump"]
    assert titles('"house white"') == []
    assert titles("bogota") == ["Bogotá weather"]  # diacritics folded
    assert titles("petr*") == ["Petro calls Trump", "Maduro captured"]
    assert titles("feed:inter") == ["Petro calls Trump", "Maduro captured"]
    assert titles("author:franz") == ["Petro calls Trump"]
    assert titles('author:"fr ag"') == ["Petro calls Trump"]  # each word begins a name word
    assert titles("author:anz") == []  # inside a word: no match
    assert titles("author:- petro") == []  # no word to look for
    assert titles("author:franz maduro") == []
    assert titles("after:2030-01-01") == ["Petro calls Trump"]
    assert titles("before:2025-01-01 petro") == ["Maduro captured"]
    set_starred(conn, article_ids(conn, ArticleFilter(search="maduro"))[0], True)
    assert titles("is:starred") == ["Maduro captured"]
    assert titles("is:unread -petro") == ["Bogotá weather"]
    for hostile in (
        "NEAR(a b)",
        '"unbalanced',
        "a OR",
        "*",
        "title:x",
        "(((",
        "-",
        "\x00",
        "pe\x00tro",
        '"\x00',
    ):
        titles(hostile)  # never an FTS5 syntax error
    assert titles("pet\x00ro\x1b") == ["Petro calls Trump", "Maduro captured"]
    with pytest.raises(QueryError):
        titles("after:yesterday")


def test_transaction_rolls_back_whole(conn: sqlite3.Connection) -> None:
    fid, _ = add_feed(conn, "http://example.org/feed")
    with pytest.raises(ZeroDivisionError), transaction(conn):
        conn.execute("UPDATE feeds SET title = 'half-done' WHERE id = ?", (fid,))
        _ = 1 / 0
    assert list_feeds(conn)[0].title == ""


def test_removing_a_feed_keeps_annotations_as_orphans(conn: sqlite3.Connection) -> None:
    fid, _ = add_feed(conn, "http://example.org/feed")
    upsert_entries(conn, fid, [entry("a", "Title", "Trump said so")])
    aid = list_articles(conn)[0].id
    conn.execute(
        "INSERT INTO annotations (article_id, kind, start, end, exact, uid, article_title)"
        " VALUES (?, 'claim', 0, 5, 'Trump', 'u1', 'Title')",
        (aid,),
    )
    assert remove_feed(conn, fid)
    row = conn.execute("SELECT article_id, exact, article_title FROM annotations").fetchone()
    assert tuple(row) == (None, "Trump", "Title")


def test_faults_of_the_store_are_told_from_errors_in_the_data(db_path: Path) -> None:
    """store_fault names what is wrong with the store itself (SQLite's own errors), and
    nothing for a constraint; a read-only connection reads and refuses every write."""
    from newsreader.store.db import (
        FULL,
        READ_ONLY,
        connect_read_only,
        is_read_only,
        store_fault,
    )

    conn = connect(db_path)
    add_feed(conn, "https://example.org/feed")
    with pytest.raises(sqlite3.IntegrityError) as constraint:
        conn.execute("INSERT INTO feeds (url) VALUES ('https://example.org/feed')")
    assert store_fault(constraint.value) is None
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(sqlite3.OperationalError) as full:
        conn.execute("CREATE TABLE big AS SELECT zeroblob(1000000) AS b")
    assert store_fault(full.value) == FULL
    conn.close()

    reader = connect_read_only(db_path)
    assert is_read_only(reader) and not is_read_only(connect(db_path))
    assert [f.url for f in list_feeds(reader)] == ["https://example.org/feed"]
    with pytest.raises(sqlite3.OperationalError) as refused:
        add_feed(reader, "https://example.org/other")
    assert store_fault(refused.value) == READ_ONLY
    reader.close()
    with pytest.raises(sqlite3.OperationalError):
        connect_read_only(db_path.with_name("missing.db"))
