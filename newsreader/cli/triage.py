"""Triage commands: label, labels, later, hide, pipe."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from newsreader.cli.context import CliError, Context
from newsreader.cli.output import format_time, iso_time, print_json, print_table
from newsreader.wording import plural


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the triage commands to the subparsers ``sub``."""
    p = sub.add_parser(
        "label",
        parents=[common],
        help="add (+NAME) or remove (-NAME) labels on articles; alone, list their labels",
        description="newsreader label 12 14 +brief -todo: labels 12 and 14 brief, takes todo "
        "off. Without +/-: print the articles' labels.",
    )
    p.add_argument("words", nargs="+", metavar="ARTICLE|+NAME|-NAME")
    p.add_argument("--remove", action="append", default=[], metavar="NAME", help=argparse.SUPPRESS)
    p.add_argument("--json", action="store_true", help="one JSON object: labels by article id")
    p.set_defaults(handler=cmd_label)

    p = sub.add_parser("labels", parents=[common], help="list the labels with their counts")
    p.add_argument("--json", action="store_true", help="one JSON document")
    p.add_argument(
        "--rename", nargs=2, metavar=("OLD", "NEW"), help="rename a label (merging into NEW)"
    )
    p.add_argument("--delete", metavar="NAME", help="take a label off every article")
    p.set_defaults(handler=cmd_labels)

    p = sub.add_parser(
        "hide", parents=[common], help="hide articles from every list (--undo: show them again)"
    )
    p.add_argument("articles", nargs="+", type=int, metavar="ARTICLE")
    p.add_argument("--undo", action="store_true", help="show them again")
    p.set_defaults(handler=cmd_hide)

    p = sub.add_parser(
        "later",
        parents=[common],
        help="put articles in the Later queue (--remove: take them out); alone, list it",
    )
    p.add_argument("articles", nargs="*", type=int, metavar="ARTICLE")
    p.add_argument("--remove", action="store_true", help="take the articles out of the queue")
    p.add_argument("--json", action="store_true", help="one JSON document (listing)")
    p.set_defaults(handler=cmd_later)

    p = sub.add_parser(
        "pipe",
        parents=[common],
        help="hand an article to a command of [commands] (as | does in the TUI)",
    )
    p.add_argument("article", type=int, metavar="ARTICLE")
    p.add_argument("command", nargs="?", metavar="NAME", help="the command (alone: list them)")
    p.set_defaults(handler=cmd_pipe)


def spell_removals(argv: Sequence[str]) -> list[str]:
    """``label … -NAME`` as ``label … --remove=NAME``, so argparse does not take a label to
    take off for an option it does not know. Only the words after the command ``label``
    change (the command is the first word that is not a global option or its value)."""
    words = list(argv)
    index = 0
    while index < len(words) and words[index].startswith("-"):
        index += 2 if words[index] in ("--db", "--config") else 1
    if index < len(words) and words[index] == "label":
        rest = [_spelt(w) for w in words[index + 1 :]]
        removals = [w for w in rest if w.startswith("--remove=")]
        others = [w for w in rest if not w.startswith("--remove=")]
        return words[: index + 1] + others + removals  # argparse wants positionals together
    return words


def _spelt(word: str) -> str:
    if len(word) > 1 and word[0] == "-" and word[1] != "-" and word not in ("-h",):
        return "--remove=" + word[1:]
    return word


def _article_ids(ctx: Context, words: Sequence[int | str]) -> list[int]:
    """The ids, each checked to be an article (one clear error for the first that is not)."""
    from newsreader.store.articles import article_exists

    ids = []
    for word in words:
        try:
            article_id = int(word)
        except ValueError:
            raise CliError(f"not an article id: {word} (labels start with + or -)") from None
        if not article_exists(ctx.conn, article_id):
            raise CliError(f"no article with id {article_id}")
        ids.append(article_id)
    return list(dict.fromkeys(ids))


def cmd_label(ctx: Context, args: argparse.Namespace) -> int:
    """Change articles' labels, then print each article's labels."""
    from newsreader.store.labels import LabelError, change_labels, labels_by_article

    adding = [w[1:] for w in args.words if w.startswith("+")]
    ids = _article_ids(ctx, [w for w in args.words if not w.startswith("+")])
    if not ids:
        raise CliError("name at least one article")
    if adding or args.remove:
        try:
            change_labels(ctx.conn, ids, add=adding, remove=args.remove)
        except LabelError as exc:
            raise CliError(str(exc)) from exc
    found = labels_by_article(ctx.conn, ids)
    if args.json:
        print_json({str(i): found.get(i, []) for i in ids}, indent=None)
        return 0
    for article_id in ids:
        print(f"{article_id}  {', '.join(found.get(article_id, [])) or '(no labels)'}")
    return 0


