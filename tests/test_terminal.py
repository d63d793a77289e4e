"""The real ``newsreader`` command in a real pseudo-terminal: first run opens the demo, q quits.

Pilot drives the app inside the test process; this runs the installed entry point the way
the README's first command does (a fresh store, a terminal of 120x32), reads what it writes
to the terminal and answers with keys, so start-up, terminal set-up and shutdown are covered.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import sqlite3
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

_ESCAPES = re.compile(rb"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]"  # CSI: cursor, colours, modes
                      rb"|\][^\x07\x1b]*(\x07|\x1b\\)"  # OSC: title, clipboard
                      rb"|[()][0-9A-Za-z]|[=>78])")


class Terminal:
    """A child process on a pseudo-terminal, with everything it printed (escapes removed)."""

    def __init__(self, argv: list[str], env: dict[str, str], size: tuple[int, int]) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        self.process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave,
                                        env=env, start_new_session=True, close_fds=True)
        os.close(slave)
        self.master = master
        self.raw = b""

    def text(self) -> str:
        """What was written so far, without escape sequences."""
        return _ESCAPES.sub(b"", self.raw).decode("utf-8", "replace")

    def wait_for(self, words: str, timeout: float) -> bool:
        """Read until ``words`` appeared on the screen or ``timeout`` seconds passed."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if words in self.text():
                return True
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if ready:
                try:
                    self.raw += os.read(self.master, 65536)
                except OSError:  # the child closed the terminal
                    break
        return words in self.text()

    def press(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def close(self) -> int | None:
        """Wait for the child (killed after 10 s); its exit code."""
        try:
            deadline = time.monotonic() + 10
            while self.process.poll() is None and time.monotonic() < deadline:
                self.wait_for("\0never\0", 0.2)  # keep draining its output
            if self.process.poll() is None:
                self.process.kill()
            return self.process.wait(timeout=10)
        finally:
            os.close(self.master)


def test_first_run_opens_the_demo_in_a_terminal_and_q_quits(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "32",
           "TEXTUAL_ANIMATIONS": "none"}
    env.pop("TEXTUAL", None)
    term = Terminal([sys.executable, "-m", "newsreader", "--db", str(db),
                     "--config", str(tmp_path / "config.toml")], env, (120, 32))
    try:
        assert term.wait_for("Trump and Petro", timeout=30), term.text()[-2000:]
        assert term.wait_for("? Help", timeout=10)  # the key bar
        assert "Feeds" in term.text()
        term.press(b"q")
    finally:
        code = term.close()
    assert code == 0, term.text()[-2000:]
    with sqlite3.connect(db) as conn:
        titles = [row[0] for row in conn.execute("SELECT title FROM articles")]
    assert any(title.startswith("Trump and Petro") for title in titles)
