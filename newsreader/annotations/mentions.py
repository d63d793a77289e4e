"""Mentions of actors across the store: tagged ones and names found in the text.

A mention is a place in an article's text where an actor is marked, as the reader marks
it: a tagged mention (an annotation) or a match of the actor's name or an alias
(:class:`~newsreader.annotations.actors.ActorMatcher`). A tag on a matched name is one
place, not two. Every count of mentions (the reader's panel, the actors screen, dossiers,
``newsreader actors``) counts places this way; the tagged part is given beside it.
A tagged mention whose quote is gone (orphaned) or whose article left the store counts
as one place of its own.

Matches are cached in the store (:mod:`newsreader.store.mentions`) and brought up to
date by :func:`refresh_name_matches`, which scans only what changed: new or changed
articles that may hold a name, and every article that may hold a name added or removed
since (the full-text index says which), never every text.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, replace

from newsreader.annotations.actors import ActorMatcher
from newsreader.store import mentions as cache
from newsreader.store.actors import Activity, ActorSummary, actor_names, list_actors
from newsreader.store.actors import actor_activity as store_activity
from newsreader.store.db import is_read_only
from newsreader.store.mentions import ArticleRow

_BATCH = 500
"""Articles scanned per transaction (the cache grows in steps; writers never wait long)."""


@dataclass(frozen=True, slots=True)
class MentionCount:
    """One actor's mentions over the store: every place (tagged or found by name), and
    how many of them are tagged."""

    total: int = 0
    tagged: int = 0


@dataclass(frozen=True, slots=True)
class ArticleMentions:
    """One actor's places in one article still in the store."""

    article: ArticleRow
    count: int
    tagged: int
    start: int
    end: int
    exact: str
    """The text at the first place."""
    annotation_id: int | None
    """The first tagged mention there, if any."""


def refresh_name_matches(
    conn: sqlite3.Connection, progress: Callable[[int, int], None] | None = None
) -> int:
    """Bring the cache of name matches up to date; returns how many articles were scanned.

    ``progress(done, total)`` is called before the scan (``done`` 0) and after each
    batch, when there is anything to scan. On a store opened read-only (a read-only file
    system, a full disk) the cache is used as it stands.
    """
    if is_read_only(conn):
        return 0
    up_to, changed = cache.pending_name_changes(conn)
    pairs = actor_names(conn)  # read after the queue: later changes stay queued
    fresh = cache.unscanned_articles(conn)
    names = [name for _, name in pairs]
    todo = (cache.articles_naming(conn, names) & fresh) if fresh and names else set()
    if changed:
        todo |= cache.articles_naming(conn, changed)
    cache.mark_scanned(conn, sorted(fresh - todo))
    _scan(conn, ActorMatcher(pairs), sorted(todo), progress)
    cache.clear_name_changes(conn, up_to)
    return len(todo)


def _scan(
    conn: sqlite3.Connection,
    matcher: ActorMatcher,
    ids: list[int],
    progress: Callable[[int, int], None] | None,
) -> None:
    if progress is not None and ids:
        progress(0, len(ids))
    for start in range(0, len(ids), _BATCH):
        scanned: dict[int, dict[int, list[tuple[int, int, str]]]] = {}
        for article_id, text in cache.article_texts(conn, ids[start : start + _BATCH]):
            found: dict[int, list[tuple[int, int, str]]] = {}
            for match in matcher.find(text):
                found.setdefault(match.actor_id, []).append(
                    (match.start, match.end, text[match.start : match.end])
                )
            scanned[article_id] = found
        cache.store_scans(conn, scanned)
        if progress is not None:
            progress(min(start + _BATCH, len(ids)), len(ids))


