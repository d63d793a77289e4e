"""``newsreader`` with no command: seed a new store with the demo, then open the TUI."""

from __future__ import annotations

import argparse

from newsreader.cli.context import Context


def run_tui(ctx: Context, args: argparse.Namespace) -> int:
    """Open the TUI on the store (importing Textual only now keeps the CLI fast)."""
    from newsreader.demo import seed_if_new
    from newsreader.tui.app import make_app

    seed_if_new(ctx.conn)
    ctx.conn.close()
    make_app(ctx.db_path, ctx.settings, ctx.config_path).run()
    return 0
