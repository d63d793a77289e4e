"""The reading-screen queries in newsreader.store.views, on a real seeded store."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import entry

from newsreader.store import connect
from newsreader.store.articles import upsert_entries
from newsreader.store.feeds import add_feed
from newsreader.store.search import QueryError
from newsreader.store.views import (
    Source,
    article_ids,
    count_articles,
    delete_saved_search,
    feed_places,
    feed_rows,
    get_saved_search,
    list_saved_searches,
    mark_source_read,
    neighbour_unread,
    save_search,
    saved_search_counts,
    unread_by_feed,
    virtual_counts,
)


@pytest.fixture
def conn(store: Path):  # type: ignore[no-untyped-def]
    """A connection to the seeded store."""
    connection = connect(store)
    yield connection
    connection.close()


def keys(conn, ids) -> list[str]:  # type: ignore[no-untyped-def]
    """Article keys for ids, in order."""
    found = dict(conn.execute("SELECT id, key FROM articles").fetchall())
    return [found[i] for i in ids]


def key_id(conn, key: str) -> int:  # type: ignore[no-untyped-def]
    """The id of the seeded article ``key``."""
    return int(conn.execute("SELECT id FROM articles WHERE key = ?", (key,)).fetchone()[0])


def test_feed_rows_virtual_feeds_then_loose_feeds_then_folders(conn):
    rows = feed_rows(conn)
    assert [(r.source.key.split(":")[0], r.label, r.count, r.depth) for r in rows] == [
        ("all", "All", 4, 0),
        ("unread", "Unread", 4, 0),
        ("starred", "Starred", 0, 0),
        ("annotated", "Annotated", 0, 0),
        ("later", "Later", 0, 0),
        ("feed", "Broken Feed", 0, 0),
        ("feed", "Inter Bellum", 2, 0),
        ("folder", "World", 2, 0),
        ("feed", "World Desk", 2, 1),
    ]
    broken = rows[5]
    assert broken.failed and broken.error == "HTTP 500 from server"


def test_article_ids_per_source_newest_first(conn):
    assert keys(conn, article_ids(conn, Source("all"))) == ["ib3", "wd2", "ib2", "ib1", "wd1"]
    assert keys(conn, article_ids(conn, Source("unread"))) == ["ib3", "wd2", "ib2", "wd1"]
    assert keys(conn, article_ids(conn, Source("folder", folder="World"))) == ["wd2", "wd1"]
    inter = feed_rows(conn)[6].source
    assert keys(conn, article_ids(conn, inter, unread_only=True)) == ["ib3", "ib2"]
    assert keys(conn, article_ids(conn, Source("search", query="petro"))) == ["ib3", "ib1"]
    with pytest.raises(QueryError):
        article_ids(conn, Source("search", query="after:2026-99-01"))


def test_nested_folders_belong_to_their_parent(conn):
    feed, _ = add_feed(conn, "https://nested.example/feed", "Nested", folder="World/Americas")
    lookalike, _ = add_feed(conn, "https://w2.example/feed", "Lookalike", folder="Worldly")
    upsert_entries(conn, feed, [entry("n1", "Nested story", 4)])
    upsert_entries(conn, lookalike, [entry("l1", "Not in World", 5)])
    assert keys(conn, article_ids(conn, Source("folder", folder="World"))) == ["n1", "wd2", "wd1"]


def test_neighbour_unread_walks_in_list_order(conn):
    inter = Source(
        "feed",
        feed_id=int(
            conn.execute("SELECT id FROM feeds WHERE title = 'Inter Bellum'").fetchone()[0]
        ),
    )
    assert neighbour_unread(conn, inter, None) == key_id(conn, "ib3")
    assert neighbour_unread(conn, inter, key_id(conn, "ib3")) == key_id(conn, "ib2")
    assert neighbour_unread(conn, inter, key_id(conn, "ib2")) is None  # ib1 is read
    assert neighbour_unread(conn, inter, key_id(conn, "ib1"), forward=False) == key_id(conn, "ib2")
    assert neighbour_unread(conn, Source("all"), key_id(conn, "ib2")) == key_id(conn, "wd1")
    assert neighbour_unread(conn, Source("all"), None, forward=False) == key_id(conn, "wd1")


def test_mark_source_read_and_counts(conn):
    assert mark_source_read(conn, Source("folder", folder="World")) == 2
    assert virtual_counts(conn)["unread"] == 2
    assert unread_by_feed(conn) == {
        int(conn.execute("SELECT id FROM feeds WHERE title = 'Inter Bellum'").fetchone()[0]): 2
    }
    assert mark_source_read(conn, Source("all")) == 2
    assert virtual_counts(conn) == {
        "all": 0,
        "unread": 0,
        "starred": 0,
        "annotated": 0,
        "later": 0,
        "changed": 0,
    }


def test_saved_searches_are_kept_once_per_query(conn):
    first = save_search(conn, "petro is:unread")
    assert save_search(conn, " petro is:unread ", name="Petro") == first
    assert [(s.name, s.query) for s in list_saved_searches(conn)] == [("Petro", "petro is:unread")]
    rows = feed_rows(conn)
    assert rows[5].label == "Petro" and rows[5].source == Source("search", query="petro is:unread")
    with pytest.raises(ValueError):
        save_search(conn, "  ")
    assert delete_saved_search(conn, first) and not list_saved_searches(conn)


def test_saved_searches_count_their_unread_matches_when_asked(conn):
    petro = save_search(conn, "petro", name="Petro")  # ib3 (unread), ib1 (read)
    world = save_search(conn, "feed:world")
    assert feed_rows(conn)[5].count is None  # not counted unless asked (it may be slow)
    rows = {r.label: r.count for r in feed_rows(conn, search_counts=True)}
    assert (rows["Petro"], rows["feed:world"]) == (1, 2)
    assert saved_search_counts(conn) == {petro: 1, world: 2}
    assert count_articles(conn, Source("search", query="petro")) == 2
    conn.execute("UPDATE saved_searches SET query = 'after:2026-99-01' WHERE id = ?", (world,))
    assert saved_search_counts(conn) == {petro: 1}  # one that no longer reads is left out
    found = get_saved_search(conn, " petro ")
    assert found is not None and (found.id, found.name) == (petro, "Petro")
    assert get_saved_search(conn, "maduro") is None


def test_feeds_sharing_a_title_are_told_apart_by_where_they_come_from(conn):
    add_feed(conn, "https://www.nytimes.example/rss", "Daily News")
    add_feed(conn, "https://feeds.dailynews.example/feed.xml", "daily news", folder="World")
    add_feed(conn, "https://interbellum.example/other", "Inter Bellum")
    labels = [r.label for r in feed_rows(conn) if r.source.kind == "feed"]
    assert labels == [
        "Broken Feed",
        "Daily News · nytimes",
        "Inter Bellum · interbellum.example/feed",
        "Inter Bellum · interbellum.example/other",
        "daily news · dailynews",
        "World Desk",
    ]
    assert [r.where for r in feed_rows(conn) if r.source.kind == "feed"][:2] == ["", "nytimes"]


def test_feed_places_of_files_hosts_and_unique_titles():
    assert feed_places(
        [
            (1, "Wire", "/home/ana/feeds/wire.xml"),
            (2, "wire", "https://feeds.wire.example:8080/rss"),
            (3, "Alone", "https://alone.example/"),
            (4, "BBC", "https://bbc.co.uk/news.rss"),
            (5, "BBC", "https://bbc.com/rss"),
        ]
    ) == {
        1: "wire.xml",
        2: "wire.example:8080",  # both "wire": the next longer form
        4: "bbc.co.uk",
        5: "bbc.com",
    }
