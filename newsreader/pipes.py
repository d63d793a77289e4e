"""Pipes: the open article handed to a command the user named in ``[commands]``.

A command line is split into words with :func:`shlex.split` *first*; the placeholders
``{url}``, ``{title}``, ``{feed}`` and ``{id}`` are then filled in inside each word, so a
title holding spaces, quotes or ``;`` stays one argument of one program, run without a
shell. A shell runs only when the user's own line starts one (``sh -c '…'``); in its
script a placeholder becomes a reference to an environment variable
(``"$NEWSREADER_TITLE"``), which the shell expands as data, never as code. Feed text
never reaches a command line unquoted. The command's stdin is the article's URL, its
text, or nothing; its output is bounded and cleaned of control characters before it is
shown.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from newsreader.models import Article
from newsreader.safety import clean_line, clean_text, clean_url, is_safe_link

NAME = re.compile(r"[A-Za-z0-9_-]{1,40}")
"""A command's name: letters, digits, - and _ (it is shown and typed in the palette)."""
INPUTS = ("url", "text", "none")
"""What the command reads on stdin: the article's URL, its title and text, or nothing."""
PLACEHOLDER = re.compile(r"\{(url|title|feed|id)\}")
"""The placeholders filled in inside a word; any other brace stays as written."""
ENV_NAMES = {
    "url": "NEWSREADER_URL",
    "title": "NEWSREADER_TITLE",
    "feed": "NEWSREADER_FEED",
    "id": "NEWSREADER_ID",
}
"""Every command's environment holds the article's fields under these names too."""
SHELLS = frozenset({"sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "yash"})
"""POSIX shells: in their ``-c`` script a placeholder becomes ``"$NEWSREADER_…"``."""
SCRIPT_OPTIONS = frozenset({"-c", "-e", "-E", "--command", "--eval", "--exec", "-exec"})
"""Options after which another program takes code (python -c, perl -e): no placeholder
may follow them, since feed text there would be code."""
DEFAULT_TIMEOUT = 30.0
"""Seconds a command may run before it is stopped."""
MAX_TIMEOUT = 3600.0
MAX_INPUT = 1_000_000
"""Characters of article text sent on stdin at most."""
MAX_OUTPUT = 64 * 1024
"""Bytes of stdout (and of stderr) kept; the rest is read and dropped."""
SHOWN_LINES = 3
"""Lines of output a notification shows."""


class CommandError(ValueError):
    """A ``[commands]`` entry is not usable; the message names the entry."""


@dataclass(frozen=True, slots=True)
class Command:
    """One configured command."""

    name: str
    """As in ``[commands]``: shown in the picker and the palette ("Pipe to NAME")."""
    run: str
    """The command line as written."""
    argv: tuple[str, ...]
    """``run`` split into words, placeholders not yet filled in."""
    input: str = "text"
    """What stdin gets: "url", "text" or "none" (see :data:`INPUTS`)."""
    timeout: float = DEFAULT_TIMEOUT
    """Seconds before the command is stopped."""

    @property
    def uses_url(self) -> bool:
        """Does the command get the article's URL (a placeholder, or stdin)?"""
        return self.input == "url" or any("{url}" in word for word in self.argv)


@dataclass(frozen=True, slots=True)
class PipeResult:
    """What came of running a command, ready to be shown (clean, bounded text)."""

    ok: bool
    exit_code: int | None
    """None when the command did not start or was stopped."""
    output: str
    """Its first lines of output (success), or the line saying what went wrong."""

    def message(self, name: str) -> str:
        """One notification's text: "wallabag: done", "say: exit 2: no voice"…"""
        return f"{name}: {self.output or ('done' if self.ok else 'failed')}"


def parse_commands(table: Mapping[str, object]) -> list[Command]:
    """The ``[commands]`` table as commands, in the file's order.

    Each value is a command line, or a table ``{ run = "…", input = "url"|"text"|"none",
    timeout = seconds }``.

    Raises:
        CommandError: a name, a line or a value is not usable (the message names it).
    """
    return [parse_command(name, value) for name, value in table.items()]


def parse_command(name: str, value: object) -> Command:
    """One ``[commands]`` entry (see :func:`parse_commands`)."""
    if not NAME.fullmatch(name):
        raise CommandError(f"{name!r}: a command's name is letters, digits, - and _ (at most 40)")
    spec = {"run": value} if isinstance(value, str) else value
    if not isinstance(spec, dict):
        raise CommandError(f'{name} must be a command line or a table {{ run = "…" }}')
    unknown = sorted(set(spec) - {"run", "input", "timeout"})
    if unknown:
        raise CommandError(f"{name}: unknown key {unknown[0]!r} (run, input, timeout)")
    run = spec.get("run")
    if not isinstance(run, str) or not run.strip():
        raise CommandError(f"{name}: run must be a command line (a non-empty string)")
    argv = _split(name, run)
    default_input = "none" if any("{url}" in word for word in argv) else "text"
    chosen = spec.get("input", default_input)
    if chosen not in INPUTS:
        raise CommandError(f'{name}: input must be one of "url", "text", "none", got {chosen!r}')
    timeout = spec.get("timeout", DEFAULT_TIMEOUT)
    if (
        isinstance(timeout, bool)
        or not isinstance(timeout, int | float)
        or not 0 < timeout <= MAX_TIMEOUT
    ):
        raise CommandError(
            f"{name}: timeout must be a number more than 0 and at most {MAX_TIMEOUT:g} s, "
            f"got {timeout!r}"
        )
    return Command(name, run, argv, str(chosen), float(timeout))


def _split(name: str, run: str) -> tuple[str, ...]:
    """``run``'s words; a placeholder where feed text would be code is refused."""
    if any(ord(c) < 32 or ord(c) == 127 for c in run):
        raise CommandError(f"{name}: the command line must be one line without control characters")
    try:
        argv = tuple(shlex.split(run))
    except ValueError as exc:
        raise CommandError(f"{name}: cannot split the command line into words: {exc}") from exc
    if not argv:
        raise CommandError(f"{name}: run must name a program")
    if PLACEHOLDER.search(argv[0]):
        raise CommandError(f"{name}: the program itself cannot be a placeholder")
    if _script_index(argv) is None:
        for before, word in zip(argv[1:], argv[2:], strict=False):
            if before in SCRIPT_OPTIONS and PLACEHOLDER.search(word):
                raise CommandError(
                    f"{name}: a placeholder in code ({before} {word!r}) would run feed text; "
                    "read $NEWSREADER_TITLE (URL, FEED, ID) from the environment instead"
                )
    return argv


def _script_index(argv: tuple[str, ...]) -> int | None:
    """The index of a POSIX shell's ``-c`` script in ``argv`` (None: no shell script)."""
    if PurePath(argv[0]).name not in SHELLS:
        return None
    for index, word in enumerate(argv[1:-1], start=1):
        if word.startswith("-") and not word.startswith("--") and "c" in word[1:]:
            return index + 1
        if not word.startswith(("-", "+")):
            return None  # a script file: what follows are its arguments
    return None


def fields_of(article: Article) -> dict[str, str]:
    """The placeholders' values for ``article``: one clean line each."""
    return {
        "url": clean_url(article.url),
        "title": clean_line(article.title),
        "feed": clean_line(article.feed_title),
        "id": str(article.id),
    }


def build_argv(command: Command, article: Article) -> list[str]:
    """``command``'s words with ``article``'s fields filled in, each word one argument.

    Words up to a shell's ``-c`` script (the script too) get ``"$NEWSREADER_…"`` instead
    of the value, for the shell to expand from the environment.
    """
    values = fields_of(article)
    script = _script_index(command.argv)
    words = []
    for index, word in enumerate(command.argv):
        if script is not None and index <= script:
            words.append(shell_references(word))
        else:
            words.append(PLACEHOLDER.sub(lambda m: values[m[1]], word))
    return words


def shell_references(script: str) -> str:
    """``script`` with each placeholder replaced by a quoted reference to its environment
    variable, quoted for where it stands: ``"${NEWSREADER_URL}"`` outside quotes,
    ``${NEWSREADER_URL}`` inside double quotes, ``'"${NEWSREADER_URL}"'`` inside single
    quotes (closed, then reopened). The shell expands it as one word of data."""
    out, quote, index = [], "", 0
    while index < len(script):
        found = PLACEHOLDER.match(script, index)
        if found is not None:
            ref = "${" + ENV_NAMES[found[1]] + "}"
            out.append({"": f'"{ref}"', '"': ref, "'": f"'\"{ref}\"'"}[quote])
            index = found.end()
            continue
        char = script[index]
        if char == "\\" and quote != "'":  # an escaped character is never a quote
            out.append(script[index : index + 2])
            index += 2
            continue
        if char in "'\"" and quote in ("", char):
            quote = "" if quote else char
        out.append(char)
        index += 1
    return "".join(out)


def stdin_for(command: Command, article: Article) -> bytes | None:
    """What the command reads: the URL, the title and text (bounded), or None."""
    if command.input == "url":
        return (clean_url(article.url) + "\n").encode()
    if command.input == "text":
        body = clean_text(article.text, multiline=True)[:MAX_INPUT]
        return f"{clean_line(article.title)}\n\n{body}\n".encode()
    return None


def run_command(command: Command, article: Article, timeout: float | None = None) -> PipeResult:
    """Run ``command`` on ``article`` (no shell, no terminal) and say how it went.

    Blocks until the command ends or ``timeout`` (default: the command's) passes: call it
    from a worker thread. Never raises for the command's own failures.
    """
    if command.uses_url and not is_safe_link(article.url):
        return PipeResult(False, None, "this article has no http(s) URL to hand on")
    argv = build_argv(command, article)
    env = {**os.environ, **{ENV_NAMES[k]: v for k, v in fields_of(article).items()}}
    data = stdin_for(command, article)
    try:
        child = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE if data is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            close_fds=True,
            start_new_session=True,
            env=env,
        )
    except FileNotFoundError:
        program = argv[0]
        said = "" if PurePath(program).name == command.name else f"{program}: "
        return PipeResult(False, None, f"{said}command not found")
    except OSError as exc:
        return PipeResult(False, None, f"cannot run {argv[0]}: {exc.strerror or exc}")
    return _collect(child, data, command.timeout if timeout is None else timeout)


def _collect(child: subprocess.Popen[bytes], data: bytes | None, timeout: float) -> PipeResult:
    """Feed ``data``, read both outputs (bounded), wait up to ``timeout`` seconds."""
    out, err = bytearray(), bytearray()
    readers = [_reader(child.stdout, out), _reader(child.stderr, err)]
    if data is not None:
        threading.Thread(target=_feed, args=(child.stdin, data), daemon=True).start()
    try:
        code = child.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(child)
        return PipeResult(False, None, f"stopped after {timeout:g} s (timeout)")
    finally:
        for reader in readers:
            reader.join(timeout=1.0)
    if code == 0:
        return PipeResult(True, 0, _first_lines(out))
    said = _last_line(err) or _last_line(out)
    return PipeResult(False, code, f"exit {code}" + (f": {said}" if said else ""))


def _reader(stream: IO[bytes] | None, into: bytearray) -> threading.Thread:
    """A thread keeping the first :data:`MAX_OUTPUT` bytes of ``stream``, dropping the rest
    (still reading, so the command never blocks on a full pipe)."""

    def read() -> None:
        assert stream is not None
        with stream:
            while chunk := os.read(stream.fileno(), 65536):
                if len(into) < MAX_OUTPUT:
                    into.extend(chunk[: MAX_OUTPUT - len(into)])

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


def _feed(stdin: IO[bytes] | None, data: bytes) -> None:
    """Write ``data`` to the command; one that stops reading early is fine."""
    if stdin is None:
        return
    try:
        with stdin:
            stdin.write(data)
    except OSError:  # BrokenPipeError: it did not want it all
        pass


def _stop(child: subprocess.Popen[bytes]) -> None:
    """Kill the command and whatever it started (its session), then reap it."""
    try:
        os.killpg(child.pid, 9)
    except OSError:
        child.kill()
    child.wait()


def _lines(data: bytearray) -> list[str]:
    text = bytes(data).decode("utf-8", "replace")
    return [line for line in (clean_line(part) for part in text.splitlines()) if line]


def _first_lines(data: bytearray) -> str:
    """Up to :data:`SHOWN_LINES` non-empty output lines, cleaned, 200 characters each."""
    lines = _lines(data)
    shown = [line[:200] for line in lines[:SHOWN_LINES]]
    if len(lines) > SHOWN_LINES:
        shown.append(f"… ({len(lines) - SHOWN_LINES} more lines)")
    return "\n".join(shown)


def _last_line(data: bytearray) -> str:
    lines = _lines(data)
    return lines[-1][:200] if lines else ""
