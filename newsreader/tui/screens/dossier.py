"""What the actors screen lists for one actor, read in its worker: their claims and
mentions with each claim's links (both quotes), or their claims on a timeline (by event
date, else the article's date; which one is said)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from newsreader.annotations.claimlinks import timeline
from newsreader.annotations.mentions import actor_activity
from newsreader.store.actors import Activity
from newsreader.store.claimlinks import links_of
from newsreader.tui.marks import link_text

DATED_BY = {"event": "event", "article": "article", "": ""}
"""How a timeline row says what its date is: the claim's event date ("event"), or its
article's date."""


@dataclass(frozen=True, slots=True)
class Dossier:
    """The rows of the activity list, with what some of them add."""

    items: list[Activity]
    links: dict[int, str] = field(default_factory=dict)
    """A claim's links, as one line (by annotation id; claims without links left out)."""
    dates: dict[int, tuple[str, str]] = field(default_factory=dict)
    """On a timeline: each claim's day and what it is (:data:`DATED_BY`), by annotation id."""


def _links(conn: sqlite3.Connection, items: list[Activity]) -> dict[int, str]:
    claims = [a.annotation_id for a in items if a.kind == "claim" and a.annotation_id]
    found = links_of(conn, claims)
    return {
        claim_id: " · ".join(link_text(link, claim_id) for link in links)
        for claim_id, links in found.items()
    }


def activity(conn: sqlite3.Connection, actor_id: int) -> Dossier:
    """Every claim by or about the actor and their mentions, newest first."""
    items = actor_activity(conn, actor_id)
    return Dossier(items, _links(conn, items))


def actor_timeline(conn: sqlite3.Connection, actor_id: int) -> Dossier:
    """The actor's claims, oldest first by when they were said (else the article's date)."""
    entries = timeline(conn, actor_id)
    items = [
        Activity(
            e.claim.id,
            "speaker" if e.role == "by" else "about",
            "claim",
            e.claim.article_id,
            e.claim.snapshot.title,
            e.claim.snapshot.feed_title,
            e.claim.snapshot.published,
            e.claim.start,
            e.claim.end,
            e.claim.exact,
            e.claim.status,
            e.claim.orphaned,
        )
        for e in entries
    ]
    dates = {e.claim.id: (e.day, DATED_BY[e.dated_by]) for e in entries}
    return Dossier(items, _links(conn, items), dates)
