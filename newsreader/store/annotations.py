"""Annotation and article-note rows.

Each row carries a snapshot of its article (url, title, feed, date, author) so it stays meaningful
when the article leaves the cache (``article_id`` then becomes NULL). Deleting an
annotation is soft (a ``deleted`` time) so it can be undone; lists skip deleted rows.
Claim status changes are kept, dated, in ``claim_status_history``.
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from collections.abc import Iterable, Sequence
from typing import Literal, NamedTuple

from newsreader.models import Annotation, NewAnnotation, Note, Snapshot
from newsreader.store.db import transaction

_SELECT = """
SELECT n.id, n.uid, n.article_id, n.kind, n.start, n.end, n.exact, n.prefix, n.suffix,
       n.orphaned, n.actor_id, a.name, n.speaker_id, s.name, n.status, n.note,
       n.article_url, n.article_title, n.feed_title, n.article_published,
       n.created, n.modified, n.deleted, n.article_author, n.feed_url, n.article_key,
       n.article_date_kind, n.event_date
FROM annotations n
LEFT JOIN actors a ON a.id = n.actor_id
LEFT JOIN actors s ON s.id = n.speaker_id
"""


_SNAPSHOT = (
    "SELECT a.id, a.url, a.title, f.title, a.published, a.author, f.url, a.key, a.date_kind"
    " FROM articles a JOIN feeds f ON f.id = a.feed_id"
)


def article_snapshot(conn: sqlite3.Connection, article_id: int) -> Snapshot | None:
    """The snapshot of an article as stored now, or None if there is no such article."""
    return article_snapshots(conn, [article_id]).get(article_id)


def article_snapshots(conn: sqlite3.Connection, ids: Iterable[int]) -> dict[int, Snapshot]:
    """Snapshots of the stored articles among ``ids``, by article id."""
    ordered = sorted(set(ids))
    found: dict[int, Snapshot] = {}
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for r in conn.execute(f"{_SNAPSHOT} WHERE a.id IN ({marks})", chunk):
            found[r[0]] = Snapshot(*r[1:])
    return found


def insert_annotation(
    conn: sqlite3.Connection,
    new: NewAnnotation,
    now: float | None = None,
    *,
    uid: str | None = None,
    created: float | None = None,
    history: Sequence[tuple[str, float]] = (),
    made_quote: str | None = None,
) -> int:
    """Store an annotation and a claim's status history; returns its id.

    ``uid``, ``created``, ``history`` and ``made_quote`` (the quote as first marked)
    restore one as it was (an import); by default it gets a new uid, is created ``now``,
    its quote as marked is its quote and a claim's history is its status, set when created.
    It is made on its article's current text: its revision count and the quote are kept
    (:func:`newsreader.store.revisions.edited_annotations`).
    """
    now = time.time() if now is None else now
    created = now if created is None else created
    if new.status is not None and not history:
        history = ((new.status, created),)
    snap = new.snapshot
    with transaction(conn):
        annotation_id = conn.execute(
            """INSERT INTO annotations (article_id, kind, start, end, exact, prefix, suffix,
                   orphaned, actor_id, speaker_id, status, note, article_url, article_title,
                   feed_title, article_published, article_author, feed_url, article_key,
                   article_date_kind, uid, created, modified, made_quote, event_date,
                   made_on_revision)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                   (SELECT count(*) FROM revisions WHERE article_id = ?))""",
            (
                new.article_id,
                new.kind,
                new.start,
                new.end,
                new.exact,
                new.prefix,
                new.suffix,
                int(new.orphaned),
                new.actor_id,
                new.speaker_id,
                new.status,
                new.note,
                snap.url,
                snap.title,
                snap.feed_title,
                snap.published,
                snap.author,
                snap.feed_url,
                snap.key,
                snap.date_kind,
                uid or uuid.uuid4().hex,
                created,
                now,
                new.exact if made_quote is None else made_quote,
                new.event_date,
                new.article_id,
            ),
        ).lastrowid
        assert annotation_id is not None
        set_about(conn, annotation_id, new.about_ids)
        conn.executemany(
            "INSERT INTO claim_status_history (annotation_id, status, changed) VALUES (?, ?, ?)",
            [(annotation_id, s, t) for s, t in history],
        )
    return annotation_id


def known_uids(
    conn: sqlite3.Connection, table: Literal["annotations", "notes"], uids: Iterable[str]
) -> set[str]:
    """Which of ``uids`` the table already holds (deleted annotations included)."""
    if table not in ("annotations", "notes"):
        raise ValueError(f"no uids in {table!r}")
    rows = conn.execute(
        f"SELECT uid FROM {table} WHERE uid IN (SELECT value FROM json_each(?))",
        (json.dumps(list(uids)),),
    )
    return {r[0] for r in rows}


def _about(conn: sqlite3.Connection, ids: Sequence[int]) -> dict[int, list[tuple[int, str]]]:
    found: dict[int, list[tuple[int, str]]] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            f"SELECT c.annotation_id, a.id, a.name FROM claim_about c JOIN actors a"
            f" ON a.id = c.actor_id WHERE c.annotation_id IN ({marks})"
            f" ORDER BY a.name COLLATE NOCASE, a.name, a.id",
            chunk,
        )
        for annotation_id, actor_id, name in rows:
            found.setdefault(annotation_id, []).append((actor_id, name))
    return found


def _rows_to_annotations(conn: sqlite3.Connection, rows: list[sqlite3.Row]) -> list[Annotation]:
    """Annotations from :data:`_SELECT` rows (by position: thousands on a long article)."""
    about = _about(conn, [r[0] for r in rows if r[3] == "claim"])
    return [
        Annotation(
            id=id_,
            uid=uid,
            article_id=article_id,
            kind=kind,
            start=start,
            end=end,
            exact=exact,
            prefix=prefix,
            suffix=suffix,
            orphaned=bool(orphaned),
            actor_id=actor_id,
            actor_name=actor_name,
            speaker_id=speaker_id,
            speaker_name=speaker_name,
            about=tuple(about.get(id_, ())),
            status=status,
            note=note,
            snapshot=Snapshot(url, title, feed_title, published, author, feed_url, key, date_kind),
            created=created,
            modified=modified,
            deleted=deleted,
            event_date=event_date,
        )
        for (
            id_,
            uid,
            article_id,
            kind,
            start,
            end,
            exact,
            prefix,
            suffix,
            orphaned,
            actor_id,
            actor_name,
            speaker_id,
            speaker_name,
            status,
            note,
            url,
            title,
            feed_title,
            published,
            created,
            modified,
            deleted,
            author,
            feed_url,
            key,
            date_kind,
            event_date,
        ) in rows
    ]


def get_annotation(conn: sqlite3.Connection, annotation_id: int) -> Annotation | None:
    """One annotation (even a deleted one), or None."""
    rows = conn.execute(_SELECT + " WHERE n.id = ?", (annotation_id,)).fetchall()
    found = _rows_to_annotations(conn, rows)
    return found[0] if found else None


def list_annotations(
    conn: sqlite3.Connection, article_id: int, within: tuple[int, int] | None = None
) -> list[Annotation]:
    """An article's annotations (not deleted), in text order.

    ``within=(start, end)`` keeps those overlapping that range of the text.
    """
    where, params = "n.article_id = ? AND n.deleted IS NULL", [article_id]
    if within is not None:
        where += " AND n.start < ? AND n.end > ?"
        params += [within[1], within[0]]
    rows = conn.execute(
        _SELECT + " WHERE " + where + " ORDER BY n.start, n.end, n.id", params
    ).fetchall()
    return _rows_to_annotations(conn, rows)


def list_claims(
    conn: sqlite3.Connection, actor_id: int | None = None, status: str | None = None
) -> list[Annotation]:
    """Claims (not deleted), newest article first; optionally by or about one actor."""
    where = ["n.kind = 'claim'", "n.deleted IS NULL"]
    params: list[object] = []
    if actor_id is not None:
        where.append(
            "(n.speaker_id = ? OR EXISTS (SELECT 1 FROM claim_about c"
            " WHERE c.annotation_id = n.id AND c.actor_id = ?))"
        )
        params += [actor_id, actor_id]
    if status is not None:
        where.append("n.status = ?")
        params.append(status)
    rows = conn.execute(
        _SELECT
        + " WHERE "
        + " AND ".join(where)
        + " ORDER BY coalesce(n.article_published, n.created) DESC, n.article_id, n.start, n.id",
        params,
    ).fetchall()
    return _rows_to_annotations(conn, rows)


def _scope(article_id: int | None, actor_id: int | None) -> tuple[str, tuple[int, ...]]:
    """The SQL condition on ``annotations n`` for :func:`annotations_in`, and its parameters."""
    if article_id is not None:
        return "n.article_id = ?", (article_id,)
    if actor_id is not None:
        return (
            "(n.actor_id = ? OR n.speaker_id = ? OR n.id IN"
            " (SELECT annotation_id FROM claim_about WHERE actor_id = ?))",
            (actor_id, actor_id, actor_id),
        )
    return "1", ()


def annotations_in(
    conn: sqlite3.Connection, *, article_id: int | None = None, actor_id: int | None = None
) -> list[Annotation]:
    """Annotations (not deleted) of one article, or naming one actor (tagged, speaker or
    about), or (both None) every one; in text order (orphans included)."""
    where, params = _scope(article_id, actor_id)
    rows = conn.execute(
        f"{_SELECT} WHERE n.deleted IS NULL AND {where} ORDER BY n.start, n.end, n.id", params
    ).fetchall()
    return _rows_to_annotations(conn, rows)


def status_histories(
    conn: sqlite3.Connection, *, article_id: int | None = None, actor_id: int | None = None
) -> dict[int, list[tuple[str, float]]]:
    """The status histories (oldest first) of the claims :func:`annotations_in` selects
    (deleted ones too), by annotation id."""
    where, params = _scope(article_id, actor_id)
    found: dict[int, list[tuple[str, float]]] = {}
    for annotation_id, status, changed in conn.execute(
        "SELECT annotation_id, status, changed FROM claim_status_history"
        f" WHERE annotation_id IN (SELECT n.id FROM annotations n WHERE {where})"
        " ORDER BY annotation_id, id",
        params,
    ):
        found.setdefault(annotation_id, []).append((status, changed))
    return found


def marked_quotes(
    conn: sqlite3.Connection, *, article_id: int | None = None, actor_id: int | None = None
) -> dict[int, str]:
    """The quote as first marked, by annotation id, of the annotations
    :func:`annotations_in` selects whose quote has changed since (re-anchored onto new
    wording): what an export keeps so an import loses nothing."""
    where, params = _scope(article_id, actor_id)
    rows = conn.execute(
        f"SELECT n.id, n.made_quote FROM annotations n WHERE n.deleted IS NULL AND {where}"
        " AND n.made_quote IS NOT NULL AND n.made_quote IS NOT n.exact",
        params,
    )
    return {int(r[0]): str(r[1]) for r in rows}


def set_about(conn: sqlite3.Connection, annotation_id: int, actor_ids: Iterable[int]) -> None:
    """Replace the actors a claim is about."""
    with transaction(conn):
        conn.execute("DELETE FROM claim_about WHERE annotation_id = ?", (annotation_id,))
        conn.executemany(
            "INSERT OR IGNORE INTO claim_about (annotation_id, actor_id) VALUES (?, ?)",
            [(annotation_id, a) for a in actor_ids],
        )


def update_fields(
    conn: sqlite3.Connection, annotation_id: int, now: float | None = None, **fields: object
) -> bool:
    """Set plain columns (note, speaker_id, actor_id) and the modified time."""
    allowed = {"note", "speaker_id", "actor_id"}
    if not fields or not set(fields) <= allowed:
        raise ValueError(f"only {sorted(allowed)} can be updated this way")
    assignments = ", ".join(f"{name} = ?" for name in fields)
    now = time.time() if now is None else now
    return (
        conn.execute(
            f"UPDATE annotations SET {assignments}, modified = ? WHERE id = ?",
            (*fields.values(), now, annotation_id),
        ).rowcount
        > 0
    )


def set_status(
    conn: sqlite3.Connection, annotation_id: int, status: str, now: float | None = None
) -> bool:
    """Change a claim's status and record the change, dated; False if unchanged."""
    now = time.time() if now is None else now
    with transaction(conn):
        row = conn.execute(
            "SELECT status FROM annotations WHERE id = ? AND kind = 'claim'", (annotation_id,)
        ).fetchone()
        if row is None or row[0] == status:
            return False
        conn.execute(
            "UPDATE annotations SET status = ?, modified = ? WHERE id = ?",
            (status, now, annotation_id),
        )
        conn.execute(
            "INSERT INTO claim_status_history (annotation_id, status, changed) VALUES (?, ?, ?)",
            (annotation_id, status, now),
        )
    return True


