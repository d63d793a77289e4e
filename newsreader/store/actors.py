"""The actor registry: people, organisations, countries… shared by every article.

Names are unique regardless of case; an alias belongs to one actor. Look-ups by name or
alias ignore case (Unicode-aware, so "BOGOTÁ" finds "Bogotá"). Merging two actors moves
every link (mentions, claims by, claims about, aliases) to the one kept.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from newsreader.models import ACTOR_KINDS, Actor
from newsreader.safety import clean_line, clean_text
from newsreader.store.db import transaction
from newsreader.store.mentions import record_name_changes

MAX_NAME = 200
"""Longest accepted name or alias, in characters."""


class ActorError(ValueError):
    """An actor operation that cannot be done (duplicate name, unknown kind…)."""


@dataclass(frozen=True, slots=True)
class ActorSummary:
    """An actor with how often it appears in the store (deleted annotations not counted)."""

    actor: Actor
    claims_by: int = 0
    claims_about: int = 0
    mentions: int = 0
    """Places the actor is marked: here the tagged mentions only; the domain's
    :func:`newsreader.annotations.mentions.actor_summaries` adds the names found in text."""
    tagged: int = 0
    """How many of :attr:`mentions` are tagged mentions (annotations)."""


@dataclass(frozen=True, slots=True)
class Activity:
    """One place an actor appears: a claim by or about them, or a mention."""

    annotation_id: int | None
    """None for a mention found by name only."""
    role: str
    """"speaker", "about" or "mention"."""
    kind: str
    article_id: int | None
    article_title: str
    feed_title: str
    published: float | None
    start: int
    end: int
    exact: str
    status: str | None
    orphaned: bool
    count: int = 1
    """Places it stands for: a mention item is one article's places (tagged or named)."""


def clean_name(value: str) -> str:
    """A name or alias as stored: one clean line, bounded; raises ActorError if empty."""
    name = clean_line(value)
    if not name:
        raise ActorError("an actor name cannot be empty")
    if len(name) > MAX_NAME:
        raise ActorError(f"an actor name is at most {MAX_NAME} characters")
    return name


def _check_kind(kind: str) -> str:
    if kind not in ACTOR_KINDS:
        raise ActorError(f"unknown actor kind {kind!r} (one of: {', '.join(ACTOR_KINDS)})")
    return kind


def add_actor(
    conn: sqlite3.Connection,
    name: str,
    kind: str = "other",
    aliases: Iterable[str] = (),
    description: str = "",
) -> Actor:
    """Register a new actor; raises ActorError when the name (or an alias) is taken."""
    name = clean_name(name)
    _check_kind(kind)
    with transaction(conn):
        if find_actor(conn, name) is not None:
            raise ActorError(f"an actor named {name!r} already exists")
        actor_id = conn.execute(
            "INSERT INTO actors (name, kind, description) VALUES (?, ?, ?)",
            (name, kind, clean_text(description, multiline=True)),
        ).lastrowid
        assert actor_id is not None
        record_name_changes(conn, [name])
        for alias in aliases:
            add_alias(conn, actor_id, alias)
    actor = get_actor(conn, actor_id)
    assert actor is not None
    return actor


def add_alias(conn: sqlite3.Connection, actor_id: int, alias: str) -> bool:
    """Give an actor another name; False when it already has it.

    Raises ActorError when another actor already uses that name or alias.
    """
    alias = clean_name(alias)
    with transaction(conn):
        owner = find_actor(conn, alias)
        if owner is not None:
            if owner.id != actor_id:
                raise ActorError(f"{alias!r} already names {owner.name!r}")
            if alias in owner.aliases or alias == owner.name:
                return False
        conn.execute(
            "INSERT OR IGNORE INTO actor_aliases (actor_id, alias) VALUES (?, ?)", (actor_id, alias)
        )
        record_name_changes(conn, [alias])
    return True


def remove_alias(conn: sqlite3.Connection, actor_id: int, alias: str) -> bool:
    """Remove one alias; True if it existed."""
    with transaction(conn):
        removed = (
            conn.execute(
                "DELETE FROM actor_aliases WHERE actor_id = ? AND alias = ?", (actor_id, alias)
            ).rowcount
            > 0
        )
        if removed:
            record_name_changes(conn, [alias])
    return removed


