"""Labels on articles and the Later queue: the user's own triage state.

A label is a free-form name ("brief", "to check"); an article has any number of them. A
label exists while some article has it: taking a label off its last article forgets it.
Names compare without case ("Brief" is "brief") and keep the spelling first given.

The Later queue holds articles to come back to, in the order they were put there.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from newsreader.safety import clean_line
from newsreader.store.db import transaction

MAX_LABEL = 64
"""Longest label name, in characters."""


class LabelError(ValueError):
    """A label name that cannot be used (empty, too long, or starting with + or -)."""


@dataclass(frozen=True, slots=True)
class LabelCount:
    """A label with how many articles have it, and how many of those are unread."""

    name: str
    articles: int
    unread: int


@dataclass(frozen=True, slots=True)
class LabelChange:
    """What a labelling did: links made and removed (an article that already had the
    label, or did not, is not counted)."""

    added: int
    removed: int


def clean_label(name: str) -> str:
    """The label name as stored: control characters dropped, spaces collapsed.

    Raises:
        LabelError: nothing left, longer than :data:`MAX_LABEL`, starting with + or -
            (they add and remove on the command line) or holding a comma (it separates
            labels where several are typed at once).
    """
    cleaned = " ".join(clean_line(name).split())
    if not cleaned:
        raise LabelError("a label needs a name")
    if len(cleaned) > MAX_LABEL:
        raise LabelError(f"a label is at most {MAX_LABEL} characters: {cleaned[:20]}…")
    if cleaned[0] in "+-":
        raise LabelError(f"a label cannot start with {cleaned[0]}: {cleaned}")
    if "," in cleaned:
        raise LabelError(f"a label cannot hold a comma: {cleaned}")
    return cleaned


def change_labels(
    conn: sqlite3.Connection,
    article_ids: Sequence[int],
    add: Iterable[str] = (),
    remove: Iterable[str] = (),
) -> LabelChange:
    """Give ``article_ids`` the labels ``add`` and take ``remove`` off them, in one
    transaction; labels left on no article are forgotten.

    Raises:
        LabelError: a bad label name (nothing is changed).
    """
    adding = [clean_label(n) for n in add]
    removing = [clean_label(n) for n in remove]
    ids = json.dumps(list(article_ids))
    added = removed = 0
    now = round(time.time(), 6)  # to the microsecond, as exports write it
    with transaction(conn):
        for name in adding:
            _known(conn, name, now)
            added += conn.execute(
                """INSERT OR IGNORE INTO article_labels (article_id, label_id, added)
                   SELECT a.id, (SELECT id FROM labels WHERE name = ?), ?
                   FROM articles a WHERE a.id IN (SELECT value FROM json_each(?))""",
                (name, now, ids),
            ).rowcount
        for name in removing:
            removed += conn.execute(
                """DELETE FROM article_labels WHERE label_id = (SELECT id FROM labels
                       WHERE name = ?) AND article_id IN (SELECT value FROM json_each(?))""",
                (name, ids),
            ).rowcount
        _forget_unused(conn)
    return LabelChange(added, removed)


def _known(conn: sqlite3.Connection, name: str, when: float) -> None:
    """Make sure a label of this name exists (the first spelling stays)."""
    conn.execute(
        "INSERT INTO labels (name, created) VALUES (?, ?) ON CONFLICT DO NOTHING", (name, when)
    )


def _forget_unused(conn: sqlite3.Connection) -> None:
    conn.execute(
        "DELETE FROM labels WHERE NOT EXISTS"
        " (SELECT 1 FROM article_labels al WHERE al.label_id = labels.id)"
    )


def labels_of(conn: sqlite3.Connection, article_id: int) -> list[str]:
    """The article's labels, by name."""
    return labels_by_article(conn, [article_id]).get(article_id, [])


def labels_by_article(conn: sqlite3.Connection, article_ids: Iterable[int]) -> dict[int, list[str]]:
    """Labels of each article (by name), by article id; articles without any are absent."""
    rows = conn.execute(
        """SELECT al.article_id, l.name FROM article_labels al JOIN labels l
               ON l.id = al.label_id
           WHERE al.article_id IN (SELECT value FROM json_each(?))
           ORDER BY al.article_id, l.name COLLATE NOCASE""",
        (json.dumps(sorted(set(article_ids))),),
    )
    found: dict[int, list[str]] = {}
    for article_id, name in rows:
        found.setdefault(int(article_id), []).append(str(name))
    return found


def list_labels(conn: sqlite3.Connection) -> list[LabelCount]:
    """Every label in use, by name, with its article and unread counts."""
    rows = conn.execute(
        """SELECT l.name, count(*), total(a.is_read = 0) FROM labels l
               JOIN article_labels al ON al.label_id = l.id
               JOIN articles a ON a.id = al.article_id
           GROUP BY l.id ORDER BY l.name COLLATE NOCASE"""
    )
    return [LabelCount(str(name), int(n), int(unread)) for name, n, unread in rows]


def label_names(conn: sqlite3.Connection) -> list[str]:
    """The names of the labels in use, for completion."""
    return [str(r[0]) for r in conn.execute("SELECT name FROM labels ORDER BY name COLLATE NOCASE")]


