"""Import a newsreader JSON-LD export into a store (even an empty one), losing nothing.

- All or nothing: the whole file is read and validated first (:mod:`.backup`), then
  written in one transaction; any error leaves the store as it was.
- Idempotent: annotations and notes are identified by their uid; one already in the
  store (even deleted) is left alone, so importing the same file twice changes nothing.
- Actors merge by name and alias: an actor whose name or an alias is already known is
  that actor, and gains the other names as aliases (a name another actor holds is
  skipped), the description if it had none, and the kind if its own was "other".
- Claim status history is restored as it was (a claim without one gets its status, dated
  when the claim was made).
- An annotation or note whose article (same url, else same key in the same feed)
  is in the store is attached to it, and an annotation re-anchored on the article's text
  (orphaned if its quote is not there).
  Without its article it is kept with ``article_id`` NULL and its snapshot, and
  :func:`newsreader.annotations.reattach.reattach_orphans` attaches it when the article
  arrives.
- A claim's event date and evidence come with it. A link between two claims is added
  when both are in the store after the import (from the file or from before, not
  deleted); one whose other claim is missing is counted (``links_missing``) and skipped.
- An article's labels are added to the stored article's own (none is taken off); labels
  of an article not in the store are counted and skipped: unlike annotations, they have
  nowhere to wait.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from newsreader.annotations.anchoring import Anchor, Budget, make_selector, place
from newsreader.export.backup import (
    ActorRecord,
    AnnotationRecord,
    Backup,
    LabelsRecord,
    LinkRecord,
    NoteRecord,
    read_backup,
)
from newsreader.models import Actor, NewAnnotation, Snapshot
from newsreader.store import actors as actor_store
from newsreader.store import claimlinks as link_store
from newsreader.store.actors import ActorError
from newsreader.store.annotations import insert_annotation, insert_note, known_uids
from newsreader.store.articles import article_text, article_with_key, articles_at_urls
from newsreader.store.db import transaction
from newsreader.store.labels import restore_labels


@dataclass(slots=True)
class ImportReport:
    """What an import did."""

    annotations: int = 0
    """Annotations added."""
    notes: int = 0
    """Article notes added."""
    present: int = 0
    """Annotations and notes already in the store (left alone)."""
    actors_added: int = 0
    actors_merged: int = 0
    """Actors of the file that were already known (by name or alias)."""
    waiting: int = 0
    """Annotations and notes added without their article (not in the store yet)."""
    orphaned: int = 0
    """Annotations added to their article whose quote is not in its text."""
    labelled: int = 0
    """Articles that got labels they did not have."""
    unlabelled: int = 0
    """Articles whose labels were not restored: they are not in the store (labels cannot
    wait for their article as annotations do)."""
    links: int = 0
    """Links between claims added."""
    links_missing: int = 0
    """Links not added: one of their claims is neither in the file nor in the store."""

    @property
    def changed(self) -> bool:
        """Whether the import wrote anything."""
        return bool(
            self.annotations or self.notes or self.actors_added or self.labelled or self.links
        )


class _Actors:
    """Resolves the file's actor names to store ids, registering unknown ones."""

    def __init__(self, conn: sqlite3.Connection, report: ImportReport) -> None:
        self.conn, self.report = conn, report
        self.ids: dict[str, int] = {}

    def merge(self, record: ActorRecord) -> None:
        """Add the actor, or fold it into the known actor with one of its names."""
        names = (record.name, *record.aliases)
        found = next((a for n in names if (a := actor_store.find_actor(self.conn, n))), None)
        if found is None:
            found = actor_store.add_actor(
                self.conn, record.name, record.kind, (), record.description
            )
            self.report.actors_added += 1
        else:
            self.report.actors_merged += 1
            self._update(found, record)
        self._add_names(found, names)
        for n in names:
            self.ids.setdefault(n.casefold(), found.id)

    def _update(self, actor: Actor, record: ActorRecord) -> None:
        if record.description and not actor.description:
            actor_store.update_actor(self.conn, actor.id, description=record.description)
        if actor.kind == "other" and record.kind != "other":
            actor_store.update_actor(self.conn, actor.id, kind=record.kind)

    def _add_names(self, actor: Actor, names: tuple[str, ...]) -> None:
        known = {n.casefold() for n in (actor.name, *actor.aliases)}
        for n in names:
            if n.casefold() in known:
                continue
            known.add(n.casefold())
            try:
                actor_store.add_alias(self.conn, actor.id, n)
            except ActorError:
                pass  # another actor has this name: it stays theirs

    def id_of(self, name: str | None) -> int | None:
        """The store id of the actor called ``name`` (None for no name)."""
        return None if name is None else self.known(name)

    def known(self, name: str) -> int:
        """The store id of the actor called ``name`` (registered as "other" if unknown)."""
        key = name.casefold()
        if key not in self.ids:
            actor = actor_store.find_actor(self.conn, name)
            if actor is None:
                actor = actor_store.add_actor(self.conn, name)
                self.report.actors_added += 1
            self.ids[key] = actor.id
        return self.ids[key]


