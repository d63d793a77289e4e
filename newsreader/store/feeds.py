"""Feed rows: subscribe, list with counts, record fetch outcomes, redirects, backoff."""

from __future__ import annotations

import sqlite3
import time

from newsreader.models import Feed
from newsreader.store.db import transaction

_FEED_COLUMNS = (
    "f.id, f.url, f.title, f.site_url, f.folder, f.etag, f.last_modified, f.last_fetched,"
    " f.last_status, f.last_error, f.next_fetch_after"
)


def _feed(row: sqlite3.Row, article_count: int = 0, unread_count: int = 0) -> Feed:
    return Feed(
        id=row["id"], url=row["url"], title=row["title"], site_url=row["site_url"],
        folder=row["folder"], etag=row["etag"], last_modified=row["last_modified"],
        last_fetched=row["last_fetched"], last_status=row["last_status"],
        last_error=row["last_error"], next_fetch_after=row["next_fetch_after"],
        article_count=article_count, unread_count=unread_count,
    )


def add_feed(
    conn: sqlite3.Connection, url: str, title: str = "", folder: str = "", site_url: str = ""
) -> tuple[int, bool]:
    """Subscribe to ``url``. Returns (feed id, created); an existing url is not duplicated."""
    with transaction(conn):
        row = conn.execute("SELECT id FROM feeds WHERE url = ?", (url,)).fetchone()
        if row:
            return int(row["id"]), False
        cur = conn.execute(
            "INSERT INTO feeds (url, title, folder, site_url) VALUES (?, ?, ?, ?)",
            (url, title, folder, site_url),
        )
        return int(cur.lastrowid or 0), True


def remove_feed(conn: sqlite3.Connection, feed_id: int) -> bool:
    """Unsubscribe; its articles go, annotations stay (as orphans with their snapshot)."""
    with transaction(conn):
        return conn.execute("DELETE FROM feeds WHERE id = ?", (feed_id,)).rowcount > 0


def get_feed(conn: sqlite3.Connection, feed_id: int) -> Feed | None:
    """One feed without counts, or None."""
    row = conn.execute(f"SELECT {_FEED_COLUMNS} FROM feeds f WHERE f.id = ?", (feed_id,)).fetchone()
    return _feed(row) if row else None


def list_feeds(conn: sqlite3.Connection) -> list[Feed]:
    """Every feed with its article and unread counts, by folder then title."""
    rows = conn.execute(
        f"""SELECT {_FEED_COLUMNS},
               (SELECT count(*) FROM articles a WHERE a.feed_id = f.id) AS n,
               (SELECT count(*) FROM articles a WHERE a.feed_id = f.id AND a.is_read = 0) AS u
           FROM feeds f ORDER BY f.folder COLLATE NOCASE, f.title COLLATE NOCASE, f.id"""
    ).fetchall()
    return [_feed(r, r["n"], r["u"]) for r in rows]


def feeds_by_ids(conn: sqlite3.Connection, ids: list[int]) -> list[Feed]:
    """The feeds with these ids, in the given order (unknown ids are skipped)."""
    found = {f.id: f for f in (get_feed(conn, i) for i in ids) if f}
    return [found[i] for i in ids if i in found]


def set_feed_title(conn: sqlite3.Connection, feed_id: int, title: str, site_url: str) -> None:
    """Store the title and site the feed document gives, unless the user named it."""
    conn.execute(
        "UPDATE feeds SET title = CASE WHEN title = '' THEN ? ELSE title END,"
        " site_url = CASE WHEN ? != '' THEN ? ELSE site_url END WHERE id = ?",
        (title, site_url, site_url, feed_id),
    )


def record_fetch(
    conn: sqlite3.Connection,
    feed_id: int,
    *,
    status: str,
    error: str = "",
    http_status: int | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    retry_after: float | None = None,
    now: float | None = None,
) -> None:
    """Record the outcome of one fetch. ``status``: ok, not-modified, error, dead, skipped."""
    now = time.time() if now is None else now
    failed = status in ("error", "dead")
    next_after = now + retry_after if retry_after else None
    conn.execute(
        """UPDATE feeds SET last_fetched = ?, last_status = ?, last_error = ?,
               http_status = coalesce(?, http_status), next_fetch_after = ?,
               failures = CASE WHEN ? THEN failures + 1 ELSE 0 END,
               etag = CASE WHEN ? THEN ? ELSE etag END,
               last_modified = CASE WHEN ? THEN ? ELSE last_modified END
           WHERE id = ?""",
        (now, status, error, http_status, next_after, failed,
         status == "ok", etag, status == "ok", last_modified, feed_id),
    )


def move_feed(conn: sqlite3.Connection, feed_id: int, new_url: str) -> bool:
    """Follow a permanent redirect; False when another subscription already has that url."""
    try:
        conn.execute("UPDATE feeds SET url = ? WHERE id = ?", (new_url, feed_id))
    except sqlite3.IntegrityError:
        return False
    return True


def set_folder(conn: sqlite3.Connection, feed_id: int, folder: str) -> None:
    """Put a feed in a folder ("" for none; nested folders joined with "/")."""
    conn.execute("UPDATE feeds SET folder = ? WHERE id = ?", (folder, feed_id))
