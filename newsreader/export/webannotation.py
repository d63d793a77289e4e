"""Annotations and notes as W3C Web Annotation JSON-LD (www.w3.org/TR/annotation-model).

An export is one ``AnnotationCollection`` whose single ``AnnotationPage`` holds every
annotation, and every article note, as an ``Annotation``:

- ``@context``: the full context (the W3C one and newsreader's terms), on the collection
  and on every annotation, so an annotation read on its own keeps ``newsreader:data``;
- ``id``: ``urn:uuid:`` + the annotation's uid; ``created`` / ``modified`` in UTC;
- ``creator``: a ``Person`` (newsreader knows no names of its users); ``generator``: the
  ``Software`` newsreader;
- ``motivation``: assessing (claim), identifying (mention), highlighting, commenting (note),
  tagging (an article's labels: one annotation on the whole article, a ``tagging`` body
  for each label, ``newsreader:data`` kind "labels");
- ``target``: ``source`` = the article's url (``urn:newsreader:article:<export id>`` when
  it has none) and, except for notes, a ``TextQuoteSelector`` (exact, prefix, suffix) and a
  ``TextPositionSelector`` (start, end) into the article's canonical text;
- ``body``: the note as a ``TextualBody`` (``text/markdown``, purpose commenting, language
  ``und``: newsreader does not know what language you write in), then tags (``text/plain``,
  purpose tagging, language ``en``: newsreader's English vocabulary): the kind,
  ``status:S``, ``speaker:NAME``, ``about:NAME``, ``actor:NAME``;
- ``newsreader:data``: what only newsreader knows, so an import loses nothing: kind,
  status, status_history, speaker, about, actor, orphaned, quote_as_marked (only when the
  article's wording changed under the annotation), event_date (a claim's, when set:
  YYYY-MM-DD), evidence (a claim's sources, when it has any: url, title, added; each is
  also a ``linking`` body whose ``id`` is its url) and the article snapshot (url,
  title, feed, published, author, feed_url and key: they find an article that has no
  url, and date_kind: "published", "updated" when ``published`` is the only date the
  feed gave, a last-updated one, or "" when unknown).

A link between two claims is an annotation of its own, after all the others (in the order
of its claims' uids): motivation ``linking``, ``target`` the linking claim's id, ``body``
the other claim (a ``SpecificResource`` with that claim's id as ``source``) and a
``relation:R`` tag; ``newsreader:data`` is kind "link" and the relation (supports,
contradicts, repeats, supersedes: "target R body"). A link is exported with either of its
claims, so an export of one article or actor may hold links to claims it does not hold.

The collection also carries the actors (``newsreader:actors``: name, kind, aliases,
description) and ``newsreader:format`` (this layout's version). Everything comes from the
annotations' own rows and snapshots, never from store-local ids or the current article
rows, so exporting, importing into an empty store and exporting again gives the same
bytes. ``modified`` on the collection is its newest change, not the time of the run.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsreader.export.collect import (
    ExportData,
    LabelledArticle,
    Scope,
    export_id,
    load,
    referenced_actors,
)
from newsreader.export.files import write_if_changed
from newsreader.export.mdtext import iso_time
from newsreader.models import Actor, Annotation, ClaimLink, Evidence, Note, Snapshot

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
NAMESPACE = "urn:newsreader:"
CONTEXT: list[Any] = [
    ANNO_CONTEXT,
    {
        "@version": 1.1,
        "newsreader": NAMESPACE,
        "newsreader:data": {"@type": "@json"},
        "newsreader:actors": {"@type": "@json"},
    },
]
"""The JSON-LD context of the collection and of each annotation: an annotation copied out
of the collection alone must still define the ``newsreader`` prefix and ``newsreader:data``
as JSON, or a JSON-LD processor drops them."""
CREATOR: dict[str, str] = {"type": "Person"}
"""Who made an annotation: a person using newsreader (no name is known to be given)."""
GENERATOR: dict[str, str] = {"id": NAMESPACE + "software", "type": "Software", "name": "newsreader"}
"""What wrote the serialization (no version: the same annotations give the same bytes
across releases; ``newsreader:format`` versions the layout)."""
NOTE_LANGUAGE = "und"
"""BCP 47 "undetermined": a note is in whatever language its writer chose."""
TAG_LANGUAGE = "en"
"""Tags are newsreader's English vocabulary (claim, status:disputed, speaker:…)."""
FORMAT = 1
"""Version of the ``newsreader:*`` layout; an import refuses newer versions."""
MOTIVATIONS = {
    "claim": "assessing",
    "mention": "identifying",
    "highlight": "highlighting",
    "note": "commenting",
}
_SORT_NOTES_FIRST = -1


def uid_to_id(uid: str) -> str:
    """An annotation's Web Annotation id: ``urn:uuid:`` and its uid as a UUID."""
    return f"urn:uuid:{uuid.UUID(hex=uid)}"


def _source(snapshot: Snapshot) -> str:
    if snapshot.url:
        return snapshot.url
    return "urn:newsreader:article:" + export_id("", snapshot.feed_title, snapshot.title)