class _Articles:
    """Finds the stored article of a snapshot (by url, else by feed url and key), and its
    text, once per url or key."""

    def __init__(self, conn: sqlite3.Connection, urls: set[str]) -> None:
        self.conn = conn
        self.by_url: dict[str, list[tuple[int, str]]] = {}
        for article_id, url, feed in articles_at_urls(conn, urls):
            self.by_url.setdefault(url, []).append((article_id, feed))
        self.by_key: dict[tuple[str, str], int | None] = {}
        self._text: tuple[int, str] | None = None

    def find(self, snapshot: Snapshot) -> int | None:
        """The article at the snapshot's url (one from its feed if several), else the one
        with its key in its feed (an article may have no url), or None."""
        found = self.by_url.get(snapshot.url) if snapshot.url else None
        if found:
            return next((i for i, f in found if f == snapshot.feed_title), found[0][0])
        if not snapshot.key:
            return None
        where = (snapshot.feed_url, snapshot.key)
        if where not in self.by_key:
            self.by_key[where] = article_with_key(self.conn, *where)
        return self.by_key[where]

    def text(self, article_id: int) -> str:
        """An article's canonical text (the last one asked for is kept)."""
        if self._text is None or self._text[0] != article_id:
            self._text = (article_id, article_text(self.conn, article_id) or "")
        return self._text[1]


def _anchored(
    record: AnnotationRecord, article_id: int | None, articles: _Articles, budget: Budget
) -> tuple[int, int, str, str, str, bool]:
    """Position, quote and orphaned flag on the stored article's text (or as recorded)."""
    kept = (record.start, record.end, record.exact, record.prefix, record.suffix)
    if article_id is None:
        return (*kept, record.orphaned)
    text = articles.text(article_id)
    anchor = Anchor(*kept)
    placed = place(anchor, text, budget=budget)
    if placed is None:
        return (*kept, True)
    return (placed.start, placed.end, *make_selector(text, placed.start, placed.end), False)


def _add_annotation(
    conn: sqlite3.Connection,
    record: AnnotationRecord,
    actors: _Actors,
    articles: _Articles,
    budget: Budget,
    report: ImportReport,
) -> None:
    snap = record.snapshot
    article_id = articles.find(snap)
    start, end, exact, prefix, suffix, orphaned = _anchored(record, article_id, articles, budget)
    new = NewAnnotation(
        article_id,
        record.kind,
        start,
        end,
        exact,
        prefix,
        suffix,
        snap,
        actor_id=actors.id_of(record.actor),
        speaker_id=actors.id_of(record.speaker),
        about_ids=tuple(actors.known(n) for n in record.about),
        status=record.status,
        note=record.note,
        orphaned=orphaned,
        event_date=record.event_date,
    )
    annotation_id = insert_annotation(
        conn,
        new,
        record.modified,
        uid=record.uid,
        created=record.created,
        history=record.history,
        made_quote=record.made_quote,
    )
    for source in record.evidence:
        link_store.add_evidence(conn, annotation_id, source.url, source.title, source.added)
    report.annotations += 1
    report.waiting += article_id is None
    report.orphaned += article_id is not None and orphaned


def _add_note(
    conn: sqlite3.Connection, record: NoteRecord, articles: _Articles, report: ImportReport
) -> None:
    article_id = articles.find(record.snapshot)
    insert_note(
        conn,
        article_id,
        record.body,
        record.snapshot,
        uid=record.uid,
        created=record.created,
        now=record.modified,
    )
    report.notes += 1
    report.waiting += article_id is None


def _add_labels(
    conn: sqlite3.Connection, records: Sequence[LabelsRecord], report: ImportReport
) -> None:
    """Give each found article the labels of the file (merged with its own)."""
    articles = _Articles(conn, {r.snapshot.url for r in records})
    for record in records:
        article_id = articles.find(record.snapshot)
        if article_id is None:
            report.unlabelled += 1
        elif restore_labels(conn, article_id, record.labels):
            report.labelled += 1


def _add_links(
    conn: sqlite3.Connection, records: Sequence[LinkRecord], report: ImportReport
) -> None:
    """Add the links both of whose claims the store now holds (the rest are counted)."""
    have = link_store.link_uids(conn, [r.uid for r in records])
    new = [r for r in records if r.uid not in have]
    ids = link_store.ids_of_uids(conn, {u for r in new for u in (r.source, r.target)})
    for record in new:
        source, target = ids.get(record.source), ids.get(record.target)
        if source is None or target is None or source == target:
            report.links_missing += 1
        elif link_store.add_link(
            conn, source, record.relation, target, uid=record.uid, created=record.created
        ):
            report.links += 1


def import_backup(conn: sqlite3.Connection, backup: Backup) -> ImportReport:
    """Write a validated backup into the store, in one transaction."""
    report = ImportReport()
    with transaction(conn):
        actors = _Actors(conn, report)
        for actor in sorted(backup.actors, key=lambda a: (a.name.casefold(), a.name)):
            actors.merge(actor)
        have = known_uids(conn, "annotations", [a.uid for a in backup.annotations])
        have_notes = known_uids(conn, "notes", [n.uid for n in backup.notes])
        report.present = len(have) + len(have_notes)
        new = [a for a in backup.annotations if a.uid not in have]
        notes = [n for n in backup.notes if n.uid not in have_notes]
        articles = _Articles(conn, {a.snapshot.url for a in new} | {n.snapshot.url for n in notes})
        budget = Budget()
        for record in sorted(new, key=lambda a: (a.snapshot.url, a.start, a.uid)):
            _add_annotation(conn, record, actors, articles, budget, report)
        for note in notes:
            _add_note(conn, note, articles, report)
        _add_labels(conn, backup.labels, report)
        _add_links(conn, backup.links, report)
    return report


def import_file(conn: sqlite3.Connection, path: Path) -> ImportReport:
    """Import an export file; raises ImportFormatError (nothing written) if it is unusable."""
    return import_backup(conn, read_backup(path))
