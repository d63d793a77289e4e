"""Claim links, evidence and event dates: the use cases the TUI and the CLI both call.

- A link says one claim ``supports``, ``contradicts``, ``repeats`` or ``supersedes``
  another, in the same or another article. Linking a claim to itself, or to anything but
  a claim, is refused; linking twice the same way is a no-op.
- Evidence is a claim's sources: a URL (http or https), or an article of the store kept
  as its url and title when added, so it survives the article leaving the cache.
- An event date is when a claim was said or happened (``YYYY-MM-DD``), as distinct from
  its article's date; the actor timeline orders claims by it, falling back to the
  article's date.
"""

from __future__ import annotations

import re
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime

from newsreader.annotations.service import AnnotationError
from newsreader.models import LINK_RELATIONS, Annotation, ClaimEnd, ClaimLink, Evidence
from newsreader.safety import clean_line, clean_url, is_safe_link
from newsreader.store import annotations as annotation_store
from newsreader.store import claimlinks as store
from newsreader.store.db import transaction

PASSIVE = {
    "supports": "supported by",
    "contradicts": "contradicted by",
    "repeats": "repeated by",
    "supersedes": "superseded by",
}
"""How a link reads from its target's side."""
MAX_EVIDENCE = 100
"""Most sources one claim may carry."""
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _claim(conn: sqlite3.Connection, claim_id: int) -> Annotation:
    found = annotation_store.get_annotation(conn, claim_id)
    if found is None or found.deleted is not None:
        raise AnnotationError(f"no claim with id {claim_id}")
    if found.kind != "claim":
        raise AnnotationError(f"annotation {claim_id} is a {found.kind}, not a claim")
    return found


def check_relation(relation: str) -> str:
    """``relation`` if it is one of :data:`LINK_RELATIONS`, else AnnotationError."""
    if relation not in LINK_RELATIONS:
        raise AnnotationError(
            f"unknown relation {relation!r} (one of: {', '.join(LINK_RELATIONS)})"
        )
    return relation


def link_claims(
    conn: sqlite3.Connection, source_id: int, relation: str, target_id: int
) -> tuple[ClaimLink, bool]:
    """Record that claim ``source_id`` <relation> claim ``target_id``; returns the link and
    whether it is new (False: it was already there)."""
    check_relation(relation)
    if source_id == target_id:
        raise AnnotationError("a claim cannot be linked to itself")
    with transaction(conn):
        _claim(conn, source_id)
        _claim(conn, target_id)
        made = store.add_link(conn, source_id, relation, target_id)
        link_id = made or store.find_link(conn, source_id, relation, target_id)
    assert link_id is not None
    link = store.get_link(conn, link_id)
    assert link is not None
    return link, made is not None


def unlink_claims(conn: sqlite3.Connection, source_id: int, relation: str, target_id: int) -> None:
    """Remove the link "source <relation> target"; AnnotationError if there is none."""
    check_relation(relation)
    link_id = store.find_link(conn, source_id, relation, target_id)
    if link_id is None:
        raise AnnotationError(f"claim {source_id} has no link '{relation}' to claim {target_id}")
    store.remove_link(conn, link_id)


def remove_link(conn: sqlite3.Connection, link_id: int) -> None:
    """Remove one link by its id; AnnotationError if there is none."""
    if not store.remove_link(conn, link_id):
        raise AnnotationError(f"no link with id {link_id}")


def link_by_id(conn: sqlite3.Connection, link_id: int) -> ClaimLink | None:
    """One link (both claims not deleted), or None."""
    return store.get_link(conn, link_id)


def links(conn: sqlite3.Connection, claim_id: int) -> list[ClaimLink]:
    """The links from and to a claim (those with a deleted claim hidden), oldest first."""
    return store.links_of(conn, [claim_id]).get(claim_id, [])


def describe(link: ClaimLink, claim_id: int) -> tuple[str, ClaimEnd]:
    """How a link reads from claim ``claim_id``: ("supports", the other claim), or
    ("supported by", …) when the claim is the link's target."""
    if link.source.id == claim_id:
        return link.relation, link.target
    return PASSIVE[link.relation], link.source


# --- evidence -----------------------------------------------------------------------------


def _evidence(conn: sqlite3.Connection, claim_id: int) -> list[Evidence]:
    return store.evidence_of(conn, [claim_id]).get(claim_id, [])


def evidence(conn: sqlite3.Connection, claim_id: int) -> list[Evidence]:
    """A claim's sources in the order added (numbered 1.. by the front ends);
    AnnotationError when there is no such claim."""
    _claim(conn, claim_id)
    return _evidence(conn, claim_id)


def _add(conn: sqlite3.Connection, claim_id: int, url: str, title: str) -> Evidence:
    now = time.time()
    with transaction(conn):
        _claim(conn, claim_id)
        have = _evidence(conn, claim_id)
        if any(e.url == url for e in have):
            raise AnnotationError(f"claim {claim_id} already cites {url}")
        if len(have) >= MAX_EVIDENCE:
            raise AnnotationError(f"a claim cites at most {MAX_EVIDENCE} sources")
        store.add_evidence(conn, claim_id, url, title, now)
        store.touch(conn, claim_id, now)
    return _evidence(conn, claim_id)[-1]


