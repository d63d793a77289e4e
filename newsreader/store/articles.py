"""Article rows: upsert from parsed entries, list and filter, read/star flags."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import cast

from newsreader.models import Article, ParsedEntry
from newsreader.store.db import transaction
from newsreader.store.duplicates import also_in, annotated_copies, copies_of
from newsreader.store.enclosures import Stored, store_enclosures
from newsreader.store.revisions import save_revisions
from newsreader.store.search import (
    ANNOTATED_SQL,
    LABEL_SQL,
    LATER_SQL,
    NOT_HIDDEN_SQL,
    compile_query,
)

_LIST_COLUMNS = (
    "a.id, a.feed_id, f.title AS feed_title, a.key, a.guid, a.url, a.title, a.author,"
    " a.published, a.updated, a.date_kind, a.is_read, a.is_starred, a.text_source,"
    " a.page_fetched, a.page_error"
)


_TRIAGE_COLUMNS = (
    "(SELECT json_group_array(name) FROM (SELECT l.name FROM article_labels al"
    " JOIN labels l ON l.id = al.label_id WHERE al.article_id = a.id"
    " ORDER BY l.name COLLATE NOCASE)) AS labels,"
    " EXISTS (SELECT 1 FROM later q WHERE q.article_id = a.id) AS in_later"
)
"""An article's labels (a JSON list) and whether it is in the Later queue."""

_Row = tuple[object, ...]
"""The SQL parameters of one article row."""


@dataclass(frozen=True, slots=True)
class UpsertResult:
    """What storing a feed's entries did."""

    new: int
    updated: int
    changed_ids: tuple[int, ...] = ()
    """Articles whose canonical text changed (their annotations need re-anchoring)."""
    new_ids: tuple[int, ...] = ()
    """The articles inserted (orphaned annotations waiting for their URL may attach)."""


def content_hash(entry: ParsedEntry) -> str:
    """A digest of everything shown about an entry; equal digests mean nothing changed."""
    parts: tuple[str, ...] = (
        entry.title,
        entry.url,
        entry.author,
        entry.html,
        entry.text,
        str(entry.published),
        str(entry.updated),
        entry.guid,
    )
    if entry.date_kind == "updated":  # only these: every other digest stays as it was
        parts += (entry.date_kind,)
    for enclosure in entry.enclosures:  # likewise: only an entry with enclosures
        parts += (enclosure.url, enclosure.type, str(enclosure.length))
    joined = "\x1f".join(parts).encode("utf-8", "replace")
    return hashlib.blake2b(joined, digest_size=16).hexdigest()


def upsert_entries(
    conn: sqlite3.Connection,
    feed_id: int,
    entries: Sequence[ParsedEntry],
    now: float | None = None,
    *,
    digests: Sequence[str] | None = None,
) -> UpsertResult:
    """Insert new entries and update changed ones in place, keeping read/star state.

    An entry whose article retention pruned is left out (it is old and was read).

    Runs as one transaction: the feed's articles are stored whole or not at all. New
    articles enter the full-text index here, in one statement (migration 3 removed the
    per-row trigger: it cost more than the indexing itself); updates and deletes are kept
    in step by triggers.

    An article whose text came from its page (``text_source`` 'page') keeps that text
    and html: the feed's new text goes to its ``summary`` (the feed only has the teaser).
    A changed text keeps the one it replaces as a revision (:mod:`newsreader.store.revisions`).

    Args:
        digests: ``content_hash`` of each entry, when already computed elsewhere (a parser
            process); computed here otherwise.
    """
    now = time.time() if now is None else now
    if digests is None or len(digests) != len(entries):
        digests = [content_hash(entry) for entry in entries]
    with transaction(conn):
        known = {
            row[0]: (row[1], row[2], row[3])
            for row in conn.execute(
                "SELECT key, id, content_hash, CASE WHEN text_source = 'page' THEN NULL"
                " ELSE text END FROM articles WHERE feed_id = ?",
                (feed_id,),
            )
        }
        pruned = {
            row[0] for row in conn.execute("SELECT key FROM pruned WHERE feed_id = ?", (feed_id,))
        }
        inserts, updates, changed = _sort_out(feed_id, entries, digests, known, pruned, now)
        new_ids = _insert(conn, inserts)
        if changed:  # their text as it was becomes a revision
            wanted = set(changed)
            save_revisions(
                conn, [(v[0], v[2]) for v in known.values() if v[0] in wanted], "feed", now
            )
        conn.executemany(
            """UPDATE articles SET guid = ?1, url = ?2, title = ?3, author = ?4,
                   published = ?5, updated = ?6, date_kind = ?7, sort_time = ?8,
                   html = CASE WHEN text_source = 'page' THEN html ELSE ?9 END,
                   text = CASE WHEN text_source = 'page' THEN text ELSE ?10 END,
                   summary = CASE WHEN text_source = 'page' THEN ?10 ELSE summary END,
                   links = CASE WHEN text_source = 'page' THEN links ELSE ?11 END,
                   content_hash = ?12, fetched = ?13 WHERE id = ?14""",
            updates,
        )
        store_enclosures(conn, *_enclosures(entries, inserts, new_ids, updates, known))
    return UpsertResult(len(inserts), len(updates), tuple(changed), new_ids)


