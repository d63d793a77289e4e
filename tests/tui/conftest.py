"""Fixtures for the TUI tests: a seeded real store and a fixed time zone."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tui_helpers import annotate_sample, make_app, seed_demo, seed_store

from newsreader.tui.app import NewsReaderApp


@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Dates on screen are local time: pin the zone so they never vary."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def store(db_path: Path) -> Path:
    """The seeded store of :func:`tui_helpers.seed_store`."""
    seed_store(db_path)
    return db_path


@pytest.fixture
def app(store: Path, tmp_path: Path) -> NewsReaderApp:
    """The real app over :func:`store` with default settings and a private config file
    under ``tmp_path`` (not running: start it with :func:`tui_helpers.started`)."""
    return make_app(store, tmp_path)


@pytest.fixture
def demo_store(db_path: Path) -> Path:
    """A store seeded with the bundled demo feed (the sample article is in it)."""
    seed_demo(db_path)
    return db_path


@pytest.fixture
def annotated(demo_store: Path) -> Path:
    """The demo store with two claims, a highlight, an orphan and a note on the sample."""
    annotate_sample(demo_store)
    return demo_store
