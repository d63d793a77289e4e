"""Feed rows: subscribe, list with counts, record fetch outcomes, redirects (and merging a
feed into the subscription it moved to), backoff."""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass

from newsreader.models import Feed
from newsreader.store.db import transaction
from newsreader.store.labels import carry_over
from newsreader.store.retention import carry_tombstones
from newsreader.store.state import get_state, set_state
from newsreader.urls import normalise_url

_FEED_COLUMNS = (
    "f.id, f.url, f.title, f.site_url, f.folder, f.etag, f.last_modified, f.last_fetched,"
    " f.last_status, f.last_error, f.next_fetch_after, f.full_text, f.failures,"
    " f.interval_minutes, f.ttl_minutes"
)


def _feed(row: sqlite3.Row, article_count: int = 0, unread_count: int = 0) -> Feed:
    return Feed(
        id=row["id"],
        url=row["url"],
        title=row["title"],
        site_url=row["site_url"],
        folder=row["folder"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        last_fetched=row["last_fetched"],
        last_status=row["last_status"],
        last_error=row["last_error"],
        next_fetch_after=row["next_fetch_after"],
        article_count=article_count,
        unread_count=unread_count,
        full_text=row["full_text"],
        failures=row["failures"],
        interval_minutes=row["interval_minutes"],
        ttl_minutes=row["ttl_minutes"],
    )


def add_feed(
    conn: sqlite3.Connection, url: str, title: str = "", folder: str = "", site_url: str = ""
) -> tuple[int, bool]:
    """Subscribe to ``url`` (stored in its normal spelling, :func:`normalise_url`).

    Returns (feed id, created): a url already subscribed, in any spelling, is not duplicated.
    """
    url = normalise_url(url)
    with transaction(conn):
        existing = find_feed_id(conn, url)
        if existing is not None:
            return existing, False
        cur = conn.execute(
            "INSERT INTO feeds (url, title, folder, site_url) VALUES (?, ?, ?, ?)",
            (url, title, folder, site_url),
        )
        return int(cur.lastrowid or 0), True


def find_feed_id(conn: sqlite3.Connection, url: str) -> int | None:
    """The subscription to ``url`` in any spelling of it, or None (for a write: a store
    from before URLs were normalised has its feed URLs normalised first, once)."""
    _normalise_stored_urls(conn)
    row = conn.execute("SELECT id FROM feeds WHERE url = ?", (normalise_url(url),)).fetchone()
    return int(row["id"]) if row else None


_NORMALISED = "feed_urls_normalised"


def _normalise_stored_urls(conn: sqlite3.Connection) -> None:
    """Once per store: give older feeds their URL's normal spelling, so comparing normal
    spellings finds them. Two older feeds that are one URL keep theirs (one of them now
    holds the normal spelling, which is what a lookup finds)."""
    if get_state(conn, _NORMALISED):
        return
    with transaction(conn):
        rows = conn.execute("SELECT id, url FROM feeds").fetchall()
        taken = {row["url"] for row in rows}
        for row in rows:
            normal = normalise_url(row["url"])
            if normal != row["url"] and normal not in taken:
                conn.execute("UPDATE feeds SET url = ? WHERE id = ?", (normal, row["id"]))
                taken.add(normal)
        set_state(conn, _NORMALISED, "1")


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


def all_feed_ids(conn: sqlite3.Connection, *, but_delivered: bool = False) -> list[int]:
    """Every feed's id, in id order (cheap: no per-feed counts); ``but_delivered``: not
    those whose articles a sync server brings."""
    if but_delivered:
        rows = conn.execute(
            "SELECT id FROM feeds WHERE id NOT IN (SELECT feed_id FROM sync_feeds"
            " WHERE delivered = 1 AND feed_id IS NOT NULL) ORDER BY id"
        )
    else:
        rows = conn.execute("SELECT id FROM feeds ORDER BY id")
    return [int(row[0]) for row in rows]


def count_feeds(conn: sqlite3.Connection) -> int:
    """How many feeds are subscribed."""
    return int(conn.execute("SELECT count(*) FROM feeds").fetchone()[0])


def has_feeds(conn: sqlite3.Connection) -> bool:
    """Whether any feed is subscribed."""
    return conn.execute("SELECT 1 FROM feeds LIMIT 1").fetchone() is not None


def feed_id_named(conn: sqlite3.Connection, name: str) -> int | None:
    """The feed whose id (as typed) or stored url is exactly ``name``, or None."""
    row = conn.execute(
        "SELECT id FROM feeds WHERE CAST(id AS TEXT) = ? OR url = ?", (name, name)
    ).fetchone()
    return None if row is None else int(row[0])


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
    ttl_minutes: int | None = None,
    now: float | None = None,
) -> None:
    """Record the outcome of one fetch. ``status``: ok, not-modified, error, dead, skipped.

    ``ttl_minutes`` (what the feed and its server ask for) is replaced by a document that
    came ("ok"), and by a 304 that says one (Cache-Control); otherwise the last is kept.
    """
    now = time.time() if now is None else now
    failed = status in ("error", "dead")
    next_after = now + retry_after if retry_after else None
    answered = status == "ok" or (status == "not-modified" and ttl_minutes is not None)
    conn.execute(
        """UPDATE feeds SET last_fetched = ?, last_status = ?, last_error = ?,
               http_status = coalesce(?, http_status), next_fetch_after = ?,
               failures = CASE WHEN ? THEN failures + 1 ELSE 0 END,
               etag = CASE WHEN ? THEN ? ELSE etag END,
               last_modified = CASE WHEN ? THEN ? ELSE last_modified END,
               ttl_minutes = CASE WHEN ? THEN ? ELSE ttl_minutes END
           WHERE id = ?""",
        (
            now,
            status,
            error,
            http_status,
            next_after,
            failed,
            status == "ok",
            etag,
            status == "ok",
            last_modified,
            answered,
            ttl_minutes,
            feed_id,
        ),
    )


