"""Notes, claims and actors as Markdown pages that Obsidian, Logseq or git read well.

Three kinds of page:

- an article page: YAML front matter (``id``, ``title``, ``url``, ``feed``, ``author``,
  ``published`` -- ``updated`` instead when the feed gave only a last-updated date --,
  ``fetched`` and ``source`` when its page was fetched (the snapshot), ``exported``,
  ``modified``, ``actors``, ``tags``: the kinds of its marks and its labels), then the
  article's notes, its claims in text order as block quotes with speaker, status, the
  actors they are about, a link back to the article and the note; highlights; mentions
  grouped per actor; orphaned annotations (their text no longer matches the article) in
  their own section;
- an actor dossier: every claim by and about the actor across articles, oldest first,
  and the articles that mention them;
- an index of the article and actor pages.

``exported`` is the time of the export that wrote the page (``now``, given by the caller;
the time of the run by default) and ``modified`` the time of the newest change to what the
page shows (annotations and notes; an actor page without any: null). Re-exporting unchanged
data changes only the ``exported`` line, and :func:`newsreader.export.files.write_markdown`
leaves such a file as it is (its ``exported`` stays the time its content was written), so
an export folder under git or sync sees no churn. Actors are ``[[wiki links]]`` to their
dossier pages unless ``wiki_links`` is False (then plain names, or relative Markdown links
inside an export folder). Feed text is escaped (:mod:`newsreader.export.mdtext`); notes and actor
descriptions are the user's Markdown and are kept as written.

The pages are rendered from Jinja2 templates (:mod:`newsreader.export.templating`): this
module gathers, sorts and groups what a page shows, the templates lay it out, and a user's
template of the same name replaces the built-in one.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from newsreader.annotations.anchoring import CONTEXT
from newsreader.annotations.mentions import ArticleMentions
from newsreader.export.collect import ArticleBundle, ArticleInfo, ExportData, export_id
from newsreader.export.files import article_stem
from newsreader.export.mdtext import (
    escape,
    human_date,
    link_target,
    one_line,
    page_link,
    quote_link,
)
from newsreader.export.templating import Templates, dated
from newsreader.models import Actor, Annotation

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Style:
    """How pages link (wiki links or not, actor page names, inside an export folder or
    not) and which templates render them."""

    wiki_links: bool
    actor_stems: Mapping[int, str]
    tree: bool = False
    """The page is written into an export folder (``articles/``, ``actors/``, index)."""
    memo: dict[tuple[object, ...], str] = field(default_factory=dict, compare=False)
    """Rendered pieces used on many pages (a claim appears on its article's page and on
    the pages of its speaker and of the actors it is about)."""
    templates: Templates = field(default_factory=Templates, compare=False)
    """The templates pages are rendered from (the built-in ones by default)."""

    def actor(self, actor_id: int | None, name: str | None, folder: str = "../actors/") -> str:
        """A reference to an actor: a link to their page where possible."""
        name = name or "unknown"
        stem = self.actor_stems.get(actor_id) if actor_id is not None else None
        if stem is None:
            return escape(one_line(name), line_start=False)
        return page_link(stem, name, wiki_links=self.wiki_links, folder=folder if self.tree else "")

    def actor_plain(self, actor_id: int | None, name: str | None) -> str:
        """Like :meth:`actor`, for YAML: a wiki link string or the bare name."""
        stem = self.actor_stems.get(actor_id) if actor_id is not None else None
        if self.wiki_links and stem is not None:
            return page_link(stem, name or "", wiki_links=True)
        return one_line(name or "unknown")

    def article(self, info: ArticleInfo, folder: str = "../articles/") -> str:
        """A reference to an article's page (its title)."""
        stem = article_stem(info.title, info.export_id)
        return page_link(
            stem,
            info.title or "Untitled",
            wiki_links=self.wiki_links,
            folder=folder if self.tree else "",
        )


def _helpers(data: ExportData, style: Style) -> dict[str, Callable[..., str]]:
    """The functions a page template calls: links, article lines, annotation blocks."""

    def annotation(a: Annotation, info: ArticleInfo, show_kind: bool = False) -> str:
        return annotation_block(a, info, data, style, show_kind=show_kind)

    def article_line(info: ArticleInfo, folder: str = "../articles/") -> str:
        return _article_line(info, style, folder)

    return {
        "actor_link": style.actor,
        "article_link": style.article,
        "article_line": article_line,
        "annotation": annotation,
    }


