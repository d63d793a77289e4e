"""The command line: ``newsreader`` opens the TUI; subcommands work headless on the same store."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from newsreader.cli.context import CliError, Context
from newsreader.cli.parser import build_parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run newsreader with ``argv`` (default: sys.argv[1:]); returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        ctx = Context.from_args(args)
        for warning in ctx.settings.warnings:
            print(f"newsreader: {warning}", file=sys.stderr)
        return int(args.handler(ctx, args) or 0)
    except CliError as exc:
        print(f"newsreader: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("newsreader: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `newsreader articles | head`
        sys.stderr.close()
        return 0