def status_history(conn: sqlite3.Connection, annotation_id: int) -> list[tuple[str, float]]:
    """A claim's statuses, oldest first, with the time each was set."""
    rows = conn.execute(
        "SELECT status, changed FROM claim_status_history WHERE annotation_id = ? ORDER BY id",
        (annotation_id,),
    )
    return [(r[0], r[1]) for r in rows]


def set_deleted(conn: sqlite3.Connection, annotation_id: int, deleted: float | None) -> bool:
    """Soft-delete (a time) or restore (None) an annotation; True if it changed."""
    if deleted is None:
        sql = "UPDATE annotations SET deleted = NULL WHERE id = ? AND deleted IS NOT NULL"
        return conn.execute(sql, (annotation_id,)).rowcount > 0
    sql = "UPDATE annotations SET deleted = ? WHERE id = ? AND deleted IS NULL"
    return conn.execute(sql, (deleted, annotation_id)).rowcount > 0


def anchors_of(conn: sqlite3.Connection, article_id: int) -> list[sqlite3.Row]:
    """Position and quote of every annotation of an article, deleted ones included."""
    return conn.execute(
        "SELECT id, start, end, exact, prefix, suffix, orphaned FROM annotations"
        " WHERE article_id = ? ORDER BY start, id",
        (article_id,),
    ).fetchall()


