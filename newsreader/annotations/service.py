"""Annotation use cases: what the TUI and the CLI both call to mark up an article.

Every function takes an open store connection, validates its input, writes in one
transaction and returns what the front end shows next. Spans are ``(start, end)`` str
offsets into the article's canonical text; surrounding white space is trimmed off them.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any, Final

from newsreader.annotations.actors import ActorMatcher
from newsreader.annotations.anchoring import (
    AmbiguousQuote,
    Anchor,
    Quote,
    QuoteNotFound,
    locate_quote,
    make_selector,
    place,
    reanchor_all,
)
from newsreader.annotations.folding import fold
from newsreader.models import (
    ACTOR_KINDS,
    ANNOTATION_KINDS,
    CLAIM_STATUSES,
    Actor,
    Annotation,
    NewAnnotation,
    Note,
    Snapshot,
)
from newsreader.safety import clean_text
from newsreader.store import actors as actor_store
from newsreader.store import annotations as store
from newsreader.store.actors import ActorError
from newsreader.store.articles import article_text
from newsreader.store.db import transaction

MAX_NOTE = 100_000
"""Longest note accepted, in characters."""


class AnnotationError(ValueError):
    """A request that cannot be carried out; the message is meant for the user."""


USER_ERRORS = (AnnotationError, ActorError, QuoteNotFound, AmbiguousQuote)
"""Every error these use cases raise for bad input (front ends show the message)."""


@dataclass(frozen=True, slots=True)
class ArticleAnnotations:
    """Everything marked up on one article."""

    annotations: list[Annotation]
    notes: list[Note]


@dataclass(frozen=True, slots=True)
class ReanchorReport:
    """What re-anchoring an article's annotations did."""

    total: int = 0
    unchanged: int = 0
    moved: int = 0
    fuzzy: int = 0
    """Placed on text that differs slightly from the old quote (the quote is updated)."""
    orphaned: int = 0
    recovered: int = 0
    """Orphans that found their text again."""


def _article(conn: sqlite3.Connection, article_id: int) -> tuple[str, Snapshot]:
    """An article's canonical text and its snapshot; AnnotationError if it is not stored."""
    text = article_text(conn, article_id)
    snapshot = store.article_snapshot(conn, article_id)
    if text is None or snapshot is None:
        raise AnnotationError(f"no article with id {article_id}")
    return text, snapshot


def _clean_note(note: str) -> str:
    note = clean_text(note, multiline=True).strip()
    if len(note) > MAX_NOTE:
        raise AnnotationError(f"a note is at most {MAX_NOTE} characters")
    return note


def _trimmed_span(text: str, start: int, end: int) -> tuple[int, int]:
    if not 0 <= start < end <= len(text):
        raise AnnotationError(f"the span {start}-{end} is not inside the text (0-{len(text)})")
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise AnnotationError("the selection holds only white space")
    return start, end


def _annotation(conn: sqlite3.Connection, annotation_id: int) -> Annotation:
    found = store.get_annotation(conn, annotation_id)
    if found is None:
        raise AnnotationError(f"no annotation with id {annotation_id}")
    return found


def _current_span(text: str, start: int, end: int, seen: Anchor | None) -> tuple[int, int] | None:
    """Where the user's selection is in the article's text now: ``[start, end)`` while the
    text there is still what they saw (``seen``), else where re-anchoring finds it; None
    when it is gone (the article changed, e.g. a refresh, while a dialog was open)."""
    if seen is None or text[start:end] == seen.exact:
        return start, end
    placed = place(seen, text)
    return None if placed is None else (placed.start, placed.end)