def _render(name: str, data: ExportData, style: Style, **context: Any) -> str:
    return style.templates.render(name, **_helpers(data, style), **context)


def _exported(now: float | None) -> float:
    """The export's time: ``now``, else the time of the run to the second."""
    return float(int(time.time())) if now is None else now


def annotation_block(
    a: Annotation, info: ArticleInfo, data: ExportData, style: Style, *, show_kind: bool = False
) -> str:
    """One annotation: its quote, its facts, then its note (``annotation.md.j2``)."""
    key = ("block", a.id, show_kind)
    found = style.memo.get(key)
    if found is None:
        source = (
            link_target(info.url)
            if a.orphaned
            else quote_link(info.url, a.exact, a.prefix, a.suffix)
        )
        text = _render(
            "annotation.md.j2",
            data,
            style,
            a=a,
            show_kind=show_kind,
            source=source,
            history=data.history.get(a.id, []),
        )
        found = style.memo[key] = text.removesuffix("\n")
    return found


def _context(text: str, *, before: bool) -> str:
    """A quote's stored context, without the word the 32-character window cut through."""
    cut = len(text) >= CONTEXT
    text = _SPACES.sub(" ", text)
    if len(text) > 40:
        text, cut = (text[-40:] if before else text[:40]), True
    if not cut:
        return text
    parts = text.split(" ", 1) if before else text.rsplit(" ", 1)
    if len(parts) < 2:
        return text
    return parts[1] if before else parts[0]


@dataclass(frozen=True, slots=True)
class MentionLine:
    """A mention on an article's page: the words around it, the quote, its note."""

    before: str
    exact: str
    after: str
    note: str


@dataclass(frozen=True, slots=True)
class MentionGroup:
    """The mentions of one actor on an article's page."""

    actor_id: int | None
    actor_name: str | None
    mentions: list[MentionLine]


def _mentions(mentions: list[Annotation]) -> list[MentionGroup]:
    """Mentions grouped per actor, by name (ignoring case)."""
    groups: dict[tuple[str, int], list[Annotation]] = {}
    for a in mentions:
        key = ((a.actor_name or "").casefold(), a.actor_id or 0)
        groups.setdefault(key, []).append(a)
    return [
        MentionGroup(
            groups[key][0].actor_id,
            groups[key][0].actor_name,
            [
                MentionLine(
                    _context(a.prefix, before=True),
                    a.exact,
                    _context(a.suffix, before=False),
                    a.note,
                )
                for a in groups[key]
            ],
        )
        for key in sorted(groups)
    ]


def _front_matter_actors(bundle: ArticleBundle, style: Style) -> list[str]:
    actors: dict[int, tuple[str, str]] = {}
    for a in bundle.annotations:
        for actor_id, name in (
            (a.speaker_id, a.speaker_name),
            (a.actor_id, a.actor_name),
            *a.about,
        ):
            if actor_id is not None and name is not None:
                actors[actor_id] = (name.casefold(), style.actor_plain(actor_id, name))
    return [shown for _, shown in sorted(actors.values())]


def _tags(info: ArticleInfo, bundle: ArticleBundle) -> list[str]:
    tags = {a.kind for a in bundle.annotations}
    tags |= {f"status/{a.status}" for a in bundle.annotations if a.status}
    tags |= {"note"} if bundle.notes else set()
    tags |= {"orphaned"} if any(a.orphaned for a in bundle.annotations) else set()
    tags |= {label_tag(name) for name in info.labels}
    return ["newsreader", *sorted(tags)]


def label_tag(name: str) -> str:
    """A label as a front-matter tag: spaces become hyphens (a tag is one word in Obsidian
    and most Markdown tools)."""
    return "-".join(name.split())


