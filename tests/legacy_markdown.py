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
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from newsreader.annotations.anchoring import CONTEXT
from newsreader.annotations.mentions import ArticleMentions
from newsreader.export.collect import ArticleBundle, ArticleInfo, ExportData, export_id
from newsreader.export.files import article_stem
from newsreader.export.mdtext import (
    block_quote,
    escape,
    human_date,
    human_time,
    iso_time,
    link_target,
    neutralise_markers,
    one_line,
    page_link,
    plural,
    quote_link,
    yaml_list,
    yaml_str,
)
from newsreader.models import Actor, Annotation

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Style:
    """How pages link: wiki links or not, actor page names, inside an export folder or not."""

    wiki_links: bool
    actor_stems: Mapping[int, str]
    tree: bool = False
    """The page is written into an export folder (``articles/``, ``actors/``, index)."""
    memo: dict[tuple[object, ...], str] = field(default_factory=dict, compare=False)
    """Rendered pieces used on many pages (a claim appears on its article's page and on
    the pages of its speaker and of the actors it is about)."""

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


def _front_matter(lines: list[str]) -> str:
    return "\n".join(["---", *lines, "---"])


def _page_source(info: ArticleInfo) -> list[str]:
    """``fetched:`` and ``source:``, the time and URL of the article's page (the snapshot
    its full text came from), for an article that has one."""
    if info.page_fetched is None:
        return []
    return [_time_field("fetched", info.page_fetched), f"source: {yaml_str(info.page_url)}"]


def _time_field(key: str, ts: float | None) -> str:
    value = iso_time(ts)
    return f"{key}: {value}" if value is not None else f"{key}: null"


def _article_date(info: ArticleInfo) -> str:
    """The article's date in a front matter: ``updated:`` when the feed gave only a
    last-updated date, else ``published:`` (null when there is none)."""
    return _time_field("updated" if info.date_kind == "updated" else "published", info.published)


def _dated(shown: str, date_kind: str) -> str:
    """A date as a line shows it: "updated …" for a last-updated date, else as it is."""
    return f"updated {shown}" if date_kind == "updated" and shown else shown


def _dates(now: float | None, modified: float | None) -> list[str]:
    """The ``exported`` (the run, to the second, or ``now``) and ``modified`` lines of a
    front matter."""
    return [
        _time_field("exported", float(int(time.time())) if now is None else now),
        _time_field("modified", modified),
    ]


def _status(a: Annotation, history: Mapping[int, list[tuple[str, float]]]) -> str:
    changes = history.get(a.id, [])
    text = a.status or "unverified"
    if len(changes) > 1:
        text += " (" + " → ".join(f"{s} {human_time(t)}" for s, t in changes) + ")"
    return text


def _facts(
    a: Annotation, info: ArticleInfo, data: ExportData, style: Style, *, show_kind: bool = False
) -> list[str]:
    """The list under an annotation's quote: kind, speaker, status, about, link."""
    facts = [f"- Kind: {a.kind}"] if show_kind else []
    if a.kind == "claim":
        facts.append(f"- Speaker: {style.actor(a.speaker_id, a.speaker_name)}")
        facts.append(f"- Status: {_status(a, data.history)}")
        if a.about:
            facts.append("- About: " + ", ".join(style.actor(i, n) for i, n in a.about))
    elif a.kind == "mention":
        facts.append(f"- Actor: {style.actor(a.actor_id, a.actor_name)}")
    if a.orphaned:
        facts.append("- Orphaned: the article's text no longer holds this quote")
    link = (
        link_target(info.url) if a.orphaned else quote_link(info.url, a.exact, a.prefix, a.suffix)
    )
    if link is not None:
        facts.append(f"- Source: [{'the article' if a.orphaned else 'at the quote'}]({link})")
    return facts


