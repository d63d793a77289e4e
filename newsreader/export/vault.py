"""Markdown exports as text or files: one article, one actor, or a whole notes folder.

A notes folder (``export --all --format md --out notes/``) holds::

    index.md                       every article page (newest first) and actor page
    articles/<title>-<id>.md       one per annotated article; <id> is its export id
    actors/<name>.md               one dossier per registered actor

Names are stable: an article keeps its export id (a digest of its url) in every store,
and when its title changes, the file with that id is renamed rather than duplicated.
Articles at the same url (one story in two feeds) share a page. Pages no longer produced
(every annotation deleted) are left alone: they may hold the user's own notes. Only files
whose content changes are rewritten: a page that differs only in its ``exported`` time
is left as it was (see :func:`newsreader.export.files.write_markdown`).

``now`` (every function takes it) is the export time written into the pages; by default
the time of the call, once per call (one run of :func:`export_tree` writes one time).
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from newsreader.export.collect import (
    ArticleBundle,
    ArticleInfo,
    ExportData,
    Scope,
    export_id,
    load,
    registry,
)
from newsreader.export.files import (
    actor_stems,
    adopt,
    article_stem,
    child,
    files_by_id,
    inside,
    output_dir,
    subfolder,
    write_markdown,
)
from newsreader.export.markdown import Style, actor_page, actor_roles, article_page, index_page
from newsreader.export.mdlinks import with_record
from newsreader.export.templating import Templates
from newsreader.paths import config_path
from newsreader.store.actors import get_actor
from newsreader.store.articles import get_article
from newsreader.store.pages import page_fetched

ARTICLES = "articles"
ACTORS = "actors"
INDEX = "index.md"


class ExportError(ValueError):
    """Nothing to export (no such article or actor); the message is meant for the user."""


@dataclass(slots=True)
class TreeReport:
    """What writing a notes folder did."""

    root: Path
    files: int = 0
    written: list[Path] = field(default_factory=list)
    """Files created or changed (the rest were already up to date)."""


def _style(
    data: ExportData, wiki_links: bool, tree: bool, templates: Templates | None = None
) -> Style:
    """How the pages link, rendered by ``templates`` (default: the templates beside the
    config file that NEWSREADER_CONFIG or the user config dir names, then the built-in)."""
    chosen = templates or Templates.for_config(config_path())
    return Style(wiki_links, actor_stems(data.actors.values()), tree, templates=chosen)


def _article_bundle(conn: sqlite3.Connection, article_id: int, data: ExportData) -> ArticleBundle:
    if data.bundles:
        return data.bundles[0]
    article = get_article(conn, article_id)
    if article is None:
        raise ExportError(f"no article with id {article_id}")
    info = ArticleInfo(
        export_id(article.url, article.feed_title, article.title),
        article.id,
        article.url,
        article.title,
        article.feed_title,
        article.author,
        article.published,
        article.date_kind,
        *(page_fetched(conn, article.id) or ()),
    )
    return ArticleBundle(replace(info, labels=article.labels))


def article_markdown(
    conn: sqlite3.Connection,
    article_id: int,
    *,
    wiki_links: bool = True,
    tree: bool = False,
    now: float | None = None,
    templates: Templates | None = None,
) -> str:
    """One article's notes and annotations as a Markdown page (without a user section)."""
    data = load(conn, Scope(article_id=article_id))
    bundle = _article_bundle(conn, article_id, data)
    style = _style(data, wiki_links, tree, templates)
    return with_record(article_page(bundle, data, style, now=now), bundle, data, style)


def actor_markdown(
    conn: sqlite3.Connection,
    actor_id: int,
    *,
    wiki_links: bool = True,
    tree: bool = False,
    now: float | None = None,
    templates: Templates | None = None,
) -> str:
    """An actor's dossier as a Markdown page (without a user section)."""
    actor = get_actor(conn, actor_id)
    if actor is None:
        raise ExportError(f"no actor with id {actor_id}")
    data = load(conn, Scope(actor_id=actor_id))
    roles = actor_roles(data).get(actor_id, {})
    return actor_page(actor, roles, data, _style(data, wiki_links, tree, templates), now=now)


