"""Queries shaped for the reading screen: feeds-pane rows, article id lists, next unread.

A :class:`Source` names what the article list shows (a virtual feed, a folder, a feed or a
search). Every query here is written to stay on covering indexes where it can, because the
article rows carry large bodies and reading a column stored after them walks overflow pages.
"""

from __future__ import annotations

import json
import sqlite3
from array import array
from dataclasses import dataclass
from pathlib import PurePath
from urllib.parse import urlsplit

from newsreader.models import SavedSearch
from newsreader.store.articles import ArticleFilter, counts, filter_sql
from newsreader.store.db import transaction
from newsreader.store.duplicates import collapse, copies_of, shown_elsewhere
from newsreader.store.labels import list_labels
from newsreader.store.revisions import CHANGED_SQL, changed_count
from newsreader.store.search import QueryError

VIRTUAL_KINDS = ("all", "unread", "starred", "annotated", "later", "changed")
VIRTUAL_LABELS = {
    "all": "All",
    "unread": "Unread",
    "starred": "Starred",
    "annotated": "Annotated",
    "later": "Later",
    "changed": "Changed",
}
SHOWN_WHEN_EMPTY = frozenset(VIRTUAL_KINDS) - {"changed"}
"""Virtual feeds listed even when empty; Changed (articles with an annotation edited after
it was marked) only when it has some."""
FAILED_STATUSES = ("error", "dead")


@dataclass(frozen=True, slots=True)
class Source:
    """What the article list shows.

    ``kind`` is one of all, unread, starred, annotated, later, changed (virtual feeds), label (the
    articles with one label), feed, folder or search (a saved or typed query). Later lists
    its articles by when they were put there; the others newest first.
    """

    kind: str
    feed_id: int | None = None
    folder: str = ""
    query: str = ""
    label: str = ""

    @property
    def key(self) -> str:
        """A stable string naming this source (saved to restore the selection)."""
        if self.kind == "feed":
            return f"feed:{self.feed_id}"
        if self.kind == "folder":
            return f"folder:{self.folder}"
        if self.kind == "search":
            return f"search:{self.query}"
        if self.kind == "label":
            return f"label:{self.label}"
        return self.kind


@dataclass(frozen=True, slots=True)
class FeedRow:
    """One line of the feeds pane."""

    source: Source
    label: str
    count: int | None
    """Unread articles (total for starred/annotated); None when not counted."""
    depth: int = 0
    failed: bool = False
    error: str = ""
    saved_search_id: int | None = None
    where: str = ""
    """Where a feed comes from, when another feed has its title (the end of ``label``)."""


def _source_filter(source: Source, unread_only: bool) -> tuple[str, list[object]]:
    """SQL condition over ``articles a`` (and its parameters) for a source."""
    flt = ArticleFilter(
        feed_id=source.feed_id if source.kind == "feed" else None,
        unread=unread_only or source.kind == "unread",
        starred=source.kind == "starred",
        annotated=source.kind == "annotated",
        search=source.query if source.kind == "search" else "",
        label=source.label if source.kind == "label" else "",
    )
    where, params = filter_sql(flt)
    if source.kind == "folder":
        where += (
            " AND a.feed_id IN (SELECT id FROM feeds WHERE folder = ? OR substr(folder, 1, ?) = ?)"
        )
        params += [source.folder, len(source.folder) + 1, source.folder + "/"]
    elif source.kind == "changed":
        where += f" AND {CHANGED_SQL}"
    return where, params


def _ordering(source: Source) -> tuple[str, str]:
    """The tables a source's query reads (``articles a`` among them) and the column its
    list is ordered by: the Later queue by when articles were added, the rest by time."""
    if source.kind == "later":
        return "later q JOIN articles a ON a.id = q.article_id", "q.added"
    return "articles a", "a.sort_time"


def article_ids(
    conn: sqlite3.Connection, source: Source, unread_only: bool = False, limit: int | None = None
) -> array[int]:
    """Ids of the source's articles (the newest ``limit``), newest first, as a compact
    ``array('q')``. A story stored from several feeds is one row, its first copy listed
    (each feed's own list shows its copy).

    Raises:
        newsreader.store.search.QueryError: a search source with a bad query.
    """
    where, params = _source_filter(source, unread_only)
    table, key = _ordering(source)
    sql = f"SELECT a.id FROM {table} WHERE {where} ORDER BY {key} DESC, a.id DESC"
    if limit is not None:
        sql += " LIMIT ?"
        params = [*params, limit]
    ids = array("q", (row[0] for row in conn.execute(sql, params)))
    if source.kind == "feed":
        return ids
    fewer = collapse(conn, ids)
    return ids if fewer is None else array("q", fewer)