def create_annotation(
    conn: sqlite3.Connection,
    article_id: int,
    start: int,
    end: int,
    kind: str,
    *,
    actor_id: int | None = None,
    speaker_id: int | None = None,
    about_ids: Iterable[int] = (),
    status: str | None = None,
    note: str = "",
    now: float | None = None,
    seen: Anchor | None = None,
) -> Annotation:
    """Anchor a claim, mention or highlight at ``text[start:end]`` of an article.

    A claim's status defaults to "unverified"; a mention needs ``actor_id``; speaker,
    about and status belong to claims only. ``seen`` is the selection as the user saw it
    (its quote and context): if the text changed since, the annotation goes where that
    quote is now, and is stored orphaned with that quote when it is gone (never lost).
    """
    if kind not in ANNOTATION_KINDS:
        raise AnnotationError(f"unknown kind {kind!r} (one of: {', '.join(ANNOTATION_KINDS)})")
    about = tuple(dict.fromkeys(about_ids))
    if kind == "claim":
        status = _check_status(status or "unverified")
    elif speaker_id is not None or about or status is not None:
        raise AnnotationError("speaker, about and status apply to claims only")
    if kind == "mention" and actor_id is None:
        raise AnnotationError("a mention needs the actor it tags")
    for actor in (actor_id, speaker_id, *about):
        if actor is not None and actor_store.get_actor(conn, actor) is None:
            raise AnnotationError(f"no actor with id {actor}")
    text, snapshot = _article(conn, article_id)
    span = _current_span(text, start, end, seen)
    selector: Quote | Anchor
    if span is None and seen is not None:  # the quote left the text: kept, orphaned
        start = min(seen.start, len(text))
        end, selector = max(start, min(seen.end, len(text))), seen
        orphaned = True
    else:
        start, end = _trimmed_span(text, *(span or (start, end)))
        selector, orphaned = make_selector(text, start, end), False
    new = NewAnnotation(
        article_id,
        kind,
        start,
        end,
        selector.exact,
        selector.prefix,
        selector.suffix,
        snapshot=snapshot,
        actor_id=actor_id,
        speaker_id=speaker_id,
        about_ids=about,
        status=status,
        note=_clean_note(note),
        orphaned=orphaned,
    )
    return _annotation(conn, store.insert_annotation(conn, new, now))


def create_claim(
    conn: sqlite3.Connection,
    article_id: int,
    start: int,
    end: int,
    *,
    speaker_id: int | None = None,
    about_ids: Iterable[int] = (),
    status: str = "unverified",
    note: str = "",
    seen: Anchor | None = None,
) -> Annotation:
    """Mark ``text[start:end]`` as a claim (by ``speaker_id``, about ``about_ids``)."""
    return create_annotation(
        conn,
        article_id,
        start,
        end,
        "claim",
        speaker_id=speaker_id,
        about_ids=about_ids,
        status=status,
        note=note,
        seen=seen,
    )


def create_mention(
    conn: sqlite3.Connection,
    article_id: int,
    start: int,
    end: int,
    actor_id: int,
    note: str = "",
    seen: Anchor | None = None,
) -> Annotation:
    """Tag ``text[start:end]`` as a mention of an actor."""
    return create_annotation(
        conn, article_id, start, end, "mention", actor_id=actor_id, note=note, seen=seen
    )


def create_highlight(
    conn: sqlite3.Connection, article_id: int, start: int, end: int, note: str = ""
) -> Annotation:
    """Highlight ``text[start:end]``."""
    return create_annotation(conn, article_id, start, end, "highlight", note=note)


def create_from_quote(
    conn: sqlite3.Connection,
    article_id: int,
    quote: str,
    kind: str = "highlight",
    occurrence: int | None = None,
    **fields: Any,
) -> Annotation:
    """Like :func:`create_annotation`, finding the span by its text.

    Raises QuoteNotFound when the quote is not in the text, AmbiguousQuote when it occurs
    more than once and ``occurrence`` (1-based) is None.
    """
    text, _ = _article(conn, article_id)
    start, end = locate_quote(text, quote.strip(), occurrence)
    return create_annotation(conn, article_id, start, end, kind, **fields)


def _check_status(status: str) -> str:
    if status not in CLAIM_STATUSES:
        raise AnnotationError(f"unknown status {status!r} (one of: {', '.join(CLAIM_STATUSES)})")
    return status


def set_status(
    conn: sqlite3.Connection, annotation_id: int, status: str, now: float | None = None
) -> Annotation:
    """Change a claim's status; the change is kept, dated, in its history."""
    _check_status(status)
    if _annotation(conn, annotation_id).kind != "claim":
        raise AnnotationError("only claims have a status")
    store.set_status(conn, annotation_id, status, now)
    return _annotation(conn, annotation_id)


def status_history(conn: sqlite3.Connection, annotation_id: int) -> list[tuple[str, float]]:
    """A claim's statuses, oldest first, with when each was set."""
    return store.status_history(conn, annotation_id)


def set_note(conn: sqlite3.Connection, annotation_id: int, note: str) -> Annotation:
    """Replace an annotation's Markdown note ("" removes it)."""
    _annotation(conn, annotation_id)
    store.update_fields(conn, annotation_id, note=_clean_note(note))
    return _annotation(conn, annotation_id)


