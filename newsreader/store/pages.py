"""Article pages (full text): the page as fetched (the snapshot, compressed) and the text
extracted from it, which replaces the feed's teaser as the article's text.

The feed's own text moves to ``articles.summary`` the first time a page's text replaces
it, so nothing the feed said is lost; a later feed update of the entry only updates the
summary (see :func:`newsreader.store.articles.upsert_entries`).
"""

from __future__ import annotations

import json
import sqlite3
import time
import zlib
from dataclasses import dataclass

from newsreader.models import PageExtraction, PageSnapshot
from newsreader.store.db import transaction
from newsreader.store.revisions import Source, save_revisions

MAX_ERROR = 300
"""Longest page error kept (one line)."""
SNAPSHOT_LEVEL = 3
"""zlib level of the snapshots: on 130 real pages 1.7 ms a page for 5.4x smaller (level 6:
3.5 ms for 6.1x) -- written by the one writer thread while pages arrive."""


@dataclass(frozen=True, slots=True)
class PageWanted:
    """An article whose page may be fetched: what the fetcher and the teaser test need."""

    article_id: int
    url: str
    feed_id: int
    feed_url: str
    title: str
    text: str
    """The article's feed text (its summary when the text is already the page's)."""
    html: str
    mode: str
    """The feed's full-text mode ("" = follow the config)."""
    text_source: str
    page_fetched: float | None


def save_page(
    conn: sqlite3.Connection,
    article_id: int,
    page: PageSnapshot,
    extraction: PageExtraction | None,
    error: str = "",
) -> bool:
    """Keep the fetched page as the article's snapshot and, when an article was extracted
    from it, make that the article's text (the feed's text kept as ``summary``); the page's
    metadata fills the author and date the feed left empty. One transaction.

    Without an extraction the snapshot is still kept and ``error`` says why the text is
    the feed's. Returns whether the article's text changed (annotations re-anchor then);
    the text it replaced is kept as a revision.
    """
    with transaction(conn):
        before = conn.execute(
            "SELECT text, text_source FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        if before is None:
            return False
        _keep_snapshot(conn, article_id, page)
        if extraction is None or not extraction.text.strip():
            _mark_fetched(conn, article_id, page.fetched, error)
            return False
        if before[0] != extraction.text:  # the text it replaces becomes a revision
            source: Source = "page" if before[1] == "page" else "feed"
            save_revisions(conn, [(article_id, before[0])], source, page.fetched)
        conn.execute(
            """UPDATE articles SET
                   summary = CASE WHEN text_source = 'feed' THEN text ELSE summary END,
                   text_source = 'page', html = ?, text = ?, links = ?,
                   author = CASE WHEN author = '' THEN ? ELSE author END,
                   date_kind = CASE WHEN published IS NULL AND ? IS NOT NULL
                       THEN 'published' ELSE date_kind END,
                   published = coalesce(published, ?),
                   page_fetched = ?, page_error = '' WHERE id = ?""",
            (
                extraction.html,
                extraction.text,
                json.dumps(list(extraction.links)),
                extraction.author,
                extraction.published,
                extraction.published,
                page.fetched,
                article_id,
            ),
        )
        return bool(before[0] != extraction.text)


def _keep_snapshot(conn: sqlite3.Connection, article_id: int, page: PageSnapshot) -> None:
    conn.execute(
        """INSERT OR REPLACE INTO pages (article_id, url, final_url, status, content_type,
               fetched, size, body, site_name, canonical_url, language)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            article_id,
            page.url,
            page.final_url,
            page.status,
            page.content_type,
            page.fetched,
            len(page.body),
            zlib.compress(page.body, SNAPSHOT_LEVEL),
            page.site_name,
            page.canonical_url,
            page.language,
        ),
    )


def _mark_fetched(conn: sqlite3.Connection, article_id: int, when: float, error: str) -> None:
    conn.execute(
        "UPDATE articles SET page_fetched = ?, page_error = ? WHERE id = ?",
        (when, error[:MAX_ERROR], article_id),
    )


def record_page_error(
    conn: sqlite3.Connection, article_id: int, error: str, now: float | None = None
) -> None:
    """A page fetch or extraction failed: the article keeps its text, and says why."""
    with transaction(conn):
        _mark_fetched(conn, article_id, time.time() if now is None else now, error)


def get_page(conn: sqlite3.Connection, article_id: int) -> PageSnapshot | None:
    """The article's snapshot (the page as it was fetched, decompressed), or None."""
    row = conn.execute(
        """SELECT article_id, url, final_url, status, content_type, fetched, body,
                  site_name, canonical_url, language FROM pages WHERE article_id = ?""",
        (article_id,),
    ).fetchone()
    if row is None:
        return None
    return PageSnapshot(
        article_id=row[0],
        url=row[1],
        final_url=row[2],
        status=row[3],
        content_type=row[4],
        fetched=row[5],
        body=zlib.decompress(row[6]),
        site_name=row[7],
        canonical_url=row[8],
        language=row[9],
    )


def page_fetched(conn: sqlite3.Connection, article_id: int) -> tuple[float, str] | None:
    """(when, final url) of the article's snapshot, without its body; None if it has none."""
    row = conn.execute(
        "SELECT fetched, final_url FROM pages WHERE article_id = ?", (article_id,)
    ).fetchone()
    return None if row is None else (float(row[0]), str(row[1]))


_WANTED_SQL = """SELECT a.id, a.url, a.feed_id, f.url, a.title,
           CASE WHEN a.text_source = 'page' THEN a.summary ELSE a.text END,
           CASE WHEN a.text_source = 'page' THEN '' ELSE a.html END,
           f.full_text, a.text_source, a.page_fetched
    FROM articles a JOIN feeds f ON f.id = a.feed_id"""


def pages_wanted(
    conn: sqlite3.Connection,
    article_ids: list[int] | None = None,
    *,
    feed_id: int | None = None,
    missing: bool = False,
) -> list[PageWanted]:
    """Articles whose page may be fetched, by id: these ids, or a feed's articles, or all;
    ``missing``: only those whose text is not yet the page's. Articles without a http(s)
    link are left out."""
    clauses = ["(a.url LIKE 'http://%' OR a.url LIKE 'https://%')"]
    params: list[object] = []
    if article_ids is not None:
        clauses.append("a.id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(article_ids))
    if feed_id is not None:
        clauses.append("a.feed_id = ?")
        params.append(feed_id)
    if missing:
        clauses.append("a.text_source = 'feed'")
    sql = f"{_WANTED_SQL} WHERE {' AND '.join(clauses)} ORDER BY a.id"
    return [PageWanted(*row) for row in conn.execute(sql, params)]


def site_texts(conn: sqlite3.Connection, feed_id: int, limit: int = 12) -> list[str]:
    """The texts of a feed's latest articles taken from their pages: what a site's
    boilerplate is learnt from (lines repeated across them)."""
    rows = conn.execute(
        """SELECT text FROM articles WHERE feed_id = ? AND text_source = 'page'
           ORDER BY page_fetched DESC LIMIT ?""",
        (feed_id, limit),
    )
    return [row[0] for row in rows]


def page_sources(conn: sqlite3.Connection, article_ids: list[int]) -> dict[int, tuple[float, str]]:
    """(when fetched, final url) of the snapshots of these articles, for exports."""
    rows = conn.execute(
        "SELECT article_id, fetched, final_url FROM pages"
        " WHERE article_id IN (SELECT value FROM json_each(?))",
        (json.dumps(article_ids),),
    )
    return {row[0]: (float(row[1]), str(row[2])) for row in rows}
