"""Retention: prune (old read articles leave the store; see newsreader.store.retention)."""

from __future__ import annotations

import argparse
from typing import Any

from newsreader.cli.context import Context
from newsreader.cli.output import format_time, print_table
from newsreader.wording import plural

OFF = (
    "retention is off: nothing is pruned (set [retention] keep_days in config.toml,"
    " or give --keep-days N)"
)

SWITCHED = "switched the store to incremental vacuum (one full VACUUM; later prunes are quick)"


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the prune command to the subparsers ``sub``."""
    p = sub.add_parser(
        "prune",
        parents=[common],
        help="remove old read articles (not starred, labelled, in Later or annotated)",
        description="Remove read articles older than [retention] keep_days (or --keep-days) "
        "that are not starred, labelled, in Later or annotated, and shrink the store file. "
        "Annotations and notes are never removed.",
    )
    p.add_argument("--dry-run", action="store_true", help="say what would go; change nothing")
    p.add_argument(
        "--keep-days",
        type=_days,
        metavar="N",
        help="keep read articles of the last N days (default: [retention] keep_days)",
    )
    p.set_defaults(handler=cmd_prune)


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number of days: {text}") from None
    if days < 0:
        raise argparse.ArgumentTypeError(f"days cannot be negative: {text}")
    return days


def cmd_prune(ctx: Context, args: argparse.Namespace) -> int:
    """Prune now, or with --dry-run say what would go."""
    keep = ctx.settings.retention.keep_days if args.keep_days is None else args.keep_days
    if keep <= 0:
        print(OFF)
        return 0
    return _dry_run(ctx, keep) if args.dry_run else _prune(ctx, keep)


def _dry_run(ctx: Context, keep: int) -> int:
    from newsreader.store.retention import cutoff, prunable, store_bytes

    plan = prunable(ctx.conn, keep)
    print(
        f"would prune {plural(plan.count, 'article')} read and older than"
        f" {plural(keep, 'day')} (dated before {format_time(cutoff(keep))})"
    )
    if plan.examples:
        print_table(
            ("id", "date", "feed", "title"),
            [(str(a.id), format_time(a.date), a.feed_title, a.title) for a in plan.examples],
        )
        if plan.count > len(plan.examples):
            print(f"… and {plan.count - len(plan.examples)} more")
    size = f"store {_size(store_bytes(ctx.db_path))}"
    if plan.switches_vacuum:
        size += "; it would first be switched to incremental vacuum (one full VACUUM)"
    print(size)
    return 0


def _prune(ctx: Context, keep: int) -> int:
    from newsreader.store.retention import prune, store_bytes

    before = store_bytes(ctx.db_path)
    result = prune(ctx.conn, keep)
    after = store_bytes(ctx.db_path)
    if result.switched_vacuum:
        print(SWITCHED)
    print(f"{result.line(keep)}; store {_size(before)} → {_size(after)}")
    return 0


def prune_after_refresh(ctx: Context) -> None:
    """Prune by [retention] keep_days at the end of a refresh; one line when anything went."""
    keep = ctx.settings.retention.keep_days
    if keep <= 0:
        return
    from newsreader.store.retention import prune

    result = prune(ctx.conn, keep)
    if result.switched_vacuum:
        print(SWITCHED)
    if result.removed:
        print(result.line(keep))


def _size(count: int) -> str:
    """Bytes as '1.2 MB' / '640 KB'."""
    if count >= 1_000_000:
        return f"{count / 1_000_000:.1f} MB"
    return f"{count / 1000:.0f} KB"
