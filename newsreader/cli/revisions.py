"""The revisions command: an article's earlier texts, and the word diff of any two."""

from __future__ import annotations

import argparse
from typing import Any

from newsreader.cli.context import CliError, Context
from newsreader.cli.output import format_time, iso_time, print_json, print_table
from newsreader.wording import plural


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the revisions command to the subparsers ``sub``."""
    p = sub.add_parser(
        "revisions",
        parents=[common],
        help="an article's earlier texts; --diff A B: what changed between two",
        description="List the revisions of an article's text (kept whenever a feed update "
        "or its page changed it), oldest first, the current text last. With --diff A B, "
        "the word diff from revision A to revision B ([-deleted-] {+inserted+}); 0 is the "
        "current text.",
    )
    p.add_argument("article", type=int, metavar="ARTICLE", help="article id")
    p.add_argument("--diff", nargs=2, type=int, metavar=("A", "B"), help="revision numbers")
    p.add_argument("--json", action="store_true", help="one JSON document")
    p.set_defaults(handler=cmd_revisions)


def cmd_revisions(ctx: Context, args: argparse.Namespace) -> int:
    """The revision list, or the diff of two revisions."""
    from newsreader.store.revisions import revisions_of

    revisions = revisions_of(ctx.conn, args.article)
    if not revisions:
        raise CliError(f"no article with id {args.article}")
    if args.diff:
        return _diff(ctx, args, len(revisions))
    if args.json:
        print_json(
            [
                {
                    "number": r.number,
                    "saved": iso_time(r.saved),
                    "source": r.source,
                    "size": r.size,
                    "current": r.current,
                }
                for r in revisions
            ]
        )
        return 0
    rows = [
        (
            str(r.number),
            format_time(r.saved),
            r.source,
            str(r.size),
            "current" if r.current else "",
        )
        for r in revisions
    ]
    print_table(("revision", "saved", "source", "chars", ""), rows)
    return 0


def _diff(ctx: Context, args: argparse.Namespace, count: int) -> int:
    """Print the word diff from revision A to revision B."""
    from newsreader.annotations.revdiff import changed_words, word_diff
    from newsreader.store.revisions import revision_text

    a, b = (count if n == 0 else n for n in args.diff)
    for number in (a, b):
        if not 1 <= number <= count:
            raise CliError(f"article {args.article} has revisions 1 to {count} (0: the current)")
    pieces = word_diff(
        revision_text(ctx.conn, args.article, a), revision_text(ctx.conn, args.article, b)
    )
    deleted, inserted = changed_words(pieces)
    if args.json:
        print_json(
            {
                "article_id": args.article,
                "from": a,
                "to": b,
                "deleted_words": deleted,
                "inserted_words": inserted,
                "pieces": [{"op": op, "text": text} for op, text in pieces],
            }
        )
        return 0
    print("".join(_marked(op, text) for op, text in pieces))
    print(f"-- revision {a} → {b}: {plural(deleted, 'word')} deleted, {inserted} inserted")
    return 0


def _marked(op: str, text: str) -> str:
    """A piece as printed: a change in wdiff's markers, its trailing whitespace after them."""
    from newsreader.annotations.revdiff import marked

    return "".join(marked(op, text))