def update_actor(
    conn: sqlite3.Connection,
    actor_id: int,
    *,
    name: str | None = None,
    kind: str | None = None,
    description: str | None = None,
) -> Actor:
    """Rename an actor or change its kind or description."""
    with transaction(conn):
        actor = get_actor(conn, actor_id)
        if actor is None:
            raise ActorError(f"no actor with id {actor_id}")
        if name is not None:
            name = clean_name(name)
            owner = find_actor(conn, name)
            if owner is not None and owner.id != actor_id:
                raise ActorError(f"{name!r} already names {owner.name!r}")
            conn.execute("UPDATE actors SET name = ? WHERE id = ?", (name, actor_id))
            if name != actor.name:
                record_name_changes(conn, [actor.name, name])
        if kind is not None:
            conn.execute("UPDATE actors SET kind = ? WHERE id = ?", (_check_kind(kind), actor_id))
        if description is not None:
            conn.execute(
                "UPDATE actors SET description = ? WHERE id = ?",
                (clean_text(description, multiline=True), actor_id),
            )
    updated = get_actor(conn, actor_id)
    assert updated is not None
    return updated


def _actor(row: sqlite3.Row, aliases: Iterable[str]) -> Actor:
    """An ``actors`` row (id, name, kind, description first) with its aliases."""
    return Actor(row[0], row[1], row[2], tuple(aliases), row[3])


def _aliases(conn: sqlite3.Connection, actor_id: int) -> tuple[str, ...]:
    rows = conn.execute(
        "SELECT alias FROM actor_aliases WHERE actor_id = ? ORDER BY alias", (actor_id,)
    )
    return tuple(r[0] for r in rows)


def _all_aliases(conn: sqlite3.Connection) -> dict[int, list[str]]:
    """Every actor's aliases, in order, by actor id."""
    aliases: dict[int, list[str]] = {}
    for actor_id, alias in conn.execute("SELECT actor_id, alias FROM actor_aliases ORDER BY alias"):
        aliases.setdefault(actor_id, []).append(alias)
    return aliases


def get_actor(conn: sqlite3.Connection, actor_id: int) -> Actor | None:
    """One actor with its aliases, or None."""
    row = conn.execute(
        "SELECT id, name, kind, description FROM actors WHERE id = ?", (actor_id,)
    ).fetchone()
    return None if row is None else _actor(row, _aliases(conn, row[0]))


def all_actors(conn: sqlite3.Connection) -> dict[int, Actor]:
    """Every actor with its aliases, by id, in name order."""
    aliases = _all_aliases(conn)
    rows = conn.execute(
        "SELECT id, name, kind, description FROM actors ORDER BY name COLLATE NOCASE, name, id"
    )
    return {r[0]: _actor(r, aliases.get(r[0], ())) for r in rows}


def find_actor(conn: sqlite3.Connection, name: str) -> Actor | None:
    """The actor called ``name`` (its name first, else an alias), ignoring case."""
    name = name.strip()
    row = conn.execute("SELECT id FROM actors WHERE name = ? COLLATE NOCASE", (name,)).fetchone()
    if row is None:
        row = conn.execute(
            "SELECT actor_id FROM actor_aliases WHERE alias = ? COLLATE NOCASE"
            " ORDER BY actor_id LIMIT 1",
            (name,),
        ).fetchone()
    if row is None and not name.isascii():  # SQLite's NOCASE folds ASCII only
        row = _find_folded(conn, name.casefold())
    return None if row is None else get_actor(conn, row[0])


def _find_folded(conn: sqlite3.Connection, folded: str) -> tuple[int] | None:
    for actor_id, text in actor_names(conn):
        if text.casefold() == folded:
            return (actor_id,)
    return None


def actor_names(conn: sqlite3.Connection) -> list[tuple[int, str]]:
    """Every ``(actor_id, name_or_alias)`` pair, names first (feeds the text matcher)."""
    rows = conn.execute(
        "SELECT id, name FROM actors UNION ALL SELECT actor_id, alias FROM actor_aliases"
    )
    return [(r[0], r[1]) for r in rows]


