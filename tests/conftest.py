"""Shared fixtures: every test gets private data/config dirs and a fresh store path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from newsreader.store import connect
from tests.freshrss import freshrss  # noqa: F401  (a real FreshRSS on 127.0.0.1, for sync)
from tests.httpserver import http_server  # noqa: F401  (a real server on 127.0.0.1, for all)

SHARED = Path(__file__).resolve().parents[2] / "shared"
"""The workplace's shared folder (corpus, sample article), present beside the checkout."""


@pytest.fixture(autouse=True)
def _isolate_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the user's real config or data."""
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.delenv("NEWSREADER_DB", raising=False)
    monkeypatch.delenv("NEWSREADER_CONFIG", raising=False)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A path for a fresh store file."""
    return tmp_path / "store.db"


@pytest.fixture
def conn(db_path: Path) -> Iterator:
    """A real SQLite store (migrated) in a temp dir."""
    connection = connect(db_path)
    yield connection
    connection.close()
