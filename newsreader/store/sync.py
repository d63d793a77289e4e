"""Rows of the sync with a Google Reader API server: which server subscription and item
each feed and article is, and the state both sides last agreed on (``newsreader.sync``)."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from newsreader.store.db import transaction


@dataclass(frozen=True, slots=True)
class SyncedFeed:
    """A server subscription as last agreed: ``feed_id`` is None once removed here."""

    stream_id: str
    feed_id: int | None
    url: str
    folder: str
    delivered: bool


@dataclass(frozen=True, slots=True)
class LocalFeed:
    """A subscription here, as the sync compares it."""

    id: int
    url: str
    title: str
    folder: str


@dataclass(frozen=True, slots=True)
class ItemState:
    """One server item's article and its state here, with the agreed base (None: never
    agreed, the first sync of this item)."""

    remote_id: str
    article_id: int
    title: str
    read: bool
    starred: bool
    labels: tuple[str, ...]
    later: bool
    base_read: bool | None
    base_starred: bool | None
    base_labels: tuple[str, ...] | None


def synced_feeds(conn: sqlite3.Connection) -> list[SyncedFeed]:
    """Every server subscription seen at the last sync."""
    rows = conn.execute(
        "SELECT stream_id, feed_id, url, folder, delivered FROM sync_feeds ORDER BY stream_id"
    )
    return [SyncedFeed(r[0], r[1], r[2], r[3], bool(r[4])) for r in rows]


def local_feeds(conn: sqlite3.Connection) -> list[LocalFeed]:
    """Every subscription here."""
    rows = conn.execute("SELECT id, url, title, folder FROM feeds ORDER BY id")
    return [LocalFeed(int(r[0]), r[1], r[2], r[3]) for r in rows]


def put_synced_feed(conn: sqlite3.Connection, feed: SyncedFeed) -> None:
    """Record (or update) a server subscription and the feed it is here."""
    conn.execute(
        """INSERT INTO sync_feeds (stream_id, feed_id, url, folder, delivered)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (stream_id) DO UPDATE SET feed_id = excluded.feed_id,
               url = excluded.url, folder = excluded.folder, delivered = excluded.delivered""",
        (feed.stream_id, feed.feed_id, feed.url, feed.folder, int(feed.delivered)),
    )


def forget_synced_feed(conn: sqlite3.Connection, stream_id: str) -> None:
    """The server subscription is gone on both sides."""
    conn.execute("DELETE FROM sync_feeds WHERE stream_id = ?", (stream_id,))


def articles_by_url(conn: sqlite3.Connection, feed_id: int, urls: Iterable[str]) -> dict[str, str]:
    """The keys of a feed's articles at ``urls``, by url (to store a server item as the
    article it already is here)."""
    rows = conn.execute(
        "SELECT url, key FROM articles WHERE feed_id = ? AND url IN"
        " (SELECT value FROM json_each(?))",
        (feed_id, json.dumps(sorted(set(urls)))),
    )
    return {str(r[0]): str(r[1]) for r in rows}


def article_ids_by_key(
    conn: sqlite3.Connection, feed_id: int, keys: Iterable[str]
) -> dict[str, int]:
    """A feed's article ids, by key."""
    rows = conn.execute(
        "SELECT key, id FROM articles WHERE feed_id = ?"
        " AND key IN (SELECT value FROM json_each(?))",
        (feed_id, json.dumps(sorted(set(keys)))),
    )
    return {str(r[0]): int(r[1]) for r in rows}


def match_items(conn: sqlite3.Connection, rows: Sequence[tuple[str, int | None, str, str]]) -> None:
    """Record server items (remote id, article id or None, stream id, url). An article
    delivered again under another id keeps one row: the newest id."""
    with transaction(conn):
        for remote_id, article_id, stream_id, url in rows:
            if article_id is not None:
                conn.execute(
                    "DELETE FROM sync_items WHERE article_id = ? AND remote_id != ?",
                    (article_id, remote_id),
                )
            conn.execute(
                """INSERT INTO sync_items (remote_id, article_id, stream_id, url)
                   VALUES (?, ?, ?, ?)
                   ON CONFLICT (remote_id) DO UPDATE SET
                       article_id = coalesce(excluded.article_id, sync_items.article_id),
                       url = excluded.url""",
                (remote_id, article_id, stream_id, url),
            )


