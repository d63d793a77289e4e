"""Load everything an export needs in a handful of bulk queries.

Exports group annotations and notes by article. An article still in the store is
described by its current row; annotations and notes whose article left the store
(``article_id`` NULL) are grouped by the snapshot they kept, so they are exported too.
Every group gets a stable ``export_id``: a digest of the article's url (or, without a url,
of its feed and title), the same in every store, so re-exports land in the same files.
Deleted (undoable) annotations are not exported.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from newsreader.annotations.mentions import (
    ArticleMentions,
    actor_mentions,
    actor_summaries,
    refresh_name_matches,
)
from newsreader.models import Actor, Annotation, ClaimLink, Evidence, Note, Snapshot
from newsreader.store import actors as actor_store
from newsreader.store import annotations as annotation_store
from newsreader.store.claimlinks import evidence_of, links_of
from newsreader.store.labels import Labelled, labelled_articles, labels_by_article
from newsreader.store.pages import page_sources


@dataclass(frozen=True, slots=True)
class Scope:
    """What to export: one article, everything by/about one actor, or (both None) all."""

    article_id: int | None = None
    actor_id: int | None = None


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    """What an export says about an article: its row if stored, else a snapshot."""

    export_id: str
    article_id: int | None
    url: str
    title: str
    feed: str
    author: str = ""
    published: float | None = None
    date_kind: str = ""
    """What ``published`` is: "published", "updated" (the feed gave only a last-updated
    date) or "" (none, or a snapshot kept before the kind was)."""
    page_fetched: float | None = None
    """When the article's page (its snapshot, the source of its full text) was fetched."""
    page_url: str = ""
    """The URL that page answered from."""
    labels: tuple[str, ...] = ()
    """The stored article's labels."""


@dataclass(slots=True)
class ArticleBundle:
    """One article with its annotations (text order) and notes (oldest first)."""

    info: ArticleInfo
    annotations: list[Annotation] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    @property
    def modified(self) -> float | None:
        """The newest change to anything in the bundle."""
        times = [a.modified for a in self.annotations] + [n.modified for n in self.notes]
        return max(times, default=None)


@dataclass(frozen=True, slots=True)
class LabelledArticle:
    """A stored article's labels with the snapshot that finds it again on import."""

    snapshot: Snapshot
    labels: Labelled


@dataclass(slots=True)
class ExportData:
    """Bundles (by export id), the whole actor registry and claims' status histories."""

    bundles: list[ArticleBundle]
    actors: dict[int, Actor]
    history: dict[int, list[tuple[str, float]]]
    counts: dict[int, tuple[int, int, int]] = field(default_factory=dict)
    """Actor id -> (claims by, claims about, mentions) over the whole store; mentions are
    places, tagged or found by name (:mod:`newsreader.annotations.mentions`)."""
    marked: dict[int, str] = field(default_factory=dict)
    """The quote as first marked, by annotation id, where it has changed since."""
    labelled: list[LabelledArticle] = field(default_factory=list)
    """The labelled articles in scope (all, or the one article; none for an actor)."""
    mentions: dict[int, list[ArticleMentions]] = field(default_factory=dict)
    """Actor id -> their places in each article still in the store (tagged or found by
    name), for the dossiers of an actor or of all (not for one article's page)."""
    links: list[ClaimLink] = field(default_factory=list)
    """The links from or to an exported claim (the other claim may be out of scope),
    oldest first."""
    evidence: dict[int, list[Evidence]] = field(default_factory=dict)
    """Each exported claim's sources, by annotation id."""

    def annotations(self) -> Iterable[Annotation]:
        """Every exported annotation."""
        for bundle in self.bundles:
            yield from bundle.annotations


def export_id(url: str, feed: str, title: str) -> str:
    """The stable id of an article in exports (12 hex digits)."""
    key = url if url else f"{feed}\x1f{title}"
    return hashlib.blake2b(key.encode("utf-8", "replace"), digest_size=6).hexdigest()


def _annotations(conn: sqlite3.Connection, scope: Scope) -> list[Annotation]:
    return annotation_store.annotations_in(
        conn, article_id=scope.article_id, actor_id=scope.actor_id
    )


def _history(conn: sqlite3.Connection, scope: Scope) -> dict[int, list[tuple[str, float]]]:
    return annotation_store.status_histories(
        conn, article_id=scope.article_id, actor_id=scope.actor_id
    )


def _notes(conn: sqlite3.Connection, scope: Scope) -> list[Note]:
    if scope.actor_id is not None:
        return []
    if scope.article_id is not None:
        return annotation_store.list_notes(conn, scope.article_id)
    return annotation_store.all_notes(conn)