def article_file_name(url: str, feed: str, title: str) -> str:
    """Where an article's page goes inside a notes folder ("articles/<title>-<id>.md"),
    from the article's url, feed title and title alone (nothing read, nothing renamed)."""
    return f"{ARTICLES}/{article_stem(title, export_id(url, feed, title))}.md"


def article_path(conn: sqlite3.Connection, root: Path, article_id: int) -> Path:
    """Where an article's page goes in the notes folder ``root`` (renaming an old one)."""
    bundle = _article_bundle(conn, article_id, load(conn, Scope(article_id=article_id)))
    return _article_target(subfolder(root, ARTICLES), bundle.info, None)


def _article_target(folder: Path, info: ArticleInfo, known: dict[str, Path] | None) -> Path:
    """The page's path in the (resolved) ``articles`` folder, renaming an older name."""
    target = child(folder, article_stem(info.title, info.export_id) + ".md")
    if known is None:
        known = files_by_id(folder)
    adopt(known.get(info.export_id), target)
    return target


def export_article_file(
    conn: sqlite3.Connection,
    article_id: int,
    root: Path,
    *,
    wiki_links: bool = True,
    now: float | None = None,
    templates: Templates | None = None,
) -> tuple[Path, bool]:
    """Write one article's page into the notes folder ``root``; (path, whether it changed)."""
    text = article_markdown(
        conn, article_id, wiki_links=wiki_links, tree=True, now=now, templates=templates
    )
    root = output_dir(root)
    target = article_path(conn, root, article_id)
    return target, write_markdown(target, text)


def export_actor_file(
    conn: sqlite3.Connection,
    actor_id: int,
    root: Path,
    *,
    wiki_links: bool = True,
    now: float | None = None,
    templates: Templates | None = None,
) -> tuple[Path, bool]:
    """Write an actor's dossier into the notes folder ``root``; (path, whether it changed)."""
    text = actor_markdown(
        conn, actor_id, wiki_links=wiki_links, tree=True, now=now, templates=templates
    )
    root = output_dir(root)
    stems = actor_stems(registry(conn).values())
    target = inside(root, ACTORS, stems[actor_id] + ".md")
    return target, write_markdown(target, text)


def export_tree(
    conn: sqlite3.Connection,
    out: Path,
    *,
    wiki_links: bool = True,
    now: float | None = None,
    templates: Templates | None = None,
) -> TreeReport:
    """Write (or update in place) the whole notes folder ``out``.

    Every page is rendered before any is written, so a template error writes nothing.
    """
    now = float(int(time.time())) if now is None else now
    data = load(conn)
    style = _style(data, wiki_links, tree=True, templates=templates)
    roles = actor_roles(data)
    article_pages = [
        (b.info, with_record(article_page(b, data, style, now=now), b, data, style))
        for b in data.bundles
    ]
    actor_pages = [
        (actor_id, actor_page(actor, roles.get(actor_id, {}), data, style, now=now))
        for actor_id, actor in sorted(data.actors.items())
    ]
    index = index_page(data, style, now=now)
    root = output_dir(out)
    report = TreeReport(root)

    def put(target: Path, text: str) -> None:
        report.files += 1
        if write_markdown(target, text):
            report.written.append(target)

    articles, actors = subfolder(root, ARTICLES), subfolder(root, ACTORS)
    known = files_by_id(articles)
    for info, text in article_pages:
        put(_article_target(articles, info, known), text)
    for actor_id, text in actor_pages:
        put(child(actors, style.actor_stems[actor_id] + ".md"), text)
    put(child(root, INDEX), index)
    return report