def set_claim_actors(
    conn: sqlite3.Connection,
    annotation_id: int,
    *,
    speaker_id: int | None,
    about_ids: Iterable[int],
) -> Annotation:
    """Set who made a claim (None: unknown) and whom it is about."""
    if _annotation(conn, annotation_id).kind != "claim":
        raise AnnotationError("only claims have a speaker")
    about = tuple(dict.fromkeys(about_ids))
    for actor in (speaker_id, *about):
        if actor is not None and actor_store.get_actor(conn, actor) is None:
            raise AnnotationError(f"no actor with id {actor}")
    with transaction(conn):
        store.update_fields(conn, annotation_id, speaker_id=speaker_id)
        store.set_about(conn, annotation_id, about)
    return _annotation(conn, annotation_id)


def delete(conn: sqlite3.Connection, annotation_id: int, now: float | None = None) -> bool:
    """Delete an annotation, undoably (:func:`undo_delete`); False if already deleted."""
    _annotation(conn, annotation_id)
    return store.set_deleted(conn, annotation_id, time.time() if now is None else now)


def undo_delete(conn: sqlite3.Connection, annotation_id: int) -> bool:
    """Bring a deleted annotation back; False if it was not deleted."""
    _annotation(conn, annotation_id)
    return store.set_deleted(conn, annotation_id, None)


def list_for_article(conn: sqlite3.Connection, article_id: int) -> ArticleAnnotations:
    """An article's annotations (text order, orphans included) and notes."""
    return ArticleAnnotations(
        store.list_annotations(conn, article_id), store.list_notes(conn, article_id)
    )


# --- article notes ----------------------------------------------------------------------


def add_note(conn: sqlite3.Connection, article_id: int, body: str) -> Note:
    """Write a Markdown note on a whole article."""
    _, snapshot = _article(conn, article_id)
    body = _clean_note(body)
    if not body:
        raise AnnotationError("the note is empty")
    note = store.get_note(conn, store.insert_note(conn, article_id, body, snapshot))
    assert note is not None
    return note


def edit_note(conn: sqlite3.Connection, note_id: int, body: str) -> Note:
    """Replace an article note's text."""
    if not store.update_note(conn, note_id, _clean_note(body)):
        raise AnnotationError(f"no note with id {note_id}")
    note = store.get_note(conn, note_id)
    assert note is not None
    return note


def delete_note(conn: sqlite3.Connection, note_id: int) -> Note:
    """Delete an article note; keep the returned Note to undo with :func:`restore_note`."""
    note = store.get_note(conn, note_id)
    if note is None:
        raise AnnotationError(f"no note with id {note_id}")
    store.delete_note(conn, note_id)
    return note


def restore_note(conn: sqlite3.Connection, note: Note) -> Note:
    """Put a deleted note back as it was (same uid and creation time)."""
    note_id = store.insert_note(
        conn,
        note.article_id,
        note.body,
        note.snapshot,
        uid=note.uid,
        created=note.created,
        now=note.modified,
    )
    restored = store.get_note(conn, note_id)
    assert restored is not None
    return restored


# --- actors -----------------------------------------------------------------------------


def actor_matcher(conn: sqlite3.Connection) -> ActorMatcher:
    """A matcher over every registered name and alias (rebuild it when actors change)."""
    return ActorMatcher(actor_store.actor_names(conn))


def resolve_actor(conn: sqlite3.Connection, name: str) -> Actor:
    """The actor named (or aliased) ``name``; AnnotationError if there is none."""
    actor = actor_store.find_actor(conn, name)
    if actor is None:
        raise AnnotationError(f"no actor named {name!r}")
    return actor


def find_actor_named(conn: sqlite3.Connection, name: str) -> Actor | None:
    """The actor whose name or an alias is ``name``, ignoring case and diacritics
    ("petró" finds Petro), or None."""
    actor = actor_store.find_actor(conn, name)
    if actor is not None:
        return actor
    wanted = fold(name)
    for actor_id, written in actor_store.actor_names(conn):
        if fold(written) == wanted:
            return actor_store.get_actor(conn, actor_id)
    return None


def find_or_create_actor(
    conn: sqlite3.Connection, name: str, kind: str = "other", aliases: Iterable[str] = ()
) -> tuple[Actor, bool]:
    """The actor a user typed: the one named (or aliased) ``name``, else a new actor of
    ``kind``; in one transaction. Returns (actor, whether actors changed).

    ``aliases`` are added to it, except those that already name another actor (a typed
    name must never fail a claim for the sake of an alias).
    """
    if kind not in ACTOR_KINDS:
        raise AnnotationError(f"unknown actor kind {kind!r}")
    with transaction(conn):
        actor = find_actor_named(conn, name)
        changed = actor is None
        if actor is None:
            actor = actor_store.add_actor(conn, name, kind)
        for alias in aliases:
            try:
                changed = actor_store.add_alias(conn, actor.id, alias) or changed
            except ActorError:
                pass  # the alias names someone else: keep the actor without it
    if changed:
        actor = actor_store.get_actor(conn, actor.id) or actor  # with its new aliases
    return actor, changed


