"""Enclosure rows: an article's podcasts and videos (migration 13's ``enclosures`` table).

They are written with the article, in the transaction of
:func:`newsreader.store.articles.upsert_entries`: an inserted article gets its entry's
enclosures, an updated one has its rows replaced (the feed may have dropped or changed
them). Articles without enclosures cost nothing here, which keeps a refresh's hot path as
it was. Rows go when their article does (ON DELETE CASCADE).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from newsreader.models import Enclosure

Stored = tuple[int, Sequence[Enclosure]]
"""An article's id and the enclosures it now has."""


def store_enclosures(
    conn: sqlite3.Connection, stored: Iterable[Stored], replaced: Sequence[int] = ()
) -> None:
    """Write each article's enclosures; first drop every row of the ``replaced`` articles.

    Call it inside the caller's transaction (it opens none).
    """
    if replaced:
        conn.executemany(
            "DELETE FROM enclosures WHERE article_id = ?",
            [(article_id,) for article_id in replaced],
        )
    rows = [
        (article_id, position, enclosure.url, enclosure.type, enclosure.length)
        for article_id, enclosures in stored
        for position, enclosure in enumerate(enclosures)
    ]
    if rows:
        conn.executemany(
            "INSERT OR REPLACE INTO enclosures (article_id, position, url, type, length)"
            " VALUES (?, ?, ?, ?, ?)",
            rows,
        )


def enclosures_of(conn: sqlite3.Connection, article_id: int) -> tuple[Enclosure, ...]:
    """The article's enclosures in the feed's order (empty when it has none)."""
    return tuple(
        Enclosure(url, kind, length)
        for url, kind, length in conn.execute(
            "SELECT url, type, length FROM enclosures WHERE article_id = ? ORDER BY position",
            (article_id,),
        )
    )
