"""Retention: old read articles leave the store, and the file gives the space back.

An article goes when it was read, its date (``sort_time``) is more than ``keep_days``
before now, and nothing of the user's holds it: not starred, no label, not in Later, no
annotation or note on it (deleted annotations too: they can still be undone). Annotations
and notes are never removed. A pruned article leaves a tombstone (feed, key) so that a feed
still listing it does not bring it back as new and unread
(:func:`newsreader.store.articles.upsert_entries` skips it).

Deleting runs in batches, each its own transaction with its tombstones: a crash leaves the
store consistent, with what was deleted so far. Then free pages go back to the file system
(``PRAGMA incremental_vacuum``); a store made before incremental vacuum is switched to it
once, by a full ``VACUUM``.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from newsreader.store.db import transaction
from newsreader.wording import plural

DAY = 86_400.0
BATCH = 500
"""Articles deleted per transaction: short enough not to hold up a reader for long."""

UNHELD_SQL = """a.is_starred = 0
    AND NOT EXISTS (SELECT 1 FROM article_labels al WHERE al.article_id = a.id)
    AND NOT EXISTS (SELECT 1 FROM later q WHERE q.article_id = a.id)
    AND NOT EXISTS (SELECT 1 FROM annotations n WHERE n.article_id = a.id)
    AND NOT EXISTS (SELECT 1 FROM notes o WHERE o.article_id = a.id)"""
"""Articles (``articles a``) nothing of the user's holds: not starred, no label, not in
Later, no annotation (deleted ones too) or note: the only ones that may be deleted."""
_PRUNABLE = "a.is_read = 1 AND a.sort_time < :cutoff AND " + UNHELD_SQL
"""The articles retention may remove, over ``articles a`` (read and older than the cutoff:
the range of the ``articles_unread`` index; each other test is an index probe)."""


@dataclass(frozen=True, slots=True)
class PrunedArticle:
    """One article that would go, for a dry run."""

    id: int
    feed_title: str
    title: str
    date: float


@dataclass(frozen=True, slots=True)
class Prunable:
    """What a prune would do (:func:`prunable`)."""

    count: int
    examples: tuple[PrunedArticle, ...]
    """The oldest few of them."""
    switches_vacuum: bool
    """The store would first be switched to incremental vacuum (one full VACUUM)."""


@dataclass(frozen=True, slots=True)
class PruneResult:
    """What :func:`prune` did."""

    removed: int
    switched_vacuum: bool = False
    """The store was switched to incremental vacuum, by a full VACUUM (once per store)."""

    def line(self, keep_days: int) -> str:
        """'pruned 12 articles read and older than 90 days' (for a notice or the CLI)."""
        return f"pruned {plural(self.removed, 'article')} read and older than {_days(keep_days)}"


def _days(keep_days: int) -> str:
    return plural(keep_days, "day")


def cutoff(keep_days: int, now: float | None = None) -> float:
    """The time before which a read article is old enough to go."""
    return (time.time() if now is None else now) - keep_days * DAY


def incremental(conn: sqlite3.Connection) -> bool:
    """Whether the store gives freed pages back with ``PRAGMA incremental_vacuum``."""
    return int(conn.execute("PRAGMA auto_vacuum").fetchone()[0]) == 2


def prunable(
    conn: sqlite3.Connection, keep_days: int, now: float | None = None, *, examples: int = 5
) -> Prunable:
    """How many articles :func:`prune` would remove, with the oldest ``examples`` of them;
    ``keep_days`` 0 keeps everything."""
    if keep_days <= 0:
        return Prunable(0, (), False)
    params = {"cutoff": cutoff(keep_days, now), "limit": examples}
    count = int(
        conn.execute(f"SELECT count(*) FROM articles a WHERE {_PRUNABLE}", params).fetchone()[0]
    )
    rows = conn.execute(
        f"""SELECT a.id, f.title, a.title, a.sort_time FROM articles a
                JOIN feeds f ON f.id = a.feed_id
            WHERE {_PRUNABLE} ORDER BY a.sort_time, a.id LIMIT :limit""",
        params,
    )
    found = tuple(PrunedArticle(int(r[0]), str(r[1]), str(r[2]), float(r[3])) for r in rows)
    return Prunable(count, found, count > 0 and not incremental(conn))


def prune(
    conn: sqlite3.Connection, keep_days: int, now: float | None = None, *, batch: int = BATCH
) -> PruneResult:
    """Remove the articles retention lets go (see the module), leaving their tombstones,
    then give the freed space back to the file system; ``keep_days`` 0 keeps everything.

    Raises:
        RuntimeError: called inside a transaction (each batch commits on its own, and
            VACUUM cannot run in one).
    """
    if conn.in_transaction:
        raise RuntimeError("prune runs its own transactions: call it outside one")
    if keep_days <= 0:
        return PruneResult(0)
    now = time.time() if now is None else now
    params = {"cutoff": cutoff(keep_days, now), "limit": batch}
    removed = 0
    while True:
        with transaction(conn):
            rows = conn.execute(
                f"SELECT a.id, a.feed_id, a.key FROM articles a WHERE {_PRUNABLE} LIMIT :limit",
                params,
            ).fetchall()
            bury(conn, rows, now)
        removed += len(rows)
        if len(rows) < batch:
            break
    return PruneResult(removed, _give_back(conn) if removed else False)


def bury(conn: sqlite3.Connection, rows: list[sqlite3.Row], now: float) -> None:
    """Delete articles given as (id, feed_id, key) rows, each leaving its tombstone, in
    the caller's transaction."""
    conn.executemany(
        "INSERT OR REPLACE INTO pruned (feed_id, key, pruned) VALUES (?, ?, ?)",
        [(r[1], r[2], now) for r in rows],
    )
    conn.executemany("DELETE FROM articles WHERE id = ?", [(r[0],) for r in rows])


def _give_back(conn: sqlite3.Connection) -> bool:
    """Return free pages to the file system; True when the store had to be switched to
    incremental vacuum first (a full VACUUM, which frees them too)."""
    switched = not incremental(conn)
    if switched:
        conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
        conn.execute("VACUUM")
    else:
        # One step of this pragma frees one page; execute() steps a statement without
        # result columns once, executescript() until it is done.
        conn.executescript("PRAGMA incremental_vacuum")
    # In WAL mode the file is cut to its new length when the log is written back into it;
    # with other readers still on the log, that happens at a later checkpoint.
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    return switched


def carry_tombstones(conn: sqlite3.Connection, source_id: int, target_id: int) -> None:
    """Give feed ``target_id`` the tombstones of ``source_id`` (merged into it), in the
    caller's transaction, so the merged feed does not bring its pruned articles back."""
    conn.execute(
        "INSERT OR IGNORE INTO pruned (feed_id, key, pruned)"
        " SELECT ?, key, pruned FROM pruned WHERE feed_id = ?",
        (target_id, source_id),
    )


def store_bytes(path: Path) -> int:
    """The size of the store on disk: its file and its write-ahead log."""
    total = 0
    for part in (path, path.with_name(path.name + "-wal")):
        try:
            total += part.stat().st_size
        except OSError:
            pass
    return total