def _enclosures(
    entries: Sequence[ParsedEntry],
    inserts: list[_Row],
    new_ids: tuple[int, ...],
    updates: list[_Row],
    known: dict[str, tuple[int, str, str | None]],
) -> tuple[list[Stored], list[int]]:
    """(the stored articles' enclosures, the updated articles whose rows are replaced)."""
    replaced = [cast(int, row[-1]) for row in updates]
    if not replaced and not any(entry.enclosures for entry in entries):
        return [], []
    ids = {cast(str, row[1]): article_id for row, article_id in zip(inserts, new_ids, strict=True)}
    if replaced:
        wanted = set(replaced)
        ids.update((key, old[0]) for key, old in known.items() if old[0] in wanted)
    stored: list[Stored] = []
    for entry in entries:
        article_id = ids.pop(entry.key, None)  # a repeated key: its first entry, as stored
        if article_id is not None and entry.enclosures:
            stored.append((article_id, entry.enclosures))
    return stored, replaced


def _sort_out(
    feed_id: int,
    entries: Sequence[ParsedEntry],
    digests: Sequence[str],
    known: dict[str, tuple[int, str, str | None]],
    pruned: set[str],
    now: float,
) -> tuple[list[_Row], list[_Row], list[int]]:
    """(rows to insert, rows to update, ids whose text changed); repeated keys count once,
    and a key retention pruned (:mod:`newsreader.store.retention`) is not stored again."""
    inserts: list[_Row] = []
    updates: list[_Row] = []
    changed: list[int] = []
    seen: set[str] = set()
    for entry, digest in zip(entries, digests, strict=True):
        if entry.key in seen:
            continue
        seen.add(entry.key)
        old = known.get(entry.key)
        if old is None and entry.key in pruned:
            continue
        if old is None:
            inserts.append(_row(feed_id, entry, digest, now))
        elif old[1] != digest:
            updates.append(_row(feed_id, entry, digest, now)[2:] + (old[0],))
            if old[2] is not None and old[2] != entry.text:  # None: its text is the page's
                changed.append(old[0])
    return inserts, updates, changed


