"""Argument parsing. Global options are accepted before or after the subcommand."""

from __future__ import annotations

import argparse

import newsreader.cli.annotations as annotation_commands
from newsreader import __version__
from newsreader.cli import (
    articles,
    claimlinks,
    export,
    feeds,
    pages,
    retention,
    revisions,
    rules,
    sync,
    triage,
    tui,
)


def _global_options(defaults: bool) -> argparse.ArgumentParser:
    """--db and --config; on subcommands they must not overwrite a value given earlier."""
    parent = argparse.ArgumentParser(add_help=False)
    default = None if defaults else argparse.SUPPRESS
    parent.add_argument(
        "--db",
        metavar="PATH",
        default=default,
        help="the store file (default: $NEWSREADER_DB, else the user data dir)",
    )
    parent.add_argument(
        "--config",
        metavar="PATH",
        default=default,
        help="config.toml (default: $NEWSREADER_CONFIG, else the user config dir)",
    )
    return parent


def build_parser() -> argparse.ArgumentParser:
    """The full command line."""
    parser = argparse.ArgumentParser(
        prog="newsreader",
        parents=[_global_options(True)],
        description="A keyboard-first terminal news reader. Without a command: open the TUI.",
    )
    parser.add_argument("--version", action="version", version=f"newsreader {__version__}")
    parser.set_defaults(handler=tui.run_tui)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    common = _global_options(False)
    for module in (
        feeds,
        articles,
        triage,
        rules,
        pages,
        retention,
        revisions,
        annotation_commands,
        claimlinks,
        export,
        sync,
    ):
        module.register(sub, common)
    return parser
