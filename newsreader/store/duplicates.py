"""Duplicate groups: the SQL behind :mod:`newsreader.feeds.duplicates`.

An article's *print* (its canonical URL, title fingerprint, the normalised beginning of its
text) and its *keys* (integers: hashes a copy of the same story shares) are stored when it
arrives; a new article's candidates are the articles sharing a key, found through the
``dup_keys`` primary key. ``articles_dup`` holds the groups of two or more copies; a
group's id is its first member's id. Every read of a group goes through its index, so the
article list pays nothing for articles that have no copy.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

HEAD_CHARS = 1500
"""How much of a new article's text is read to make its print."""


@dataclass(frozen=True, slots=True)
class Print:
    """What a copy is compared by."""

    article_id: int
    feed_id: int
    sort_time: float
    url_key: str
    title_key: str
    head: str
    """The normalised first words of the text, joined by spaces."""


@dataclass(frozen=True, slots=True)
class NewArticle:
    """A new article as read to make its print: the URL (the page's canonical URL when its
    page was fetched), the title and the beginning of the text."""

    article_id: int
    feed_id: int
    sort_time: float
    url: str
    title: str
    text: str


def new_articles(conn: sqlite3.Connection, ids: Sequence[int]) -> list[NewArticle]:
    """The articles ``ids`` that have no print yet, read for making one."""
    rows = conn.execute(
        "SELECT a.id, a.feed_id, a.sort_time,"
        " coalesce(nullif((SELECT p.canonical_url FROM pages p WHERE p.article_id = a.id), ''),"
        " a.url), a.title, substr(a.text, 1, ?) FROM articles a"
        " WHERE a.id IN (SELECT value FROM json_each(?))"
        " AND NOT EXISTS (SELECT 1 FROM dup_prints d WHERE d.article_id = a.id) ORDER BY a.id",
        (HEAD_CHARS, json.dumps(list(ids))),
    )
    return [NewArticle(int(r[0]), int(r[1]), float(r[2]), r[3], r[4], r[5]) for r in rows]


def save_prints(
    conn: sqlite3.Connection, prints: Sequence[Print], keys: Iterable[tuple[int, int]]
) -> None:
    """Store prints and their (key, article id) pairs (in the caller's transaction)."""
    conn.executemany(
        "INSERT OR REPLACE INTO dup_prints (article_id, feed_id, sort_time, url_key, title_key,"
        " head) VALUES (?, ?, ?, ?, ?, ?)",
        [(p.article_id, p.feed_id, p.sort_time, p.url_key, p.title_key, p.head) for p in prints],
    )
    conn.executemany("INSERT OR IGNORE INTO dup_keys (key, article_id) VALUES (?, ?)", keys)


def sharing(
    conn: sqlite3.Connection, keys: Iterable[int], most: int
) -> list[tuple[int, int, int, float]]:
    """(key, article id, its feed id, its sort time) of the stored articles with one of
    ``keys``, through the keys' index; a key more than ``most`` stored articles share (a
    title word everyone uses) is left out unread: it can pair nothing, and reading its
    thousands of rows for every batch was most of a refresh's detection time."""
    rows = conn.execute(
        """WITH wanted (key) AS (SELECT value FROM json_each(?1)),
                few (key) AS (SELECT w.key FROM wanted w WHERE (SELECT count(*) FROM
                    (SELECT 1 FROM dup_keys k WHERE k.key = w.key LIMIT ?2 + 1)) <= ?2)
           SELECT k.key, k.article_id, p.feed_id, p.sort_time FROM few
           JOIN dup_keys k ON k.key = few.key
           JOIN dup_prints p ON p.article_id = k.article_id""",
        (json.dumps(list(keys)), most),
    )
    return [(int(r[0]), int(r[1]), int(r[2]), float(r[3])) for r in rows]


def prints(conn: sqlite3.Connection, ids: Iterable[int]) -> dict[int, Print]:
    """The prints of these articles, by id."""
    rows = conn.execute(
        "SELECT article_id, feed_id, sort_time, url_key, title_key, head FROM dup_prints"
        " WHERE article_id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(set(ids))),),
    )
    return {int(r[0]): Print(int(r[0]), int(r[1]), float(r[2]), r[3], r[4], r[5]) for r in rows}


def groups_of(conn: sqlite3.Connection, ids: Iterable[int]) -> dict[int, int]:
    """The group id of each of ``ids`` that is in a group."""
    rows = conn.execute(
        "SELECT article_id, group_id FROM articles_dup"
        " WHERE article_id IN (SELECT value FROM json_each(?))",
        (json.dumps(list(ids)),),
    )
    return {int(a): int(g) for a, g in rows}


def members_of(conn: sqlite3.Connection, group_ids: Iterable[int]) -> dict[int, int]:
    """The group id of every member of these groups, by article id."""
    rows = conn.execute(
        "SELECT article_id, group_id FROM articles_dup"
        " WHERE group_id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(set(group_ids))),),
    )
    return {int(a): int(g) for a, g in rows}


