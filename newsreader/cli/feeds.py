"""Feed commands: add, import-opml, export-opml, feeds, refresh."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsreader.cli.context import CliError, Context
from newsreader.cli.output import format_time, print_table
from newsreader.wording import plural

if TYPE_CHECKING:
    from newsreader.feeds.refresh import RefreshSummary
    from newsreader.models import Feed


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the feed commands to the subparsers ``sub``."""
    p = sub.add_parser("add", parents=[common], help="subscribe to a feed, page URL or file")
    p.add_argument("target", help="feed URL, web page URL (autodiscovery) or local file path")
    p.add_argument("--folder", default="", help="put the feed in this folder")
    p.add_argument(
        "--full-text",
        choices=("auto", "always", "never", "default"),
        default="default",
        metavar="MODE",
        help="fetch articles' pages: auto (for teasers), always, never, default (config.toml)",
    )
    p.set_defaults(handler=cmd_add)

    p = sub.add_parser("import-opml", parents=[common], help="subscribe to the feeds of OPML")
    p.add_argument("file", type=Path, nargs="?", help="the OPML file")
    p.add_argument(
        "--starter",
        action="store_true",
        help="the bundled starter list of world-news feeds instead of a file",
    )
    p.set_defaults(handler=cmd_import_opml)

    p = sub.add_parser("export-opml", parents=[common], help="write subscriptions as OPML 2.0")
    p.add_argument("file", nargs="?", type=Path, help="output file (default: stdout)")
    p.set_defaults(handler=cmd_export_opml)

    p = sub.add_parser("feeds", parents=[common], help="list subscriptions with their last status")
    p.add_argument("--json", action="store_true", help="one JSON document")
    p.set_defaults(handler=cmd_feeds)

    p = sub.add_parser("refresh", parents=[common], help="fetch feeds now (all by default)")
    p.add_argument("feeds", nargs="*", metavar="FEED", help="feed ids or URLs (default: all)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.add_argument(
        "--due",
        action="store_true",
        help="only the feeds due by their schedule (interval, ttl, backoff): for cron",
    )
    p.set_defaults(handler=cmd_refresh)


def cmd_add(ctx: Context, args: argparse.Namespace) -> int:
    """Subscribe to one feed (resolving a page URL by autodiscovery)."""
    from newsreader.feeds.fetch import Fetcher
    from newsreader.feeds.subscribe import SubscribeError, subscribe

    with Fetcher(ctx.settings.fetch) as fetcher:
        try:
            result = subscribe(
                ctx.conn, args.target, fetcher, folder=args.folder, rules=ctx.settings.rules
            )
        except SubscribeError as exc:
            raise CliError(str(exc)) from exc
    verb = "subscribed to" if result.created else "already subscribed to"
    print(f"{verb} [{result.feed_id}] {result.title or result.url} <{result.url}>")
    if args.full_text != "default":
        from newsreader.store.db import transaction
        from newsreader.store.feeds import set_full_text

        with transaction(ctx.conn):
            set_full_text(ctx.conn, result.feed_id, args.full_text)
        print(f"full text: {args.full_text}")
    _first_pages(ctx, result.feed_id)
    if result.problem:
        print(f"newsreader: warning: {result.problem}", file=sys.stderr)
    for note in result.notes():
        print(f"newsreader: note: {note}", file=sys.stderr)
    for other in result.alternatives:
        print(f"  also found: {other}")
    return 0


def _first_pages(ctx: Context, feed_id: int) -> None:
    """The full text of a new feed's articles, by its mode (as a refresh does for new ones)."""
    from newsreader.cli.progress import run_with_progress
    from newsreader.feeds.fulltext import fetch_full_text

    pages = run_with_progress(
        ctx,
        lambda progress, cancelled: fetch_full_text(
            ctx.db_path,
            feed_id=feed_id,
            by_mode=True,
            settings=ctx.settings.fetch,
            on_progress=progress,
            cancelled=cancelled,
        ),
        quiet=False,
    )
    if pages.attempted:
        for article_id, url, message in pages.errors:
            print(f"newsreader: article {article_id} <{url}>: {message}", file=sys.stderr)
        print(pages.line())


def cmd_import_opml(ctx: Context, args: argparse.Namespace) -> int:
    """Subscribe to every feed of an OPML file; folders come from nested outlines."""
    from newsreader.feeds.opml import OpmlError, read_opml
    from newsreader.store.db import transaction
    from newsreader.store.feeds import add_feed

    if args.starter:
        from newsreader.resources import data_dir

        args.file = data_dir("seeds") / "starter.opml"
    if args.file is None:
        raise CliError("import-opml needs a FILE (or --starter)")
    try:
        found = read_opml(args.file.read_bytes())
    except OSError as exc:
        raise CliError(f"cannot read {args.file}: {exc.strerror or exc}") from exc
    except OpmlError as exc:
        raise CliError(f"{args.file}: {exc}") from exc
    added = 0
    with transaction(ctx.conn):
        for entry in found.feeds:
            added += add_feed(ctx.conn, entry.url, entry.title, entry.folder, entry.site_url)[1]
    if found.problem:
        print(f"newsreader: warning: {args.file}: {found.problem}", file=sys.stderr)
    for outline in found.skipped:
        print(f"newsreader: skipped {outline.describe()}", file=sys.stderr)
    skipped = f", {plural(len(found.skipped), 'outline')} skipped" if found.skipped else ""
    print(
        f"imported {plural(added, 'new feed')}, {len(found.feeds) - added} already "
        f"subscribed{skipped}"
    )
    return 0


