"""Full-text commands: fulltext, snapshot, feed set (a feed's full-text mode)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from newsreader.cli.context import CliError, Context
from newsreader.config import FULL_TEXT_MODES

MODES = (*FULL_TEXT_MODES, "default")
"""What ``--full-text`` accepts; "default" follows ``[fetch] full_text``."""


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the full-text commands to the subparsers ``sub``."""
    p = sub.add_parser(
        "fulltext",
        parents=[common],
        help="fetch articles' pages for their full text",
        description="Fetch the pages of the named articles (or of a feed's) now, whatever "
        "their feed's mode; with neither, of every article its feed's mode wants whose page "
        "was never fetched.",
    )
    p.add_argument("articles", nargs="*", type=int, metavar="ARTICLE", help="article ids")
    p.add_argument("--feed", metavar="FEED", help="every article of this feed (id or URL)")
    p.add_argument(
        "--missing",
        action="store_true",
        help="only articles whose text is not yet their page's (retries failed ones)",
    )
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.set_defaults(handler=cmd_fulltext)

    p = sub.add_parser(
        "snapshot", parents=[common], help="write out an article's page as it was fetched"
    )
    p.add_argument("article", type=int, metavar="ARTICLE")
    p.add_argument("--out", type=Path, metavar="FILE", help="write here (default: stdout)")
    p.set_defaults(handler=cmd_snapshot)

    p = sub.add_parser("feed", parents=[common], help="change a feed's settings")
    feed_sub = p.add_subparsers(title="feed commands", metavar="COMMAND", required=True)
    p = feed_sub.add_parser("set", parents=[common], help="set a feed's options")
    p.add_argument("feed", metavar="FEED", help="feed id or URL")
    p.add_argument(
        "--full-text",
        choices=MODES,
        metavar="MODE",
        help="auto (pages of teasers), always, never, or default (follow config.toml)",
    )
    p.add_argument(
        "--interval",
        type=_interval,
        metavar="MINUTES",
        help="refresh it every MINUTES (1-10080), or default ([fetch] interval_minutes)",
    )
    p.set_defaults(handler=cmd_feed_set)


def _interval(value: str) -> int:
    """MINUTES for --interval: 1 to a week, or "default" (0: follow the config)."""
    if value == "default":
        return 0
    if not value.isdigit() or not 1 <= int(value) <= 10080:
        raise argparse.ArgumentTypeError("minutes from 1 to 10080, or default")
    return int(value)


def cmd_fulltext(ctx: Context, args: argparse.Namespace) -> int:
    """Fetch pages with a progress bar; one line per failed page; exit 1 if none worked."""
    from newsreader.cli.feeds import resolve_feeds
    from newsreader.cli.progress import run_with_progress
    from newsreader.feeds.fulltext import fetch_full_text
    from newsreader.store.articles import get_article

    for article_id in args.articles:
        if get_article(ctx.conn, article_id) is None:
            raise CliError(f"no article with id {article_id}")
    feed_id = resolve_feeds(ctx, [args.feed])[0] if args.feed else None
    summary = run_with_progress(
        ctx,
        lambda progress, cancelled: fetch_full_text(
            ctx.db_path,
            args.articles or None,
            feed_id=feed_id,
            missing=args.missing,
            settings=ctx.settings.fetch,
            on_progress=progress,
            cancelled=cancelled,
        ),
        quiet=args.quiet,
    )
    for article_id, url, message in summary.errors:
        print(f"newsreader: article {article_id} <{url}>: {message}", file=sys.stderr)
    print(summary.line())
    if summary.attempted and summary.fetched + summary.whole == 0:
        raise CliError("no page fetched: every page failed")
    return 0


def cmd_snapshot(ctx: Context, args: argparse.Namespace) -> int:
    """Write the article's page, byte for byte as the server sent it."""
    from newsreader.store.articles import get_article
    from newsreader.store.pages import get_page

    if get_article(ctx.conn, args.article) is None:
        raise CliError(f"no article with id {args.article}")
    page = get_page(ctx.conn, args.article)
    if page is None:
        raise CliError(
            f"article {args.article} has no snapshot: its page was never fetched "
            f"(newsreader fulltext {args.article})"
        )
    if args.out is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(page.body)
        sys.stdout.buffer.flush()
    else:
        args.out.write_bytes(page.body)
        print(f"wrote {len(page.body)} bytes to {args.out} ({page.final_url})", file=sys.stderr)
    return 0


def cmd_feed_set(ctx: Context, args: argparse.Namespace) -> int:
    """Set a feed's full-text mode and/or its refresh interval."""
    from newsreader.cli.feeds import resolve_feeds
    from newsreader.store.db import transaction
    from newsreader.store.feeds import set_full_text, set_interval

    if args.full_text is None and args.interval is None:
        raise CliError("say what to set: --full-text MODE and/or --interval MINUTES")
    feed_id = resolve_feeds(ctx, [args.feed])[0]
    with transaction(ctx.conn):
        if args.full_text is not None:
            mode = "" if args.full_text == "default" else args.full_text
            set_full_text(ctx.conn, feed_id, mode)
            shown = mode or f"default ({ctx.settings.fetch.full_text}, from config.toml)"
            print(f"feed {feed_id}: full text {shown}")
        if args.interval is not None:
            set_interval(ctx.conn, feed_id, args.interval or None)
            every = ctx.settings.fetch.interval_minutes
            said = f"{args.interval} min" if args.interval else f"default ({every:g} min)"
            print(f"feed {feed_id}: refreshed every {said}")
    return 0