def _snapshot(snapshot: Snapshot) -> dict[str, Any]:
    return {
        "url": snapshot.url,
        "title": snapshot.title,
        "feed": snapshot.feed_title,
        "published": iso_time(snapshot.published),
        "author": snapshot.author,
        "feed_url": snapshot.feed_url,
        "key": snapshot.key,
        "date_kind": snapshot.date_kind,
    }


def _tags(a: Annotation) -> list[str]:
    tags = [a.kind]
    if a.status:
        tags.append(f"status:{a.status}")
    if a.speaker_name:
        tags.append(f"speaker:{a.speaker_name}")
    tags += [f"about:{name}" for _, name in a.about]
    if a.actor_name:
        tags.append(f"actor:{a.actor_name}")
    return tags


def _note_body(text: str) -> dict[str, str]:
    return {
        "type": "TextualBody",
        "purpose": "commenting",
        "format": "text/markdown",
        "language": NOTE_LANGUAGE,
        "value": text,
    }


def _tag_body(tag: str) -> dict[str, str]:
    return {
        "type": "TextualBody",
        "purpose": "tagging",
        "format": "text/plain",
        "language": TAG_LANGUAGE,
        "value": tag,
    }


def _head(uid: str, motivation: str, created: float, modified: float) -> dict[str, Any]:
    """The keys every item starts with: context, id, type, motivation, agents and times."""
    return {
        "@context": CONTEXT,
        "id": uid_to_id(uid),
        "type": "Annotation",
        "motivation": motivation,
        "creator": CREATOR,
        "generator": GENERATOR,
        "created": iso_time(created),
        "modified": iso_time(modified),
    }


def _claim_record(a: Annotation, evidence: list[Evidence]) -> dict[str, Any]:
    """``event_date`` and ``evidence`` of a claim's data, each only when it has one."""
    found: dict[str, Any] = {}
    if a.event_date is not None:
        found["event_date"] = a.event_date
    if evidence:
        found["evidence"] = [
            {"url": e.url, "title": e.title, "added": iso_time(e.added)} for e in evidence
        ]
    return found


def annotation_item(
    a: Annotation,
    history: list[tuple[str, float]],
    marked: str | None = None,
    evidence: list[Evidence] | None = None,
) -> dict[str, Any]:
    """One annotation as a Web Annotation (``marked``: its quote as first marked, when
    the article's wording changed since: ``newsreader:data.quote_as_marked``; ``evidence``:
    a claim's sources)."""
    evidence = evidence or []
    bodies = [_note_body(a.note)] if a.note else []
    bodies += [_tag_body(t) for t in _tags(a)]
    bodies += [{"id": e.url, "type": "Text", "purpose": "linking"} for e in evidence]
    return {
        **_head(a.uid, MOTIVATIONS[a.kind], a.created, a.modified),
        "body": bodies,
        "target": {
            "source": _source(a.snapshot),
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": a.exact,
                    "prefix": a.prefix,
                    "suffix": a.suffix,
                },
                {"type": "TextPositionSelector", "start": a.start, "end": a.end},
            ],
        },
        "newsreader:data": {
            "kind": a.kind,
            "status": a.status,
            "status_history": [{"status": s, "changed": iso_time(t)} for s, t in history],
            "speaker": a.speaker_name,
            "about": [name for _, name in a.about],
            "actor": a.actor_name,
            "orphaned": a.orphaned,
            **({"quote_as_marked": marked} if marked is not None else {}),
            **_claim_record(a, evidence),
            "snapshot": _snapshot(a.snapshot),
        },
    }


def note_item(note: Note) -> dict[str, Any]:
    """An article note as a Web Annotation on the whole article."""
    return {
        **_head(note.uid, "commenting", note.created, note.modified),
        "body": [_note_body(note.body)],
        "target": {"source": _source(note.snapshot)},
        "newsreader:data": {"kind": "note", "snapshot": _snapshot(note.snapshot)},
    }


def link_item(link: ClaimLink) -> dict[str, Any]:
    """A link between two claims as a ``linking`` Web Annotation: the target is the claim
    that relates, the body the claim it relates to, and the relation."""
    return {
        **_head(link.uid, "linking", link.created, link.created),
        "body": [
            {
                "type": "SpecificResource",
                "source": uid_to_id(link.target.uid),
                "purpose": "linking",
            },
            _tag_body(f"relation:{link.relation}"),
        ],
        "target": uid_to_id(link.source.uid),
        "newsreader:data": {"kind": "link", "relation": link.relation},
    }


def labels_item(entry: LabelledArticle) -> dict[str, Any]:
    """An article's labels as one Web Annotation on the whole article (motivation
    tagging, a tag body a label, in the user's own words: language ``und``); its id is
    the article's, so a re-export keeps it."""
    snap = entry.snapshot
    article = export_id(snap.url, snap.feed_title, snap.title)
    uid = str(uuid.uuid5(uuid.NAMESPACE_URL, NAMESPACE + "labels:" + article))
    bodies = [{**_tag_body(name), "language": NOTE_LANGUAGE} for name in entry.labels.names]
    return {
        **_head(uid, "tagging", entry.labels.first, entry.labels.last),
        "body": bodies,
        "target": {"source": _source(snap)},
        "newsreader:data": {
            "kind": "labels",
            "labels": [
                {"name": name, "added": iso_time(added)} for name, added in entry.labels.labels
            ],
            "snapshot": _snapshot(snap),
        },
    }