def save_anchors(
    conn: sqlite3.Connection,
    placed: Sequence[tuple[int, int, int, str, str, str]],
    orphaned: Sequence[int],
    *,
    article_id: int | None = None,
) -> None:
    """Store new positions ``(id, start, end, exact, prefix, suffix)`` and mark orphans.

    ``article_id`` also attaches them to that article (they were waiting for it): they
    count as made on its current text.
    """
    attach = (
        ""
        if article_id is None
        else "article_id = ?, made_on_revision = (SELECT count(*) FROM revisions"
        " WHERE article_id = ?), "
    )
    first: tuple[int, ...] = () if article_id is None else (article_id, article_id)
    with transaction(conn):
        conn.executemany(
            f"UPDATE annotations SET {attach}start = ?, end = ?, exact = ?,"
            " prefix = ?, suffix = ?, orphaned = 0 WHERE id = ?",
            [(*first, s, e, x, p, f, i) for i, s, e, x, p, f in placed],
        )
        conn.executemany(
            f"UPDATE annotations SET {attach}orphaned = 1 WHERE id = ?",
            [(*first, i) for i in orphaned],
        )


# --- annotations and notes waiting for their article ------------------------------------


class Target(NamedTuple):
    """A stored article that waiting annotations and notes may belong to: by its url, or
    (the article may have none) by its feed's url and its key in that feed."""

    article_id: int
    url: str
    feed_url: str
    key: str