def mention_counts(conn: sqlite3.Connection) -> dict[int, MentionCount]:
    """Actor id -> mentions over the whole store (from the cache: refresh it first)."""
    totals = dict(cache.named_totals(conn))
    beside = cache.matches_beside_tags(conn)
    tagged: dict[int, int] = {}
    seen: set[tuple[int, int, int]] = set()
    for m in cache.tagged_mentions(conn):
        tagged[m.actor_id] = tagged.get(m.actor_id, 0) + 1
        if not m.orphaned and m.article_id is not None:
            place = (m.actor_id, m.article_id, m.start)
            if place in seen or m.start in beside.get((m.actor_id, m.article_id), ()):
                continue  # the same place as a match (or as another tag)
            seen.add(place)
        totals[m.actor_id] = totals.get(m.actor_id, 0) + 1
    return {
        actor_id: MentionCount(total, tagged.get(actor_id, 0)) for actor_id, total in totals.items()
    }


def actor_mentions(conn: sqlite3.Connection, actor_id: int) -> list[ArticleMentions]:
    """One actor's places, article by article (articles still in the store; orphaned tags
    are left to the caller, which lists them from their snapshot), newest first."""
    beside = cache.matches_beside_tags(conn, actor_id)
    found: dict[int, ArticleMentions] = {}
    for n in cache.named_articles(conn, actor_id):
        found[n.article.article_id] = ArticleMentions(
            n.article, n.count, 0, n.start, n.end, n.exact, None
        )
    tags: dict[int, list[cache.TaggedMention]] = {}
    for m in cache.tagged_mentions(conn, actor_id):
        if not m.orphaned and m.article_id is not None:
            tags.setdefault(m.article_id, []).append(m)
    rows = cache.article_rows(conn, [i for i in tags if i not in found])
    for article_id, tagged in tags.items():
        named = found.get(article_id)
        row = named.article if named is not None else rows.get(article_id)
        if row is None:
            continue
        starts = beside.get((actor_id, article_id), set())
        extra = len({m.start for m in tagged} - starts)
        first = tagged[0]  # in text order
        if named is None or first.start <= named.start:
            start, end, exact = first.start, first.end, first.exact
        else:
            start, end, exact = named.start, named.end, named.exact
        found[article_id] = ArticleMentions(
            row,
            (named.count if named else 0) + extra,
            len(tagged),
            start,
            end,
            exact,
            first.annotation_id,
        )
    out = list(found.values())
    out.sort(
        key=lambda a: (
            a.article.published is None,
            -(a.article.published or 0.0),
            -a.article.article_id,
        )
    )
    return out


def actor_summaries(conn: sqlite3.Connection) -> list[ActorSummary]:
    """Every actor (by name) with claims by and about them and every mention: tagged and
    found by name (from the cache: refresh it first)."""
    counts = mention_counts(conn)
    return [
        replace(
            s,
            mentions=counts.get(s.actor.id, MentionCount()).total,
            tagged=counts.get(s.actor.id, MentionCount()).tagged,
        )
        for s in list_actors(conn)
    ]


def actor_activity(conn: sqlite3.Connection, actor_id: int) -> list[Activity]:
    """Every claim by or about the actor, and their mentions article by article (tagged
    and found by name, one item per article; an orphaned tag is an item of its own),
    newest article first; in an article, its claims in text order, then its mentions."""
    stored = store_activity(conn, actor_id)
    items = [a for a in stored if a.role != "mention"]
    items += [a for a in stored if a.role == "mention" and (a.orphaned or a.article_id is None)]
    for m in actor_mentions(conn, actor_id):
        row = m.article
        items.append(
            Activity(
                m.annotation_id,
                "mention",
                "mention",
                row.article_id,
                row.title,
                row.feed_title,
                row.published,
                m.start,
                m.end,
                m.exact,
                None,
                False,
                m.count,
            )
        )
    items.sort(
        key=lambda a: (
            a.published is None,
            -(a.published or 0.0),
            -(a.article_id or 0),
            a.role == "mention",
            a.start,
            a.role,
        )
    )
    return items