def cmd_labels(ctx: Context, args: argparse.Namespace) -> int:
    """List the labels in use (or rename or delete one)."""
    from newsreader.store.labels import LabelError, delete_label, list_labels, rename_label

    if args.rename:
        old, new = args.rename
        try:
            count = rename_label(ctx.conn, old, new)
        except LabelError as exc:
            raise CliError(str(exc)) from exc
        if not count:
            raise CliError(f"no label named {old}")
        print(f"{old} → {new}: {plural(count, 'article')}")
        return 0
    if args.delete:
        count = delete_label(ctx.conn, args.delete)
        if not count:
            raise CliError(f"no label named {args.delete}")
        print(f"label {args.delete} taken off {plural(count, 'article')}")
        return 0
    labels = list_labels(ctx.conn)
    if args.json:
        rows = [{"name": x.name, "articles": x.articles, "unread": x.unread} for x in labels]
        print_json(rows)
        return 0
    if not labels:
        print("No labels yet: newsreader label ARTICLE +NAME, or # in the TUI.")
        return 0
    print_table(
        ("label", "articles", "unread"),
        [(x.name, str(x.articles), str(x.unread)) for x in labels],
    )
    return 0


def cmd_later(ctx: Context, args: argparse.Namespace) -> int:
    """Queue or unqueue articles; with none named, list the queue."""
    from newsreader.store.labels import set_later

    if not args.articles:
        if args.remove:
            raise CliError("name the articles to take out of the Later queue")
        return _list_later(ctx, args.json)
    ids = _article_ids(ctx, args.articles)
    changed = set_later(ctx.conn, ids, not args.remove)
    what = plural(changed, "article")
    print(f"{what} taken out of Later" if args.remove else f"{what} put in Later")
    return 0


def _list_later(ctx: Context, as_json: bool) -> int:
    from newsreader.cli.articles import article_json
    from newsreader.store.articles import articles_by_ids
    from newsreader.store.labels import later_queue

    queue = later_queue(ctx.conn)
    found = articles_by_ids(ctx.conn, [article_id for article_id, _ in queue])
    listed = [(found[i], added) for i, added in queue if i in found]
    if as_json:
        rows = [{**article_json(a), "later_added": iso_time(added)} for a, added in listed]
        print_json(rows)
        return 0
    if not listed:
        print("The Later queue is empty: newsreader later ARTICLE, or L in the TUI.")
        return 0
    print_table(
        ("id", "added", "N", "feed", "title"),
        [
            (str(a.id), format_time(added), " " if a.is_read else "●", a.feed_title, a.title)
            for a, added in listed
        ],
    )
    return 0


def cmd_pipe(ctx: Context, args: argparse.Namespace) -> int:
    """Run a [commands] command on an article; its output or failure in one line."""
    from newsreader.pipes import run_command
    from newsreader.store.articles import get_article

    commands = {c.name: c for c in ctx.settings.commands}
    if args.command is None:
        if not commands:
            print('No commands: add one to config.toml, e.g. [commands] say = "espeak-ng"')
        for listed in commands.values():
            print(f"{listed.name}  {listed.run}")
        return 0
    command = commands.get(args.command)
    if command is None:
        known = ", ".join(commands) or "none in config.toml"
        raise CliError(f"no command named {args.command} ([commands]: {known})")
    article = get_article(ctx.conn, args.article)
    if article is None:
        raise CliError(f"no article with id {args.article}")
    result = run_command(command, article)
    if not result.ok:
        raise CliError(result.message(command.name))
    print(result.message(command.name))
    return 0


def cmd_hide(ctx: Context, args: argparse.Namespace) -> int:
    """Hide articles (as a rule's hide does) or show them again."""
    from newsreader.store.rules import hide, unhide

    ids = _article_ids(ctx, args.articles)
    if args.undo:
        print(f"{plural(unhide(ctx.conn, ids), 'article')} shown again")
    else:
        print(
            f"{plural(hide(ctx.conn, ids), 'article')} hidden (newsreader hide --undo shows them)"
        )
    return 0