_WAITS = "article_id IS NULL AND (article_url != '' OR article_key != '')"
_WAITING_URLS = (
    f"SELECT article_url FROM annotations WHERE {_WAITS} AND article_url != ''"
    f" UNION SELECT article_url FROM notes WHERE {_WAITS} AND article_url != ''"
)
_WAITING_KEYS = (
    f"SELECT feed_url, article_key FROM annotations WHERE {_WAITS}"
    " AND article_key != ''"
    f" UNION SELECT feed_url, article_key FROM notes WHERE {_WAITS}"
    " AND article_key != ''"
)
_TARGETS = "SELECT a.id, a.url, f.url, a.key FROM articles a JOIN feeds f ON f.id = a.feed_id"
_BELONGS = (
    "article_id IS NULL AND ((article_url != '' AND article_url = ?)"
    " OR (article_key != '' AND feed_url = ? AND article_key = ?))"
)
"""A waiting row that belongs to a :class:`Target` (parameters: url, feed url, key)."""


def any_waiting(conn: sqlite3.Connection) -> bool:
    """Whether an annotation or note waits for its article (one indexed query)."""
    return bool(
        conn.execute(
            f"SELECT EXISTS (SELECT 1 FROM annotations WHERE {_WAITS})"
            f" OR EXISTS (SELECT 1 FROM notes WHERE {_WAITS})"
        ).fetchone()[0]
    )


