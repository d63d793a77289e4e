"""What the panes need of the application, as a protocol (no import of ``tui.app``)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Protocol

from textual.notifications import SeverityLevel

from newsreader.config import Settings
from newsreader.tui.actor_cache import ActorCache


class NewsApp(Protocol):
    """newsreader's parts of the running app (``tui.app.NewsReaderApp`` provides them)."""

    db_path: Path
    settings: Settings
    conn: sqlite3.Connection
    """The UI thread's connection (short queries only; workers open their own)."""
    actor_cache: ActorCache

    def notify_text(self, message: str, severity: SeverityLevel = "information") -> None:
        """Notify with plain text (thread-safe)."""

    def open_link(self, url: str) -> None:
        """Open an http(s) link in the browser, off the event loop."""
