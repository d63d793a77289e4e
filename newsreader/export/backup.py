"""Read a newsreader JSON-LD export into plain records, trusting nothing in it.

The file may come from anywhere: it is bounded in size, every value is type-checked
(:mod:`newsreader.export.jsonread`), every string goes through :mod:`newsreader.safety`
like feed text, names are checked as the actor registry checks them, and the first
problem stops the import with a message naming where it is. Only newsreader's own
exports (with ``newsreader:data``) are accepted; the layout is described in
:mod:`newsreader.export.webannotation`. Nothing is written here: see
:mod:`newsreader.export.importer`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsreader.annotations.claimlinks import parse_day
from newsreader.annotations.service import MAX_NOTE, AnnotationError
from newsreader.export.jsonread import (
    MAX_CONTEXT,
    MAX_EXACT,
    MAX_ITEMS,
    MAX_LINE,
    MAX_LIST,
    ImportFormatError,
    Obj,
    name,
    optional_name,
    read_json,
    uid_of,
)
from newsreader.export.webannotation import FORMAT
from newsreader.models import (
    ACTOR_KINDS,
    ANNOTATION_KINDS,
    CLAIM_STATUSES,
    DATE_KINDS,
    LINK_RELATIONS,
    Snapshot,
)
from newsreader.safety import clean_line, clean_text, clean_url, is_safe_link
from newsreader.store.labels import LabelError, clean_label


@dataclass(frozen=True, slots=True)
class ActorRecord:
    """An actor as exported."""

    name: str
    kind: str
    aliases: tuple[str, ...]
    description: str


@dataclass(frozen=True, slots=True)
class AnnotationRecord:
    """An annotation as exported; actors by name."""

    uid: str
    kind: str
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    orphaned: bool
    actor: str | None
    speaker: str | None
    about: tuple[str, ...]
    status: str | None
    history: tuple[tuple[str, float], ...]
    note: str
    snapshot: Snapshot
    created: float
    modified: float
    made_quote: str | None = None
    """The quote as first marked, when the article's wording changed since."""
    event_date: str | None = None
    """When a claim was said or happened (YYYY-MM-DD)."""
    evidence: tuple[EvidenceRecord, ...] = ()
    """A claim's sources, in their order."""


@dataclass(frozen=True, slots=True)
class EvidenceRecord:
    """A source a claim cites, as exported."""

    url: str
    title: str
    added: float


@dataclass(frozen=True, slots=True)
class LinkRecord:
    """A link "source <relation> target" between two claims, by their uids."""

    uid: str
    source: str
    relation: str
    target: str
    created: float


@dataclass(frozen=True, slots=True)
class NoteRecord:
    """An article note as exported."""

    uid: str
    body: str
    snapshot: Snapshot
    created: float
    modified: float


@dataclass(frozen=True, slots=True)
class LabelsRecord:
    """An article's labels as exported."""

    uid: str
    labels: tuple[tuple[str, float], ...]
    """Each label's name and when it was given."""
    snapshot: Snapshot


@dataclass(frozen=True, slots=True)
class Backup:
    """Everything a file holds, validated."""

    actors: tuple[ActorRecord, ...]
    annotations: tuple[AnnotationRecord, ...]
    notes: tuple[NoteRecord, ...]
    labels: tuple[LabelsRecord, ...] = ()
    links: tuple[LinkRecord, ...] = ()


def snapshot(obj: Obj) -> Snapshot:
    """An article snapshot (``author``, ``feed_url``, ``key`` and ``date_kind`` may be absent:
    files written before they were kept)."""
    return Snapshot(
        clean_url(obj.string("url", MAX_LINE)),
        clean_line(obj.string("title", MAX_LINE)),
        clean_line(obj.string("feed", MAX_LINE)),
        obj.time("published", nullable=True),
        clean_line(obj.string("author", MAX_LINE, required=False) or ""),
        clean_url(obj.string("feed_url", MAX_LINE, required=False) or ""),
        clean_line(obj.string("key", MAX_LINE, required=False) or ""),
        obj.choice("date_kind", DATE_KINDS, nullable=True) or "",
    )


def note_text(obj: Obj, where: str) -> str:
    """The Markdown note among an annotation's bodies ("" when there is none)."""
    bodies = obj.raw("body", required=False)
    if bodies is None:
        return ""
    if isinstance(bodies, dict):
        bodies = [bodies]
    if not isinstance(bodies, list) or len(bodies) > MAX_LIST:
        raise obj.fail("body", "expected a body or a list of bodies")
    for index, body in enumerate(bodies):
        body_obj = Obj(body, f"{where}.body[{index}]")
        if body_obj.raw("purpose", required=False) == "commenting":
            return clean_text(body_obj.string("value", MAX_NOTE), multiline=True).strip()
    return ""