def neighbour_unread(
    conn: sqlite3.Connection, source: Source, current_id: int | None, forward: bool = True
) -> int | None:
    """The next (older) or previous (newer) unread article of ``source`` after ``current_id``.

    With ``current_id`` None, the newest (forward) or oldest unread article. A copy of a
    story the list shows under another copy is stepped over.
    """
    where, params = _source_filter(source, True)
    table, _key = _ordering(source)
    found = _neighbour(conn, source, current_id, forward)
    while found is not None and source.kind != "feed":
        if not shown_elsewhere(conn, found, table, where, list(params)):
            break
        found = _neighbour(conn, source, found, forward)
    return found


def _neighbour(
    conn: sqlite3.Connection, source: Source, current_id: int | None, forward: bool
) -> int | None:
    """:func:`neighbour_unread` without stepping over copies."""
    where, params = _source_filter(source, True)
    table, key = _ordering(source)
    order = "DESC" if forward else "ASC"
    if current_id is not None:
        row = conn.execute(f"SELECT {key} FROM {table} WHERE a.id = ?", (current_id,)).fetchone()
        if row is not None:
            op = "<" if forward else ">"
            where += f" AND ({key}, a.id) {op} (?, ?)"
            params += [row[0], current_id]
    sql = f"SELECT a.id FROM {table} WHERE {where} ORDER BY {key} {order}, a.id {order} LIMIT 1"
    found = conn.execute(sql, params).fetchone()
    return int(found[0]) if found else None


def mark_source_read(conn: sqlite3.Connection, source: Source) -> int:
    """Mark every unread article of ``source`` read, and their copies from other feeds
    (one story is read once); returns how many changed."""
    where, params = _source_filter(source, True)
    with transaction(conn):
        grouped = conn.execute(
            f"SELECT a.id FROM articles a WHERE {where}"
            " AND a.id IN (SELECT article_id FROM articles_dup)",
            params,
        ).fetchall()
        changed = conn.execute(
            f"UPDATE articles SET is_read = 1 WHERE id IN (SELECT a.id FROM articles a"
            f" WHERE {where})",
            params,
        ).rowcount
        if grouped:
            changed += conn.execute(
                "UPDATE articles SET is_read = 1 WHERE is_read = 0"
                " AND id IN (SELECT value FROM json_each(?))",
                (json.dumps(copies_of(conn, [r[0] for r in grouped])),),
            ).rowcount
        return changed


def virtual_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Counts for the virtual feeds: unread for all/unread, totals for starred, annotated,
    later and changed."""
    totals = counts(conn)
    return {**totals, "all": totals["unread"], "changed": changed_count(conn)}


def unread_by_feed(conn: sqlite3.Connection) -> dict[int, int]:
    """Unread article count per feed id (feeds with none are absent).

    Joins two covering indexes by id instead of reading article rows.
    """
    rows = conn.execute(
        """SELECT a.feed_id, count(*) FROM articles a INDEXED BY articles_by_feed_time
           WHERE a.id IN (SELECT id FROM articles WHERE is_read = 0) GROUP BY a.feed_id"""
    )
    return {int(feed_id): int(n) for feed_id, n in rows}


def feed_rows(conn: sqlite3.Connection, *, search_counts: bool = False) -> list[FeedRow]:
    """The feeds pane: virtual feeds, labels, saved searches, then folders with their feeds.

    Feeds sharing a title are told apart by where they come from (see :func:`feed_labels`).
    A saved search's count (its unread matches) is filled in only with ``search_counts``:
    a full-text count can take tens of milliseconds, so the TUI asks for it from a worker.
    """
    counts = virtual_counts(conn)
    rows = [
        FeedRow(Source(kind), VIRTUAL_LABELS[kind], counts[kind])
        for kind in VIRTUAL_KINDS
        if counts[kind] or kind in SHOWN_WHEN_EMPTY
    ]
    rows += [
        FeedRow(Source("label", label=label.name), label.name, label.articles)
        for label in list_labels(conn)
    ]
    searches = list_saved_searches(conn)
    found = saved_search_counts(conn, searches) if search_counts else {}
    rows += [
        FeedRow(Source("search", query=s.query), s.name, found.get(s.id), saved_search_id=s.id)
        for s in searches
    ]
    unread = unread_by_feed(conn)
    feeds = conn.execute(
        "SELECT id, url, title, folder, last_status, last_error FROM feeds"
        " ORDER BY folder COLLATE NOCASE, folder, title COLLATE NOCASE, id"
    ).fetchall()
    places = feed_places([(int(f["id"]), f["title"] or f["url"], f["url"]) for f in feeds])
    totals: dict[str, int] = {}
    for feed in feeds:
        totals[feed["folder"]] = totals.get(feed["folder"], 0) + unread.get(feed["id"], 0)
    rows += [_feed_row(f, places, unread, 0) for f in feeds if not f["folder"]]
    folder = None
    for feed in feeds:
        if not feed["folder"]:
            continue
        if feed["folder"] != folder:
            folder = feed["folder"]
            rows.append(FeedRow(Source("folder", folder=folder), folder, totals[folder]))
        rows.append(_feed_row(feed, places, unread, 1))
    return rows


def feed_places(feeds: list[tuple[int, str, str]]) -> dict[int, str]:
    """For feeds sharing a title (of (id, title, url) triples), where each comes from, by
    feed id, as short as tells them apart (the pane is narrow): the site's name ("nytimes"),
    else its host ("bbc.co.uk"), else host and path, or a local file's name. Feeds with a
    title of their own are absent."""
    by_title: dict[str, list[tuple[int, str, str]]] = {}
    for feed in feeds:
        by_title.setdefault(feed[1].casefold(), []).append(feed)
    places: dict[int, str] = {}
    for group in by_title.values():
        if len(group) < 2:
            continue
        hosts = [_place(url) for _id, _title, url in group]
        names = [host.split(".")[0] if "." in host else host for host in hosts]
        for candidates in (names, hosts, [_place(url, with_path=True) for *_, url in group]):
            if len(set(candidates)) == len(candidates):
                break
        places.update(
            (feed_id, place) for (feed_id, *_), place in zip(group, candidates, strict=True)
        )
    return places


_FEED_HOSTS = ("www.", "feeds.", "feed.", "rss.")
"""Host prefixes that say nothing about whose feed it is."""


def _place(url: str, *, with_path: bool = False) -> str:
    """The short place a feed comes from: its host (without "www.", "feeds." …), or a
    local file's name."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return PurePath(parts.path or url).name or url
    host = parts.hostname
    for prefix in _FEED_HOSTS:
        if host.startswith(prefix) and "." in host.removeprefix(prefix):
            host = host.removeprefix(prefix)
            break
    if parts.port:
        host += f":{parts.port}"
    return host + parts.path.rstrip("/") if with_path else host


