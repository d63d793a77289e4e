"""Subscriptions and folders, both ways: what one side added, removed or moved since the
last sync is done on the other (a three-way comparison with the folder last agreed)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from newsreader.store import transaction
from newsreader.store.feeds import add_feed, remove_feed, set_folder
from newsreader.store.sync import (
    LocalFeed,
    SyncedFeed,
    forget_synced_feed,
    local_feeds,
    put_synced_feed,
    synced_feeds,
)
from newsreader.sync.client import GReaderClient, Subscription
from newsreader.urls import normalise_url


@dataclass(slots=True)
class FeedChanges:
    """What the subscription step did, on each side."""

    added_here: int = 0
    added_there: int = 0
    removed_here: int = 0
    removed_there: int = 0
    moved_here: int = 0
    moved_there: int = 0
    lines: list[str] = field(default_factory=list)


def sync_subscriptions(
    conn: sqlite3.Connection, client: GReaderClient, delivered: bool
) -> FeedChanges:
    """Bring subscriptions and folders in step; returns what changed and the log lines."""
    changes = FeedChanges()
    remote = client.subscriptions()
    pushed = _push_removed(conn, client, remote, changes)
    pushed |= _push_added(conn, client, remote, changes)
    if pushed:
        remote = client.subscriptions()
    known = {s.stream_id: s for s in synced_feeds(conn)}
    here = {f.id: f for f in local_feeds(conn)}
    by_url = {normalise_url(f.url): f for f in here.values()}
    with transaction(conn):
        for sub in remote:
            _agree(conn, client, sub, known.get(sub.stream_id), here, by_url, delivered, changes)
        _pull_removed(conn, remote, known, changes)
    return changes


def _push_removed(
    conn: sqlite3.Connection,
    client: GReaderClient,
    remote: list[Subscription],
    changes: FeedChanges,
) -> bool:
    """Unsubscribe the server from the feeds removed here since the last sync."""
    listed = {s.stream_id for s in remote}
    told = False
    for feed in [s for s in synced_feeds(conn) if s.feed_id is None]:
        if feed.stream_id in listed:
            client.unsubscribe(feed.stream_id)
            changes.removed_there += 1
            changes.lines.append(f"unsubscribed the server from {feed.url} (removed here)")
            told = True
        with transaction(conn):
            forget_synced_feed(conn, feed.stream_id)
    return told


def _push_added(
    conn: sqlite3.Connection,
    client: GReaderClient,
    remote: list[Subscription],
    changes: FeedChanges,
) -> bool:
    """Subscribe the server to the feeds here it does not have and never had."""
    on_server = {normalise_url(s.url) for s in remote}
    agreed = {s.feed_id for s in synced_feeds(conn)}
    new = [
        f for f in local_feeds(conn) if f.id not in agreed and normalise_url(f.url) not in on_server
    ]
    for feed in new:
        if not feed.url.startswith(("http://", "https://")):
            continue  # a local file: the server cannot read it
        client.subscribe(feed.url, feed.title, feed.folder)
        changes.added_there += 1
    return bool(new)


def _agree(
    conn: sqlite3.Connection,
    client: GReaderClient,
    sub: Subscription,
    before: SyncedFeed | None,
    here: dict[int, LocalFeed],
    by_url: dict[str, LocalFeed],
    delivered: bool,
    changes: FeedChanges,
) -> None:
    """One server subscription: made here if new, its folder agreed, its row recorded."""
    local = here.get(before.feed_id) if before and before.feed_id else None
    local = local or by_url.get(normalise_url(sub.url))
    if local is None:
        feed_id, _ = add_feed(conn, sub.url, sub.title, sub.folder, sub.site_url)
        changes.added_here += 1
        folder = sub.folder
    else:
        feed_id = local.id
        folder = _folder(conn, client, sub, before, local, changes)
    put_synced_feed(conn, SyncedFeed(sub.stream_id, feed_id, sub.url, folder, delivered))


def _folder(
    conn: sqlite3.Connection,
    client: GReaderClient,
    sub: Subscription,
    before: SyncedFeed | None,
    local: LocalFeed,
    changes: FeedChanges,
) -> str:
    """The folder both sides agree on now: the side that moved the feed wins (the server
    when both did, said in the log); the first time, a folder here wins over none."""
    base = before.folder if before else None
    if local.folder == sub.folder:
        return sub.folder
    moved_here = local.folder != base if base is not None else bool(local.folder)
    moved_there = base is not None and sub.folder != base
    if moved_here and not moved_there:
        client.move(sub.stream_id, sub.folder, local.folder)
        changes.moved_there += 1
        return local.folder
    if moved_here and moved_there:
        changes.lines.append(
            f"{local.url}: moved to {local.folder!r} here and to {sub.folder!r} on the server;"
            " kept the server's"
        )
    set_folder(conn, local.id, sub.folder)
    changes.moved_here += 1
    return sub.folder


def _pull_removed(
    conn: sqlite3.Connection,
    remote: list[Subscription],
    known: dict[str, SyncedFeed],
    changes: FeedChanges,
) -> None:
    """Remove here the feeds unsubscribed on the server (their annotations stay), unless
    the server lists none at all: an empty answer never empties this store."""
    listed = {s.stream_id for s in remote}
    claimed = {f.feed_id for f in synced_feeds(conn) if f.stream_id in listed}
    gone = [f for f in known.values() if f.stream_id not in listed]
    if gone and not remote:
        changes.lines.append(
            f"the server lists no subscriptions, {len(gone)} before: removed nothing here"
        )
        return
    for feed in gone:
        if feed.feed_id in claimed:  # subscribed again there under a new id: the same feed
            pass
        elif feed.feed_id is not None and remove_feed(conn, feed.feed_id):
            changes.removed_here += 1
            changes.lines.append(
                f"removed {feed.url} here (unsubscribed on the server; annotations stay)"
            )
        forget_synced_feed(conn, feed.stream_id)
