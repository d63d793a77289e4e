"""The store's side of rules: which of some articles a rule's query matches, and the
actions a rule takes that the other store modules do not (hide, delete).

Deleting is for what nothing of the user's holds (:data:`retention.UNHELD_SQL`: not
starred, labelled, in Later or annotated), and leaves a tombstone so the feed does not
bring the article back. Hiding keeps the article and marks it read; every list leaves it
out (``is:hidden`` shows it).
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Sequence

from newsreader.store.db import transaction
from newsreader.store.duplicates import copies_of
from newsreader.store.retention import UNHELD_SQL, bury


def matching(
    conn: sqlite3.Connection, where: str, params: Sequence[object], ids: Sequence[int] | None
) -> list[int]:
    """The ids among ``ids`` (every article when None) that the condition ``where`` over
    ``articles a`` (a compiled query) matches, newest first."""
    if ids is None:
        sql = f"SELECT a.id FROM articles a WHERE {where} ORDER BY a.sort_time DESC, a.id DESC"
        return [int(r[0]) for r in conn.execute(sql, list(params))]
    sql = (
        "SELECT a.id FROM articles a WHERE a.id IN (SELECT value FROM json_each(?))"
        f" AND {where} ORDER BY a.sort_time DESC, a.id DESC"
    )
    return [int(r[0]) for r in conn.execute(sql, [json.dumps(list(ids)), *params])]


BATCH_INDEX = "rule_fts"
"""The full-text index of a :class:`Batch` (this connection's own, in its temp schema)."""


class Batch:
    """A few articles (a feed's new ones) to test rules on: their ids and a full-text index
    of just them, in the connection's temp schema. Looking words up there costs what the
    batch holds; in the store's index a common word's 100,000 matches are read for every
    rule (1,000 new articles, 20 rules: 80 ms instead of 370 ms on 100,000 articles)."""

    def __init__(self, conn: sqlite3.Connection, ids: Sequence[int]) -> None:
        self.conn, self.ids = conn, list(ids)
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS rule_batch (id INTEGER PRIMARY KEY)")
        conn.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.rule_fts USING fts5 (title, author, text,"
            " tokenize = 'unicode61 remove_diacritics 2', columnsize = 0)"
        )
        conn.execute("DELETE FROM temp.rule_batch")
        conn.execute("DELETE FROM temp.rule_fts")
        marks = json.dumps(self.ids)
        conn.execute(
            "INSERT OR IGNORE INTO temp.rule_batch (id) SELECT value FROM json_each(?)", (marks,)
        )
        conn.execute(
            "INSERT INTO temp.rule_fts (rowid, title, author, text)"
            " SELECT a.id, a.title, a.author, a.text FROM temp.rule_batch b"
            " CROSS JOIN articles a ON a.id = b.id"
        )

    def matching(self, where: str, params: Sequence[object], gone: set[int]) -> list[int]:
        """The batch's articles (not in ``gone``) that ``where`` matches, by id (a query
        compiled with ``index=BATCH_INDEX``)."""
        sql = (
            f"SELECT a.id FROM temp.rule_batch b CROSS JOIN articles a ON a.id = b.id WHERE {where}"
        )
        return [int(r[0]) for r in self.conn.execute(sql, list(params)) if r[0] not in gone]


def hide(conn: sqlite3.Connection, ids: Sequence[int], rule: str = "") -> int:
    """Hide articles (and mark them read); returns how many were not hidden yet."""
    marks = json.dumps(list(ids))
    with transaction(conn):
        hidden = conn.execute(
            "INSERT OR IGNORE INTO hidden (article_id, rule, hidden)"
            " SELECT id, ?, ? FROM articles WHERE id IN (SELECT value FROM json_each(?))",
            (rule, time.time(), marks),
        ).rowcount
        mark_read(conn, ids)
    return hidden


def unhide(conn: sqlite3.Connection, ids: Sequence[int]) -> int:
    """Show hidden articles again; returns how many were hidden."""
    with transaction(conn):
        return conn.execute(
            "DELETE FROM hidden WHERE article_id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(ids)),),
        ).rowcount


def hidden_by(conn: sqlite3.Connection, article_id: int) -> str | None:
    """The rule that hid the article ("" when unnamed), or None when it is not hidden."""
    row = conn.execute("SELECT rule FROM hidden WHERE article_id = ?", (article_id,)).fetchone()
    return None if row is None else str(row[0])


def delete_unheld(conn: sqlite3.Connection, ids: Sequence[int]) -> list[int]:
    """Delete those of ``ids`` that nothing holds, each leaving its tombstone, in one
    transaction; returns the ids deleted."""
    with transaction(conn):
        rows = conn.execute(
            f"SELECT a.id, a.feed_id, a.key FROM articles a"
            f" WHERE a.id IN (SELECT value FROM json_each(?)) AND {UNHELD_SQL}",
            (json.dumps(list(ids)),),
        ).fetchall()
        bury(conn, rows, time.time())
    return [int(r[0]) for r in rows]


def mark_read(conn: sqlite3.Connection, ids: Sequence[int]) -> int:
    """Mark articles read, with their copies from other feeds (a story has one state, as
    :func:`newsreader.store.articles.set_read` keeps it); returns how many of ``ids``
    were unread."""
    update = (
        "UPDATE articles SET is_read = 1 WHERE +is_read = 0"  # + : by id, not all unread
        " AND id IN (SELECT value FROM json_each(?))"
    )
    with transaction(conn):
        changed = conn.execute(update, (json.dumps(list(ids)),)).rowcount
        conn.execute(update, (json.dumps(copies_of(conn, ids)),))
    return changed


def star(conn: sqlite3.Connection, ids: Sequence[int]) -> int:
    """Star articles; returns how many were not starred."""
    with transaction(conn):
        return conn.execute(
            "UPDATE articles SET is_starred = 1 WHERE +is_starred = 0"
            " AND id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(ids)),),
        ).rowcount
