"""Rows of a claim's record beyond its quote: links to other claims, evidence, event date.

A link (``claim_links``) reads "source <relation> target". Links and evidence belong to
annotation ids; a link one of whose claims is (soft) deleted is hidden, and shows again
when the delete is undone. Validation is the domain's
(:mod:`newsreader.annotations.claimlinks`); these functions only read and write.
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from collections.abc import Iterable

from newsreader.models import ClaimEnd, ClaimLink, Evidence

_LINKS = """
SELECT l.id, l.uid, l.relation, l.created,
       s.id, s.uid, s.article_id, s.exact, s.article_title, s.article_url, s.feed_title,
       t.id, t.uid, t.article_id, t.exact, t.article_title, t.article_url, t.feed_title
FROM claim_links l
JOIN annotations s ON s.id = l.source_id AND s.deleted IS NULL
JOIN annotations t ON t.id = l.target_id AND t.deleted IS NULL
"""


def _link(row: sqlite3.Row) -> ClaimLink:
    return ClaimLink(
        row[0], row[1], row[2], ClaimEnd(*row[4:11]), ClaimEnd(*row[11:18]), created=row[3]
    )


def _ids(values: Iterable[int]) -> str:
    return json.dumps(sorted(set(values)))


def add_link(
    conn: sqlite3.Connection,
    source_id: int,
    relation: str,
    target_id: int,
    *,
    uid: str | None = None,
    created: float | None = None,
) -> int | None:
    """Store "source <relation> target"; its id, or None when that link already exists."""
    cursor = conn.execute(
        "INSERT OR IGNORE INTO claim_links (uid, source_id, relation, target_id, created)"
        " VALUES (?, ?, ?, ?, ?)",
        (
            uid or uuid.uuid4().hex,
            source_id,
            relation,
            target_id,
            time.time() if created is None else created,
        ),
    )
    return cursor.lastrowid if cursor.rowcount else None


def get_link(conn: sqlite3.Connection, link_id: int) -> ClaimLink | None:
    """One link (both claims not deleted), or None."""
    row = conn.execute(_LINKS + " WHERE l.id = ?", (link_id,)).fetchone()
    return None if row is None else _link(row)


def find_link(
    conn: sqlite3.Connection, source_id: int, relation: str, target_id: int
) -> int | None:
    """The id of the link "source <relation> target", or None."""
    row = conn.execute(
        "SELECT id FROM claim_links WHERE source_id = ? AND relation = ? AND target_id = ?",
        (source_id, relation, target_id),
    ).fetchone()
    return None if row is None else int(row[0])


def remove_link(conn: sqlite3.Connection, link_id: int) -> bool:
    """Remove a link for good; True if it existed."""
    return conn.execute("DELETE FROM claim_links WHERE id = ?", (link_id,)).rowcount > 0


def links_of(conn: sqlite3.Connection, claim_ids: Iterable[int]) -> dict[int, list[ClaimLink]]:
    """The visible links from or to each of ``claim_ids``, oldest first, by claim id."""
    wanted = _ids(claim_ids)
    rows = conn.execute(
        _LINKS + " WHERE l.source_id IN (SELECT value FROM json_each(?))"
        " OR l.target_id IN (SELECT value FROM json_each(?)) ORDER BY l.created, l.id",
        (wanted, wanted),
    ).fetchall()
    found: dict[int, list[ClaimLink]] = {}
    chosen = set(json.loads(wanted))
    for link in map(_link, rows):
        for end in {link.source.id, link.target.id} & chosen:
            found.setdefault(end, []).append(link)
    return found


def ids_of_uids(conn: sqlite3.Connection, uids: Iterable[str]) -> dict[str, int]:
    """Annotation id by uid, for those of ``uids`` the store holds and has not deleted."""
    rows = conn.execute(
        "SELECT uid, id FROM annotations WHERE deleted IS NULL"
        " AND uid IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(set(uids))),),
    )
    return {str(r[0]): int(r[1]) for r in rows}


def link_uids(conn: sqlite3.Connection, uids: Iterable[str]) -> set[str]:
    """Which of the link ``uids`` the store already holds."""
    rows = conn.execute(
        "SELECT uid FROM claim_links WHERE uid IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(set(uids))),),
    )
    return {str(r[0]) for r in rows}


# --- evidence ----------------------------------------------------------------------------


def add_evidence(
    conn: sqlite3.Connection, annotation_id: int, url: str, title: str, added: float
) -> int:
    """Add a source to a claim (last in its list); returns its id."""
    row_id = conn.execute(
        "INSERT INTO claim_evidence (annotation_id, url, title, added) VALUES (?, ?, ?, ?)",
        (annotation_id, url, title, added),
    ).lastrowid
    assert row_id is not None
    return row_id


def remove_evidence(conn: sqlite3.Connection, evidence_id: int) -> bool:
    """Remove one source; True if it existed."""
    return conn.execute("DELETE FROM claim_evidence WHERE id = ?", (evidence_id,)).rowcount > 0


def evidence_of(conn: sqlite3.Connection, claim_ids: Iterable[int]) -> dict[int, list[Evidence]]:
    """Each claim's sources in the order added, by claim id (claims with none left out)."""
    rows = conn.execute(
        "SELECT id, annotation_id, url, title, added FROM claim_evidence"
        " WHERE annotation_id IN (SELECT value FROM json_each(?)) ORDER BY annotation_id, id",
        (_ids(claim_ids),),
    )
    found: dict[int, list[Evidence]] = {}
    for row in rows:
        found.setdefault(int(row[1]), []).append(Evidence(*row))
    return found


# --- event date --------------------------------------------------------------------------


def set_event_date(
    conn: sqlite3.Connection, annotation_id: int, day: str | None, now: float | None = None
) -> bool:
    """Set (an ISO date) or clear (None) a claim's event date; True if it changed."""
    return (
        conn.execute(
            "UPDATE annotations SET event_date = ?, modified = ? WHERE id = ?"
            " AND event_date IS NOT ?",
            (day, time.time() if now is None else now, annotation_id, day),
        ).rowcount
        > 0
    )


def touch(conn: sqlite3.Connection, annotation_id: int, now: float | None = None) -> None:
    """Mark a claim changed now (its evidence changed)."""
    conn.execute(
        "UPDATE annotations SET modified = ? WHERE id = ?",
        (time.time() if now is None else now, annotation_id),
    )
