"""The cache of known actors found by name in article text (tables of migration 5).

What is cached is decided in :mod:`newsreader.annotations.mentions`; this module only
reads and writes it: which articles need a scan, which may hold a name (the full-text
index, so a scan never reads every text), the matches found, and the totals.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from newsreader.store.db import transaction
from newsreader.store.search import fts_phrase

_NAMES_PER_QUERY = 200
"""Names OR-ed into one full-text query (long queries are split)."""
_CHUNK = 500
"""Ids per ``IN (…)`` list."""


@dataclass(frozen=True, slots=True)
class TaggedMention:
    """A mention annotation (not deleted), for counting places."""

    annotation_id: int
    actor_id: int
    article_id: int | None
    start: int
    end: int
    exact: str
    orphaned: bool


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """What a dossier shows of an article: its title, feed, date and url."""

    article_id: int
    title: str
    feed_title: str
    published: float | None
    url: str
    author: str
    date_kind: str = ""
    """What ``published`` is: "published", "updated" or "" (as ``Article.date_kind``)."""


def record_name_changes(conn: sqlite3.Connection, names: Iterable[str]) -> None:
    """Queue names added to or removed from the registry: articles that may hold them are
    scanned again on the next refresh of the cache."""
    conn.executemany("INSERT INTO name_changes (name) VALUES (?)", ((n,) for n in names))


def pending_name_changes(conn: sqlite3.Connection) -> tuple[int, list[str]]:
    """The queued names and the id of the last one (0 when none)."""
    rows = conn.execute("SELECT id, name FROM name_changes ORDER BY id").fetchall()
    return (rows[-1][0] if rows else 0), sorted({r[1] for r in rows})


def clear_name_changes(conn: sqlite3.Connection, up_to: int) -> None:
    """Forget the queued names up to id ``up_to`` (later ones arrived meanwhile: kept)."""
    conn.execute("DELETE FROM name_changes WHERE id <= ?", (up_to,))


def unscanned_articles(conn: sqlite3.Connection) -> set[int]:
    """Articles never scanned, or whose text changed since (read from an index only)."""
    return {
        r[0]
        for r in conn.execute(
            "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM name_scans)"
        )
    }


def articles_naming(conn: sqlite3.Connection, names: Iterable[str]) -> set[int]:
    """Articles whose text may hold one of ``names``: the full-text index's matches
    (case and diacritics ignored: a superset of what the matcher finds)."""
    phrases = sorted({fts_phrase(n) for n in names if n.strip() and any(c.isalnum() for c in n)})
    found: set[int] = set()
    for start in range(0, len(phrases), _NAMES_PER_QUERY):
        query = "text : (" + " OR ".join(phrases[start : start + _NAMES_PER_QUERY]) + ")"
        found.update(
            r[0]
            for r in conn.execute(
                "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", (query,)
            )
        )
    return found


def article_texts(conn: sqlite3.Connection, ids: list[int]) -> Iterator[tuple[int, str]]:
    """``(id, text)`` of the articles ``ids`` (those still in the store)."""
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        yield from (
            (r[0], r[1])
            for r in conn.execute(f"SELECT id, text FROM articles WHERE id IN ({marks})", chunk)
        )


def mark_scanned(conn: sqlite3.Connection, ids: list[int]) -> None:
    """Record that ``ids`` hold no match (articles no name can be in)."""
    with transaction(conn):
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            conn.execute(f"DELETE FROM name_matches WHERE article_id IN ({marks})", chunk)
            conn.execute(
                f"INSERT OR IGNORE INTO name_scans (article_id) SELECT id FROM"
                f" articles WHERE id IN ({marks})",
                chunk,
            )


def store_scans(
    conn: sqlite3.Connection, scanned: dict[int, dict[int, list[tuple[int, int, str]]]]
) -> None:
    """Replace the matches of the scanned articles: article id -> actor id -> (start, end,
    text) of each match, in order. One transaction."""
    ids = list(scanned)
    with transaction(conn):
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            conn.execute(
                f"DELETE FROM name_matches WHERE article_id IN ({','.join('?' * len(chunk))})",
                chunk,
            )
        rows = [
            (
                actor_id,
                article_id,
                len(found),
                ",".join(f"{s}:{e}" for s, e, _ in found),
                found[0][2],
            )
            for article_id, actors in scanned.items()
            for actor_id, found in actors.items()
            if found
        ]
        conn.executemany(
            "INSERT OR REPLACE INTO name_matches (actor_id, article_id, count,"
            " places, exact) SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM"
            " actors WHERE id = ?) AND EXISTS (SELECT 1 FROM articles WHERE"
            " id = ?)",
            [(*r, r[0], r[1]) for r in rows],
        )
        conn.executemany(
            "INSERT OR IGNORE INTO name_scans (article_id) SELECT id FROM articles WHERE id = ?",
            [(i,) for i in ids],
        )


def named_totals(conn: sqlite3.Connection) -> dict[int, int]:
    """Actor id -> matches by name over the whole store."""
    return {
        r[0]: r[1]
        for r in conn.execute("SELECT actor_id, sum(count) FROM name_matches GROUP BY actor_id")
    }


def _places(text: str) -> tuple[tuple[int, int], ...]:
    out = []
    for pair in text.split(","):
        start, _, end = pair.partition(":")
        out.append((int(start), int(end)))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class NamedArticle:
    """One article where an actor's names match: how often, and the first place."""

    article: ArticleRow
    count: int
    start: int
    end: int
    exact: str


