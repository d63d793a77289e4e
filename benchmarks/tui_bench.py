#!/usr/bin/env python3
"""Benchmarks of the TUI on a 100,000-article store in 500 feeds (figures printed, not asserted).

    python benchmarks/tui_bench.py [--store PATH] [--runs 5] [--steps 200]

Builds the store first if needed (``tui_store.py``). Measures:
- first paint: process start -> the first frame written to a real pseudo-terminal
  (140x45) that shows the article list; a fresh Python process per run, as a user gets;
- open a 50,000-word article: enter on it -> the end of the first paint (the text is on
  screen) and of the last one it caused (focus border, key bar), and the open call alone;
  key latencies are measured headless with a probe on the screen's paint, at the default
  60 fps and at TEXTUAL_FPS=1000 (every intermediate frame painted: costs not hidden);
- list cursor step: j -> the end of its paint, per step;
- search: the query's SQL (id list of the results, newest first), for a rare word, a
  common word and filters; and enter at the "/" prompt -> the first paint showing the
  results (a worker thread runs the query);
- peak memory (max RSS) of the first-paint process and of the whole Pilot session;
- with ``--tmux``: the first screen of the real ``newsreader`` command in tmux, measured by
  the shared harness (``../shared/bench/bigcache.py screen``) exactly as it measures
  newsboat's first screen on 100,000 items (``bigcache.py`` without ``screen``; slow: it
  builds newsboat's cache and waits ~1 minute per newsboat start) -- divide for the ratio.
Each measured part runs in its own fresh process, so one part's memory or caches do not
leak into another's. Targets (issue 3): first paint <= 0.8 s, open <= 150 ms, step <= 16 ms,
search <= 50 ms, peak memory <= 200 MB. The machine is shared: quote medians.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import resource
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

TARGETS = {"first_paint_s": 0.8, "open_ms": 150, "step_ms": 16, "search_ms": 50, "peak_mb": 200}
SEARCHES = (
    "topic1234",
    "petro",
    "petro is:unread after:2025-06-01",
    '"white house" -maduro',
    "feed:17 trump",
)


def peak_mb() -> float:
    """This process's peak resident memory, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- child: first paint in a pseudo-terminal -------------------------------------------------
def child_first_paint(db: Path, config: Path, out: Path) -> None:
    """Run the app; at the first frame that shows the article list, record the time and exit."""
    from newsreader.config import Settings
    from newsreader.tui.app import NewsReaderApp
    from newsreader.tui.main_screen import MainScreen

    class Probe(NewsReaderApp):
        painted = False

        def _display(self, screen, renderable) -> None:  # type: ignore[no-untyped-def]
            super()._display(screen, renderable)  # the private hook on the terminal write
            if self.painted or renderable is None or not isinstance(screen, MainScreen):
                return
            try:
                shown = screen.articles_pane.list.row_count > 0
            except Exception:
                return
            if shown:
                self.painted = True
                out.write_text(json.dumps({"t": time.time(), "rss": peak_mb()}))
                self.exit()

    Probe(db, Settings(), config).run()


def first_paint(db: Path, runs: int) -> tuple[list[float], list[float]]:
    """Seconds from process start to the first painted screen, and peak MB, per run."""
    times, memory = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(runs):
            out, config = Path(tmp) / f"paint{run}.json", Path(tmp) / "config.toml"
            master, slave = pty.openpty()
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 45, 140, 0, 0))
            env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor"}
            command = [
                sys.executable,
                __file__,
                "--child",
                "paint",
                "--store",
                str(db),
                "--config",
                str(config),
                "--out",
                str(out),
            ]
            started = time.time()
            proc = subprocess.Popen(
                command, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True
            )
            os.close(slave)
            _drain(master, proc)
            os.close(master)
            result = json.loads(out.read_text())
            times.append(result["t"] - started)
            memory.append(result["rss"])
    return times, memory


def _drain(master: int, proc: subprocess.Popen) -> None:
    """Read the child's terminal output until it exits (a full pty would block it)."""
    while proc.poll() is None:
        try:
            os.read(master, 65536)
        except OSError:
            break
    proc.wait(timeout=30)