def annotation_block(
    a: Annotation, info: ArticleInfo, data: ExportData, style: Style, *, show_kind: bool = False
) -> str:
    """One annotation: its quote, its facts, then its note."""
    key = ("block", a.id, show_kind)
    found = style.memo.get(key)
    if found is None:
        parts = [block_quote(a.exact), "\n".join(_facts(a, info, data, style, show_kind=show_kind))]
        if a.note:
            parts.append(neutralise_markers(a.note))
        found = style.memo[key] = "\n\n".join(p for p in parts if p)
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


def _mention_line(a: Annotation) -> str:
    before = escape(_context(a.prefix, before=True), line_start=False)
    after = escape(_context(a.suffix, before=False), line_start=False)
    line = f"- …{before}**{escape(one_line(a.exact), line_start=False)}**{after}…"
    if a.note:
        note = neutralise_markers(a.note).split("\n")
        line += "\n\n" + "\n".join(f"  {n}" if n.strip() else "" for n in note)
    return line


def _mentions(mentions: list[Annotation], style: Style) -> list[str]:
    groups: dict[tuple[str, int], list[Annotation]] = {}
    for a in mentions:
        key = ((a.actor_name or "").casefold(), a.actor_id or 0)
        groups.setdefault(key, []).append(a)
    out = ["## Mentions"]
    for key in sorted(groups):
        first = groups[key][0]
        out.append(f"### {style.actor(first.actor_id, first.actor_name)} ({len(groups[key])})")
        out.append("\n".join(_mention_line(a) for a in groups[key]))
    return out


def _article_meta(info: ArticleInfo, bundle: ArticleBundle, style: Style, now: float | None) -> str:
    actors: dict[int, tuple[str, str]] = {}
    for a in bundle.annotations:
        for actor_id, name in (
            (a.speaker_id, a.speaker_name),
            (a.actor_id, a.actor_name),
            *a.about,
        ):
            if actor_id is not None and name is not None:
                actors[actor_id] = (name.casefold(), style.actor_plain(actor_id, name))
    tags = {a.kind for a in bundle.annotations}
    tags |= {f"status/{a.status}" for a in bundle.annotations if a.status}
    tags |= {"note"} if bundle.notes else set()
    tags |= {"orphaned"} if any(a.orphaned for a in bundle.annotations) else set()
    tags |= {label_tag(name) for name in info.labels}
    url = info.url if link_target(info.url) is not None else ""
    return _front_matter(
        [
            f"id: {yaml_str('newsreader-article-' + info.export_id)}",
            f"title: {yaml_str(info.title)}",
            f"url: {yaml_str(url)}",
            f"feed: {yaml_str(info.feed)}",
            f"author: {yaml_str(info.author)}",
            _article_date(info),
            *_page_source(info),
            *_dates(now, bundle.modified),
            yaml_list("actors", [shown for _, shown in sorted(actors.values())]),
            yaml_list("tags", ["newsreader", *sorted(tags)]),
        ]
    )


def label_tag(name: str) -> str:
    """A label as a front-matter tag: spaces become hyphens (a tag is one word in Obsidian
    and most Markdown tools)."""
    return "-".join(name.split())


def _byline(info: ArticleInfo) -> str:
    bits = [escape(one_line(b), line_start=False) for b in (info.feed, info.author) if b]
    if info.published is not None:
        bits.append(_dated(human_time(info.published), info.date_kind))
    target = link_target(info.url)
    if target is not None:
        bits.append(f"[Open the article]({target})")
    return " · ".join(bits)


