"""The rules command: list the rules of config.toml, test a query, apply them now."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from newsreader.cli.context import CliError, Context
from newsreader.cli.output import format_time, print_json, print_table
from newsreader.wording import plural

TEST_LIMIT = 20


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``rules list | test QUERY | apply [--dry-run]``."""
    p = sub.add_parser("rules", parents=[common], help="the [[rules]] of config.toml")
    verbs = p.add_subparsers(title="rules commands", metavar="VERB", required=True)
    v = verbs.add_parser("list", parents=[common], help="the rules, with their query and actions")
    v.add_argument("--json", action="store_true", help="one JSON document")
    v.set_defaults(handler=cmd_list)
    v = verbs.add_parser("test", parents=[common], help="what a query matches, and why")
    v.add_argument("query", metavar="QUERY")
    v.add_argument("--limit", type=int, default=TEST_LIMIT, help=f"at most N shown ({TEST_LIMIT})")
    v.add_argument("--json", action="store_true", help="one JSON document")
    v.set_defaults(handler=cmd_test)
    v = verbs.add_parser("apply", parents=[common], help="apply the rules to every article now")
    v.add_argument("--dry-run", action="store_true", help="say what they would do; change nothing")
    v.set_defaults(handler=cmd_apply)


def _compiled(ctx: Context) -> list[Any]:
    """The usable rules; a line on stderr for each that is not."""
    from newsreader.feeds.rules import compile_rules

    compiled, problems = compile_rules(ctx.settings.rules)
    for problem in problems:
        print(f"newsreader: {problem}", file=sys.stderr)
    return compiled


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    """Print the rules."""
    rules = ctx.settings.rules
    if args.json:
        rows = [{"name": r.name, "query": r.query, "actions": list(r.actions)} for r in rules]
        print_json(rows)
        return 0
    if not rules:
        print('No rules yet: add [[rules]] tables to config.toml (see "Rules" in the README).')
        return 0
    _compiled(ctx)
    print_table(
        ("rule", "query", "actions"), [(r.name, r.query, ", ".join(r.actions)) for r in rules]
    )
    return 0


def cmd_test(ctx: Context, args: argparse.Namespace) -> int:
    """Print the articles a query matches (newest first) and why each does."""
    from newsreader.feeds.rules import explain
    from newsreader.store.articles import get_article
    from newsreader.store.rules import matching
    from newsreader.store.search import QueryError, compile_query

    try:
        where, params = compile_query(args.query)
    except QueryError as exc:
        raise CliError(f"bad query: {exc}") from exc
    found = matching(ctx.conn, where, params, None)
    shown = [a for i in found[: max(0, args.limit)] if (a := get_article(ctx.conn, i))]
    if args.json:
        rows = [{"id": a.id, "title": a.title, "why": explain(args.query, a)} for a in shown]
        print_json({"matches": len(found), "articles": rows}, indent=None)
        return 0
    print(f"{plural(len(found), 'article')} match")
    for article in shown:
        when = format_time(article.published)
        print(f"{article.id}  {when}  {article.feed_title}  {article.title}")
        print(f"      why: {'; '.join(explain(args.query, article)) or 'matches everything'}")
    if len(found) > len(shown):
        print(f"… and {len(found) - len(shown)} more (--limit N shows more)")
    return 0


def cmd_apply(ctx: Context, args: argparse.Namespace) -> int:
    """Apply every usable rule to every article (or say what it would do)."""
    from newsreader.feeds.rules import apply_rules
    from newsreader.store.db import transaction

    compiled = _compiled(ctx)
    if not compiled:
        print("No rules to apply.")
        return 0 if not ctx.settings.rules else 1
    with transaction(ctx.conn):
        report = apply_rules(ctx.conn, compiled, None, dry_run=args.dry_run)
    for name, count in report.matched.items():
        verb = "would match" if args.dry_run else "matched"
        print(f"{name}: {verb} {plural(count, 'article')}")
    if not args.dry_run:
        print(report.line() or "rules: nothing changed")
    return 0