def set_later(conn: sqlite3.Connection, article_ids: Sequence[int], queued: bool) -> int:
    """Put ``article_ids`` in the Later queue (in the order given: the last is the newest
    entry) or take them out; returns how many changed (one already there keeps its place)."""
    ids = [i for i in dict.fromkeys(article_ids)]
    with transaction(conn):
        if not queued:
            return conn.execute(
                "DELETE FROM later WHERE article_id IN (SELECT value FROM json_each(?))",
                (json.dumps(ids),),
            ).rowcount
        now = time.time()
        changed = 0
        for offset, article_id in enumerate(ids):
            changed += conn.execute(
                "INSERT OR IGNORE INTO later (article_id, added)"
                " SELECT id, ? FROM articles WHERE id = ?",
                (now + offset * 1e-6, article_id),
            ).rowcount
        return changed


def in_later(conn: sqlite3.Connection, article_id: int) -> bool:
    """Whether the article is in the Later queue."""
    found = conn.execute("SELECT 1 FROM later WHERE article_id = ?", (article_id,)).fetchone()
    return found is not None


def later_queue(conn: sqlite3.Connection) -> list[tuple[int, float]]:
    """The Later queue as ``(article id, when it was added)``, the newest entry first."""
    rows = conn.execute("SELECT article_id, added FROM later ORDER BY added DESC, article_id DESC")
    return [(int(a), float(t)) for a, t in rows]


def carry_over(conn: sqlite3.Connection, source_id: int, target_id: int) -> None:
    """Give article ``target_id`` the labels and Later entry of ``source_id`` (a duplicate
    about to be deleted), in the caller's transaction."""
    conn.execute(
        """INSERT OR IGNORE INTO article_labels (article_id, label_id, added)
           SELECT ?, label_id, added FROM article_labels WHERE article_id = ?""",
        (target_id, source_id),
    )
    conn.execute(
        "INSERT OR IGNORE INTO later (article_id, added)"
        " SELECT ?, added FROM later WHERE article_id = ?",
        (target_id, source_id),
    )


@dataclass(frozen=True, slots=True)
class Labelled:
    """An article's labels for an export: each name with when it was given."""

    article_id: int
    labels: tuple[tuple[str, float], ...]

    @property
    def names(self) -> tuple[str, ...]:
        """The label names."""
        return tuple(name for name, _ in self.labels)

    @property
    def first(self) -> float:
        """When the first label was given."""
        return min(added for _, added in self.labels)

    @property
    def last(self) -> float:
        """When the last label was given."""
        return max(added for _, added in self.labels)


def labelled_articles(conn: sqlite3.Connection, article_id: int | None = None) -> list[Labelled]:
    """Every labelled article (or just ``article_id``) with its labels by name, by id."""
    rows = conn.execute(
        """SELECT al.article_id, l.name, al.added FROM article_labels al
           JOIN labels l ON l.id = al.label_id
           WHERE ?1 IS NULL OR al.article_id = ?1
           ORDER BY al.article_id, l.name COLLATE NOCASE, l.name""",
        (article_id,),
    )
    found: dict[int, list[tuple[str, float]]] = {}
    for found_id, name, added in rows:
        found.setdefault(int(found_id), []).append((str(name), float(added)))
    return [Labelled(i, tuple(labels)) for i, labels in found.items()]


def restore_labels(
    conn: sqlite3.Connection, article_id: int, labels: Sequence[tuple[str, float]]
) -> int:
    """Give an article labels as they were given (an import: each with its time); one it
    has already keeps its own. Returns how many it did not have."""
    added = 0
    with transaction(conn):
        for name, when in labels:
            name = clean_label(name)
            _known(conn, name, when)
            added += conn.execute(
                """INSERT OR IGNORE INTO article_labels (article_id, label_id, added)
                   VALUES (?, (SELECT id FROM labels WHERE name = ?), ?)""",
                (article_id, name, when),
            ).rowcount
    return added


def rename_label(conn: sqlite3.Connection, old: str, new: str) -> int:
    """Rename a label (into another one, when ``new`` is in use: they merge); returns the
    articles that have it now (0 when ``old`` is not in use).

    Raises:
        LabelError: ``new`` is not a usable name.
    """
    new = clean_label(new)
    with transaction(conn):
        found = conn.execute("SELECT id FROM labels WHERE name = ?", (old,)).fetchone()
        if found is None:
            return 0
        into = conn.execute("SELECT id FROM labels WHERE name = ?", (new,)).fetchone()
        if into is None or into[0] == found[0]:
            conn.execute("UPDATE labels SET name = ? WHERE id = ?", (new, found[0]))
            target = found[0]
        else:
            target = into[0]
            conn.execute(
                "INSERT OR IGNORE INTO article_labels (article_id, label_id, added)"
                " SELECT article_id, ?, added FROM article_labels WHERE label_id = ?",
                (target, found[0]),
            )
            conn.execute("DELETE FROM labels WHERE id = ?", (found[0],))
        row = conn.execute("SELECT count(*) FROM article_labels WHERE label_id = ?", (target,))
        return int(row.fetchone()[0])


def delete_label(conn: sqlite3.Connection, name: str) -> int:
    """Take a label off every article (the articles stay); returns how many had it."""
    with transaction(conn):
        found = conn.execute("SELECT id FROM labels WHERE name = ?", (name,)).fetchone()
        if found is None:
            return 0
        count = conn.execute("DELETE FROM article_labels WHERE label_id = ?", (found[0],)).rowcount
        conn.execute("DELETE FROM labels WHERE id = ?", (found[0],))
        return int(count)