def _insert(conn: sqlite3.Connection, rows: list[_Row]) -> tuple[int, ...]:
    """Insert article rows and index them for search; their new ids."""
    if not rows:
        return ()
    # Inside the caller's write transaction nothing else inserts, so every new row gets a
    # rowid above the current largest.
    last = conn.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0]
    conn.executemany(
        """INSERT INTO articles (feed_id, key, guid, url, title, author, published,
               updated, date_kind, sort_time, html, text, links, content_hash, fetched)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        rows,
    )
    conn.execute(
        "INSERT INTO articles_fts (rowid, title, author, text)"
        " SELECT id, title, author, text FROM articles WHERE id > ?",
        (last,),
    )
    return tuple(
        row[0] for row in conn.execute("SELECT id FROM articles WHERE id > ? ORDER BY id", (last,))
    )


def _row(feed_id: int, e: ParsedEntry, digest: str, now: float) -> _Row:
    sort_time = e.published or e.updated or now
    return (
        feed_id,
        e.key,
        e.guid,
        e.url,
        e.title,
        e.author,
        e.published,
        e.updated,
        e.date_kind,
        sort_time,
        e.html,
        e.text,
        json.dumps(e.links),
        digest,
        now,
    )


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """Which articles to list; every field narrows the set."""

    feed_id: int | None = None
    unread: bool = False
    starred: bool = False
    annotated: bool = False
    search: str = ""
    """A search query (see :mod:`newsreader.store.search`)."""
    label: str = ""
    """Only articles with this label."""
    later: bool = False
    """Only articles in the Later queue."""


def _article(row: sqlite3.Row, full: bool = False) -> Article:
    return Article(
        id=row["id"],
        feed_id=row["feed_id"],
        feed_title=row["feed_title"] or "",
        key=row["key"],
        guid=row["guid"],
        url=row["url"],
        title=row["title"],
        author=row["author"],
        published=row["published"],
        updated=row["updated"],
        date_kind=row["date_kind"],
        is_read=bool(row["is_read"]),
        is_starred=bool(row["is_starred"]),
        text=row["text"] if full else "",
        html=row["html"] if full else "",
        links=tuple(json.loads(row["links"])) if full else (),
        text_source=row["text_source"],
        summary=row["summary"] if full else "",
        page_fetched=row["page_fetched"],
        page_error=row["page_error"],
        labels=tuple(json.loads(row["labels"])) if full else (),
        in_later=bool(row["in_later"]) if full else False,
    )


def filter_sql(flt: ArticleFilter) -> tuple[str, list[object]]:
    """SQL condition over ``articles a`` (and its parameters) selecting the filter's articles."""
    clauses = ["1"]
    params: list[object] = []
    if flt.feed_id is not None:
        clauses.append("a.feed_id = ?")
        params.append(flt.feed_id)
    if flt.unread:
        clauses.append("a.is_read = 0")
    if flt.starred:
        clauses.append("a.is_starred = 1")
    if flt.annotated:
        clauses.append(ANNOTATED_SQL)
    if flt.later:
        clauses.append(LATER_SQL)
    if flt.label:
        clauses.append(LABEL_SQL)
        params.append(flt.label)
    if flt.search.strip():
        sql, extra = compile_query(flt.search)  # it leaves hidden articles out itself
        clauses.append(sql)
        params.extend(extra)
    else:
        clauses.append(NOT_HIDDEN_SQL)
    return " AND ".join(clauses), params


def article_ids(conn: sqlite3.Connection, flt: ArticleFilter = ArticleFilter()) -> list[int]:
    """Ids of matching articles, newest first (cheap: for virtual lists)."""
    where, params = filter_sql(flt)
    sql = f"SELECT a.id FROM articles a WHERE {where} ORDER BY a.sort_time DESC, a.id DESC"
    return [r[0] for r in conn.execute(sql, params)]


def list_articles(
    conn: sqlite3.Connection, flt: ArticleFilter = ArticleFilter(), limit: int | None = 100
) -> list[Article]:
    """Matching articles (without bodies), newest first."""
    where, params = filter_sql(flt)
    sql = (
        f"SELECT {_LIST_COLUMNS} FROM articles a JOIN feeds f ON f.id = a.feed_id"
        f" WHERE {where} ORDER BY a.sort_time DESC, a.id DESC"
    )
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [_article(r) for r in conn.execute(sql, params)]


def articles_by_ids(conn: sqlite3.Connection, ids: Iterable[int]) -> dict[int, Article]:
    """Articles (without bodies) keyed by id, with the other feeds their story came from."""
    ids = list(ids)
    found: dict[int, Article] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        sql = (
            f"SELECT {_LIST_COLUMNS} FROM articles a JOIN feeds f ON f.id = a.feed_id"
            f" WHERE a.id IN ({marks})"
        )
        found.update((r["id"], _article(r)) for r in conn.execute(sql, chunk))
    return _with_copies(conn, found)


def _with_copies(conn: sqlite3.Connection, found: dict[int, Article]) -> dict[int, Article]:
    """``found`` with ``also_in`` and ``copy_annotated`` filled in for articles that have
    copies."""
    feeds = also_in(conn, found)
    if not feeds:
        return found
    marked = annotated_copies(conn, feeds)
    for article_id, names in feeds.items():
        found[article_id] = replace(
            found[article_id], also_in=names, copy_annotated=article_id in marked
        )
    return found


def get_article(conn: sqlite3.Connection, article_id: int) -> Article | None:
    """One article with its text, html and link references, or None."""
    row = conn.execute(
        f"SELECT {_LIST_COLUMNS}, a.text, a.html, a.links, a.summary, {_TRIAGE_COLUMNS}"
        " FROM articles a"
        " JOIN feeds f ON f.id = a.feed_id WHERE a.id = ?",
        (article_id,),
    ).fetchone()
    return _with_copies(conn, {article_id: _article(row, full=True)})[article_id] if row else None


def article_exists(conn: sqlite3.Connection, article_id: int) -> bool:
    """Whether an article with this id is stored."""
    return conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None


def article_text(conn: sqlite3.Connection, article_id: int) -> str | None:
    """An article's canonical text alone (what annotations anchor to), or None."""
    row = conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
    return None if row is None else str(row[0])


def articles_at_urls(conn: sqlite3.Connection, urls: Iterable[str]) -> list[tuple[int, str, str]]:
    """``(id, url, feed title)`` of the stored articles at these urls, by id."""
    wanted = json.dumps(sorted({u for u in urls if u}))
    rows = conn.execute(
        "SELECT a.id, a.url, f.title FROM articles a JOIN feeds f ON f.id = a.feed_id"
        " WHERE a.url IN (SELECT value FROM json_each(?)) ORDER BY a.id",
        (wanted,),
    )
    return [(int(r[0]), str(r[1]), str(r[2])) for r in rows]


def article_with_key(conn: sqlite3.Connection, feed_url: str, key: str) -> int | None:
    """The stored article with ``key`` in the feed at ``feed_url`` (one at most), or None."""
    row = conn.execute(
        "SELECT a.id FROM articles a JOIN feeds f ON f.id = a.feed_id"
        " WHERE f.url = ? AND a.key = ?",
        (feed_url, key),
    ).fetchone()
    return None if row is None else int(row[0])


def set_read(conn: sqlite3.Connection, ids: Iterable[int], read: bool = True) -> list[int]:
    """Mark articles read or unread, with their copies from other feeds (a story is one
    row: its copies share its state); returns the copies changed besides ``ids``."""
    ids = list(ids)
    with transaction(conn):
        every = copies_of(conn, ids)
        others = set(every) - set(ids)
        changed = [
            int(r[0])
            for r in conn.execute(
                "SELECT id FROM articles WHERE is_read != ? AND id IN"
                " (SELECT value FROM json_each(?))",
                (int(read), json.dumps(sorted(others))),
            )
        ]
        conn.executemany(
            "UPDATE articles SET is_read = ? WHERE id = ?", [(int(read), i) for i in every]
        )
    return changed


def set_starred(conn: sqlite3.Connection, article_id: int, starred: bool) -> None:
    """Star or unstar one article."""
    conn.execute("UPDATE articles SET is_starred = ? WHERE id = ?", (int(starred), article_id))


def mark_feed_read(conn: sqlite3.Connection, feed_id: int | None = None) -> int:
    """Mark every article of a feed (or of all feeds) read; returns how many changed."""
    with transaction(conn):
        if feed_id is None:
            return conn.execute("UPDATE articles SET is_read = 1 WHERE is_read = 0").rowcount
        return conn.execute(
            "UPDATE articles SET is_read = 1 WHERE feed_id = ? AND is_read = 0", (feed_id,)
        ).rowcount


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Totals for the virtual feeds: all, unread, starred, annotated, later.

    One query per figure, so each is answered from an index, never by reading article rows.
    """

    def one(sql: str) -> int:
        return int(conn.execute(sql).fetchone()[0])

    return {
        "all": one("SELECT count(*) FROM articles"),
        "unread": one("SELECT count(*) FROM articles WHERE is_read = 0"),
        "starred": one("SELECT count(*) FROM articles WHERE is_starred = 1"),
        "later": one("SELECT count(*) FROM later"),
        "annotated": one(
            """SELECT count(*) FROM (
                   SELECT article_id FROM annotations
                       WHERE deleted IS NULL AND article_id IS NOT NULL
                   UNION SELECT article_id FROM notes WHERE article_id IS NOT NULL)"""
        ),
    }
