#!/usr/bin/env python3
"""What the triage work costs a cold refresh: 200 generated feeds x 50 items (the shared
harness's genfeeds.py) served from 127.0.0.1 without added latency, refreshed in-process
into a fresh store, with and without duplicate detection, alternating.

    python benchmarks/refresh_cost.py [--runs 2]

Prints each run's wall time. Needs ../shared/bench/genfeeds.py beside the checkout.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from httpserver import LoopbackServer  # noqa: E402

import newsreader.feeds.refresh as refreshing  # noqa: E402
from newsreader.config import FetchSettings  # noqa: E402
from newsreader.store import connect  # noqa: E402
from newsreader.store.feeds import add_feed  # noqa: E402

GENFEEDS = ROOT.parent / "shared" / "bench" / "genfeeds.py"
FEEDS = Path(tempfile.gettempdir()) / "newsreader-bench" / "cost-200x50"


def generated() -> list[Path]:
    """The 200 x 50 feeds (generated once)."""
    if not (FEEDS / "manifest.json").exists():
        subprocess.run(
            [sys.executable, str(GENFEEDS), str(FEEDS), "--feeds", "200", "--items", "50"],
            check=True,
            capture_output=True,
        )
    return sorted(FEEDS.glob("feed*.xml"))


def cold_refresh(feeds: list[Path], detecting: bool) -> float:
    """Seconds for one cold refresh of ``feeds`` into a fresh store."""
    detect = refreshing.detect
    if not detecting:
        refreshing.detect = lambda conn, ids, **_: 0
    try:
        with LoopbackServer() as server, tempfile.TemporaryDirectory() as folder:
            for feed in feeds:
                server.route("/" + feed.name, body=feed.read_bytes())
            db = Path(folder) / "store.db"
            conn = connect(db)
            for feed in feeds:
                add_feed(conn, server.url("/" + feed.name))
            conn.close()
            settings = FetchSettings(max_connections=16, max_per_host=16, full_text="never")
            start = time.perf_counter()
            summary = refreshing.refresh(db, settings=settings)
            took = time.perf_counter() - start
            assert summary.new_articles == 50 * len(feeds), summary.new_articles
            return took
    finally:
        refreshing.detect = detect


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    feeds = generated()
    times: dict[bool, list[float]] = {False: [], True: []}
    for _ in range(args.runs):
        for detecting in (False, True):
            times[detecting].append(cold_refresh(feeds, detecting))
            print(f"{'with' if detecting else 'without'} detection: {times[detecting][-1]:.2f} s")
    for detecting, found in times.items():
        label = "with" if detecting else "without"
        print(f"median {label} duplicate detection: {statistics.median(found):.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