def _feed_row(
    feed: sqlite3.Row, places: dict[int, str], unread: dict[int, int], depth: int
) -> FeedRow:
    title = feed["title"] or feed["url"]
    where = places.get(int(feed["id"]), "")
    return FeedRow(
        Source("feed", feed_id=int(feed["id"])),
        f"{title} · {where}" if where else title,
        unread.get(int(feed["id"]), 0),
        depth=depth,
        failed=feed["last_status"] in FAILED_STATUSES,
        error=feed["last_error"] or "",
        where=where,
    )


def _saved_search(row: sqlite3.Row) -> SavedSearch:
    """A ``saved_searches`` row (id, name, query)."""
    return SavedSearch(int(row[0]), row[1], row[2])


def list_saved_searches(conn: sqlite3.Connection) -> list[SavedSearch]:
    """Saved searches by name."""
    rows = conn.execute("SELECT id, name, query FROM saved_searches ORDER BY name COLLATE NOCASE")
    return [_saved_search(r) for r in rows]


def save_search(conn: sqlite3.Connection, query: str, name: str = "") -> int:
    """Keep ``query`` as a smart feed (named ``name``, else the query); returns its id.

    Saving a query that is already saved renames it and returns the existing id.
    """
    query = query.strip()
    if not query:
        raise ValueError("an empty search cannot be saved")
    name = name.strip() or query
    with transaction(conn):
        conn.execute(
            "INSERT INTO saved_searches (name, query) VALUES (?, ?)"
            " ON CONFLICT (query) DO UPDATE SET name = excluded.name",
            (name, query),
        )
        row = conn.execute("SELECT id FROM saved_searches WHERE query = ?", (query,)).fetchone()
    return int(row[0])


def count_articles(conn: sqlite3.Connection, source: Source, unread_only: bool = False) -> int:
    """How many articles ``source`` lists.

    Raises:
        newsreader.store.search.QueryError: a search source with a bad query.
    """
    where, params = _source_filter(source, unread_only)
    return int(conn.execute(f"SELECT count(*) FROM articles a WHERE {where}", params).fetchone()[0])


def saved_search_counts(
    conn: sqlite3.Connection, searches: list[SavedSearch] | None = None
) -> dict[int, int]:
    """Unread matches of each saved search, by its id (a search that no longer reads, e.g.
    after a change of the query language, is left out rather than failing them all)."""
    found = {}
    for search in list_saved_searches(conn) if searches is None else searches:
        try:
            found[search.id] = count_articles(conn, Source("search", query=search.query), True)
        except QueryError:
            continue
    return found


def get_saved_search(conn: sqlite3.Connection, query: str) -> SavedSearch | None:
    """The saved search of this query, if it is saved."""
    row = conn.execute(
        "SELECT id, name, query FROM saved_searches WHERE query = ?", (query.strip(),)
    ).fetchone()
    return _saved_search(row) if row else None


def delete_saved_search(conn: sqlite3.Connection, search_id: int) -> bool:
    """Forget a saved search; True when it existed."""
    return conn.execute("DELETE FROM saved_searches WHERE id = ?", (search_id,)).rowcount > 0