def article_page(
    bundle: ArticleBundle, data: ExportData, style: Style, *, now: float | None = None
) -> str:
    """The Markdown page of one article's notes and annotations, exported at ``now``."""
    info = bundle.info
    out = [
        _article_meta(info, bundle, style, now),
        f"# {escape(one_line(info.title or 'Untitled'))}",
    ]
    if byline := _byline(info):
        out.append(byline)
    if bundle.notes:
        out.append("## Notes")
        for note in bundle.notes:
            out += [f"*{human_time(note.created)}*", neutralise_markers(note.body)]
    placed = [a for a in bundle.annotations if not a.orphaned]
    for kind, heading in (("claim", "Claims"), ("highlight", "Highlights")):
        chosen = [a for a in placed if a.kind == kind]
        if chosen:
            out.append(f"## {heading}")
            out += [annotation_block(a, info, data, style) for a in chosen]
    mentions = [a for a in placed if a.kind == "mention"]
    if mentions:
        out += _mentions(mentions, style)
    orphans = [a for a in bundle.annotations if a.orphaned]
    if orphans:
        out += [
            "## Orphaned annotations",
            "The article's text changed and these no longer match it; each keeps the "
            "quote it was made on.",
        ]
        out += [annotation_block(a, info, data, style, show_kind=True) for a in orphans]
    if not bundle.notes and not bundle.annotations:
        out.append("*Nothing annotated yet.*")
    return "\n\n".join(out) + "\n"


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


def _claims_section(title: str, entries: Role, data: ExportData, style: Style) -> list[str]:
    out = [f"## {title} ({len(entries)})"]
    current = None
    for bundle, a in sorted(entries, key=_chronological):
        if bundle.info.export_id != current:
            current = bundle.info.export_id
            out.append(f"### {_article_line(bundle.info, style)}")
        out.append(annotation_block(a, bundle.info, data, style))
    return out


def _article_line(info: ArticleInfo, style: Style, folder: str = "../articles/") -> str:
    key = ("article", info.export_id, folder)
    found = style.memo.get(key)
    if found is None:
        bits = [_dated(human_date(info.published), info.date_kind), style.article(info, folder)]
        if info.feed:
            bits.append(escape(one_line(info.feed), line_start=False))
        found = style.memo[key] = " · ".join(bits)
    return found


def _mentioned_in(entries: Role, style: Style) -> list[str]:
    per_article: dict[str, tuple[ArticleBundle, int]] = {}
    for bundle, _ in sorted(entries, key=_chronological):
        found = per_article.get(bundle.info.export_id, (bundle, 0))
        per_article[bundle.info.export_id] = (bundle, found[1] + 1)
    lines = [
        f"- {_article_line(b.info, style)} · {plural(n, 'mention')}"
        for b, n in per_article.values()
    ]
    return [f"## Mentions ({len(entries)})", "\n".join(lines)]


def _plain_article_line(m: ArticleMentions) -> str:
    """An article without a page in the export: its date, title (linked to it) and feed."""
    row = m.article
    title = escape(one_line(row.title or "Untitled"), line_start=False)
    target = link_target(row.url)
    bits = [
        _dated(human_date(row.published), row.date_kind),
        f"[{title}]({target})" if target else title,
    ]
    if row.feed_title:
        bits.append(escape(one_line(row.feed_title), line_start=False))
    return " · ".join(bits)