def add_evidence_url(conn: sqlite3.Connection, claim_id: int, url: str) -> Evidence:
    """Cite a web address (http or https) as a source of a claim."""
    url = clean_url(url.strip())
    if not is_safe_link(url):
        raise AnnotationError(f"not an http(s) address: {url!r}")
    return _add(conn, claim_id, url, "")


def add_evidence_article(conn: sqlite3.Connection, claim_id: int, article_id: int) -> Evidence:
    """Cite an article of the store, kept as its url and title as they are now."""
    snapshot = annotation_store.article_snapshot(conn, article_id)
    if snapshot is None:
        raise AnnotationError(f"no article with id {article_id}")
    if not is_safe_link(snapshot.url):
        raise AnnotationError(f"article {article_id} has no web address to cite")
    return _add(conn, claim_id, snapshot.url, clean_line(snapshot.title))


def remove_evidence(conn: sqlite3.Connection, claim_id: int, number: int) -> Evidence:
    """Remove a claim's source ``number`` (1-based, as listed); returns it."""
    have = evidence(conn, claim_id)
    if not have:
        raise AnnotationError(f"claim {claim_id} cites no sources")
    if not 1 <= number <= len(have):
        raise AnnotationError(f"claim {claim_id} has sources 1-{len(have)}, not {number}")
    gone = have[number - 1]
    with transaction(conn):
        store.remove_evidence(conn, gone.id)
        store.touch(conn, claim_id)
    return gone


# --- event dates and the timeline ---------------------------------------------------------


def parse_day(text: str) -> str:
    """An ISO calendar date ``YYYY-MM-DD``, checked; AnnotationError in one line if not."""
    value = text.strip()
    try:
        if not _ISO_DAY.fullmatch(value):
            raise ValueError
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise AnnotationError(f"not a date (YYYY-MM-DD): {clean_line(value)!r}") from None


def set_event_date(conn: sqlite3.Connection, claim_id: int, day: str | None) -> Annotation:
    """Set a claim's event date (``YYYY-MM-DD``; None clears it)."""
    checked = None if day is None else parse_day(day)
    with transaction(conn):
        _claim(conn, claim_id)
        store.set_event_date(conn, claim_id, checked)
    return _claim(conn, claim_id)


def article_day(ts: float | None) -> str:
    """An article's date as ``YYYY-MM-DD`` (UTC), or "" when it has none."""
    return "" if ts is None else datetime.fromtimestamp(ts, UTC).date().isoformat()


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """A claim on an actor's timeline, at ``day``."""

    claim: Annotation
    day: str
    """``YYYY-MM-DD``, or "" (neither an event date nor an article date)."""
    dated_by: str
    """What ``day`` is: "event" (the claim's event date), "article" (its article's date)
    or "" (undated)."""
    role: str
    """"by" (the actor made the claim) or "about"."""


def _entry(claim: Annotation, actor_id: int) -> TimelineEntry:
    role = "by" if claim.speaker_id == actor_id else "about"
    if claim.event_date:
        return TimelineEntry(claim, claim.event_date, "event", role)
    day = article_day(claim.snapshot.published)
    return TimelineEntry(claim, day, "article" if day else "", role)


def timeline(conn: sqlite3.Connection, actor_id: int) -> list[TimelineEntry]:
    """The claims by and about an actor, oldest first: by event date, else by article
    date; undated ones last."""
    entries = [_entry(c, actor_id) for c in annotation_store.list_claims(conn, actor_id)]
    return sorted(
        entries,
        key=lambda e: (e.day == "", e.day, e.claim.snapshot.published or 0.0, e.claim.id),
    )


# --- the claim editor's changes -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RecordChange:
    """What the claim editor changes beyond the claim's fields."""

    event_date: str | None = None
    """The event date as typed (checked here): "" or None clears it."""
    add: tuple[str, ...] = ()
    """Sources to cite: web addresses, or ``#ID`` for an article of the store."""
    remove: tuple[int, ...] = ()
    """Ids of the claim's sources to drop."""


def _cite(conn: sqlite3.Connection, claim_id: int, source: str) -> None:
    text = source.strip()
    if text.startswith("#") and text[1:].isdigit():
        add_evidence_article(conn, claim_id, int(text[1:]))
    else:
        add_evidence_url(conn, claim_id, text)


def apply_record(conn: sqlite3.Connection, claim_id: int, change: RecordChange) -> Annotation:
    """Set a claim's event date and add and drop sources, all or nothing."""
    with transaction(conn):
        day = (change.event_date or "").strip()
        store.set_event_date(conn, claim_id, parse_day(day) if day else None)
        have = {e.id for e in evidence(conn, claim_id)}
        for evidence_id in change.remove:
            if evidence_id in have:
                store.remove_evidence(conn, evidence_id)
                store.touch(conn, claim_id)
        for source in change.add:
            _cite(conn, claim_id, source)
    return _claim(conn, claim_id)


def restore_link(conn: sqlite3.Connection, link: ClaimLink) -> None:
    """Put a removed link back as it was (same uid and time): undo."""
    store.add_link(
        conn, link.source.id, link.relation, link.target.id, uid=link.uid, created=link.created
    )
