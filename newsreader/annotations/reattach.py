"""Give annotations and notes that wait for their article (``article_id`` NULL) their
article back when it is stored.

They wait after an import into a store that does not have their article yet, or after
their article left the cache. Each kept its article's url in its snapshot; an article
stored at that url takes them back, and annotations are re-anchored on its text (placed
where their quote is, orphaned if it is not there, never dropped). Call
:func:`reattach_orphans` after storing articles (a refresh); when nothing waits it costs
one indexed query.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from newsreader.annotations.anchoring import Anchor, make_selector, reanchor_all
from newsreader.store.db import transaction

_WAITING = ("SELECT article_url FROM annotations WHERE article_id IS NULL AND article_url != ''"
            " UNION SELECT article_url FROM notes WHERE article_id IS NULL AND article_url != ''")


def _candidates(conn: sqlite3.Connection, article_ids: Iterable[int] | None) -> dict[str, int]:
    """Url -> the (lowest-id) article that waiting rows can attach to."""
    if article_ids is None:
        rows = conn.execute(f"SELECT id, url FROM articles WHERE url IN ({_WAITING})"
                            " ORDER BY id")
    else:
        rows = conn.execute("SELECT id, url FROM articles WHERE url != '' AND id IN"
                            " (SELECT value FROM json_each(?)) ORDER BY id",
                            (json.dumps(sorted(set(article_ids))),))
    found: dict[str, int] = {}
    for article_id, url in rows:
        found.setdefault(url, article_id)
    return found


def _attach(conn: sqlite3.Connection, article_id: int, url: str) -> int:
    """Attach the rows waiting for ``url`` to the article; returns how many."""
    rows = conn.execute("SELECT id, start, end, exact, prefix, suffix FROM annotations"
                        " WHERE article_id IS NULL AND article_url = ? ORDER BY start, id",
                        (url,)).fetchall()
    attached = 0
    if rows:
        text = conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()[0]
        anchors = [Anchor(r[1], r[2], r[3], r[4], r[5]) for r in rows]
        for row, placed in zip(rows, reanchor_all(anchors, text), strict=True):
            if placed is None:
                conn.execute("UPDATE annotations SET article_id = ?, orphaned = 1 WHERE id = ?",
                             (article_id, row[0]))
            else:
                quote = make_selector(text, placed.start, placed.end)
                conn.execute("UPDATE annotations SET article_id = ?, start = ?, end = ?,"
                             " exact = ?, prefix = ?, suffix = ?, orphaned = 0 WHERE id = ?",
                             (article_id, placed.start, placed.end, *quote, row[0]))
        attached = len(rows)
    return attached + conn.execute(
        "UPDATE notes SET article_id = ? WHERE article_id IS NULL AND article_url = ?",
        (article_id, url)).rowcount


def reattach_orphans(conn: sqlite3.Connection,
                     article_ids: Iterable[int] | None = None) -> int:
    """Attach waiting annotations and notes to the stored articles with their url.

    Args:
        article_ids: the articles just stored (None: look at every stored article).

    Returns:
        How many annotations and notes were attached.
    """
    if conn.execute(f"SELECT EXISTS ({_WAITING})").fetchone()[0] == 0:
        return 0
    attached = 0
    with transaction(conn):
        for url, article_id in sorted(_candidates(conn, article_ids).items()):
            attached += _attach(conn, article_id, url)
    return attached