def tag_actor(
    conn: sqlite3.Connection,
    article_id: int,
    start: int,
    end: int,
    actor_name: str,
    kind: str = "other",
    create_alias: bool = True,
    seen: Anchor | None = None,
    aliases: Iterable[str] | None = None,
) -> Annotation:
    """Tag a selection as a mention of ``actor_name``, creating or extending the actor.

    An unknown name registers a new actor of ``kind``; when the selected text differs from
    the actor's name and aliases it becomes an alias (if ``create_alias``), so later
    articles mark it too. ``aliases``, when given, are the aliases to add instead (the
    tag dialog's, as the user left them: the selection is not added on its own); one that
    already names another actor is skipped. ``seen`` as for :func:`create_annotation`; a
    selection gone from the text is refused (no alias is made from whatever text is there
    now).
    """
    if kind not in ACTOR_KINDS:
        raise AnnotationError(f"unknown actor kind {kind!r}")
    text, _ = _article(conn, article_id)
    span = _current_span(text, start, end, seen)
    if span is None:
        raise AnnotationError("the article changed and the selection is no longer in it")
    start, end = _trimmed_span(text, *span)
    selected = text[start:end]
    with transaction(conn):
        actor = actor_store.find_actor(conn, actor_name)
        if actor is None:
            actor = actor_store.add_actor(conn, actor_name, kind)
        known = {name.casefold() for name in (actor.name, *actor.aliases)}
        wanted = [selected] if aliases is None and create_alias else list(aliases or ())
        for alias in wanted:
            if alias.casefold() in known or "\n" in alias:
                continue
            try:
                actor_store.add_alias(conn, actor.id, alias)
            except ActorError:
                pass  # the text already names another actor: tag without an alias
        return create_mention(conn, article_id, start, end, actor.id)


# --- the claim use case ------------------------------------------------------------------


class Keep(Enum):
    """A :class:`ClaimFields` field left as the claim has it."""

    KEEP = "keep"


KEEP: Final = Keep.KEEP


@dataclass(frozen=True, slots=True)
class ActorRef:
    """An actor a claim names: a known one (``actor_id``), or a name (or alias) to find,
    ignoring case and diacritics, else to create; ``aliases`` are added to an actor found
    or created by name (those naming another actor are skipped)."""

    actor_id: int | None = None
    name: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ClaimFields:
    """What a claim says about its quote. ``speaker`` None: no (known) speaker.

    Every field may be :data:`KEEP`: as the claim has it (editing), or the default when
    creating (no speaker, about nobody, "unverified", no note).
    """

    speaker: ActorRef | None | Keep = KEEP
    about: tuple[ActorRef, ...] | Keep = KEEP
    status: str | Keep = KEEP
    note: str | Keep = KEEP
    new_kind: str = "person"
    """The kind of actors created from a name."""


@dataclass(frozen=True, slots=True)
class SavedClaim:
    """A claim as saved, and what saving it did to the actor registry."""

    claim: Annotation
    created: tuple[Actor, ...] = ()
    """Actors registered for it (names that named nobody)."""
    actors_changed: bool = False
    """Whether actors were created or gained aliases (name matchers need rebuilding)."""


@dataclass(slots=True)
class _Resolved:
    created: list[Actor]
    changed: bool = False


def _actor_id(conn: sqlite3.Connection, ref: ActorRef, kind: str, done: _Resolved) -> int:
    """The id of the actor ``ref`` names, found or created (inside the caller's
    transaction)."""
    if ref.actor_id is not None:
        if actor_store.get_actor(conn, ref.actor_id) is None:
            raise AnnotationError(f"no actor with id {ref.actor_id}")
        return ref.actor_id
    if not ref.name.strip():
        raise AnnotationError("an actor needs a name")
    new = find_actor_named(conn, ref.name) is None
    actor, changed = find_or_create_actor(conn, ref.name, kind, ref.aliases)
    if new:
        done.created.append(actor)
    done.changed = done.changed or changed
    return actor.id


def _claim_actors(
    conn: sqlite3.Connection, fields: ClaimFields, done: _Resolved
) -> tuple[int | None | Keep, tuple[int, ...] | Keep]:
    """The speaker's and the about actors' ids (or KEEP), finding or creating them."""
    speaker: int | None | Keep
    if isinstance(fields.speaker, ActorRef):
        speaker = _actor_id(conn, fields.speaker, fields.new_kind, done)
    else:
        speaker = fields.speaker
    if isinstance(fields.about, Keep):
        return speaker, KEEP
    about = (_actor_id(conn, ref, fields.new_kind, done) for ref in fields.about)
    return speaker, tuple(dict.fromkeys(about))


