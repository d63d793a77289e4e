"""Enclosures (podcasts, videos): how one is described, and playing it with the player.

``[reader] player`` is a command line such as ``mpv {url}``, read with the building
blocks of :mod:`newsreader.pipes`: split into words with :mod:`shlex` first, then
``{url}`` (the enclosure's URL; also ``{title}``, ``{feed}``, ``{id}`` of its article)
filled in inside each word, no shell, the same refusals (a placeholder as the program, or
as another program's code). A line without ``{url}`` gets the URL as its last word.

The player is started detached: its own session, no terminal (stdin and stdout are
``/dev/null``), and not waited for, beyond a short look at whether it failed at once;
only its last line of errors is kept, for that. Only http(s) URLs are handed to it.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
from dataclasses import dataclass, replace
from pathlib import PurePath
from typing import IO

from newsreader.models import Article, Enclosure
from newsreader.pipes import ENV_NAMES, Command, build_argv, fields_of, parse_command
from newsreader.safety import clean_line, is_safe_link

WATCH_SECONDS = 1.5
"""How long a started player is watched for an early failure before it is left alone."""
_ERRORS_KEPT = 64 * 1024
"""Bytes at the end of the player's error output read for its last line."""


def describe(enclosure: Enclosure) -> str:
    """One line for an enclosure: "▶ audio/mpeg · 24.1 MB  https://…" (clean text)."""
    facts = [clean_line(enclosure.type)] if enclosure.type else []
    if enclosure.length:
        facts.append(human_size(enclosure.length))
    head = " · ".join(facts)
    return f"▶ {head}  {clean_line(enclosure.url)}" if head else f"▶ {clean_line(enclosure.url)}"


def human_size(length: int) -> str:
    """Bytes in decimal units: "812 B", "3.4 kB", "24.1 MB", "1.2 GB"."""
    size = float(length)
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{size:.1f} GB"  # pragma: no cover - the loop always returns


def player_command(line: str) -> Command:
    """``[reader] player`` as a command (``{url}`` appended when the line has none).

    Raises:
        newsreader.pipes.CommandError: the line is not usable (the message says why).
    """
    command = parse_command("player", {"run": line, "input": "none"})
    if not any("{url}" in word for word in command.argv):
        command = replace(command, argv=(*command.argv, "{url}"))
    return command


@dataclass(frozen=True, slots=True)
class PlayResult:
    """How starting the player went (``message`` is one clean line, "" when it is fine)."""

    ok: bool
    message: str = ""


def play(command: Command, article: Article, enclosure: Enclosure) -> PlayResult:
    """Start the player on ``enclosure`` and return once it has run :data:`WATCH_SECONDS`
    (or ended): call it from a worker thread. Never raises for the player's failures."""
    if not is_safe_link(enclosure.url):
        return PlayResult(False, "only http and https media are played")
    shown = replace(article, url=enclosure.url)
    argv = build_argv(command, shown)
    env = {**os.environ, **{ENV_NAMES[k]: v for k, v in fields_of(shown).items()}}
    with tempfile.TemporaryFile() as errors:
        try:
            child = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=errors,
                close_fds=True,
                start_new_session=True,
                env=env,
            )
        except FileNotFoundError:
            return PlayResult(False, f"{PurePath(argv[0]).name}: command not found")
        except OSError as exc:
            return PlayResult(False, f"cannot run {argv[0]}: {exc.strerror or exc}")
        try:
            code = child.wait(timeout=WATCH_SECONDS)
        except subprocess.TimeoutExpired:
            threading.Thread(target=child.wait, daemon=True).start()  # reaped when it ends
            return PlayResult(True)
        if code == 0:
            return PlayResult(True)
        said = _last_line(errors)
        return PlayResult(False, f"exit {code}" + (f": {said}" if said else ""))


def _last_line(stream: IO[bytes]) -> str:
    """The last non-empty line the player wrote to its error output, cleaned."""
    size = stream.seek(0, os.SEEK_END)
    stream.seek(max(0, size - _ERRORS_KEPT))
    text = stream.read().decode("utf-8", "replace")
    lines = [line for line in (clean_line(part) for part in text.splitlines()) if line]
    return lines[-1][:200] if lines else ""
