#!/usr/bin/env python3
"""Mentions found by name over the 100,000-article store (figures printed, not asserted).

    python benchmarks/actor_mentions.py [--store PATH]

Copies the benchmark store (``tui_store.py`` builds it) and times the name-match cache
(:mod:`newsreader.annotations.mentions`): the first scan after actors are registered, the
counts the actors screen and ``newsreader actors`` read, one actor's dossier, and the
refresh after a rare alias or 100 changed texts. The store's prose is the sample article's,
so "Trump" and "Petro" are in nearly every article: the worst case for a scan.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from tui_store import DEFAULT_OUT, build  # noqa: E402

from newsreader.annotations import mentions  # noqa: E402
from newsreader.store import connect  # noqa: E402
from newsreader.store.actors import add_actor, add_alias  # noqa: E402


def timed(label: str, job: Callable[[], object]) -> object:
    """Run ``job`` once and print how long it took."""
    started = time.perf_counter()
    result = job()
    size = len(result) if isinstance(result, list | dict) else result
    print(f"{label:<48} {time.perf_counter() - started:8.3f} s   ({size})", flush=True)
    return result


def main() -> int:
    """Build or reuse the store, copy it, and time the cache."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    source = build(args.store, 100_000, 500)
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "store.db"
        shutil.copy(source, copy)
        conn = connect(copy)
        timed(
            "first refresh, no actors (stamps every article)",
            lambda: mentions.refresh_name_matches(conn),
        )
        trump = add_actor(conn, "Donald Trump", "person", ["Trump"])
        add_actor(conn, "Gustavo Petro", "person", ["Petro"])
        add_actor(conn, "Nicolás Maduro", "person")
        rare = add_actor(conn, "Rare Topic", "other", ["topic1234"])
        timed(
            "refresh after 4 actors (scans ~every article)",
            lambda: mentions.refresh_name_matches(conn),
        )
        timed("refresh, nothing changed", lambda: mentions.refresh_name_matches(conn))
        timed("actor_summaries (actors screen, CLI)", lambda: mentions.actor_summaries(conn))
        timed(
            "actor_activity, Trump (~every article)",
            lambda: mentions.actor_activity(conn, trump.id),
        )
        timed("actor_activity, a rare name", lambda: mentions.actor_activity(conn, rare.id))
        add_alias(conn, rare.id, "topic99")
        timed("refresh after a rare alias", lambda: mentions.refresh_name_matches(conn))
        conn.execute("UPDATE articles SET text = text || ' Maduro.' WHERE id % 1000 = 0")
        timed("refresh after 100 changed texts", lambda: mentions.refresh_name_matches(conn))
        conn.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