# --- child: a Pilot session -------------------------------------------------------------------
async def session(db: Path, steps: int) -> dict:
    """Open the big article, step the cursor, search; returns the figures."""
    from newsreader.store import connect, views
    from newsreader.tui.main_screen import MainScreen
    from newsreader.tui.panes.articles import ArticlesPane

    class TimedScreen(MainScreen):
        """Records when loaded lists were put on screen (the search results arrive so: a
        new search with many results sends its newest 200 first, then all of them)."""

        shown_at: list[float] = []

    shown = ArticlesPane.on_list_loaded

    def timed(pane: ArticlesPane, message) -> None:  # type: ignore[no-untyped-def]
        shown(pane, message)
        TimedScreen.shown_at.append(time.perf_counter())

    ArticlesPane.on_list_loaded = timed  # type: ignore[method-assign]

    figures: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        app = app_with_screen(TimedScreen, db, Path(tmp) / "config.toml")
        async with app.run_test(size=(140, 45)) as pilot:
            await pilot.pause()
            probe = PaintProbe(app.main)
            figures["open_ms"] = await _open_big(app, pilot, probe)
            figures["open_call_ms"] = _open_call(app)
            await pilot.press("escape")
            figures["step_ms"] = await _steps(pilot, probe, steps)
            conn = connect(db)
            figures["search_sql_ms"] = {
                q: _best_ms(lambda q=q: views.article_ids(conn, views.Source("search", query=q)))
                for q in SEARCHES
            }
            figures["search_hits"] = {
                q: len(views.article_ids(conn, views.Source("search", query=q))) for q in SEARCHES
            }
            conn.close()
            figures["search_ui_ms"] = {q: await _search_ui(app, pilot, probe, q) for q in SEARCHES}
    figures["session_peak_mb"] = peak_mb()
    return figures


def app_with_screen(screen: type, db: Path, config: Path):  # type: ignore[no-untyped-def]
    """The real app over ``db`` (default settings) whose main screen is ``screen``: a
    MainScreen subclass that records when its messages are handled."""
    from newsreader.config import Settings
    from newsreader.tui.app import NewsReaderApp

    class TimedApp(NewsReaderApp):
        def get_default_screen(self):  # type: ignore[no-untyped-def]
            return screen()

    return TimedApp(db, Settings(), config)


class PaintProbe:
    """Records when the screen last finished painting (wraps the screen's private refresh)."""

    def __init__(self, screen) -> None:  # type: ignore[no-untyped-def]
        self.ends: list[float] = []
        original = screen._compositor_refresh

        def refresh() -> None:
            original()
            self.ends.append(time.perf_counter())

        screen._compositor_refresh = refresh

    @property
    def last(self) -> float:
        """When the last paint ended."""
        return self.ends[-1] if self.ends else 0.0

    async def latency(self, pilot, *keys: str) -> float:  # type: ignore[no-untyped-def]
        """Milliseconds from posting ``keys`` to the end of the last paint they caused."""
        return (await self.latencies(pilot, *keys))[1]

    async def latencies(self, pilot, *keys: str) -> tuple[float, float]:  # type: ignore[no-untyped-def]
        """Milliseconds to the end of the first and of the last paint ``keys`` caused."""
        self.ends.clear()
        started = time.perf_counter()
        await pilot.press(*keys)
        await pilot.pause()
        await pilot.pause(0.1)
        if not self.ends:
            return (0.0, 0.0)
        return ((self.ends[0] - started) * 1000, (self.ends[-1] - started) * 1000)


async def _open_big(app, pilot, probe: PaintProbe) -> list[float]:  # type: ignore[no-untyped-def]
    main = app.main
    big = main.app.conn.execute("SELECT id FROM articles WHERE key = 'bench-50k-words'").fetchone()[
        0
    ]
    main.articles_pane.list.move_cursor(main.articles_pane.list.index_of(big))
    await pilot.pause()
    shown, settled = await probe.latencies(pilot, "enter")
    assert (
        main.reader_pane.view.article_id == big
        and len(main.reader_pane.view.text.split()) >= 50_000
    )
    return [shown, settled]


def _open_call(app) -> float:  # type: ignore[no-untyped-def]
    main = app.main
    return _best_ms(lambda: main.reader_pane.open_article(main.reader_pane.view.article_id))


async def _steps(pilot, probe: PaintProbe, steps: int) -> list[float]:  # type: ignore[no-untyped-def]
    return [await probe.latency(pilot, "j") for _ in range(steps)]


async def _search_ui(app, pilot, probe: PaintProbe, query: str) -> list[float]:  # type: ignore[no-untyped-def]
    """[enter -> the first results painted, enter -> all of them painted]."""
    await pilot.press("slash")
    await pilot.pause()
    app.main.query_one("#search-bar").value = query
    probe.ends.clear()
    shown = type(app.main).shown_at
    shown.clear()
    started = time.perf_counter()
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause(0.1)
    assert app.main.articles_pane.search_source is not None
    painted = [
        (min(t for t in probe.ends if t >= at) - started) * 1000 for at in (shown[0], shown[-1])
    ]
    await pilot.press("escape")
    await app.workers.wait_for_complete()
    await pilot.pause()
    return painted