def actor_item(actor: Actor) -> dict[str, Any]:
    """An actor of the registry."""
    return {
        "name": actor.name,
        "kind": actor.kind,
        "aliases": sorted(actor.aliases),
        "description": actor.description,
    }


def _order(
    snapshot: Snapshot, start: int, end: int, created: float, uid: str
) -> tuple[str, str, str, int, int, datetime, str]:
    """Where an item goes; ``created`` to the microsecond, as exported, so an import of the
    export sorts the same (two times apart by less would else swap by uid)."""
    return (
        snapshot.url,
        snapshot.feed_title,
        snapshot.title,
        start,
        end,
        datetime.fromtimestamp(created, UTC),
        uid,
    )


def to_document(data: ExportData, *, all_actors: bool) -> dict[str, Any]:
    """The collection for loaded export data (every registered actor, or only those named)."""
    annotations = list(data.annotations())
    notes = [n for b in data.bundles for n in b.notes]
    keyed = [
        (
            _order(a.snapshot, a.start, a.end, a.created, a.uid),
            annotation_item(
                a, data.history.get(a.id, []), data.marked.get(a.id), data.evidence.get(a.id)
            ),
        )
        for a in annotations
    ]
    keyed += [
        (_order(n.snapshot, _SORT_NOTES_FIRST, 0, n.created, n.uid), note_item(n)) for n in notes
    ]
    tagged = [labels_item(entry) for entry in data.labelled]
    keyed += [
        (_order(e.snapshot, _SORT_NOTES_FIRST - 1, 0, e.labels.first, item["id"]), item)
        for e, item in zip(data.labelled, tagged, strict=True)
    ]
    items = [item for _, item in sorted(keyed, key=lambda pair: pair[0])]
    links = sorted(data.links, key=lambda k: (k.source.uid, k.relation, k.target.uid))
    linked = [link_item(link) for link in links]
    items += linked
    wanted = None if all_actors else referenced_actors(annotations)
    actors = sorted(
        (a for a in data.actors.values() if wanted is None or a.id in wanted),
        key=lambda a: (a.name.casefold(), a.name),
    )
    uids = sorted([a.uid for a in annotations] + [n.uid for n in notes] + [t["id"] for t in tagged])
    uids += sorted(link.uid for link in links)
    collection = uuid.uuid5(uuid.NAMESPACE_URL, NAMESPACE + "collection:" + ",".join(uids))
    times = [a.modified for a in annotations] + [n.modified for n in notes]
    times += [e.labels.last for e in data.labelled] + [link.created for link in links]
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "id": f"urn:uuid:{collection}",
        "type": "AnnotationCollection",
        "label": "newsreader annotations",
        "total": len(items),
    }
    if times:
        document["modified"] = iso_time(max(times))
    document["newsreader:format"] = FORMAT
    document["newsreader:actors"] = [actor_item(a) for a in actors]
    document["first"] = {
        "id": f"urn:uuid:{uuid.uuid5(collection, 'page-1')}",
        "type": "AnnotationPage",
        "startIndex": 0,
        "items": items,
    }
    return document


def export_document(conn: sqlite3.Connection, scope: Scope | None = None) -> dict[str, Any]:
    """The store's annotations, notes and actors (or one article's / actor's) as JSON-LD."""
    scope = scope or Scope()
    return to_document(load(conn, scope), all_actors=scope == Scope())


_SLOT = "\x00newsreader-slot\x00"


def _compact_lines(values: list[Any], indent: str) -> str:
    if not values:
        return "[]"
    rows = f",\n{indent}  ".join(json.dumps(v, ensure_ascii=False) for v in values)
    return f"[\n{indent}  {rows}\n{indent}]"


def dumps(document: dict[str, Any]) -> str:
    """The document as stable JSON text: indented, one line per annotation and per actor.

    (Line-per-annotation keeps diffs of backups readable and lets the C encoder do the
    bulk of the work; a fully indented dump of 10,000 annotations takes seconds.)
    """
    page = document.get("first")
    if not isinstance(page, dict) or not isinstance(page.get("items"), list):
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    actors = document.get("newsreader:actors", [])
    shell = {
        **document,
        "newsreader:actors": _SLOT + "actors",
        "first": {**page, "items": _SLOT + "items"},
    }
    text = json.dumps(shell, ensure_ascii=False, indent=2)
    text = text.replace(json.dumps(_SLOT + "actors"), _compact_lines(actors, "  "), 1)
    text = text.replace(json.dumps(_SLOT + "items"), _compact_lines(page["items"], "    "), 1)
    return text + "\n"


def write_json(path: Path, document: dict[str, Any]) -> bool:
    """Write the document to ``path`` unless it already holds exactly that; True if written."""
    return write_if_changed(path, dumps(document))
