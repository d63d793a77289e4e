"""The sync command: keep this store in step with a Google Reader API server."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from newsreader.cli.context import CliError, Context
from newsreader.cli.output import format_time, print_json

NOT_SET = (
    'sync is not set up: add [sync] to config.toml (kind = "greader", url, user),'
    " then run `newsreader sync login`"
)


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the sync command (and its login, status and log) to the subparsers ``sub``."""
    p = sub.add_parser(
        "sync",
        parents=[common],
        help="sync subscriptions, read/starred, labels and Later with a feed server",
        description="Sync with the server in [sync] (FreshRSS, Miniflux, Inoreader: the "
        "Google Reader API): subscriptions and folders, read, starred, labels and Later, "
        "both ways; articles from the server or fetched here ([sync] articles). Only what "
        "changed since the last sync is read, unless --full. `sync login` keeps the API "
        "password, `sync status` tells what waits, `sync log` what earlier syncs decided.",
    )
    p.add_argument("--full", action="store_true", help="read every item again")
    p.add_argument(
        "action", nargs="?", choices=("login", "status", "log"), help="instead of syncing"
    )
    p.add_argument(
        "--password-stdin", action="store_true", help="login: read the password from stdin"
    )
    p.add_argument("--json", action="store_true", help="status: one JSON document")
    p.set_defaults(handler=cmd_sync)


def cmd_sync(ctx: Context, args: argparse.Namespace) -> int:
    """Sync, or do the action asked for."""
    sync = ctx.settings.sync
    if not sync.enabled:
        raise CliError(NOT_SET)
    if args.action == "login":
        return _login(ctx, args)
    if args.action == "status":
        return _status(ctx, args)
    if args.action == "log":
        return _log(ctx)
    return _sync(ctx, args)


def _client(ctx: Context, password: str | None = None) -> Any:
    from newsreader.sync.client import GReaderClient, SyncError
    from newsreader.sync.secrets import find_password

    sync = ctx.settings.sync
    if password is None:
        try:
            password = find_password(sync.url, sync.user, ctx.config_path, sync.password_file)
        except SyncError as exc:
            raise CliError(str(exc)) from None
    return GReaderClient(sync.url, sync.user, password, timeout=ctx.settings.fetch.total_timeout)


def _sync(ctx: Context, args: argparse.Namespace) -> int:
    from newsreader.sync.client import SyncError
    from newsreader.sync.engine import run_sync

    quiet = not sys.stderr.isatty()
    with _client(ctx) as client:
        try:
            summary = run_sync(
                ctx.conn,
                client,
                ctx.settings.sync,
                rules=ctx.settings.rules,
                full=args.full,
                progress=None if quiet else _progress,
            )
        except SyncError as exc:
            if not quiet:
                print(file=sys.stderr)
            raise CliError(f"sync stopped: {exc}") from None
        except KeyboardInterrupt:  # each step commits on its own: nothing is half done
            if not quiet:
                print(file=sys.stderr)
            raise CliError("sync cancelled: what was done is kept; the next sync goes on") from None
    if not quiet:
        print("\r\x1b[K", end="", file=sys.stderr)
    for line in summary.lines:
        print(f"newsreader: {line}", file=sys.stderr)
    print(summary.line())
    if summary.items.new_ids and ctx.settings.fetch.full_text != "never":
        _pages(ctx, summary.items.new_ids, quiet)
    return 0


def _pages(ctx: Context, new_ids: list[int], quiet: bool) -> None:
    """The new articles' pages, by their feeds' full-text modes, as after a refresh."""
    from newsreader.cli.progress import run_with_progress
    from newsreader.feeds.fulltext import fetch_full_text

    pages = run_with_progress(
        ctx,
        lambda progress, cancelled: fetch_full_text(
            ctx.db_path,
            new_ids,
            by_mode=True,
            settings=ctx.settings.fetch,
            on_progress=progress,
            cancelled=cancelled,
        ),
        quiet=quiet,
    )
    for article_id, url, message in pages.errors:
        print(f"newsreader: article {article_id} <{url}>: {message}", file=sys.stderr)
    if pages.attempted:
        print(pages.line())


def _progress(step: str) -> None:
    print(f"\r\x1b[Ksyncing: {step}", end="", file=sys.stderr, flush=True)


def _login(ctx: Context, args: argparse.Namespace) -> int:
    """Ask for the API password, check it with the server, keep it."""
    from newsreader.sync.client import SyncError
    from newsreader.sync.secrets import store_password

    sync = ctx.settings.sync
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(f"API password for {sync.user} at {sync.url}: ")
    if not password:
        raise CliError("no password given")
    with _client(ctx, password) as client:
        try:
            client.login()
        except SyncError as exc:
            raise CliError(str(exc)) from None
    where = store_password(sync.url, sync.user, password, ctx.config_path, sync.password_file)
    print(f"logged in as {sync.user}; the password is kept in {where}")
    return 0


def _status(ctx: Context, args: argparse.Namespace) -> int:
    from newsreader.store.state import get_state
    from newsreader.store.sync import item_states, synced_feeds
    from newsreader.sync.engine import LAST_SYNC
    from newsreader.sync.merge import waiting

    last = get_state(ctx.conn, LAST_SYNC)
    pending = waiting(item_states(ctx.conn), ctx.settings.sync.later_label)
    feeds = synced_feeds(ctx.conn)
    data = {
        "server": ctx.settings.sync.url,
        "user": ctx.settings.sync.user,
        "last_sync": float(last) if last else None,
        "feeds": len(feeds),
        "waiting": pending,
    }
    if args.json:
        print_json(data)
        return 0
    when = format_time(float(last)) if last else "never"
    print(f"{data['user']} at {data['server']}: last synced {when}; {len(feeds)} feeds")
    print(f"{pending} articles changed here wait for the next sync")
    return 0


def _log(ctx: Context) -> int:
    from newsreader.store.sync import recent_log

    lines = recent_log(ctx.conn)
    if not lines:
        print("nothing logged yet")
    for at, line in lines:
        print(f"{format_time(at)}  {line}")
    return 0