def waiting_targets(
    conn: sqlite3.Connection, article_ids: Iterable[int] | None = None
) -> list[Target]:
    """The stored articles (lowest id first) that annotations and notes waiting may
    belong to; among ``article_ids`` only, when given."""
    if article_ids is None:
        rows = conn.execute(
            f"{_TARGETS} WHERE a.url IN ({_WAITING_URLS})"
            f" OR (f.url, a.key) IN ({_WAITING_KEYS}) ORDER BY a.id"
        )
    else:
        rows = conn.execute(
            f"{_TARGETS} WHERE a.id IN (SELECT value FROM json_each(?)) ORDER BY a.id",
            (json.dumps(sorted(set(article_ids))),),
        )
    return [Target(*r) for r in rows]


def waiting_anchors(conn: sqlite3.Connection, target: Target) -> list[sqlite3.Row]:
    """Position and quote (as :func:`anchors_of`) of the annotations waiting for ``target``."""
    return conn.execute(
        "SELECT id, start, end, exact, prefix, suffix, orphaned FROM annotations"
        f" WHERE {_BELONGS} ORDER BY start, id",
        (target.url, target.feed_url, target.key),
    ).fetchall()


def attach_notes(conn: sqlite3.Connection, target: Target) -> int:
    """Give the notes waiting for ``target`` that article; returns how many."""
    return conn.execute(
        f"UPDATE notes SET article_id = ? WHERE {_BELONGS}",
        (target.article_id, target.url, target.feed_url, target.key),
    ).rowcount


# --- article notes ----------------------------------------------------------------------


def _note(row: sqlite3.Row) -> Note:
    return Note(
        row["id"],
        row["uid"],
        row["article_id"],
        row["body"],
        Snapshot(
            row["article_url"],
            row["article_title"],
            row["feed_title"],
            row["article_published"],
            row["article_author"],
            row["feed_url"],
            row["article_key"],
            row["article_date_kind"],
        ),
        row["created"],
        row["modified"],
    )


def insert_note(
    conn: sqlite3.Connection,
    article_id: int | None,
    body: str,
    snapshot: Snapshot,
    *,
    uid: str | None = None,
    created: float | None = None,
    now: float | None = None,
) -> int:
    """Store an article note; ``uid``/``created`` restore a deleted one as it was."""
    now = time.time() if now is None else now
    note_id = conn.execute(
        """INSERT INTO notes (article_id, body, article_url, article_title, feed_title,
               article_published, article_author, feed_url, article_key, article_date_kind,
               uid, created, modified)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            article_id,
            body,
            snapshot.url,
            snapshot.title,
            snapshot.feed_title,
            snapshot.published,
            snapshot.author,
            snapshot.feed_url,
            snapshot.key,
            snapshot.date_kind,
            uid or uuid.uuid4().hex,
            created if created is not None else now,
            now,
        ),
    ).lastrowid
    assert note_id is not None
    return note_id


def get_note(conn: sqlite3.Connection, note_id: int) -> Note | None:
    """One article note, or None."""
    row = conn.execute("SELECT * FROM notes WHERE id = ?", (note_id,)).fetchone()
    return None if row is None else _note(row)


def list_notes(conn: sqlite3.Connection, article_id: int) -> list[Note]:
    """An article's notes, oldest first."""
    rows = conn.execute(
        "SELECT * FROM notes WHERE article_id = ? ORDER BY created, id", (article_id,)
    )
    return [_note(r) for r in rows]


def all_notes(conn: sqlite3.Connection) -> list[Note]:
    """Every article note (those waiting for their article too), oldest first."""
    return [_note(r) for r in conn.execute("SELECT * FROM notes ORDER BY created, id")]


def update_note(
    conn: sqlite3.Connection, note_id: int, body: str, now: float | None = None
) -> bool:
    """Replace a note's body; False if there is no such note."""
    now = time.time() if now is None else now
    return (
        conn.execute(
            "UPDATE notes SET body = ?, modified = ? WHERE id = ?", (body, now, note_id)
        ).rowcount
        > 0
    )


def delete_note(conn: sqlite3.Connection, note_id: int) -> bool:
    """Remove a note for good (the caller keeps the Note to undo); True if it existed."""
    return conn.execute("DELETE FROM notes WHERE id = ?", (note_id,)).rowcount > 0