def _saved(conn: sqlite3.Connection, claim_id: int, done: _Resolved) -> SavedClaim:
    return SavedClaim(_annotation(conn, claim_id), tuple(done.created), done.changed)


def save_claim(
    conn: sqlite3.Connection,
    article_id: int,
    start: int,
    end: int,
    fields: ClaimFields,
    *,
    seen: Anchor | None = None,
    now: float | None = None,
) -> SavedClaim:
    """Mark ``text[start:end]`` as a claim with its speaker, about actors (found or
    created), status and note: all of it, in one transaction, or nothing.

    ``seen`` as for :func:`create_annotation` (a quote gone from the text is kept, orphaned).
    """
    if fields.new_kind not in ACTOR_KINDS:
        raise AnnotationError(f"unknown actor kind {fields.new_kind!r}")
    done = _Resolved([])
    with transaction(conn):
        speaker, about = _claim_actors(conn, fields, done)
        claim = create_annotation(
            conn,
            article_id,
            start,
            end,
            "claim",
            speaker_id=None if isinstance(speaker, Keep) else speaker,
            about_ids=() if isinstance(about, Keep) else about,
            status="unverified" if isinstance(fields.status, Keep) else fields.status,
            note="" if isinstance(fields.note, Keep) else fields.note,
            now=now,
            seen=seen,
        )
        return _saved(conn, claim.id, done)


def edit_claim(
    conn: sqlite3.Connection, claim_id: int, fields: ClaimFields, now: float | None = None
) -> SavedClaim:
    """Change a claim's speaker, about actors (found or created), status (the change is
    kept, dated, in its history) and note; fields left :data:`KEEP` stay as they are. All
    of it, in one transaction, or nothing."""
    if fields.new_kind not in ACTOR_KINDS:
        raise AnnotationError(f"unknown actor kind {fields.new_kind!r}")
    done = _Resolved([])
    with transaction(conn):
        claim = _annotation(conn, claim_id)
        if claim.kind != "claim":
            raise AnnotationError(f"annotation {claim_id} is a {claim.kind}, not a claim")
        if not isinstance(fields.status, Keep):
            _check_status(fields.status)
        note = None if isinstance(fields.note, Keep) else _clean_note(fields.note)
        speaker, about = _claim_actors(conn, fields, done)
        if not isinstance(speaker, Keep):
            store.update_fields(conn, claim_id, now, speaker_id=speaker)
        if not isinstance(about, Keep):
            store.set_about(conn, claim_id, about)
        if not isinstance(fields.status, Keep):
            store.set_status(conn, claim_id, fields.status, now)
        if note is not None:
            store.update_fields(conn, claim_id, now, note=note)
        return _saved(conn, claim_id, done)


# --- re-anchoring -----------------------------------------------------------------------


def reanchor_article(conn: sqlite3.Connection, article_id: int) -> ReanchorReport:
    """Re-anchor every annotation of an article after its text changed.

    Annotations found again get their position and quote updated to the new text; the
    rest are flagged orphaned (kept, with their last quote). Deleted ones are included,
    so undoing a delete later restores a correct span.
    """
    text, _ = _article(conn, article_id)
    rows = store.anchors_of(conn, article_id)
    anchors = [Anchor(r["start"], r["end"], r["exact"], r["prefix"], r["suffix"]) for r in rows]
    placed, orphans = [], []
    counts = {"unchanged": 0, "moved": 0, "fuzzy": 0, "orphaned": 0, "recovered": 0}
    for row, anchor, where in zip(rows, anchors, reanchor_all(anchors, text), strict=True):
        if where is None:
            orphans.append(row["id"])
            counts["orphaned"] += 1
            continue
        quote = make_selector(text, where.start, where.end)
        if row["orphaned"]:
            counts["recovered"] += 1
        elif where.how == "fuzzy":
            counts["fuzzy"] += 1
        elif (where.start, where.end, *quote) == (
            anchor.start,
            anchor.end,
            anchor.exact,
            anchor.prefix,
            anchor.suffix,
        ):
            counts["unchanged"] += 1
            continue
        else:
            counts["moved"] += 1
        placed.append((row["id"], where.start, where.end, *quote))
    store.save_anchors(conn, placed, orphans)
    return ReanchorReport(total=len(rows), **counts)