def article_page(
    bundle: ArticleBundle, data: ExportData, style: Style, *, now: float | None = None
) -> str:
    """The Markdown page of one article's notes and annotations, exported at ``now``."""
    info = bundle.info
    placed = [a for a in bundle.annotations if not a.orphaned]
    return _render(
        "article.md.j2",
        data,
        style,
        article=info,
        url=info.url if link_target(info.url) is not None else "",
        link=link_target(info.url),
        exported=_exported(now),
        modified=bundle.modified,
        actors=_front_matter_actors(bundle, style),
        tags=_tags(info, bundle),
        notes=bundle.notes,
        claims=[a for a in placed if a.kind == "claim"],
        highlights=[a for a in placed if a.kind == "highlight"],
        mentions=_mentions([a for a in placed if a.kind == "mention"]),
        orphans=[a for a in bundle.annotations if a.orphaned],
        annotated=bool(bundle.annotations),
    )


# --- actor dossiers -------------------------------------------------------------------

Role = list[tuple[ArticleBundle, Annotation]]
ROLES = ("speaker", "about", "mention")


def actor_roles(data: ExportData) -> dict[int, dict[str, Role]]:
    """Actor id -> role ("speaker", "about", "mention") -> where the actor appears."""
    roles: dict[int, dict[str, Role]] = {}

    def add(actor_id: int | None, role: str, entry: tuple[ArticleBundle, Annotation]) -> None:
        if actor_id is not None:
            roles.setdefault(actor_id, {r: [] for r in ROLES})[role].append(entry)

    for bundle in data.bundles:
        for a in bundle.annotations:
            if a.kind == "claim":
                add(a.speaker_id, "speaker", (bundle, a))
                for actor_id, _ in a.about:
                    add(actor_id, "about", (bundle, a))
            elif a.kind == "mention":
                add(a.actor_id, "mention", (bundle, a))
    return roles


def _chronological(entry: tuple[ArticleBundle, Annotation]) -> tuple[float, str, str, int, str]:
    info, a = entry[0].info, entry[1]
    when = info.published if info.published is not None else a.created
    return (when, info.title.casefold(), info.export_id, a.start, a.uid)


@dataclass(frozen=True, slots=True)
class ClaimGroup:
    """The claims of a dossier's section made in one article."""

    article: ArticleInfo
    claims: list[Annotation]


def _claim_groups(entries: Role) -> list[ClaimGroup]:
    """Claims by date, one group per run of claims from the same article."""
    groups: list[ClaimGroup] = []
    for bundle, a in sorted(entries, key=_chronological):
        if not groups or groups[-1].article.export_id != bundle.info.export_id:
            groups.append(ClaimGroup(bundle.info, []))
        groups[-1].claims.append(a)
    return groups


def _article_line(info: ArticleInfo, style: Style, folder: str = "../articles/") -> str:
    key = ("article", info.export_id, folder)
    found = style.memo.get(key)
    if found is None:
        bits = [dated(human_date(info.published), info.date_kind), style.article(info, folder)]
        if info.feed:
            bits.append(escape(one_line(info.feed), line_start=False))
        found = style.memo[key] = " · ".join(bits)
    return found


@dataclass(frozen=True, slots=True)
class Place:
    """An article in a dossier's mentions: its line, how often it names the actor, how
    many of those are tags, and whether it is a tag whose quote or article is gone."""

    article: str
    count: int
    tagged: int = 0
    gone: bool = False


@dataclass(frozen=True, slots=True)
class Mentions:
    """A dossier's mentions section: the total and the places, oldest first."""

    total: int
    places: list[Place]


def _mentioned_in(entries: Role, style: Style) -> Mentions:
    """The tagged mentions counted per article (when the places found by name are not
    known)."""
    per_article: dict[str, tuple[ArticleBundle, int]] = {}
    for bundle, _ in sorted(entries, key=_chronological):
        found = per_article.get(bundle.info.export_id, (bundle, 0))
        per_article[bundle.info.export_id] = (bundle, found[1] + 1)
    places = [Place(_article_line(b.info, style), n) for b, n in per_article.values()]
    return Mentions(len(entries), places)


def _plain_article_line(m: ArticleMentions) -> str:
    """An article without a page in the export: its date, title (linked to it) and feed."""
    row = m.article
    title = escape(one_line(row.title or "Untitled"), line_start=False)
    target = link_target(row.url)
    bits = [
        dated(human_date(row.published), row.date_kind),
        f"[{title}]({target})" if target else title,
    ]
    if row.feed_title:
        bits.append(escape(one_line(row.feed_title), line_start=False))
    return " · ".join(bits)