def _articles(conn: sqlite3.Connection, ids: set[int]) -> dict[int, ArticleInfo]:
    pages = page_sources(conn, sorted(ids))
    labels = labels_by_article(conn, ids)
    return {
        article_id: replace(
            _snapshot_info(snapshot, article_id, pages.get(article_id)),
            labels=tuple(labels.get(article_id, ())),
        )
        for article_id, snapshot in annotation_store.article_snapshots(conn, ids).items()
    }


def _labelled(conn: sqlite3.Connection, scope: Scope) -> list[LabelledArticle]:
    if scope.actor_id is not None:
        return []
    found = labelled_articles(conn, scope.article_id)
    snapshots = annotation_store.article_snapshots(conn, [x.article_id for x in found])
    return [LabelledArticle(snapshots[x.article_id], x) for x in found if x.article_id in snapshots]


def _snapshot_info(
    snapshot: Snapshot, article_id: int | None = None, page: tuple[float, str] | None = None
) -> ArticleInfo:
    """An article as an export describes it: the stored article's (``article_id``, with
    its ``page``: when and from where its snapshot was fetched) or, when it left the
    store, the snapshot its annotations kept."""
    return ArticleInfo(
        export_id(snapshot.url, snapshot.feed_title, snapshot.title),
        article_id,
        snapshot.url,
        snapshot.title,
        snapshot.feed_title,
        snapshot.author,
        snapshot.published,
        snapshot.date_kind,
        *(page or ()),
    )


def _bundles(
    articles: dict[int, ArticleInfo], annotations: list[Annotation], notes: list[Note]
) -> list[ArticleBundle]:
    """Group by export id; an article in the store describes its group over snapshots."""
    groups: dict[str, ArticleBundle] = {}

    def bundle_of(article_id: int | None, snapshot: Snapshot) -> ArticleBundle:
        info = articles.get(article_id) if article_id is not None else None
        info = info or _snapshot_info(snapshot)
        found = groups.get(info.export_id)
        if found is None:
            found = groups[info.export_id] = ArticleBundle(info)
        elif info.article_id is not None and (
            found.info.article_id is None or info.article_id < found.info.article_id
        ):
            found.info = info
        return found

    for annotation in annotations:
        bundle_of(annotation.article_id, annotation.snapshot).annotations.append(annotation)
    for note in notes:
        bundle_of(note.article_id, note.snapshot).notes.append(note)
    for bundle in groups.values():
        bundle.annotations.sort(key=lambda a: (a.start, a.end, a.created, a.uid))
        bundle.notes.sort(key=lambda n: (n.created, n.uid))
    return [groups[key] for key in sorted(groups)]


def load(conn: sqlite3.Connection, scope: Scope | None = None) -> ExportData:
    """Everything in ``scope`` (default: the whole store), ready to render."""
    scope = scope or Scope()
    annotations = _annotations(conn, scope)
    notes = _notes(conn, scope)
    ids = {a.article_id for a in annotations if a.article_id is not None}
    ids |= {n.article_id for n in notes if n.article_id is not None}
    data = ExportData(_bundles(_articles(conn, ids), annotations, notes), {}, _history(conn, scope))
    data.labelled = _labelled(conn, scope)
    claim_ids = [a.id for a in annotations if a.kind == "claim"]
    data.evidence = evidence_of(conn, claim_ids)
    links = {link.id: link for found in links_of(conn, claim_ids).values() for link in found}
    data.links = sorted(links.values(), key=lambda link: (link.created, link.uid))
    data.marked = annotation_store.marked_quotes(
        conn, article_id=scope.article_id, actor_id=scope.actor_id
    )
    if scope.article_id is None:  # dossiers: the names found in text count too
        refresh_name_matches(conn)
    if scope == Scope():  # the index shows counts; pages of one article or actor do not
        summaries = actor_summaries(conn)
        data.actors = {s.actor.id: s.actor for s in summaries}
        data.counts = {s.actor.id: (s.claims_by, s.claims_about, s.mentions) for s in summaries}
        data.mentions = {i: actor_mentions(conn, i) for i in data.actors}
    else:
        data.actors = registry(conn)
        if scope.actor_id is not None:
            data.mentions = {scope.actor_id: actor_mentions(conn, scope.actor_id)}
    return data


def registry(conn: sqlite3.Connection) -> dict[int, Actor]:
    """Every registered actor (page names and links depend on the whole registry)."""
    return actor_store.all_actors(conn)


def referenced_actors(annotations: Iterable[Annotation]) -> set[int]:
    """Ids of every actor the annotations name (speaker, about, mentioned)."""
    ids: set[int] = set()
    for a in annotations:
        ids.update(i for i in (a.actor_id, a.speaker_id) if i is not None)
        ids.update(actor_id for actor_id, _ in a.about)
    return ids
