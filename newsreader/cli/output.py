"""Plain-text output helpers for the CLI (stored text is already sanitised)."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Sequence
from datetime import UTC, datetime


def format_time(ts: float | None) -> str:
    """A unix time as ``YYYY-MM-DD HH:MM`` (UTC), or "-"."""
    if ts is None:
        return "-"
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M")


def iso_time(ts: float | None) -> str | None:
    """A unix time as ISO 8601 UTC for JSON output, or None."""
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, UTC).isoformat().replace("+00:00", "Z")


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Print aligned columns, shortening the widest ones to fit the terminal."""
    width = shutil.get_terminal_size((160, 24)).columns
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    while sum(widths) + 2 * (len(widths) - 1) > width and max(widths) > 12:
        widest = widths.index(max(widths))
        widths[widest] -= 1
    for row in [tuple(headers), *rows]:
        cells = [_fit(cell, w) for cell, w in zip(row, widths, strict=True)]
        print("  ".join(cells).rstrip())


def _fit(cell: str, width: int) -> str:
    return cell.ljust(width) if len(cell) <= width else cell[: width - 1] + "…"


def print_json(data: object, *, indent: int | None = 2) -> None:
    """One JSON document on stdout (text as it is, not \\u-escaped), then a newline."""
    json.dump(data, sys.stdout, ensure_ascii=False, indent=indent)
    print()