def check_format(top: Obj) -> None:
    """Refuse files written by a newer newsreader."""
    version = top.raw("newsreader:format", required=False)
    if version is None:
        return
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise top.fail("newsreader:format", "expected a positive integer")
    if version > FORMAT:
        raise top.fail(
            "newsreader:format",
            f"version {version} is newer than this newsreader reads ({FORMAT}); upgrade newsreader",
        )


def actors(top: Obj) -> tuple[ActorRecord, ...]:
    """The actors of the file."""
    found = []
    for index, value in enumerate(top.items("newsreader:actors", MAX_ITEMS)):
        obj = Obj(value, f"newsreader:actors[{index}]")
        aliases = tuple(
            name(alias, f"{obj.where}.aliases[{i}]") for i, alias in enumerate(obj.items("aliases"))
        )
        kind = obj.raw("kind", required=False)
        found.append(
            ActorRecord(
                name(obj.raw("name"), f"{obj.where}.name"),
                obj.choice("kind", ACTOR_KINDS) if kind is not None else "other",
                aliases,
                clean_text(
                    obj.string("description", MAX_NOTE, required=False) or "", multiline=True
                ),
            )
        )
    return tuple(found)


def _quote(target: Obj) -> tuple[int, int, str, str, str]:
    """Position and quote from a target's selectors (the position defaults to the quote's
    length from 0; re-anchoring finds the real place)."""
    quote: tuple[str, str, str] | None = None
    position: tuple[int, int] | None = None
    for index, value in enumerate(target.items("selector", 16, required=True)):
        selector = Obj(value, f"{target.where}.selector[{index}]")
        kind = selector.raw("type", required=False)
        if kind == "TextQuoteSelector" and quote is None:
            exact = selector.text("exact", MAX_EXACT)
            if not exact.strip():
                raise selector.fail("exact", "must not be empty")
            prefix, suffix = (
                clean_text(selector.string(k, MAX_CONTEXT, required=False) or "", multiline=True)
                for k in ("prefix", "suffix")
            )
            quote = (exact, prefix, suffix)
        elif kind == "TextPositionSelector" and position is None:
            start = selector.integer("start")
            position = (start, selector.integer("end", minimum=start))
    if quote is None:
        raise target.fail("selector", "needs a TextQuoteSelector")
    return (*(position or (0, len(quote[0]))), *quote)


def _history(data: Obj) -> tuple[tuple[str, float], ...]:
    changes = []
    for index, value in enumerate(data.items("status_history")):
        change = Obj(value, f"{data.where}.status_history[{index}]")
        status = change.choice("status", CLAIM_STATUSES)
        changed = change.time("changed")
        assert status is not None and changed is not None
        changes.append((status, changed))
    return tuple(changes)


def _roles(data: Obj, kind: str) -> tuple[str | None, str | None, tuple[str, ...], str | None]:
    """(actor, speaker, about, status), checked against the kind."""
    about = tuple(
        dict.fromkeys(
            name(v, f"{data.where}.about[{i}]") for i, v in enumerate(data.items("about"))
        )
    )
    speaker, actor = optional_name(data, "speaker"), optional_name(data, "actor")
    status = data.choice("status", CLAIM_STATUSES, nullable=True)
    if kind == "claim":
        status = status or "unverified"
    elif speaker is not None or about or status is not None:
        raise data.fail("kind", f"a {kind} has no speaker, about or status")
    if kind == "mention" and actor is None:
        raise data.fail("actor", "a mention needs the actor it tags")
    if kind != "mention" and actor is not None:
        raise data.fail("actor", f"a {kind} tags no actor")
    return actor, speaker, about, status


def _labels(data: Obj, uid: str, snap: Snapshot) -> LabelsRecord:
    """An article's labels, each checked as the store checks a label's name."""
    labels = []
    for index, value in enumerate(data.items("labels", required=True)):
        label = Obj(value, f"{data.where}.labels[{index}]")
        added = label.time("added")
        assert added is not None
        try:
            labels.append((clean_label(label.string("name", MAX_LINE) or ""), added))
        except LabelError as exc:
            raise label.fail("name", str(exc)) from None
    return LabelsRecord(uid, tuple(labels), snap)


def _link(obj: Obj, data: Obj, uid: str) -> LinkRecord:
    """A link annotation: its target is the claim that relates, the body's ``source`` the
    claim it relates to."""
    relation = data.choice("relation", LINK_RELATIONS)
    created = obj.time("created")
    assert created is not None
    other = None
    for index, body in enumerate(obj.items("body", required=True)):
        body_obj = Obj(body, f"{obj.where}.body[{index}]")
        if body_obj.raw("type", required=False) == "SpecificResource":
            other = uid_of(body_obj, "source")
            break
    if other is None:
        raise obj.fail("body", "a link needs a SpecificResource body: the other claim")
    return LinkRecord(uid, uid_of(obj, "target"), relation, other, created)


