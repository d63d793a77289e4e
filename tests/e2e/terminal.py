"""The real ``newsreader`` command in a pseudo-terminal, read through a terminal emulator.

pexpect runs the installed entry point on a pty of a fixed size; every byte it writes goes
through pyte, a VT100/xterm emulator, so a test reads the screen a user would see (rows of
text, with the cursor, colours and escape sequences already applied), not the raw stream.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pexpect
import pyte

KEYS = {
    "enter": "\r",
    "escape": "\x1b",
    "tab": "\t",
    "backspace": "\x7f",
    "space": " ",
    "up": "\x1b[A",
    "down": "\x1b[B",
    "right": "\x1b[C",
    "left": "\x1b[D",
    "ctrl+s": "\x13",
    "ctrl+z": "\x1a",
    "ctrl+p": "\x10",
}
"""What the terminal sends for the named keys; any other name is typed as it is."""
ESCAPE_PAUSE = 0.15
"""Seconds after a lone escape, so the app does not read it with the next key as alt+key."""


class Terminal:
    """``newsreader`` with ``args`` on a ``size`` (columns, rows) pseudo-terminal."""

    def __init__(self, args: list[str], env: dict[str, str], size: tuple[int, int]) -> None:
        columns, rows = size
        self.screen = pyte.Screen(columns, rows)
        self._stream = pyte.ByteStream(self.screen)
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "newsreader", *args],
            env=env,
            dimensions=(rows, columns),
            timeout=None,
        )

    # --- reading ---------------------------------------------------------------------------
    def pump(self, seconds: float = 0.05) -> None:
        """Feed the emulator everything the app wrote within ``seconds``."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                self._stream.feed(self.child.read_nonblocking(65536, timeout=0.02))
            except pexpect.TIMEOUT:
                if time.monotonic() >= deadline:
                    return
            except pexpect.EOF:
                return

    def text(self) -> str:
        """The screen now: its rows, right-trimmed, joined by newlines."""
        self.pump()
        return "\n".join(row.rstrip() for row in self.screen.display)

    def row(self, number: int) -> str:
        """One row of the screen (0 = top)."""
        return self.screen.display[number].rstrip()

    def wait_for(self, wanted: str | Callable[[str], bool], timeout: float = 15.0) -> bool:
        """Until ``wanted`` (a text, or a test of the screen) shows, at most ``timeout`` s."""
        test = wanted if callable(wanted) else (lambda screen: wanted in screen)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if test(self.text()):
                return True
        return test(self.text())

    def settle(self, quiet: float = 0.4, timeout: float = 10.0) -> str:
        """Until the screen stopped changing for ``quiet`` seconds; the screen then."""
        deadline = time.monotonic() + timeout
        last, since = self.text(), time.monotonic()
        while time.monotonic() < deadline:
            now = self.text()
            if now != last:
                last, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet:
                break
        return last

    # --- typing ----------------------------------------------------------------------------
    def press(self, *keys: str) -> None:
        """Press keys by name (``enter``, ``ctrl+s``, ``S``…), letting the app read each."""
        for key in keys:
            self.child.send(KEYS.get(key, key))
            self.pump(ESCAPE_PAUSE if key == "escape" else 0.03)

    def type(self, text: str) -> None:
        """Type ``text`` one character at a time, as fast as a quick typist."""
        for char in text:
            self.child.send(char)
            self.pump(0.01)

    # --- ending ----------------------------------------------------------------------------
    def quit(self, timeout: float = 15.0) -> int:
        """Press q until the app exits (each q backs out one level); its exit status."""
        deadline = time.monotonic() + timeout
        while self.child.isalive() and time.monotonic() < deadline:
            self.child.send("q")
            self.pump(0.5)
        return self.close()

    def close(self) -> int:
        """Wait for the app (killed after 10 s); its exit status (-signal when killed)."""
        deadline = time.monotonic() + 10
        while self.child.isalive() and time.monotonic() < deadline:
            self.pump(0.1)
        if self.child.isalive():
            self.child.kill(9)
        self.child.close()
        if self.child.signalstatus is not None:
            return -self.child.signalstatus
        return self.child.exitstatus if self.child.exitstatus is not None else -1


def user_env(home: Path) -> dict[str, str]:
    """A fresh user's environment under ``home``: own data, config and notes folders, a
    colour terminal, no animations, no browser to start."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TEXTUAL", "NEWSREADER", "PYTEST", "XDG_"))
    }
    env.update(
        TERM="xterm-256color",
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        TEXTUAL_ANIMATIONS="none",
        BROWSER="true",
        TZ="UTC",
        LANG="C.UTF-8",
    )
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    return env