def save_groups(conn: sqlite3.Connection, groups: dict[int, int]) -> None:
    """Put each article in its group (``{article id: group id}``), and make each of these
    groups read when one of its copies is: a story someone read stays read (in the
    caller's transaction)."""
    conn.executemany(
        "INSERT OR REPLACE INTO articles_dup (article_id, group_id) VALUES (?, ?)",
        sorted(groups.items()),
    )
    read = conn.execute(
        "SELECT json_group_array(DISTINCT d.group_id) FROM articles_dup d"
        " JOIN articles r ON r.id = d.article_id WHERE +r.is_read = 1"
        " AND d.group_id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(set(groups.values()))),),
    ).fetchone()[0]
    conn.execute(
        "UPDATE articles SET is_read = 1 WHERE +is_read = 0 AND id IN (SELECT article_id"
        " FROM articles_dup WHERE group_id IN (SELECT value FROM json_each(?)))",
        (read,),
    )


def copies_of(conn: sqlite3.Connection, ids: Iterable[int]) -> list[int]:
    """``ids`` and every other copy of them, sorted."""
    wanted = json.dumps(sorted(set(ids)))
    rows = conn.execute(
        "SELECT value FROM json_each(?1) UNION SELECT d.article_id FROM articles_dup d"
        " WHERE d.group_id IN (SELECT group_id FROM articles_dup"
        " WHERE article_id IN (SELECT value FROM json_each(?1)))",
        (wanted,),
    )
    return sorted(int(r[0]) for r in rows)


def other_copies(conn: sqlite3.Connection, article_id: int) -> list[int]:
    """The other copies of one article (still stored), by id."""
    rows = conn.execute(
        "SELECT d.article_id FROM articles_dup d JOIN articles_dup me"
        " ON me.group_id = d.group_id AND me.article_id = ? WHERE d.article_id != ?"
        " ORDER BY d.article_id",
        (article_id, article_id),
    )
    return [int(r[0]) for r in rows]


def also_in(conn: sqlite3.Connection, ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """For each of ``ids`` with other copies, the titles of the feeds those are in (each
    once, in the order of the copies)."""
    rows = conn.execute(
        "SELECT me.article_id, coalesce(nullif(f.title, ''), f.url) FROM articles_dup me"
        " JOIN articles_dup d ON d.group_id = me.group_id AND d.article_id != me.article_id"
        " JOIN articles a ON a.id = d.article_id JOIN feeds f ON f.id = a.feed_id"
        " WHERE me.article_id IN (SELECT value FROM json_each(?))"
        " ORDER BY me.article_id, d.article_id",
        (json.dumps(list(ids)),),
    )
    found: dict[int, list[str]] = {}
    for article_id, feed in rows:
        names = found.setdefault(int(article_id), [])
        if feed not in names:
            names.append(feed)
    return {article_id: tuple(names) for article_id, names in found.items()}


def annotated_copies(conn: sqlite3.Connection, ids: Iterable[int]) -> set[int]:
    """Those of ``ids`` one of whose copies (itself included) carries an annotation or a
    note: annotations stay on the copy they were made on, every copy's row shows them."""
    wanted = json.dumps(sorted(set(ids)))
    rows = conn.execute(
        "SELECT me.value FROM json_each(?) me WHERE EXISTS (SELECT 1 FROM annotations n"
        " WHERE n.deleted IS NULL AND n.article_id IN (SELECT me.value UNION"
        " SELECT d.article_id FROM articles_dup d WHERE d.group_id ="
        " (SELECT group_id FROM articles_dup WHERE article_id = me.value)))"
        " OR EXISTS (SELECT 1 FROM notes o WHERE o.article_id IN (SELECT me.value UNION"
        " SELECT d.article_id FROM articles_dup d WHERE d.group_id ="
        " (SELECT group_id FROM articles_dup WHERE article_id = me.value)))",
        (wanted,),
    )
    return {int(r[0]) for r in rows}


def collapse(conn: sqlite3.Connection, ids: Sequence[int]) -> list[int] | None:
    """``ids`` (a list, in its order) with one row per group: of the copies listed, the
    first (smallest id) stays. None when nothing is left out (the common case, answered
    from the small ``articles_dup`` table alone)."""
    members = dict(conn.execute("SELECT article_id, group_id FROM articles_dup").fetchall())
    if not members:
        return None
    listed = set(ids)
    first: dict[int, int] = {}
    for article_id, group_id in members.items():
        if article_id in listed and article_id < first.get(group_id, article_id + 1):
            first[group_id] = article_id
    dropped = {a for a, g in members.items() if a in listed and first[g] != a}
    if not dropped:
        return None
    return [i for i in ids if i not in dropped]


def shown_elsewhere(
    conn: sqlite3.Connection, article_id: int, table: str, where: str, params: list[object]
) -> bool:
    """Whether a copy of ``article_id`` with a smaller id is among the rows of
    ``SELECT … FROM {table} WHERE {where}`` (so the list shows that copy instead)."""
    sql = (
        f"SELECT 1 FROM {table} WHERE {where} AND a.id IN (SELECT d.article_id FROM"
        " articles_dup d JOIN articles_dup me ON me.group_id = d.group_id"
        " AND me.article_id = ? WHERE d.article_id < ?) LIMIT 1"
    )
    return conn.execute(sql, [*params, article_id, article_id]).fetchone() is not None