def set_interval(conn: sqlite3.Connection, feed_id: int, minutes: int | None) -> bool:
    """A feed's own refresh interval in minutes (None: follow ``[fetch] interval_minutes``);
    False when there is no such feed."""
    return (
        conn.execute(
            "UPDATE feeds SET interval_minutes = ? WHERE id = ?", (minutes, feed_id)
        ).rowcount
        > 0
    )


def move_feed(conn: sqlite3.Connection, feed_id: int, new_url: str) -> bool:
    """Follow a permanent redirect; False when another subscription already has that url
    (in any spelling: see :func:`merge_feeds`)."""
    new_url = normalise_url(new_url)
    other = find_feed_id(conn, new_url)
    if other is not None and other != feed_id:
        return False
    try:
        conn.execute("UPDATE feeds SET url = ? WHERE id = ?", (new_url, feed_id))
    except sqlite3.IntegrityError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class MergeResult:
    """What :func:`merge_feeds` did."""

    moved: int
    """Articles that moved to the kept feed as they were."""
    joined: list[int]
    """Articles of the kept feed that took over a duplicate's annotations and notes (their
    annotations may need re-anchoring: the two copies' texts can differ)."""


def merge_feeds(conn: sqlite3.Connection, source_id: int, target_id: int) -> MergeResult:
    """Fold feed ``source_id`` into ``target_id``, in the caller's transaction.

    An article both feeds hold (same key, or same url) stays once, in the target: it takes
    the duplicate's annotations and notes, and is read or starred when either copy was.
    It keeps the duplicate's labels and Later entry too, and the source's tombstones
    (articles retention pruned stay pruned). The source's other articles move
    to the target; then the source is removed. Nothing annotated or labelled is lost.
    """
    pairs = conn.execute(
        """SELECT s.id AS source, coalesce(
                  (SELECT t.id FROM articles t WHERE t.feed_id = :target AND t.key = s.key),
                  (SELECT min(t.id) FROM articles t WHERE t.feed_id = :target
                      AND s.url != '' AND t.url = s.url)) AS target
           FROM articles s WHERE s.feed_id = :source""",
        {"source": source_id, "target": target_id},
    ).fetchall()
    joined = [(r["source"], r["target"]) for r in pairs if r["target"] is not None]
    for source, target in joined:
        conn.execute("UPDATE annotations SET article_id = ? WHERE article_id = ?", (target, source))
        conn.execute("UPDATE notes SET article_id = ? WHERE article_id = ?", (target, source))
        carry_over(conn, source, target)
        conn.execute(
            """UPDATE articles SET
                   is_read = max(is_read, (SELECT is_read FROM articles WHERE id = :s)),
                   is_starred = max(is_starred, (SELECT is_starred FROM articles WHERE id = :s))
               WHERE id = :t""",
            {"s": source, "t": target},
        )
        conn.execute("DELETE FROM articles WHERE id = ?", (source,))
    moved = conn.execute(
        "UPDATE articles SET feed_id = ? WHERE feed_id = ?", (target_id, source_id)
    ).rowcount
    conn.execute(
        """UPDATE feeds SET folder = (SELECT folder FROM feeds WHERE id = :s)
           WHERE id = :t AND folder = ''""",
        {"s": source_id, "t": target_id},
    )
    carry_tombstones(conn, source_id, target_id)
    conn.execute("DELETE FROM feeds WHERE id = ?", (source_id,))
    return MergeResult(moved, sorted({target for _, target in joined}))


def set_folder(conn: sqlite3.Connection, feed_id: int, folder: str) -> None:
    """Put a feed in a folder ("" for none; nested folders joined with "/")."""
    conn.execute("UPDATE feeds SET folder = ? WHERE id = ?", (folder, feed_id))


def feed_ids_in_folder(conn: sqlite3.Connection, folder: str) -> list[int]:
    """The feeds in ``folder`` or a folder inside it, in one query."""
    rows = conn.execute(
        "SELECT id FROM feeds WHERE folder = ? OR substr(folder, 1, ?) = ? ORDER BY id",
        (folder, len(folder) + 1, folder + "/"),
    )
    return [row[0] for row in rows]


def set_full_text(conn: sqlite3.Connection, feed_id: int, mode: str) -> bool:
    """Set a feed's full-text mode ("auto", "always", "never", or "" to follow the
    config); False when there is no such feed. An unknown mode is refused by the schema."""
    cur = conn.execute("UPDATE feeds SET full_text = ? WHERE id = ?", (mode, feed_id))
    return cur.rowcount > 0
