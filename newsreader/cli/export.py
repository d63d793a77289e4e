"""Export and import: notes as Markdown, annotations as W3C Web Annotation JSON-LD, claims
with a verdict as schema.org ClaimReview, annotated articles as CSL-JSON."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsreader.cli.context import CliError, Context
from newsreader.wording import plural

if TYPE_CHECKING:
    from newsreader.export.collect import Scope

EXPORT_HELP = """\
what:     --article ID (one article's page), --actor NAME (a dossier of every claim by or
          about the actor, by date, and their mentions), --all (everything; the default)
--format: md (Markdown with YAML front matter), json (W3C Web Annotation JSON-LD),
          claimreview (schema.org ClaimReview JSON-LD of the claims with a verdict:
          unverified ones are left out) or csl (CSL-JSON of the annotated articles, for
          Zotero and pandoc)
--out:    md --all: a folder (index.md, articles/, actors/); md --article/--actor: a .md
          file, or a folder whose articles/ or actors/ gets the page; json, claimreview,
          csl: a file. Without --out, a single page or the JSON goes to stdout (and what
          claimreview and csl exported is said on stderr).
--templates: where the Markdown templates are looked up (yours, in templates/ beside
          config.toml, win over the built-in ones); --template NAME prints a built-in one
          to copy and change.
Re-exporting updates files in place and leaves unchanged files untouched; text between
<!-- newsreader:user-notes --> and <!-- /newsreader:user-notes --> in a page is kept."""


FORMATS = ("md", "json", "claimreview", "csl")


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``export`` and ``import`` commands to the subparsers ``sub``."""
    p = sub.add_parser(
        "export",
        parents=[common],
        epilog=EXPORT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        help="write notes and annotations as Markdown or Web Annotation JSON",
    )
    which = p.add_mutually_exclusive_group()
    which.add_argument("--article", type=int, metavar="ID", help="one article's notes")
    which.add_argument("--actor", metavar="NAME", help="an actor's dossier")
    which.add_argument("--all", action="store_true", help="everything (the default)")
    p.add_argument("--format", choices=FORMATS, default="md", help="(md)")
    p.add_argument("--out", type=Path, metavar="PATH", help="file or folder (see below)")
    p.add_argument(
        "--no-wiki-links",
        dest="wiki_links",
        action="store_false",
        default=None,
        help="actors as plain names instead of [[wiki links]]",
    )
    p.add_argument(
        "--templates", action="store_true", help="list where the Markdown templates are found"
    )
    p.add_argument("--template", metavar="NAME", help="print a built-in Markdown template")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser(
        "import", parents=[common], help="restore annotations, notes and actors from a JSON export"
    )
    p.add_argument("file", type=Path, metavar="FILE", help="a file written by export --format json")
    p.set_defaults(handler=cmd_import)


def _wiki_links(ctx: Context, args: argparse.Namespace) -> bool:
    """--no-wiki-links, else ``[export] wiki_links`` of the config (on by default)."""
    if args.wiki_links is not None:
        return bool(args.wiki_links)
    return ctx.settings.export.wiki_links


def _actor_id(conn: sqlite3.Connection, name: str) -> int:
    from newsreader.store.actors import find_actor

    actor = find_actor(conn, name)
    if actor is None:
        raise CliError(f"no actor named {name!r}")
    return actor.id


def _is_folder(path: Path) -> bool:
    """A path ending in .md names a file; anything else a folder."""
    return path.is_dir() or path.suffix.lower() != ".md"


def cmd_export(ctx: Context, args: argparse.Namespace) -> int:
    """Export one article, one actor's dossier or everything."""
    from newsreader.export.files import ExportPathError
    from newsreader.export.templating import TemplateError
    from newsreader.export.vault import ExportError

    try:
        if args.templates or args.template:
            return _show_templates(ctx, args.template)
        if args.format == "json":
            return _export_json(ctx, args)
        if args.format in ("claimreview", "csl"):
            return _export_standard(ctx, args)
        return _export_markdown(ctx, args)
    except TemplateError as exc:
        raise CliError(f"{exc}; nothing was written") from exc
    except (ExportError, ExportPathError) as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:
        raise CliError(f"cannot write {exc.filename or args.out}: {exc.strerror or exc}") from exc


def _show_templates(ctx: Context, name: str | None) -> int:
    """``--templates``: where each template is found; ``--template NAME``: its built-in text."""
    from newsreader.export.templating import Templates, built_in_source

    if name:
        sys.stdout.write(built_in_source(name))
        return 0
    templates = Templates.for_config(ctx.config_path)
    state = "" if templates.user and templates.user.is_dir() else " (no such folder yet)"
    print(f"Your templates (used first): {templates.user}{state}")
    for found in templates.lookup():
        print(f"  {found.name:<18} {'yours   ' if found.user else 'built in'}  {found.path}")
    for stray in templates.strays():
        print(f"  {stray.name:<18} not used (not a template name)")
    print(
        f"To change one: newsreader export --template NAME > {templates.user}/NAME, then edit it."
    )
    return 0


