#!/usr/bin/env python3
"""Every store call the TUI makes on its event loop, timed on the 100,000-article store.

    python benchmarks/ui_thread.py [--store PATH] [--runs 7]

The panes run bulk work in workers; what is left on the UI thread must stay within a few
milliseconds (issue 10). Each call is the one a pane makes, with the arguments a user's
key gives it; the figure is the median of ``--runs`` (best and worst beside it). Builds
the store first if needed (``tui_store.py``). Figures are printed, not asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from tui_store import DEFAULT_OUT, build  # noqa: E402

from newsreader.store import annotations as annotation_store  # noqa: E402
from newsreader.store import articles as article_store  # noqa: E402
from newsreader.store import connect, views  # noqa: E402
from newsreader.store import feeds as feed_store  # noqa: E402
from newsreader.store.actors import add_actor  # noqa: E402
from newsreader.tui.actor_cache import ActorCache  # noqa: E402
from newsreader.tui.marks import text_window  # noqa: E402

LIMIT_MS = 5.0
"""What "a few milliseconds" is taken to mean here."""


def timed(call: Callable[[], object], runs: int) -> tuple[float, float, float]:
    """(median, best, worst) of ``runs`` calls, in milliseconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times), max(times)


def calls(db: Path) -> dict[str, Callable[[], object]]:
    """What the panes call on the UI thread, by where and why."""
    conn = connect(db, migrate_schema=False)
    big = conn.execute("SELECT id FROM articles ORDER BY length(text) DESC LIMIT 1").fetchone()[0]
    some = conn.execute("SELECT id FROM articles ORDER BY sort_time DESC LIMIT 500, 1").fetchone()[
        0
    ]
    page = [row[0] for row in conn.execute("SELECT id FROM articles LIMIT 100 OFFSET 5000")]
    folder = conn.execute("SELECT folder FROM feeds WHERE folder != '' LIMIT 1").fetchone()
    text = article_store.get_article(conn, big).text  # type: ignore[union-attr]
    window = text_window(text, 0)
    cache = ActorCache()
    everything = views.Source("all")

    def toggle_read() -> None:
        article_store.set_read(conn, [some], True)
        article_store.set_read(conn, [some], False)

    return {
        "(start-up) feeds pane: feed rows (after a change: read by a worker)": lambda: (
            views.feed_rows(conn)
        ),
        "feeds pane: the feeds of a folder (r on a folder)": lambda: feed_store.feed_ids_in_folder(
            conn, folder[0] if folder else ""
        ),
        "articles pane: a page of 100 rows (scrolling the list)": lambda: (
            article_store.articles_by_ids(conn, page)
        ),
        "articles pane: one row (m, s, o)": lambda: article_store.articles_by_ids(conn, [some]),
        "articles pane: next unread (n) in All": lambda: views.neighbour_unread(
            conn, everything, some, True
        ),
        "articles pane: read, then unread again (m twice, two writes)": toggle_read,
        "articles pane: a saved search by query (ctrl+s)": lambda: views.get_saved_search(
            conn, "petro"
        ),
        "reader pane: the open article, 50,000 words (enter)": lambda: article_store.get_article(
            conn, big
        ),
        "reader pane: annotations near the cursor (enter)": lambda: (
            annotation_store.list_annotations(conn, big, within=window)
        ),
        "reader pane: actor rows for a dialog (c, t; built by the marks worker)": lambda: (
            cache.rows(conn)
        ),
        "reader pane: the actor matcher for c (built by the marks worker)": cache.built_matcher,
    }


def actor_calls(folder: Path, count: int) -> dict[str, Callable[[], object]]:
    """What the marks worker now does off the UI thread, on ``count`` actors: the cost the
    UI thread paid for it before (``c`` right after a tag rebuilt both there)."""
    conn = connect(folder / "actors.db")
    for n in range(count):
        add_actor(conn, f"Actor Number{n} Surname{n}", "person", [f"Surname{n}"])
    cache = ActorCache()
    return {
        f"(worker) actor rows rebuilt, {count:,} actors": lambda: (
            cache.invalidate(),
            cache.rows(conn),
        ),
        f"(worker) actor matcher rebuilt, {count:,} actors": lambda: (
            cache.invalidate(),
            cache.matcher(conn),
        ),
    }


def main() -> int:
    """Print one line per call: median, best and worst milliseconds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if not args.store.exists():
        build(args.store, 100_000, 500)
    actors = (
        connect(args.store, migrate_schema=False)
        .execute("SELECT count(*) FROM actors")
        .fetchone()[0]
    )
    print(f"store: {args.store} ({actors} actors); limit {LIMIT_MS:g} ms; median (best-worst)")
    with tempfile.TemporaryDirectory() as folder:
        measured = {**calls(args.store), **actor_calls(Path(folder), 5_000)}
        for name, call in measured.items():
            median, best, worst = timed(call, args.runs)
            flag = "  OVER" if median > LIMIT_MS and not name.startswith("(") else ""
            print(f"{median:8.2f} ms ({best:.2f}-{worst:.2f})  {name}{flag}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