def match_waiting(conn: sqlite3.Connection) -> int:
    """Items waiting for their article (fetched here, not delivered) matched to articles
    that have arrived at their url in their feed; returns how many."""
    with transaction(conn):
        return conn.execute(
            """UPDATE sync_items SET article_id = (
                   SELECT a.id FROM articles a JOIN sync_feeds f ON f.feed_id = a.feed_id
                   WHERE f.stream_id = sync_items.stream_id AND a.url = sync_items.url
                     AND a.id NOT IN (SELECT article_id FROM sync_items
                                      WHERE article_id IS NOT NULL)
                   LIMIT 1)
               WHERE article_id IS NULL AND url != '' AND EXISTS (
                   SELECT 1 FROM articles a JOIN sync_feeds f ON f.feed_id = a.feed_id
                   WHERE f.stream_id = sync_items.stream_id AND a.url = sync_items.url)"""
        ).rowcount


_ITEM_STATE = """
SELECT s.remote_id, a.id, a.title, a.is_read, a.is_starred,
       (SELECT json_group_array(l.name) FROM article_labels al JOIN labels l
            ON l.id = al.label_id WHERE al.article_id = a.id),
       EXISTS (SELECT 1 FROM later WHERE article_id = a.id),
       s.read, s.starred, s.labels
FROM sync_items s JOIN articles a ON a.id = s.article_id
"""


def item_states(conn: sqlite3.Connection) -> list[ItemState]:
    """Every matched item's state here and its agreed base."""
    return [_item_state(r) for r in conn.execute(_ITEM_STATE)]


def item_states_of(conn: sqlite3.Connection, article_ids: Iterable[int]) -> dict[int, ItemState]:
    """The states of these articles' items now, by article id."""
    rows = conn.execute(
        _ITEM_STATE + " WHERE a.id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(set(article_ids))),),
    )
    return {state.article_id: state for state in map(_item_state, rows)}


def _item_state(r: sqlite3.Row | tuple[object, ...]) -> ItemState:
    base_labels = None if r[9] is None else tuple(json.loads(str(r[9])))
    return ItemState(
        remote_id=str(r[0]),
        article_id=int(str(r[1])),
        title=str(r[2]),
        read=bool(r[3]),
        starred=bool(r[4]),
        labels=tuple(sorted(json.loads(str(r[5])), key=str.casefold)),
        later=bool(r[6]),
        base_read=None if r[7] is None else bool(r[7]),
        base_starred=None if r[8] is None else bool(r[8]),
        base_labels=base_labels,
    )


def set_base(
    conn: sqlite3.Connection, rows: Sequence[tuple[str, bool, bool, Sequence[str]]]
) -> None:
    """Record what both sides now agree on (remote id, read, starred, labels), in the
    caller's transaction."""
    conn.executemany(
        "UPDATE sync_items SET read = ?, starred = ?, labels = ? WHERE remote_id = ?",
        [
            (int(r), int(s), json.dumps(sorted(labels, key=str.casefold)), i)
            for i, r, s, labels in rows
        ],
    )


def log_lines(conn: sqlite3.Connection, lines: Sequence[str], now: float | None = None) -> None:
    """Keep what a sync decided or refused (the newest 1,000 lines)."""
    if not lines:
        return
    at = time.time() if now is None else now
    with transaction(conn):
        conn.executemany("INSERT INTO sync_log (at, line) VALUES (?, ?)", [(at, x) for x in lines])
        conn.execute("DELETE FROM sync_log WHERE id <= (SELECT max(id) FROM sync_log) - 1000")


def recent_log(conn: sqlite3.Connection, limit: int = 50) -> list[tuple[float, str]]:
    """The newest log lines, oldest first."""
    rows = conn.execute("SELECT at, line FROM sync_log ORDER BY id DESC LIMIT ?", (limit,))
    return [(float(r[0]), str(r[1])) for r in rows][::-1]
