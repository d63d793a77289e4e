"""The command line: ``newsreader`` opens the TUI; subcommands work headless on the same store."""

from __future__ import annotations

import errno
import sqlite3
import sys
from collections.abc import Sequence

from newsreader.cli.context import CliError, Context
from newsreader.cli.parser import build_parser
from newsreader.cli.triage import spell_removals

_FILE_SYSTEM_FAULTS = (errno.ENOSPC, errno.EDQUOT, errno.EROFS)


def main(argv: Sequence[str] | None = None) -> int:
    """Run newsreader with ``argv`` (default: sys.argv[1:]); returns the exit code.

    A fault of the store (disk full, read-only, I/O error) or of the file system a command
    writes to is one line on stderr and exit 1, never a traceback: the store's transactions
    have rolled back what was unfinished.
    """
    parser = build_parser()
    args = parser.parse_args(spell_removals(sys.argv[1:] if argv is None else argv))
    ctx: Context | None = None
    try:
        ctx = Context.from_args(args)
        for warning in ctx.settings.warnings:
            print(f"newsreader: {warning}", file=sys.stderr)
        return int(args.handler(ctx, args) or 0)
    except CliError as exc:
        return _fail(str(exc))
    except sqlite3.Error as exc:
        message = ctx.store_error(exc) if ctx is not None else None
        if message is None:
            raise  # a bug in a statement, not a fault of the store: show it whole
        return _fail(message)
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):  # e.g. `newsreader articles | head`
            sys.stderr.close()
            return 0
        if exc.errno not in _FILE_SYSTEM_FAULTS:
            raise
        where = f"cannot write {exc.filename}: " if exc.filename else ""
        return _fail(f"{where}{exc.strerror}")
    except KeyboardInterrupt:
        print("newsreader: interrupted", file=sys.stderr)
        return 130


def _fail(message: str) -> int:
    print(f"newsreader: {message}", file=sys.stderr)
    return 1