def named_articles(conn: sqlite3.Connection, actor_id: int) -> list[NamedArticle]:
    """The articles where one actor's names match, with each article's row (one query;
    only the first place is read)."""
    out = []
    for r in conn.execute(
        "SELECT a.id, a.title, f.title, a.published, a.url, a.author, m.count,"
        " substr(m.places, 1, instr(m.places || ',', ',') - 1), m.exact, a.date_kind"
        " FROM name_matches m JOIN articles a ON a.id = m.article_id"
        " JOIN feeds f ON f.id = a.feed_id WHERE m.actor_id = ?",
        (actor_id,),
    ):
        start, _, end = r[7].partition(":")
        out.append(
            NamedArticle(
                ArticleRow(r[0], r[1], r[2], r[3], r[4], r[5], r[9]),
                r[6],
                int(start),
                int(end),
                r[8],
            )
        )
    return out


def matches_beside_tags(
    conn: sqlite3.Connection,
    actor_id: int | None = None,
) -> dict[tuple[int, int], set[int]]:
    """(actor, article) -> match starts, for the pairs that also hold a tagged mention (a
    tag on a matched name is one place, not two); of one actor, or of all."""
    where, params = ("AND m.actor_id = ?", (actor_id,)) if actor_id is not None else ("", ())
    found: dict[tuple[int, int], set[int]] = {}
    for actor, article_id, places in conn.execute(
        "SELECT m.actor_id, m.article_id, m.places FROM name_matches m WHERE EXISTS"
        " (SELECT 1 FROM annotations n WHERE n.actor_id = m.actor_id AND n.article_id ="
        " m.article_id AND n.kind = 'mention' AND n.deleted IS NULL)"
        f" {where}",
        params,
    ):
        found[(actor, article_id)] = {s for s, _ in _places(places)}
    return found


def tagged_mentions(conn: sqlite3.Connection, actor_id: int | None = None) -> list[TaggedMention]:
    """Every mention annotation not deleted (of one actor, or of all)."""
    where, params = ("AND actor_id = ?", (actor_id,)) if actor_id is not None else ("", ())
    return [
        TaggedMention(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]))
        for r in conn.execute(
            "SELECT id, actor_id, article_id, start, end, exact, orphaned FROM annotations"
            f" WHERE kind = 'mention' AND deleted IS NULL AND actor_id IS NOT NULL {where}"
            " ORDER BY article_id, start, id",
            params,
        )
    ]


def article_rows(conn: sqlite3.Connection, ids: Iterable[int]) -> dict[int, ArticleRow]:
    """Title, feed, date, url and author of the articles ``ids``."""
    ordered = sorted(set(ids))
    found: dict[int, ArticleRow] = {}
    for start in range(0, len(ordered), _CHUNK):
        chunk = ordered[start : start + _CHUNK]
        for r in conn.execute(
            "SELECT a.id, a.title, f.title, a.published, a.url, a.author, a.date_kind"
            " FROM articles a"
            f" JOIN feeds f ON f.id = a.feed_id WHERE a.id IN ({','.join('?' * len(chunk))})",
            chunk,
        ):
            found[r[0]] = ArticleRow(*r)
    return found
