"""Sync against a real FreshRSS on 127.0.0.1 (the Google Reader API), its feeds on a
loopback feed server: first sync, both-way state, offline changes, conflicts, folders,
unsubscribes, re-delivered items, and the failures a user can meet."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsreader.annotations.service import create_highlight
from newsreader.config import SyncSettings
from newsreader.store import connect
from newsreader.store.articles import set_read, set_starred
from newsreader.store.feeds import list_feeds, remove_feed, set_folder
from newsreader.store.labels import change_labels, in_later, labels_of, set_later
from newsreader.store.sync import recent_log
from newsreader.sync.client import GReaderClient, SyncError
from newsreader.sync.engine import SyncSummary, run_sync
from tests.freshrss import Account, FreshRSS
from tests.httpserver import LoopbackServer
from tests.unit.refresh_helpers import rss

READ = "user/-/state/com.google/read"
STARRED = "user/-/state/com.google/starred"


@pytest.fixture
def account(freshrss: FreshRSS) -> Account:
    return freshrss.new_account()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    conn = connect(tmp_path / "sync.db")
    yield conn
    conn.close()


def settings(account: Account, **values: object) -> SyncSettings:
    return SyncSettings(kind="greader", url=account.server.api, user=account.user, **values)  # type: ignore[arg-type]


def sync(conn: sqlite3.Connection, account: Account, **kwargs: object) -> SyncSummary:
    values = {k: kwargs.pop(k) for k in ("articles", "later_label") if k in kwargs}
    with GReaderClient(account.server.api, account.user, account.password) as client:
        return run_sync(conn, client, settings(account, **values), **kwargs)  # type: ignore[arg-type]


def serve(http_server: LoopbackServer, feeds: int, items: int) -> list[str]:
    for n in range(feeds):
        http_server.route(f"/f{n}.xml", body=rss(f"Feed {n}", items=items, prefix=f"f{n}"))
    return [http_server.url(f"/f{n}.xml") for n in range(feeds)]


def article_ids(conn: sqlite3.Connection, feed_url: str | None = None) -> list[int]:
    if feed_url is None:
        return [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY id")]
    rows = conn.execute(
        "SELECT a.id FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE f.url = ?"
        " ORDER BY a.id",
        (feed_url,),
    )
    return [r[0] for r in rows]


def remote_id(conn: sqlite3.Connection, article_id: int) -> str:
    row = conn.execute("SELECT remote_id FROM sync_items WHERE article_id = ?", (article_id,))
    return str(row.fetchone()[0])


def flags(conn: sqlite3.Connection, article_id: int) -> tuple[int, int]:
    row = conn.execute("SELECT is_read, is_starred FROM articles WHERE id = ?", (article_id,))
    return tuple(row.fetchone())  # type: ignore[return-value]


def test_first_sync_of_2000_items_then_nothing_changed(
    store: sqlite3.Connection, account: Account, http_server: LoopbackServer
) -> None:
    urls = serve(http_server, feeds=10, items=200)
    for n, url in enumerate(urls):
        account.subscribe(url, folder="World" if n % 2 else "Tech")
    first = sync(store, account)
    assert first.items.new_articles == 2000
    assert len(article_ids(store)) == 2000
    feeds = {f.url: f for f in list_feeds(store)}
    assert set(feeds) == set(urls)
    assert feeds[urls[1]].folder == "World" and feeds[urls[0]].folder == "Tech"
    assert (
        store.execute("SELECT count(*) FROM sync_items WHERE article_id IS NULL").fetchone()[0] == 0
    )
    again = sync(store, account)
    assert again.items.new_articles == 0 and again.applied == 0 and again.sent == 0
    assert len(article_ids(store)) == 2000
    # login, subscriptions, new items, labels, unread, starred
    assert again.requests == 6, again


def test_read_star_labels_and_later_both_ways(
    store: sqlite3.Connection, account: Account, http_server: LoopbackServer
) -> None:
    (url,) = serve(http_server, feeds=1, items=8)
    account.subscribe(url)
    sync(store, account)
    ids = article_ids(store)
    set_read(store, ids[:2])
    set_starred(store, ids[2], True)
    change_labels(store, [ids[3]], add=["brief"])
    set_later(store, [ids[4]], True)
    sent = sync(store, account)
    assert sent.sent == 5
    unread = account.unread()
    assert remote_id(store, ids[0]) not in unread and remote_id(store, ids[5]) in unread
    assert account.starred() == {remote_id(store, ids[2])}
    assert account.labelled("brief") == {remote_id(store, ids[3])}
    assert account.labelled("Later") == {remote_id(store, ids[4])}

    account.edit([remote_id(store, ids[0])], remove=READ)
    account.edit([remote_id(store, ids[6])], add=STARRED)
    account.edit([remote_id(store, ids[3])], remove="user/-/label/brief")
    account.edit([remote_id(store, ids[7])], add="user/-/label/Ukraine")
    account.edit([remote_id(store, ids[4])], remove="user/-/label/Later")
    pulled = sync(store, account)
    assert pulled.applied == 5 and pulled.sent == 0
    assert flags(store, ids[0]) == (0, 0)
    assert flags(store, ids[6]) == (0, 1)
    assert labels_of(store, ids[3]) == [] and labels_of(store, ids[7]) == ["Ukraine"]
    assert not in_later(store, ids[4])


def test_offline_changes_wait_and_go_at_the_next_sync(
    store: sqlite3.Connection,
    account: Account,
    freshrss: FreshRSS,
    http_server: LoopbackServer,
) -> None:
    (url,) = serve(http_server, feeds=1, items=4)
    account.subscribe(url)
    sync(store, account)
    ids = article_ids(store)
    freshrss.stop()
    try:
        set_read(store, ids)
        set_starred(store, ids[1], True)
        with pytest.raises(SyncError, match="cannot reach the sync server"):
            sync(store, account)
        assert flags(store, ids[1]) == (1, 1)  # nothing here undone by the failure
    finally:
        freshrss.start()
    done = sync(store, account)
    assert done.sent == 5
    assert account.unread() == set() and account.starred() == {remote_id(store, ids[1])}


def test_server_stopped_mid_sync_leaves_the_store_whole(
    store: sqlite3.Connection,
    account: Account,
    freshrss: FreshRSS,
    http_server: LoopbackServer,
) -> None:
    urls = serve(http_server, feeds=2, items=5)
    for url in urls:
        account.subscribe(url)

    def stop_at_items(step: str) -> None:
        if step == "new items":
            freshrss.stop()

    try:
        with pytest.raises(SyncError):
            sync(store, account, progress=stop_at_items)
        assert {f.url for f in list_feeds(store)} == set(urls)  # the first step is kept
        assert article_ids(store) == []
    finally:
        freshrss.start()
    assert sync(store, account).items.new_articles == 10
    assert len(article_ids(store)) == 10


def test_read_here_starred_there_keeps_both_and_logs_it(
    store: sqlite3.Connection, account: Account, http_server: LoopbackServer
) -> None:
    (url,) = serve(http_server, feeds=1, items=3)
    account.subscribe(url)
    sync(store, account)
    first = article_ids(store)[0]
    set_read(store, [first])
    account.edit([remote_id(store, first)], add=STARRED)
    summary = sync(store, account)
    assert flags(store, first) == (1, 1)
    assert remote_id(store, first) not in account.unread()
    assert remote_id(store, first) in account.starred()
    logged = [line for _at, line in recent_log(store)]
    assert any("read here and starred on the server: both kept" in x for x in logged)
    assert logged[-1] in summary.lines


def test_folders_renamed_there_and_moved_here(
    store: sqlite3.Connection, account: Account, http_server: LoopbackServer
) -> None:
    a, b = serve(http_server, feeds=2, items=1)
    account.subscribe(a, folder="News")
    account.subscribe(b, folder="News")
    sync(store, account)
    account.rename_folder("News", "Politics")
    sync(store, account)
    assert {f.folder for f in list_feeds(store)} == {"Politics"}
    feed_b = next(f for f in list_feeds(store) if f.url == b)
    set_folder(store, feed_b.id, "Science")
    sync(store, account)
    folders = {s["url"]: s["categories"][0]["label"] for s in account.subscriptions()}
    assert folders == {a: "Politics", b: "Science"}


def test_unsubscribe_on_either_side(
    store: sqlite3.Connection, account: Account, http_server: LoopbackServer
) -> None:
    a, b, c = serve(http_server, feeds=3, items=2)
    for url in (a, b, c):
        account.subscribe(url)
    sync(store, account)
    feed_a = next(f for f in list_feeds(store) if f.url == a)
    marked = article_ids(store, b)[0]
    marked_url = store.execute("SELECT url FROM articles WHERE id = ?", (marked,)).fetchone()[0]
    note = _annotate(store, marked)
    remove_feed(store, feed_a.id)
    stream_b = next(s["id"] for s in account.subscriptions() if s["url"] == b)
    account.unsubscribe(stream_b)
    summary = sync(store, account)
    assert {s["url"] for s in account.subscriptions()} == {c}
    assert {f.url for f in list_feeds(store)} == {c}
    assert summary.feeds.removed_here == 1 and summary.feeds.removed_there == 1
    kept = store.execute("SELECT exact, article_url FROM annotations WHERE id = ?", (note,))
    assert kept.fetchone()[1] == marked_url  # the annotation stays, with its article's url


def test_an_empty_subscription_list_removes_nothing_here(
    store: sqlite3.Connection, account: Account, http_server: LoopbackServer
) -> None:
    urls = serve(http_server, feeds=2, items=1)
    for url in urls:
        account.subscribe(url)
    sync(store, account)
    for sub in account.subscriptions():
        account.unsubscribe(sub["id"])
    summary = sync(store, account)
    assert {f.url for f in list_feeds(store)} == set(urls)
    assert any("lists no subscriptions" in line for line in summary.lines)


def test_items_delivered_again_under_new_ids_keep_their_annotations(
    store: sqlite3.Connection, account: Account, http_server: LoopbackServer
) -> None:
    (url,) = serve(http_server, feeds=1, items=3)
    account.subscribe(url)
    sync(store, account)
    ids = article_ids(store)
    note = _annotate(store, ids[0])
    old = remote_id(store, ids[0])
    (stream,) = [s["id"] for s in account.subscriptions()]
    account.unsubscribe(stream)
    account.subscribe(url)  # the server now has the same items under new ids
    summary = sync(store, account)
    assert summary.items.new_articles == 0
    assert article_ids(store) == ids
    assert remote_id(store, ids[0]) != old
    row = store.execute("SELECT article_id FROM annotations WHERE id = ?", (note,)).fetchone()
    assert row[0] == ids[0]


def test_articles_fetched_here_still_sync_their_state(
    store: sqlite3.Connection, account: Account, http_server: LoopbackServer, tmp_path: Path
) -> None:
    from newsreader.feeds.refresh import refresh
    from tests.unit.refresh_helpers import settings as fetch_settings

    (url,) = serve(http_server, feeds=1, items=3)
    account.subscribe(url)
    summary = sync(store, account, articles="direct")
    assert summary.items.new_articles == 0 and list_feeds(store)[0].url == url
    refresh(tmp_path / "sync.db", settings=fetch_settings())
    ids = article_ids(store)
    assert len(ids) == 3
    first = store.execute("SELECT url FROM articles WHERE id = ?", (ids[0],)).fetchone()[0]
    item = next(
        i["id"]
        for i in account.get("stream/contents/user/-/state/com.google/reading-list")["items"]
        if i["canonical"][0]["href"] == first
    )
    account.edit([item], add=STARRED)
    sync(store, account, articles="direct")
    assert flags(store, ids[0]) == (0, 1)


def test_a_wrong_password_is_one_line(account: Account) -> None:
    with GReaderClient(account.server.api, account.user, "not-the-password") as client:
        with pytest.raises(SyncError) as failed:
            client.login()
    assert str(failed.value) == (
        f"the sync server refused user {account.user!r}: wrong user or API password"
        " (set it with `newsreader sync login`)"
    )
    assert "not-the-password" not in str(failed.value)


def test_a_password_changed_on_the_server_mid_conversation(
    store: sqlite3.Connection,
    account: Account,
    freshrss: FreshRSS,
    http_server: LoopbackServer,
) -> None:
    (url,) = serve(http_server, feeds=1, items=1)
    account.subscribe(url)
    with GReaderClient(account.server.api, account.user, account.password) as client:
        run_sync(store, client, settings(account))
        freshrss._php("cli/update-user.php", "--user", account.user, "--api-password", "new")
        with pytest.raises(SyncError, match="wrong user or API password"):
            run_sync(store, client, settings(account))


def test_a_server_that_answers_html(http_server: LoopbackServer) -> None:
    page = b"<!doctype html><html><body>Welcome to my blog</body></html>"
    http_server.route("/accounts/ClientLogin", body=page, content_type="text/html")
    with GReaderClient(http_server.url(""), "me", "pw") as client:
        with pytest.raises(SyncError, match="answered HTML, not the Google Reader API"):
            client.login()


def _annotate(conn: sqlite3.Connection, article_id: int) -> int:
    """A highlight on the article's first word; its id."""
    return create_highlight(conn, article_id, 0, 4).id