def _best_ms(function, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best * 1000


def run_session(store: Path, steps: int, fps: str) -> dict:
    """The Pilot session in a fresh process at ``fps`` frames per second at most."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "session.json"
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                "session",
                "--store",
                str(store),
                "--steps",
                str(steps),
                "--out",
                str(out),
            ],
            check=True,
            env={**os.environ, "TEXTUAL_FPS": fps, "TEXTUAL_ANIMATIONS": "none"},
        )
        return json.loads(out.read_text())


def tmux_first_screen(store: Path, runs: int) -> None:
    """The shared harness's first-screen timing of ``newsreader --db STORE`` in tmux."""
    harness = ROOT.parent / "shared" / "bench" / "bigcache.py"
    if not harness.exists():
        print(f"(no {harness}: tmux timing skipped)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "config.toml"
        result = subprocess.run(
            [
                sys.executable,
                str(harness),
                "screen",
                "--runs",
                str(runs),
                "--cols",
                "120",
                "--rows",
                "40",
                "--ready",
                r"Articles \(100001\)(?s:.*)Bench feed",
                "--",
                sys.executable,
                "-m",
                "newsreader",
                "--db",
                str(store),
                "--config",
                str(config),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    lines = [line for line in result.stdout.splitlines() if line.startswith("first screen")]
    print(
        "newsreader command in tmux (shared harness): "
        + (lines[0] if lines else result.stderr[-500:])
    )


# --- report -------------------------------------------------------------------------------------
def report(paint: tuple[list[float], list[float]], sessions: dict[str, dict]) -> None:
    """Print the figures next to their targets (key latencies at 60 fps | at 1000 fps)."""
    times, memory = paint
    real, fast = sessions["60"], sessions["1000"]
    rows = [
        (
            "first paint (process start -> list shown)",
            f"{statistics.median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f})",
            f"<= {TARGETS['first_paint_s']} s",
        ),
        (
            "open the 50,000-word article: enter -> text shown",
            f"{real['open_ms'][0]:.0f} | {fast['open_ms'][0]:.0f} ms",
            f"<= {TARGETS['open_ms']} ms",
        ),
        (
            "  enter -> last repaint (focus border, key bar)",
            f"{real['open_ms'][1]:.0f} | {fast['open_ms'][1]:.0f} ms",
            "",
        ),
        ("  of which open_article() (read + wrap)", f"{real['open_call_ms']:.0f} ms", ""),
        (
            "list cursor step (j -> painted), median / p95",
            f"{_median_p95(real['step_ms'])} | {_median_p95(fast['step_ms'])} ms",
            f"<= {TARGETS['step_ms']} ms",
        ),
    ]
    for query, sql in real["search_sql_ms"].items():
        first, every = real["search_ui_ms"][query]
        fast_first, fast_every = fast["search_ui_ms"][query]
        rows.append(
            (
                f"search {query!r} ({real['search_hits'][query]} hits): SQL; "
                "first results / all painted",
                f"{sql:.0f}; {first:.0f}/{every:.0f} | {fast_first:.0f}/{fast_every:.0f} ms",
                f"<= {TARGETS['search_ms']} ms",
            )
        )
    rows += [
        (
            "peak memory at first paint",
            f"{statistics.median(memory):.0f} MB",
            f"<= {TARGETS['peak_mb']} MB",
        ),
        (
            "peak memory of the whole session",
            f"{real['session_peak_mb']:.0f} MB",
            f"<= {TARGETS['peak_mb']} MB",
        ),
    ]
    print("key latencies: default 60 fps | TEXTUAL_FPS=1000 (every intermediate frame painted)")
    width = max(len(r[0]) for r in rows)
    for label, value, target in rows:
        print(f"{label:<{width}}  {value:<30} {target}")


def _median_p95(values: list[float]) -> str:
    ordered = sorted(values)
    return f"{statistics.median(ordered):.1f}/{ordered[max(0, int(len(ordered) * 0.95) - 1)]:.1f}"


def main() -> int:
    """Parse the options; run a child part or the whole benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path)
    parser.add_argument("--runs", type=int, default=5, help="first-paint runs (default 5)")
    parser.add_argument("--steps", type=int, default=200, help="cursor steps (default 200)")
    parser.add_argument(
        "--tmux",
        action="store_true",
        help="also time the newsreader command's first screen in tmux",
    )
    parser.add_argument("--child", choices=("paint", "session"), help=argparse.SUPPRESS)
    parser.add_argument("--config", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "paint":
        child_first_paint(args.store, args.config, args.out)
        return 0
    if args.child == "session":
        import asyncio

        args.out.write_text(json.dumps(asyncio.run(session(args.store, args.steps))))
        return 0
    from tui_store import DEFAULT_OUT, build

    store = build(args.store or DEFAULT_OUT, 100_000, 500)
    print(
        f"store: {store} ({store.stat().st_size / 1e6:.0f} MB); load average "
        f"{os.getloadavg()[0]:.1f}"
    )
    paint = first_paint(store, args.runs)
    sessions = {fps: run_session(store, args.steps, fps) for fps in ("60", "1000")}
    report(paint, sessions)
    if args.tmux:
        tmux_first_screen(store, args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