def _places(
    places: list[ArticleMentions], entries: Role, data: ExportData, style: Style
) -> Mentions:
    """Every article naming the actor, oldest first, with its places (tagged or found by
    name); tags whose quote or article is gone are listed under their own article."""
    pages = {b.info.article_id: b for b in data.bundles if b.info.article_id is not None}
    found: list[tuple[tuple[float, str, int], Place]] = []
    for m in places:
        bundle = pages.get(m.article.article_id)
        shown = _article_line(bundle.info, style) if bundle else _plain_article_line(m)
        when = m.article.published if m.article.published is not None else 0.0
        key = (when, m.article.title.casefold(), m.article.article_id)
        found.append((key, Place(shown, m.count, m.tagged)))
    gone = [(b, a) for b, a in entries if a.orphaned or a.article_id is None]
    for bundle, _ in gone:
        info = bundle.info
        key = (info.published or 0.0, info.title.casefold(), 0)
        found.append((key, Place(_article_line(info, style), 1, gone=True)))
    found.sort(key=lambda item: (item[0], item[1].article, item[1].count, item[1].tagged))
    total = sum(m.count for m in places) + len(gone)
    return Mentions(total, [place for _, place in found])


def _dossier_mentions(
    actor: Actor, roles: Mapping[str, Role], data: ExportData, style: Style
) -> Mentions | None:
    places = data.mentions.get(actor.id)
    if places is not None and (places or roles.get("mention")):
        return _places(places, roles.get("mention", []), data, style)
    if roles.get("mention"):
        return _mentioned_in(roles["mention"], style)
    return None


def actor_page(
    actor: Actor,
    roles: Mapping[str, Role],
    data: ExportData,
    style: Style,
    *,
    now: float | None = None,
) -> str:
    """An actor's dossier: claims by and about them, by date, and where they are mentioned."""
    entries = [e for role in ROLES for e in roles.get(role, [])]
    return _render(
        "actor.md.j2",
        data,
        style,
        actor=actor,
        export_id=actor_export_id(actor.name),
        exported=_exported(now),
        modified=max((a.modified for _, a in entries), default=None),
        claims_by=_claim_groups(roles.get("speaker", [])),
        claims_about=_claim_groups(roles.get("about", [])),
        mentions=_dossier_mentions(actor, roles, data, style),
        nothing=not entries and not data.mentions.get(actor.id),
    )


def actor_export_id(name: str) -> str:
    """A stable id for an actor's page (12 hex digits of its name, ignoring case)."""
    return export_id(name.casefold(), "", "")


# --- index ----------------------------------------------------------------------------


def _bundle_counts(bundle: ArticleBundle) -> list[tuple[int, str]]:
    """What an article's page holds, as (number, word) pairs, the zeros left out."""
    counts = [
        (sum(a.kind == k for a in bundle.annotations if not a.orphaned), k)
        for k in ("claim", "highlight", "mention")
    ]
    counts.append((len(bundle.notes), "note"))
    counts.append((sum(a.orphaned for a in bundle.annotations), "orphan"))
    return [(n, word) for n, word in counts if n]


@dataclass(frozen=True, slots=True)
class IndexArticle:
    """An article in the index and what its page holds."""

    info: ArticleInfo
    counts: list[tuple[int, str]]


@dataclass(frozen=True, slots=True)
class IndexActor:
    """An actor in the index, with (claims by, claims about, mentions) over the store."""

    actor: Actor
    counts: tuple[int, int, int]


def index_page(data: ExportData, style: Style, *, now: float | None = None) -> str:
    """The index of an export folder: every article page, newest first, and every actor."""
    bundles = sorted(
        data.bundles,
        key=lambda b: (
            b.info.published is None,
            -(b.info.published or 0.0),
            b.info.title.casefold(),
            b.info.export_id,
        ),
    )
    actors = sorted(data.actors.values(), key=lambda a: (a.name.casefold(), a.name, a.id))
    return _render(
        "index.md.j2",
        data,
        style,
        exported=_exported(now),
        modified=max((b.modified for b in bundles if b.modified is not None), default=None),
        articles=[IndexArticle(b.info, _bundle_counts(b)) for b in bundles],
        actor_count=len(data.actors),
        actors=[IndexActor(a, data.counts.get(a.id, (0, 0, 0))) for a in actors],
    )
