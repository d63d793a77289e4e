#!/usr/bin/env python3
"""Time newsreader's refresh against newsboat on the same generated feeds, in the same run.

    python benchmarks/refresh.py [--feeds 200] [--items 50] [--latency-ms 100] [--runs 3]

A thin wrapper around the shared harness (``../shared/bench/``, see its README.md):
``compare.py`` generates the feeds (200 x 50 items, ~65 MB), serves them on 127.0.0.1 with
100 ms added latency per request, and runs, in alternating rounds, newsboat with
``reload-threads 16`` and newsreader through its real command line (``import-opml`` once,
then a cold, a second and a warm ``refresh``). It prints medians, peak RSS and the ratios
newsreader / newsboat; this script then checks them against the targets of issue 2:
cold <= 0.5 x newsboat, warm (all 304) <= 1.5 s, peak RSS <= 150 MB.

All feeds come from one host, and newsreader's default of 4 requests per host would make
this a test of politeness, not speed: the benchmark gives newsreader a config file with
``[fetch] max_per_host = 16`` (16 connections in all, as newsboat's 16 threads), and says
so in its output. Needs newsboat and GNU time (``apt-get install newsboat time``).
Peak RSS is the largest single process (parse worker processes are separate processes).
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT.parent / "shared" / "bench"
NAME = "newsreader"
CONFIG = '[fetch]\nmax_connections = 16\nmax_per_host = 16\nfull_text = "never"\n'
"""newsboat fetches no pages: neither does newsreader here (benchmarks/fulltext.py times that)."""
TARGETS = {"cold_ratio": 0.5, "warm_s": 1.5, "rss_mb": 150.0}


def candidate_commands(config: Path) -> dict[str, str]:
    """The run_candidate.sh templates: newsreader's own CLI, run by this interpreter."""
    cli = f"{shlex.quote(sys.executable)} -m newsreader --db {{db}} --config {config}"
    count = (
        f"{shlex.quote(sys.executable)} -c 'import sqlite3, sys; print(sqlite3.connect("
        'sys.argv[1]).execute("select count(*) from articles").fetchone()[0])\' {db}'
    )
    return {
        "--candidate-setup": f"{cli} import-opml {{opml}}",
        "--candidate-refresh": f"{cli} refresh --quiet",
        "--candidate-count": count,
        "--candidate-startup": f"{cli} feeds --json",
    }


def run_compare(args: argparse.Namespace, work: Path) -> Path:
    """Run compare.py once; return the JSON file it wrote."""
    config = work / "config.toml"
    config.write_text(CONFIG, encoding="utf-8")
    out = work / "results"
    cmd = [
        sys.executable,
        str(BENCH / "compare.py"),
        "--feeds",
        str(args.feeds),
        "--items",
        str(args.items),
        "--latency-ms",
        str(args.latency_ms),
        "--runs",
        str(args.runs),
        "--newsboat-threads",
        "16",
        "--candidate-name",
        NAME,
        "--workdir",
        str(args.workdir),
        "--out",
        str(out),
    ]
    if args.wait_idle:
        cmd += ["--wait-idle", str(args.wait_idle)]
    for option, template in candidate_commands(config).items():
        cmd += [option, template]
    print(f"# newsreader runs with {config}: {CONFIG.strip().replace(chr(10), '; ')}", flush=True)
    subprocess.run(cmd, check=False, cwd=ROOT)
    found = sorted(out.glob("*.json"))
    if not found:
        sys.exit("benchmarks/refresh.py: compare.py wrote no results")
    return found[-1]


def verdict(results: Path) -> list[str]:
    """Lines comparing the medians with the targets."""
    data = json.loads(results.read_text(encoding="utf-8"))
    rows = {row["reader"]: row for row in data.get("summary", data.get("rows", []))}
    ours = rows.get(NAME)
    theirs = next((r for name, r in rows.items() if name.startswith("newsboat")), None)
    if not ours or not theirs or not ours.get("cold_wall_s") or not theirs.get("cold_wall_s"):
        return [f"no complete figures in {results}"]
    ratio = ours["cold_wall_s"] / theirs["cold_wall_s"]
    checks = [
        ("cold / newsboat cold", ratio, TARGETS["cold_ratio"], "x"),
        ("warm refresh (all 304)", ours.get("warm_wall_s"), TARGETS["warm_s"], " s"),
        ("peak RSS, cold", ours.get("cold_rss_mb"), TARGETS["rss_mb"], " MB"),
    ]
    lines = [
        f"newsreader cold {ours['cold_wall_s']:.2f} s, newsboat (16 threads) cold "
        f"{theirs['cold_wall_s']:.2f} s"
    ]
    for label, value, target, unit in checks:
        mark = "n/a" if value is None else ("ok" if value <= target else "MISSED")
        shown = "–" if value is None else f"{value:.2f}{unit}"
        lines.append(f"  {label:24s} {shown:>10s}  target <= {target:g}{unit}  {mark}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--latency-ms", type=float, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--wait-idle",
        type=float,
        default=0,
        help="wait up to S seconds before each run for the machine to be quiet",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "newsreader-bench",
        help="where the generated feeds are kept between runs",
    )
    args = parser.parse_args()
    if not (BENCH / "compare.py").is_file():
        sys.exit(f"benchmarks/refresh.py: the shared harness is missing ({BENCH})")
    args.workdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="newsreader-bench-") as tmp:
        results = run_compare(args, Path(tmp))
        print("\n".join(["", "## targets (issue 2)", *verdict(results)]))
        kept = args.workdir / results.name
        kept.write_bytes(results.read_bytes())
        print(f"\nraw results: {kept}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
