"""Revisions: the earlier texts of an article, kept when its canonical text changes.

A feed update or a page (full text) that changes an article's text keeps the text it had
as a revision, zlib-compressed, with when it was replaced and where it came from ('feed'
or 'page'). Revisions are numbered 1..n, oldest first; the current text stays in
``articles.text`` and counts as revision n + 1. Only changed articles cost anything: a
refresh that changes no text runs no statement here.

"Edited after you marked it": an annotation records the revision count of its article
when it was made and its quote as made (migration 15); it is edited when its article
has revisions newer than that and the newest text no longer holds that quote at the
annotation's place (or the annotation is orphaned).
"""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Iterable
from typing import Literal, NamedTuple

Source = Literal["feed", "page"]

LEVEL = 6
"""zlib level: texts are small and revisions rare; the default balance is right."""


class Revision(NamedTuple):
    """One version of an article's text (the current one has ``number`` n + 1)."""

    number: int
    saved: float
    """When it was replaced (for the current text: when the article was last fetched)."""
    source: str
    size: int
    """Its length in characters."""
    current: bool = False


def save_revisions(
    conn: sqlite3.Connection, old_texts: Iterable[tuple[int, str]], source: Source, now: float
) -> int:
    """Keep each ``(article_id, text)`` as the article's next revision; in the caller's
    transaction, before the text is replaced. Returns how many were kept."""
    rows = [
        (article_id, now, source, zlib.compress(text.encode(), LEVEL), article_id)
        for article_id, text in old_texts
    ]
    if rows:
        conn.executemany(
            "INSERT INTO revisions (article_id, number, saved, source, text)"
            " SELECT ?, coalesce(max(number), 0) + 1, ?, ?, ? FROM revisions"
            " WHERE article_id = ?",
            rows,
        )
    return len(rows)


def revisions_of(conn: sqlite3.Connection, article_id: int) -> list[Revision]:
    """An article's revisions, oldest first, the current text last (empty: no article)."""
    current = conn.execute(
        "SELECT fetched, text_source, length(text) FROM articles WHERE id = ?", (article_id,)
    ).fetchone()
    if current is None:
        return []
    found = [
        Revision(number, saved, source, len(zlib.decompress(text).decode()))
        for number, saved, source, text in conn.execute(
            "SELECT number, saved, source, text FROM revisions WHERE article_id = ?"
            " ORDER BY number",
            (article_id,),
        )
    ]
    found.append(Revision(len(found) + 1, current[0], current[1], current[2], current=True))
    return found


def revision_count(conn: sqlite3.Connection, article_id: int) -> int:
    """How many earlier texts an article has (0: its text never changed)."""
    row = conn.execute(
        "SELECT count(*) FROM revisions WHERE article_id = ?", (article_id,)
    ).fetchone()
    return int(row[0])


def revision_text(conn: sqlite3.Connection, article_id: int, number: int) -> str:
    """The text of revision ``number`` (n + 1 or 0: the current text).

    Raises:
        LookupError: no such article or revision.
    """
    row = conn.execute(
        "SELECT text FROM revisions WHERE article_id = ? AND number = ?", (article_id, number)
    ).fetchone()
    if row is not None:
        return zlib.decompress(row[0]).decode()
    if number == 0 or number == revision_count(conn, article_id) + 1:
        current = conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
        if current is not None:
            return str(current[0])
    raise LookupError(f"article {article_id} has no revision {number}")


_EDITED = """
SELECT n.id, coalesce(n.made_quote, n.exact) FROM annotations n
JOIN articles a ON a.id = n.article_id
WHERE n.deleted IS NULL {scope}
  AND EXISTS (SELECT 1 FROM revisions r
              WHERE r.article_id = n.article_id AND r.number > n.made_on_revision)
  AND (n.orphaned OR substr(a.text, n.start + 1, n.end - n.start)
                     IS NOT coalesce(n.made_quote, n.exact))
"""


def edited_annotations(conn: sqlite3.Connection, article_id: int | None = None) -> dict[int, str]:
    """The annotations edited after they were made (of one article, or all): their ids
    and their quotes as made."""
    if article_id is None:
        rows = conn.execute(_EDITED.format(scope=""))
    else:
        rows = conn.execute(_EDITED.format(scope="AND n.article_id = ?"), (article_id,))
    return {r[0]: r[1] for r in rows}


EDITED_ARTICLE_SQL = (
    "EXISTS (SELECT 1 FROM annotations n WHERE n.article_id = a.id AND n.deleted IS NULL"
    " AND EXISTS (SELECT 1 FROM revisions r WHERE r.article_id = a.id"
    " AND r.number > n.made_on_revision)"
    " AND (n.orphaned OR substr(a.text, n.start + 1, n.end - n.start)"
    " IS NOT coalesce(n.made_quote, n.exact)))"
)
"""The condition on ``articles a``: it has an annotation edited after it was made."""

REVISED_SQL = "a.id IN (SELECT article_id FROM revisions)"
"""The condition on ``articles a``: its text changed since it was stored (``is:revised``)."""

CHANGED_SQL = f"({REVISED_SQL} AND {EDITED_ARTICLE_SQL})"
"""The same, looked up from the (few) articles that have revisions: the virtual feed
"Changed" and ``is:changed`` never walk every article."""


def changed_count(conn: sqlite3.Connection) -> int:
    """How many articles have an annotation edited after it was made."""
    return int(conn.execute(f"SELECT count(*) FROM articles a WHERE {CHANGED_SQL}").fetchone()[0])