def _evidence(data: Obj) -> tuple[EvidenceRecord, ...]:
    """A claim's sources, each an http(s) address."""
    found = []
    for index, value in enumerate(data.items("evidence")):
        source = Obj(value, f"{data.where}.evidence[{index}]")
        url = clean_url(source.string("url", MAX_LINE))
        if not is_safe_link(url):
            raise source.fail("url", "expected an http(s) address")
        added = source.time("added")
        assert added is not None
        title = clean_line(source.string("title", MAX_LINE, required=False) or "")
        found.append(EvidenceRecord(url, title, added))
    return tuple(found)


def _event_date(data: Obj) -> str | None:
    """A claim's event date, checked as YYYY-MM-DD (None when absent)."""
    value = data.string("event_date", 16, required=False)
    if value is None:
        return None
    try:
        return parse_day(value)
    except AnnotationError as exc:
        raise data.fail("event_date", str(exc)) from None


def item(value: object, where: str) -> AnnotationRecord | NoteRecord | LabelsRecord | LinkRecord:
    """One annotation, article note, article's labels or claim link of the file."""
    obj = Obj(value, where)
    uid = uid_of(obj)
    if "newsreader:data" not in obj.value:
        raise obj.fail("newsreader:data", "missing: only newsreader's own exports can be imported")
    data = obj.obj("newsreader:data")
    kind = data.choice("kind", (*ANNOTATION_KINDS, "note", "labels", "link"))
    if kind == "link":
        return _link(obj, data, uid)
    snap = snapshot(data.obj("snapshot"))
    if kind == "labels":
        return _labels(data, uid, snap)
    created, modified = obj.time("created"), obj.time("modified")
    assert kind is not None and created is not None and modified is not None
    note = note_text(obj, where)
    if kind == "note":
        if not note:
            raise obj.fail("body", "an article note needs its text")
        return NoteRecord(uid, note, snap, created, modified)
    start, end, exact, prefix, suffix = _quote(obj.obj("target"))
    actor, speaker, about, status = _roles(data, kind)
    history = _history(data) if kind == "claim" else ()
    if kind != "claim" and ("event_date" in data.value or "evidence" in data.value):
        raise data.fail("kind", f"a {kind} has no event date or evidence")
    return AnnotationRecord(
        uid,
        kind,
        start,
        end,
        exact,
        prefix,
        suffix,
        data.boolean("orphaned"),
        actor,
        speaker,
        about,
        status,
        history,
        note,
        snap,
        created,
        modified,
        _quote_as_marked(data),
        _event_date(data),
        _evidence(data),
    )


def _quote_as_marked(data: Obj) -> str | None:
    """``quote_as_marked`` of an annotation's data, cleaned (None when absent)."""
    value = data.string("quote_as_marked", MAX_EXACT, required=False)
    return None if value is None else clean_text(value)


def _page_items(document: object) -> tuple[Obj | None, list[Any], str]:
    """The top-level object (if any), the list of items and how to name them in errors."""
    if isinstance(document, list):
        if len(document) > MAX_ITEMS:
            raise ImportFormatError(f"more than {MAX_ITEMS} annotations")
        return None, document, "items"
    top = Obj(document, "document")
    kind = top.raw("type", required=False)
    if kind == "AnnotationCollection":
        first = top.raw("first", required=False)
        if first is None:
            return top, [], "first.items"
        return top, Obj(first, "first").items("items", MAX_ITEMS, required=True), "first.items"
    if kind == "AnnotationPage":
        return top, top.items("items", MAX_ITEMS, required=True), "items"
    raise ImportFormatError("not a Web Annotation export: expected an AnnotationCollection")


def parse_backup(document: object) -> Backup:
    """Validate a parsed JSON document; raises ImportFormatError at the first problem."""
    top, values, label = _page_items(document)
    if top is not None:
        check_format(top)
    annotations: list[AnnotationRecord] = []
    notes: list[NoteRecord] = []
    labels: list[LabelsRecord] = []
    links: list[LinkRecord] = []
    seen: set[str] = set()
    for index, value in enumerate(values):
        record = item(value, f"{label}[{index}]")
        if record.uid in seen:
            raise ImportFormatError(f"{label}[{index}].id: the same id appears twice")
        seen.add(record.uid)
        if isinstance(record, NoteRecord):
            notes.append(record)
        elif isinstance(record, LabelsRecord):
            labels.append(record)
        elif isinstance(record, LinkRecord):
            links.append(record)
        else:
            annotations.append(record)
    found = actors(top) if top is not None else ()
    return Backup(found, tuple(annotations), tuple(notes), tuple(labels), tuple(links))


def read_backup(path: Path) -> Backup:
    """Read and validate an export file."""
    return parse_backup(read_json(path))
