"""Fixtures for the end-to-end tests: a user's home, the real command, a loopback server."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
from terminal import Terminal, user_env

Launch = Callable[..., AbstractContextManager[Terminal]]
"""``launch(size, *args)``: the app on a new terminal, as a context manager."""


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A new user's home folder: nothing in it yet."""
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


@pytest.fixture
def db(home: Path) -> Path:
    """Where the store of that user lives (the app creates it)."""
    return home / "newsreader.db"


@pytest.fixture
def launch(home: Path, db: Path) -> Iterator[Launch]:
    """``with launch(size=(120, 35)) as term:`` runs ``newsreader`` on a new terminal;
    leaving the block without quitting kills it."""
    started: list[Terminal] = []

    @contextmanager
    def run(size: tuple[int, int] = (120, 35), *args: str) -> Iterator[Terminal]:
        term = Terminal(
            ["--db", str(db), "--config", str(home / "config.toml"), *args], user_env(home), size
        )
        started.append(term)
        yield term

    yield run
    for term in started:
        if term.child.isalive():
            term.child.kill(9)
        term.child.close()


def cli(home: Path, db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command line, as the same user, on the same store."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "newsreader",
            "--db",
            str(db),
            "--config",
            str(home / "config.toml"),
            *args,
        ],
        env=user_env(home),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def query(db: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    """Rows from the store as it is on disk now (read only)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()