def cmd_export_opml(ctx: Context, args: argparse.Namespace) -> int:
    """Write every subscription as OPML 2.0."""
    from newsreader.feeds.opml import write_opml
    from newsreader.store.feeds import list_feeds

    document = write_opml(list_feeds(ctx.conn))
    if args.file is None:
        sys.stdout.write(document)
    else:
        try:
            args.file.write_text(document, encoding="utf-8")
        except OSError as exc:
            raise CliError(f"cannot write {args.file}: {exc.strerror or exc}") from exc
    return 0


def cmd_feeds(ctx: Context, args: argparse.Namespace) -> int:
    """List subscriptions: title, url, counts, last status and error."""
    from newsreader.store.feeds import list_feeds

    feeds = list_feeds(ctx.conn)
    if args.json:
        keys = (
            "id",
            "title",
            "url",
            "folder",
            "article_count",
            "unread_count",
            "last_status",
            "last_error",
            "last_fetched",
            "full_text",
            "interval_minutes",
            "failures",
        )
        every = ctx.settings.fetch.interval_minutes
        json.dump(
            [{**{k: getattr(f, k) for k in keys}, "next_refresh": _next(f, every)} for f in feeds],
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        print()
        return 0
    rows = [
        (
            str(f.id),
            f.title or "(untitled)",
            f.url,
            str(f.article_count),
            str(f.unread_count),
            f.last_status + (f": {f.last_error}" if f.last_error else ""),
            format_time(f.last_fetched),
        )
        for f in feeds
    ]
    print_table(("id", "title", "url", "articles", "unread", "status", "fetched"), rows)
    return 0


def cmd_refresh(ctx: Context, args: argparse.Namespace) -> int:
    """Fetch feeds concurrently, then prune by [retention] keep_days; exit 1 only when no
    feed refreshed (:func:`none_refreshed`)."""
    from newsreader.cli.progress import run_refresh
    from newsreader.cli.retention import prune_after_refresh

    ids = resolve_feeds(ctx, args.feeds) if args.feeds else None
    if args.due:
        ids = _due(ctx, ids)
        if not ids:
            print("no feed is due")
            return 0
    summary = run_refresh(ctx, ids, quiet=args.quiet)
    for feed_id, url, message in summary.errors:
        print(f"newsreader: feed {feed_id} <{url}>: {message}", file=sys.stderr)
    for article_id, url, message in summary.full_text.errors if summary.full_text else ():
        print(f"newsreader: article {article_id} <{url}>: {message}", file=sys.stderr)
    for problem in summary.rules.problems:
        print(f"newsreader: {problem}", file=sys.stderr)
    for notice in summary.notices():
        print(notice)
    print(summary.line())
    if ruled := summary.rules.line():
        print(ruled)
    prune_after_refresh(ctx)
    if none_refreshed(summary):
        raise CliError("no feed refreshed: every feed failed")
    return 0


def _next(feed: Feed, every: float) -> str | None:
    """When the feed is next due by its schedule (ISO 8601), None when gone (410)."""
    from newsreader.cli.output import iso_time
    from newsreader.feeds.schedule import next_attempt

    return iso_time(next_attempt(feed, every))


def _due(ctx: Context, ids: list[int] | None) -> list[int]:
    """The feeds (of ``ids``, else all) due now by their schedule."""
    import time

    from newsreader.feeds.schedule import due_feeds
    from newsreader.store.feeds import all_feed_ids, feeds_by_ids

    every = all_feed_ids(ctx.conn, but_delivered=ctx.settings.sync.delivers)
    feeds = feeds_by_ids(ctx.conn, ids if ids is not None else every)
    return due_feeds(feeds, ctx.settings.fetch.interval_minutes, time.time())


def none_refreshed(summary: RefreshSummary) -> bool:
    """True when no feed refreshed: none answered, was stored or was unchanged.

    A feed whose damaged document (truncated, broken XML, wrong charset) still gave entries
    is in ``summary.errors`` (its problem is printed and is its error status), yet its
    entries were stored: it counts as refreshed (``summary.recovered``).
    """
    attempted = summary.feeds - summary.skipped
    refreshed = summary.ok + summary.not_modified + summary.recovered
    return attempted > 0 and refreshed == 0


def resolve_feeds(ctx: Context, names: list[str]) -> list[int]:
    """Feed ids from ids or URLs given on the command line."""
    from newsreader.store.feeds import feed_id_named

    ids = []
    for name in names:
        feed_id = feed_id_named(ctx.conn, name)
        if feed_id is None:
            raise CliError(f"no such feed: {name}")
        ids.append(feed_id)
    return ids
