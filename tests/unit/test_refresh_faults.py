"""refresh() when the store fails under it (disk full), and a summary that adds up.

Real parts: local feed files and a loopback HTTP server, a real SQLite store; the full disk
is SQLite's own ``database or disk is full`` error, caused by ``PRAGMA max_page_count``
on the refresh's connection (a real small file system is in tests/test_cli.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from httpserver import LoopbackServer
from refresh_helpers import rss, settings, stored, subscribe_all

import newsreader.feeds.refresh as refresh_module
from newsreader.feeds.refresh import RefreshSummary, refresh
from newsreader.store import connect
from newsreader.store.db import FULL, store_fault, transaction
from newsreader.store.feeds import record_fetch

T0 = 1_800_000_000.0


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    """A real HTTP server on 127.0.0.1."""
    with LoopbackServer() as running:
        yield running


def _store_that_cannot_grow(monkeypatch: pytest.MonkeyPatch) -> None:
    """The refresh's connection may not add a page to the store: the next write that needs
    one fails as on a full disk."""

    def capped(path: str | Path, **kwargs: object) -> sqlite3.Connection:
        conn = connect(path, **kwargs)  # type: ignore[arg-type]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn

    monkeypatch.setattr(refresh_module, "connect", capped)


def test_a_full_store_stops_the_refresh_and_records_nothing(
    tmp_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The error is SQLite's own; the feed's transaction is rolled back and no error is
    recorded on it (that write would fail too); with room again the refresh goes through."""
    feed = tmp_path / "big.xml"
    feed.write_bytes(rss("Big", items=200, prefix="big"))
    [feed_id] = subscribe_all(db_path, [str(feed)])
    before = stored(db_path, feed_id)
    _store_that_cannot_grow(monkeypatch)
    with pytest.raises(sqlite3.OperationalError) as raised:
        refresh(db_path, settings=settings(), now=T0)
    assert store_fault(raised.value) == FULL and str(raised.value) == FULL
    assert stored(db_path, feed_id) == before
    assert before[0] is not None and before[0].last_status == "new"
    monkeypatch.undo()
    summary = refresh(db_path, settings=settings(), now=T0)
    assert summary.new_articles == 200
    assert stored(db_path, feed_id)[0].last_status == "ok"  # type: ignore[union-attr]


def test_a_commit_that_fails_leaves_no_transaction_open(db_path: Path) -> None:
    """transaction(): a write the store cannot take rolls back, and the connection is
    usable for the next one."""
    conn = connect(db_path)
    feed_id = subscribe_all(db_path, ["https://example.org/feed.xml"])[0]
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(sqlite3.OperationalError) as raised, transaction(conn):
        record_fetch(conn, feed_id, status="ok", now=T0)
        conn.execute("CREATE TABLE filler (x)")
        conn.executemany("INSERT INTO filler VALUES (?)", [("x" * 4000,)] * 100)
    assert store_fault(raised.value) == FULL
    assert not conn.in_transaction
    assert conn.execute("SELECT last_status FROM feeds").fetchone()[0] == "new"
    with transaction(conn):
        record_fetch(conn, feed_id, status="ok", now=T0)
    assert conn.execute("SELECT last_status FROM feeds").fetchone()[0] == "ok"
    conn.close()


def _counted(summary: RefreshSummary) -> int:
    return (
        summary.feeds_with_new
        + summary.feeds_updated
        + summary.unchanged
        + summary.skipped
        + len(summary.errors)
        + summary.not_done
    )


def test_the_summary_of_local_files_adds_up(tmp_path: Path, db_path: Path) -> None:
    """Every feed is counted once: with new articles, updated, unchanged, skipped or
    failed; local files that are the same as last time are "unchanged"."""
    files = {name: tmp_path / f"{name}.xml" for name in ("new", "edited", "same", "gone")}
    for name, path in files.items():
        path.write_bytes(rss(name, items=2, prefix=name))
    cut = tmp_path / "cut.xml"
    cut.write_bytes(rss("cut", items=3, prefix="cut")[:-80])
    ids = subscribe_all(db_path, [str(p) for p in files.values()] + [str(cut)])
    first = refresh(db_path, settings=settings(), now=T0)
    assert (first.feeds, first.feeds_with_new, first.new_articles) == (5, 4, 11)
    assert _counted(first) == 5 and first.recovered == 1
    files["new"].write_bytes(rss("new", items=3, prefix="new"))
    files["edited"].write_bytes(rss("edited", items=2, prefix="edited", version=" (edited)"))
    files["gone"].unlink()
    conn = connect(db_path)
    record_fetch(conn, ids[2], status="error", error="busy", retry_after=3600, now=T0)
    conn.close()
    summary = refresh(db_path, settings=settings(), now=T0 + 60)
    assert (
        summary.feeds_with_new,
        summary.feeds_updated,
        summary.unchanged,
        summary.skipped,
        len(summary.errors),
    ) == (1, 1, 0, 1, 2)
    assert _counted(summary) == summary.feeds == 5
    assert summary.line() == (
        "refreshed 5 feeds: 1 with new articles, 1 updated, 0 unchanged, 1 skipped, "
        "2 failed (1 stored what it could); 1 new article, 2 articles updated"
    )
    again = refresh(db_path, settings=settings(), now=T0 + 7200)
    assert (again.unchanged, len(again.errors), again.feeds_with_new) == (3, 2, 0)
    assert again.line().startswith(
        "refreshed 5 feeds: 0 with new articles, 0 updated, 3 unchanged, 0 skipped, 2 failed"
    )


def test_the_summary_with_not_modified_and_cancelled_feeds_adds_up(
    server: LoopbackServer, db_path: Path
) -> None:
    server.route("/a.xml", body=rss("A", prefix="a"), etag='"a"')
    server.route("/b.xml", body=rss("B", prefix="b"), etag='"b"')
    subscribe_all(db_path, [server.url("/a.xml"), server.url("/b.xml")])
    refresh(db_path, settings=settings())
    warm = refresh(db_path, settings=settings())
    assert (warm.not_modified, warm.unchanged, _counted(warm)) == (2, 2, 2)
    assert warm.line().startswith(
        "refreshed 2 feeds: 0 with new articles, 0 updated, "
        "2 unchanged, 0 skipped, 0 failed; 0 new articles"
    )
    stopped = refresh(db_path, settings=settings(), cancelled=lambda: True)
    assert stopped.not_done == 2 and _counted(stopped) == 2
    assert ", 2 not refreshed (cancelled);" in stopped.line()


def test_a_stalled_or_truncated_body_stores_nothing(server: LoopbackServer, db_path: Path) -> None:
    """A feed cut off at the total timeout (no Content-Length to show it) or a gzip stream
    that ends early is that feed's error: none of its entries are stored."""
    whole = rss("Cut", items=5, prefix="cut")
    server.route("/stall.xml", body=whole[:-120], length=False, stall=10)
    server.route("/gzip.xml", body=whole, gzip=True, cut=12)
    ids = subscribe_all(db_path, [server.url("/stall.xml"), server.url("/gzip.xml")])
    summary = refresh(db_path, settings=settings(total_timeout=0.8))
    assert (summary.new_articles, summary.recovered, len(summary.errors)) == (0, 0, 2)
    errors = {url.rsplit("/", 1)[1]: message for _id, url, message in summary.errors}
    assert errors == {
        "stall.xml": "timed out after 0.8 s",
        "gzip.xml": "corrupt compressed body: the gzip stream ends early",
    }
    for feed_id in ids:
        feed, titles = stored(db_path, feed_id)
        assert titles == [] and feed is not None and feed.last_status == "error"
