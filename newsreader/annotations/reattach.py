"""Give annotations and notes that wait for their article (``article_id`` NULL) their
article back when it is stored.

They wait after an import into a store that does not have their article yet, or after
their article left the cache. Each kept its article's url, feed url and key in its
snapshot; an article stored at that url, or (an article may have no url) with that key in
that feed, takes them back, and annotations are re-anchored on its text (placed
where their quote is, orphaned if it is not there, never dropped). Call
:func:`reattach_orphans` after storing articles (a refresh); when nothing waits it costs
one indexed query.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from newsreader.annotations.anchoring import Anchor, make_selector, reanchor_all
from newsreader.store import annotations as store
from newsreader.store.articles import article_text
from newsreader.store.db import transaction


def _attach(conn: sqlite3.Connection, target: store.Target) -> int:
    """Attach the rows waiting for ``target`` to its article; returns how many."""
    article_id = target.article_id
    rows = store.waiting_anchors(conn, target)
    if rows:
        text = article_text(conn, article_id) or ""
        anchors = [Anchor(r["start"], r["end"], r["exact"], r["prefix"], r["suffix"]) for r in rows]
        placed: list[tuple[int, int, int, str, str, str]] = []
        orphans: list[int] = []
        for row, where in zip(rows, reanchor_all(anchors, text), strict=True):
            if where is None:
                orphans.append(row["id"])
            else:
                placed.append(
                    (
                        row["id"],
                        where.start,
                        where.end,
                        *make_selector(text, where.start, where.end),
                    )
                )
        store.save_anchors(conn, placed, orphans, article_id=article_id)
    return len(rows) + store.attach_notes(conn, target)


def reattach_orphans(conn: sqlite3.Connection, article_ids: Iterable[int] | None = None) -> int:
    """Attach waiting annotations and notes to the stored articles they belong to.

    Args:
        article_ids: the articles just stored (None: look at every stored article).

    Returns:
        How many annotations and notes were attached.
    """
    if not store.any_waiting(conn):
        return 0
    attached = 0
    with transaction(conn):
        for target in store.waiting_targets(conn, article_ids):
            attached += _attach(conn, target)
    return attached