def _places_section(
    places: list[ArticleMentions], entries: Role, data: ExportData, style: Style
) -> list[str]:
    """Every article naming the actor, oldest first, with its places (tagged or found by
    name); tags whose quote or article is gone are listed under their own article."""
    pages = {b.info.article_id: b for b in data.bundles if b.info.article_id is not None}
    lines: list[tuple[tuple[float, str, int], str]] = []
    for m in places:
        bundle = pages.get(m.article.article_id)
        shown = _article_line(bundle.info, style) if bundle else _plain_article_line(m)
        tagged = f" ({m.tagged} tagged)" if m.tagged else ""
        when = m.article.published if m.article.published is not None else 0.0
        lines.append(
            (
                (when, m.article.title.casefold(), m.article.article_id),
                f"- {shown} · {plural(m.count, 'mention')}{tagged}",
            )
        )
    gone = [(b, a) for b, a in entries if a.orphaned or a.article_id is None]
    for bundle, _ in gone:
        info = bundle.info
        lines.append(
            (
                (info.published or 0.0, info.title.casefold(), 0),
                f"- {_article_line(info, style)} · 1 mention"
                " (tagged; its quote or article is gone)",
            )
        )
    total = sum(m.count for m in places) + len(gone)
    return [f"## Mentions ({total})", "\n".join(line for _, line in sorted(lines))]


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
    modified = max((a.modified for _, a in entries), default=None)
    name = escape(one_line(actor.name))
    out = [
        _front_matter(
            [
                f"id: {yaml_str('newsreader-actor-' + actor_export_id(actor.name))}",
                f"title: {yaml_str(actor.name)}",
                f"kind: {yaml_str(actor.kind)}",
                yaml_list("aliases", list(actor.aliases)),
                *_dates(now, modified),
                yaml_list("tags", ["newsreader", "actor", f"actor/{actor.kind}"]),
            ]
        ),
        f"# {name}",
    ]
    known = ", ".join(escape(one_line(alias), line_start=False) for alias in actor.aliases)
    out.append(actor.kind + (f" · also known as {known}" if known else ""))
    if actor.description:
        out.append(neutralise_markers(actor.description))
    if roles.get("speaker"):
        out += _claims_section(f"Claims by {name}", roles["speaker"], data, style)
    if roles.get("about"):
        out += _claims_section(f"Claims about {name}", roles["about"], data, style)
    places = data.mentions.get(actor.id)
    if places is not None and (places or roles.get("mention")):
        out += _places_section(places, roles.get("mention", []), data, style)
    elif roles.get("mention"):
        out += _mentioned_in(roles["mention"], style)
    if not entries and not places:
        out.append("*No claims or mentions yet.*")
    return "\n\n".join(out) + "\n"


def actor_export_id(name: str) -> str:
    """A stable id for an actor's page (12 hex digits of its name, ignoring case)."""
    return export_id(name.casefold(), "", "")


# --- index ----------------------------------------------------------------------------


def _bundle_counts(bundle: ArticleBundle) -> str:
    counts = [
        (sum(a.kind == k for a in bundle.annotations if not a.orphaned), k)
        for k in ("claim", "highlight", "mention")
    ]
    counts.append((len(bundle.notes), "note"))
    counts.append((sum(a.orphaned for a in bundle.annotations), "orphan"))
    return ", ".join(plural(n, word) for n, word in counts if n)


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
    modified = max((b.modified for b in bundles if b.modified is not None), default=None)
    out = [
        _front_matter(
            [
                f"id: {yaml_str('newsreader-index')}",
                f"title: {yaml_str('newsreader notes')}",
                *_dates(now, modified),
                yaml_list("tags", ["newsreader"]),
            ]
        ),
        "# newsreader notes",
        f"{plural(len(bundles), 'annotated article')} and {plural(len(data.actors), 'actor')}.",
    ]
    if bundles:
        out += [
            "## Articles",
            "\n".join(
                f"- {_article_line(b.info, style, 'articles/')} · {_bundle_counts(b)}"
                for b in bundles
            ),
        ]
    actors = sorted(data.actors.values(), key=lambda a: (a.name.casefold(), a.name, a.id))
    if actors:
        out += ["## Actors", "\n".join(_actor_line(a, data, style) for a in actors)]
    return "\n\n".join(out) + "\n"


def _actor_line(actor: Actor, data: ExportData, style: Style) -> str:
    by, about, mentions = data.counts.get(actor.id, (0, 0, 0))
    counts = [
        plural(by, "claim") + " by" if by else "",
        f"{about} about" if about else "",
        plural(mentions, "mention") if mentions else "",
    ]
    shown = ", ".join(c for c in counts if c)
    line = f"- {style.actor(actor.id, actor.name, 'actors/')} · {actor.kind}"
    return line + (f" · {shown}" if shown else "")
