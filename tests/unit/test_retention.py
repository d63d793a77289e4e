"""Retention in a real store: which read articles go and which stay (starred, labelled, in
Later, annotated, unread, recent), tombstones keeping pruned items out of later refreshes,
batches, annotations untouched, and the store file shrinking."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from newsreader.annotations import service
from newsreader.export.webannotation import export_document
from newsreader.models import ParsedEntry
from newsreader.store import connect
from newsreader.store.articles import article_exists, set_read, set_starred, upsert_entries
from newsreader.store.db import transaction
from newsreader.store.feeds import add_feed, merge_feeds, remove_feed
from newsreader.store.labels import change_labels, set_later
from newsreader.store.retention import DAY, incremental, prunable, prune, store_bytes

NOW = 2_000_000_000.0
OLD = NOW - 200 * DAY
FEED = "http://127.0.0.1:1/feed.xml"


def entry(key: str, published: float = OLD, text: str = "") -> ParsedEntry:
    return ParsedEntry(
        key=key, title=f"Story {key}", text=text or f"The text of {key}.", published=published
    )


def stored(conn: sqlite3.Connection, keys: list[str], feed: str = FEED, **kw: float) -> list[int]:
    feed_id, _ = add_feed(conn, feed)
    ids = upsert_entries(conn, feed_id, [entry(k, **kw) for k in keys], now=NOW).new_ids
    set_read(conn, ids)
    return list(ids)


def test_only_old_read_articles_nobody_holds_go(conn: sqlite3.Connection) -> None:
    keys = ["plain", "starred", "labelled", "later", "claimed", "noted", "undoable", "unread"]
    ids = dict(zip(keys, stored(conn, keys), strict=True))
    recent = stored(conn, ["recent"], published=NOW - 10 * DAY)[0]
    set_starred(conn, ids["starred"], True)
    change_labels(conn, [ids["labelled"]], add=["brief"])
    set_later(conn, [ids["later"]], True)
    service.create_highlight(conn, ids["claimed"], 4, 8)
    service.add_note(conn, ids["noted"], "keep this")
    gone = service.create_highlight(conn, ids["undoable"], 4, 8)
    service.delete(conn, gone.id)  # deleted, but still undoable: it holds its article
    set_read(conn, [ids["unread"]], read=False)

    plan = prunable(conn, 90, NOW)
    assert (plan.count, [a.id for a in plan.examples]) == (1, [ids["plain"]])
    assert prune(conn, 90, NOW).removed == 1
    assert not article_exists(conn, ids["plain"])
    for key in keys[1:]:
        assert article_exists(conn, ids[key]), key
    assert article_exists(conn, recent)
    assert service.undo_delete(conn, gone.id)  # the undo still has its article


def test_keep_days_zero_keeps_everything(conn: sqlite3.Connection) -> None:
    (article,) = stored(conn, ["a"], published=0.0)
    assert prunable(conn, 0, NOW).count == 0
    assert prune(conn, 0, NOW).removed == 0
    assert article_exists(conn, article)


def test_age_is_the_article_date_not_when_it_was_fetched(conn: sqlite3.Connection) -> None:
    old, young = stored(conn, ["old"]) + stored(conn, ["young"], published=NOW - 89 * DAY)
    assert prune(conn, 90, NOW).removed == 1
    assert not article_exists(conn, old) and article_exists(conn, young)


def test_a_pruned_article_still_in_its_feed_is_not_stored_again(conn: sqlite3.Connection) -> None:
    stored(conn, ["a", "b"])
    feed_id, _ = add_feed(conn, FEED)
    prune(conn, 90, NOW)
    again = upsert_entries(conn, feed_id, [entry("a"), entry("b"), entry("c", NOW)], now=NOW)
    assert again.new == 1
    keys = [r[0] for r in conn.execute("SELECT key FROM articles WHERE feed_id = ?", (feed_id,))]
    assert keys == ["c"]
    other, _ = add_feed(conn, "http://127.0.0.1:1/other.xml")  # tombstones are per feed
    assert upsert_entries(conn, other, [entry("a")], now=NOW).new == 1


def test_removing_a_feed_forgets_its_tombstones(conn: sqlite3.Connection) -> None:
    stored(conn, ["a"])
    feed_id, _ = add_feed(conn, FEED)
    prune(conn, 90, NOW)
    assert conn.execute("SELECT count(*) FROM pruned").fetchone()[0] == 1
    remove_feed(conn, feed_id)
    assert conn.execute("SELECT count(*) FROM pruned").fetchone()[0] == 0


def test_a_merged_feed_keeps_its_pruned_articles_out(conn: sqlite3.Connection) -> None:
    stored(conn, ["a"])
    source, _ = add_feed(conn, FEED)
    target, _ = add_feed(conn, "http://127.0.0.1:1/moved.xml")
    prune(conn, 90, NOW)
    with transaction(conn):
        merge_feeds(conn, source, target)
    assert upsert_entries(conn, target, [entry("a")], now=NOW).new == 0


def test_prune_runs_in_batches_and_leaves_no_index_entries(conn: sqlite3.Connection) -> None:
    keys = [f"k{n}" for n in range(23)]
    stored(conn, keys)
    plan = prunable(conn, 90, NOW, examples=3)
    assert (plan.count, len(plan.examples)) == (23, 3)
    assert prune(conn, 90, NOW, batch=5).removed == 23
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM pruned").fetchone()[0] == 23
    hits = conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'text'")
    assert hits.fetchone()[0] == 0
    conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")


def test_annotations_are_never_removed_and_still_export(conn: sqlite3.Connection) -> None:
    kept, plain = stored(conn, ["kept", "plain"])
    service.create_highlight(conn, kept, 4, 8, note="why")
    service.add_note(conn, kept, "a note")
    orphan = service.create_highlight(conn, plain, 4, 8)
    conn.execute("UPDATE annotations SET article_id = NULL WHERE id = ?", (orphan.id,))
    before = export_document(conn)
    rows = conn.execute("SELECT * FROM annotations ORDER BY id").fetchall()
    assert prune(conn, 90, NOW).removed == 1
    assert [tuple(r) for r in conn.execute("SELECT * FROM annotations ORDER BY id")] == [
        tuple(r) for r in rows
    ]
    assert export_document(conn) == before
    assert before["total"] == len(before["first"]["items"]) == 3


def test_a_new_store_vacuums_incrementally_and_shrinks(db_path: Path) -> None:
    conn = connect(db_path)
    assert incremental(conn)
    _fill(conn, 300)
    before = store_bytes(db_path)
    result = prune(conn, 90, NOW)
    assert (result.removed, result.switched_vacuum) == (300, False)
    assert store_bytes(db_path) < before / 3
    assert conn.execute("PRAGMA freelist_count").fetchone()[0] == 0
    conn.close()


def test_an_old_store_is_switched_once_then_shrinks(db_path: Path) -> None:
    raw = sqlite3.connect(db_path)  # a store made before incremental vacuum
    raw.execute("PRAGMA page_size = 16384")
    raw.execute("CREATE TABLE t (x)")
    raw.close()
    conn = connect(db_path)
    assert not incremental(conn)
    _fill(conn, 300)
    assert prunable(conn, 90, NOW).switches_vacuum
    before = store_bytes(db_path)
    assert prune(conn, 90, NOW).switched_vacuum
    assert incremental(conn)
    assert store_bytes(db_path) < before / 3
    _fill(conn, 300, start=300)
    before = store_bytes(db_path)
    again = prune(conn, 90, NOW)
    assert (again.removed, again.switched_vacuum) == (300, False)
    assert store_bytes(db_path) < before / 3
    conn.close()


def test_nothing_to_prune_leaves_an_old_store_as_it_is(db_path: Path) -> None:
    raw = sqlite3.connect(db_path)
    raw.execute("CREATE TABLE t (x)")
    raw.close()
    conn = connect(db_path)
    assert prune(conn, 90, NOW).switched_vacuum is False
    assert not incremental(conn)
    conn.close()


def _fill(conn: sqlite3.Connection, count: int, start: int = 0) -> None:
    """``count`` old read articles of ~12 KB of text each."""
    feed_id, _ = add_feed(conn, FEED)
    body = "Petro and Trump spoke by phone. " * 400
    entries = [entry(f"big{n}", text=f"{n} {body}") for n in range(start, start + count)]
    set_read(conn, upsert_entries(conn, feed_id, entries, now=NOW).new_ids)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