def list_actors(conn: sqlite3.Connection) -> list[ActorSummary]:
    """Every actor, by name, with counts of claims by and about them and of mentions."""
    aliases = _all_aliases(conn)
    rows = conn.execute(
        """SELECT a.id, a.name, a.kind, a.description,
              (SELECT count(*) FROM annotations n WHERE n.speaker_id = a.id
                 AND n.kind = 'claim' AND n.deleted IS NULL),
              (SELECT count(*) FROM claim_about c JOIN annotations n ON n.id = c.annotation_id
                 WHERE c.actor_id = a.id AND n.deleted IS NULL),
              (SELECT count(*) FROM annotations n WHERE n.actor_id = a.id
                 AND n.kind = 'mention' AND n.deleted IS NULL)
           FROM actors a ORDER BY a.name COLLATE NOCASE"""
    )
    return [ActorSummary(_actor(r, aliases.get(r[0], ())), r[4], r[5], r[6], r[6]) for r in rows]


_ACTIVITY = """
SELECT n.id AS id, ? AS role, n.kind AS kind, n.article_id AS article_id,
       n.article_title AS article_title, n.feed_title AS feed_title,
       n.article_published AS published, n.start AS start, n.end AS stop, n.exact AS exact,
       n.status AS status, n.orphaned AS orphaned, n.created AS created
FROM annotations n {join} WHERE {where} AND n.deleted IS NULL
"""
_ROLES = (
    ("speaker", "", "n.speaker_id = ? AND n.kind = 'claim'"),
    ("about", "JOIN claim_about c ON c.annotation_id = n.id", "c.actor_id = ?"),
    ("mention", "", "n.actor_id = ? AND n.kind = 'mention'"),
)


def actor_activity(conn: sqlite3.Connection, actor_id: int) -> list[Activity]:
    """Every claim by or about the actor and every mention, newest article first."""
    union = " UNION ALL ".join(_ACTIVITY.format(join=j, where=w) for _, j, w in _ROLES)
    params: list[object] = []
    for role, _, _ in _ROLES:
        params += [role, actor_id]
    rows = conn.execute(
        f"SELECT * FROM ({union}) ORDER BY coalesce(published, created) DESC,"
        " article_id DESC, start, id, role",
        params,
    )
    return [
        Activity(
            r["id"],
            r["role"],
            r["kind"],
            r["article_id"],
            r["article_title"],
            r["feed_title"],
            r["published"],
            r["start"],
            r["stop"],
            r["exact"],
            r["status"],
            bool(r["orphaned"]),
        )
        for r in rows
    ]


def merge_actors(conn: sqlite3.Connection, keep_id: int, gone_id: int) -> Actor:
    """Fold actor ``gone_id`` into ``keep_id``: links, aliases and its name (as an alias)."""
    if keep_id == gone_id:
        raise ActorError("cannot merge an actor with itself")
    with transaction(conn):
        keep, gone = get_actor(conn, keep_id), get_actor(conn, gone_id)
        if keep is None or gone is None:
            raise ActorError("both actors must exist to merge them")
        conn.execute("UPDATE annotations SET actor_id = ? WHERE actor_id = ?", (keep_id, gone_id))
        conn.execute(
            "UPDATE annotations SET speaker_id = ? WHERE speaker_id = ?", (keep_id, gone_id)
        )
        conn.execute(
            "INSERT OR IGNORE INTO claim_about (annotation_id, actor_id)"
            " SELECT annotation_id, ? FROM claim_about WHERE actor_id = ?",
            (keep_id, gone_id),
        )
        conn.execute("DELETE FROM actors WHERE id = ?", (gone_id,))
        for alias in (gone.name, *gone.aliases):
            if alias.casefold() != keep.name.casefold():
                conn.execute(
                    "INSERT OR IGNORE INTO actor_aliases (actor_id, alias) VALUES (?, ?)",
                    (keep_id, alias),
                )
        if gone.description and not keep.description:
            conn.execute(
                "UPDATE actors SET description = ? WHERE id = ?", (gone.description, keep_id)
            )
        record_name_changes(conn, [gone.name, *gone.aliases])
    merged = get_actor(conn, keep_id)
    assert merged is not None
    return merged


def delete_actor(conn: sqlite3.Connection, actor_id: int) -> bool:
    """Remove an actor; its mentions and claims stay, without it. True if it existed."""
    with transaction(conn):
        actor = get_actor(conn, actor_id)
        if actor is None:
            return False
        conn.execute("DELETE FROM actors WHERE id = ?", (actor_id,))
        record_name_changes(conn, [actor.name, *actor.aliases])
    return True