def _export_json(ctx: Context, args: argparse.Namespace) -> int:
    from newsreader.export.webannotation import dumps, export_document, write_json

    document = export_document(ctx.conn, _scope(ctx, args))
    if args.out is None:
        sys.stdout.write(dumps(document))
        return 0
    if args.out.is_dir():
        raise CliError(f"{args.out} is a folder; a JSON export is one file")
    changed = write_json(args.out, document)
    tagged = sum(1 for i in document["first"]["items"] if i["motivation"] == "tagging")
    items = plural(document["total"] - tagged, "annotation or note", "annotations and notes")
    labelled = f", labels of {plural(tagged, 'article')}" if tagged else ""
    actors = plural(len(document["newsreader:actors"]), "actor")
    print(f"{'wrote' if changed else 'unchanged:'} {args.out} ({items}{labelled}, {actors})")
    return 0


def _scope(ctx: Context, args: argparse.Namespace) -> Scope:
    """The export's scope from --article / --actor (checked: both must exist)."""
    from newsreader.export.collect import Scope
    from newsreader.store.articles import article_exists

    actor_id = _actor_id(ctx.conn, args.actor) if args.actor else None
    if args.article is not None and not article_exists(ctx.conn, args.article):
        raise CliError(f"no article with id {args.article}")
    return Scope(args.article, actor_id)


def _export_standard(ctx: Context, args: argparse.Namespace) -> int:
    """claimreview or csl: one JSON document to --out or stdout, and a line saying what."""
    from newsreader.export import claimreview, csl
    from newsreader.export.files import write_if_changed

    scope = _scope(ctx, args)
    if args.format == "claimreview":
        reviews = claimreview.export_reviews(ctx.conn, scope)
        text = claimreview.dumps(reviews.document)
        said = plural(reviews.reviewed, "claim") + " reviewed"
        if reviews.left_out:
            said += f", {reviews.left_out} without a verdict left out"
    else:
        items = csl.export_items(ctx.conn, scope)
        text = csl.dumps(items)
        said = plural(len(items), "article")
    if args.out is None:
        sys.stdout.write(text)
        print(said, file=sys.stderr)
        return 0
    if args.out.is_dir():
        raise CliError(f"{args.out} is a folder; a {args.format} export is one file")
    changed = write_if_changed(args.out, text)
    print(f"{'wrote' if changed else 'unchanged:'} {args.out} ({said})")
    return 0


def _export_markdown(ctx: Context, args: argparse.Namespace) -> int:
    from newsreader.export import vault
    from newsreader.export.files import write_markdown
    from newsreader.export.templating import Templates

    wiki, out = _wiki_links(ctx, args), args.out
    tpl = Templates.for_config(ctx.config_path)
    if args.article is None and not args.actor:
        if out is None:
            raise CliError(
                "export --all --format md writes one file per article and actor: "
                "give a folder with --out"
            )
        report = vault.export_tree(ctx.conn, out, wiki_links=wiki, templates=tpl)
        print(
            f"{report.root}: {plural(len(report.written), 'file')} written, "
            f"{report.files - len(report.written)} unchanged"
        )
        return 0
    actor_id = _actor_id(ctx.conn, args.actor) if args.actor else None
    if out is not None and _is_folder(out):
        if actor_id is not None:
            path, changed = vault.export_actor_file(
                ctx.conn, actor_id, out, wiki_links=wiki, templates=tpl
            )
        else:
            path, changed = vault.export_article_file(
                ctx.conn, args.article, out, wiki_links=wiki, templates=tpl
            )
        print(f"{'wrote' if changed else 'unchanged:'} {path}")
        return 0
    if actor_id is not None:
        page = vault.actor_markdown(ctx.conn, actor_id, wiki_links=wiki, templates=tpl)
    else:
        page = vault.article_markdown(ctx.conn, args.article, wiki_links=wiki, templates=tpl)
    if out is None:
        sys.stdout.write(page)
        return 0
    changed = write_markdown(out, page)
    print(f"{'wrote' if changed else 'unchanged:'} {out}")
    return 0


def cmd_import(ctx: Context, args: argparse.Namespace) -> int:
    """Import a JSON export: all of it, or (on any error) nothing."""
    from newsreader.export.importer import import_file
    from newsreader.export.jsonread import ImportFormatError

    try:
        report = import_file(ctx.conn, args.file)
    except ImportFormatError as exc:
        raise CliError(f"{args.file}: {exc}; nothing was imported") from exc
    except sqlite3.Error as exc:
        raise CliError(f"import failed, nothing was imported: {exc}") from exc
    print(
        f"imported {plural(report.annotations, 'annotation')} and "
        f"{plural(report.notes, 'note')}; "
        f"actors: {report.actors_added} added, {report.actors_merged} already known"
    )
    if report.present:
        were = "was" if report.present == 1 else "were"
        items = plural(report.present, "annotation or note", "annotations or notes")
        print(f"{items} {were} already in the store")
    if report.waiting:
        one = report.waiting == 1
        print(
            f"{report.waiting} {'waits for its' if one else 'wait for their'} article, not in"
            f" the store yet; {'it attaches' if one else 'they attach'} when a refresh"
            " brings it"
        )
    if report.orphaned:
        print(
            f"{report.orphaned} orphaned: the article's text no longer holds"
            f" {'its' if report.orphaned == 1 else 'their'} quote"
        )
    if report.links:
        print(f"{plural(report.links, 'claim link')} added")
    if report.links_missing:
        print(
            f"{plural(report.links_missing, 'claim link')} not added: the other claim is"
            " neither in the file nor in the store"
        )
    if report.labelled:
        print(f"labels restored on {plural(report.labelled, 'article')}")
    if report.unlabelled:
        print(
            f"labels of {plural(report.unlabelled, 'article')} not restored: not in the store"
            " (subscribe and refresh, then import again)"
        )
    return 0
