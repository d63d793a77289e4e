"""Parser processes start while a TUI holds sys.stderr (Textual's capture: fileno() is -1).

Each case runs in a fresh interpreter, so multiprocessing's helpers are not already running
from an earlier test: exactly the state of a newly started ``newsreader``.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

_CHILD = textwrap.dedent("""
    import sys
    from newsreader.feeds.parsepool import ParsePool, start_helpers

    class Capture:  # what Textual puts in sys.stderr while its app runs
        def write(self, text): pass
        def flush(self): pass
        def isatty(self): return True
        def fileno(self): return -1

    if sys.argv[1] == "helpers-first":
        start_helpers()
    sys.stderr = Capture()
    body = (b"<rss version='2.0'><channel><title>Wire</title><item><title>New story</title>"
            b"<guid>n1</guid></item></channel></rss>")
    with ParsePool(1) as pool:
        try:
            feed = pool.submit(body, "https://wire.example/feed", "application/rss+xml").result()
        except Exception as exc:
            print(f"FAILED {type(exc).__name__}: {exc}")
        else:
            print("PARSED " + feed.entries[0].title)
""")


def _run(mode: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, mode],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return done.stdout.strip() or done.stderr.strip()


def test_parser_processes_start_under_a_tui_once_the_helpers_run() -> None:
    assert _run("helpers-first") == "PARSED New story"


def test_without_the_helpers_the_same_start_fails() -> None:
    """The cause, shown: the resource tracker hands on the capture's fd -1."""
    outcome = _run("capture-only")
    if outcome == "PARSED New story":
        pytest.skip("this Python's resource tracker no longer hands sys.stderr's fd on")
    assert outcome.startswith("FAILED ValueError: bad value(s) in fds_to_keep")
