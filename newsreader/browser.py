"""Open a link in the user's web browser from a process of its own.

The browser is chosen by the standard library's ``webbrowser`` (``$BROWSER`` first, then
the desktop's default), but run in a child process whose standard streams are
``/dev/null`` (errors: a pipe we read) and in a session of its own. So nothing a browser
prints reaches the terminal the TUI draws on, no file descriptor of ours is handed on, a
console browser cannot take the terminal over, and a browser that fails is reported in one
line instead of silently.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading

from newsreader.safety import clean_line

ANSWER_WITHIN = 5.0
"""Seconds a launcher may take to say whether it opened the link; still running after
that means a browser that stays in the foreground, which has the link."""
NO_BROWSER = 3
"""The child's exit code when no browser could be found or started."""

_CHILD = f"import sys, webbrowser\nsys.exit(0 if webbrowser.open(sys.argv[1]) else {NO_BROWSER})\n"


def open_in_browser(url: str, *, wait: float = ANSWER_WITHIN) -> str | None:
    """Open ``url`` (the caller has checked it is http(s)); None, or why it failed.

    Blocks up to ``wait`` seconds: call it from a worker thread, not an event loop.
    """
    try:
        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD, url],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            close_fds=True,
            start_new_session=True,
            env=_child_env(),
        )
    except OSError as exc:
        return f"could not start the browser launcher: {exc.strerror or exc}"
    try:
        _, errors = child.communicate(timeout=wait)
    except subprocess.TimeoutExpired:
        threading.Thread(target=_reap, args=(child,), daemon=True).start()
        return None
    if child.returncode == 0:
        return None
    said = _last_line(errors)
    if child.returncode == NO_BROWSER:
        return (
            "no browser opened it"
            + (f" ({said})" if said else "")
            + "; set $BROWSER to a browser command"
        )
    return f"the browser launcher failed: {said or f'exit status {child.returncode}'}"


def _child_env() -> dict[str, str]:
    """Our environment, less what would make a Python child write to the terminal."""
    env = dict(os.environ)
    env.pop("PYTHONSTARTUP", None)
    return env


def _reap(child: subprocess.Popen[bytes]) -> None:
    """Collect a long-running launcher when it ends, so it leaves no zombie."""
    child.communicate()


def _last_line(errors: bytes | None) -> str:
    """The last non-empty line the launcher printed on stderr, cleaned, at most 200 chars."""
    lines = [
        line for line in (errors or b"").decode("utf-8", "replace").splitlines() if line.strip()
    ]
    return clean_line(lines[-1])[:200] if lines else ""
