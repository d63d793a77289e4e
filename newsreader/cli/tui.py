"""``newsreader`` with no command: seed a new store with the demo, then open the TUI."""

from __future__ import annotations

import argparse

from newsreader.cli.context import CliError, Context


def run_tui(ctx: Context, args: argparse.Namespace) -> int:
    """Open the TUI on the store (importing Textual only now keeps the CLI fast)."""
    from newsreader.demo import seed_if_new
    from newsreader.tui.app import make_app

    conn = ctx.conn  # opened read-only when the store cannot be written
    if ctx.read_only:  # the TUI writes as you read (read marks, annotations)
        raise CliError(
            f"cannot open the TUI on the store {ctx.db_path}: {ctx.read_only}; "
            "the reading commands (articles, show, feeds...) still work"
        )
    seed_if_new(conn)
    conn.close()
    make_app(ctx.db_path, ctx.settings, ctx.config_path).run()
    return 0
