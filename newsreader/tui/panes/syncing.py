"""The sync with a feed server, in the background: at start, on the refresh schedule,
with ``R`` and from the palette. One at a time, in a worker; an automatic sync speaks
only when it brought something or failed."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from textual import work
from textual.message import Message
from textual.widget import Widget

from newsreader.tui.context import NewsApp

FIRST_AFTER = 2.0
"""Seconds after the start before the first automatic sync (the screen paints first)."""


class Syncer(Widget):
    """Runs syncs (invisible: what it did becomes a notification)."""

    DEFAULT_CSS = "Syncer { display: none; }"

    @dataclass
    class Synced(Message):
        """A sync ended: ``line`` says what it did (or why it stopped)."""

        line: str
        changed: bool
        failed: bool

    def __init__(self) -> None:
        super().__init__(id="syncer")
        self.running = False
        self.started_at = 0.0

    @property
    def news(self) -> NewsApp:
        return cast(NewsApp, self.app)

    @property
    def enabled(self) -> bool:
        return self.news.settings.sync.enabled

    def on_mount(self) -> None:
        """Sync soon after the start, then on the refresh interval (``auto_sync``)."""
        sync = self.news.settings.sync
        if sync.enabled and sync.auto_sync:
            self.set_timer(FIRST_AFTER, lambda: self.start(automatic=True))
            every = self.news.settings.fetch.interval_minutes * 60
            self.set_interval(every, lambda: self.start(automatic=True))

    def start(self, automatic: bool = False) -> bool:
        """Sync now unless one runs; False when sync is not set up or one runs."""
        if not self.enabled or self.running:
            return False
        self.running = True
        self.started_at = time.time()
        if not automatic:
            self.news.notify_text("Syncing with the server…")
        self._sync(automatic)
        return True

    @work(thread=True, exclusive=True, group="sync", exit_on_error=False, description="Sync")
    def _sync(self, automatic: bool) -> None:
        try:
            line, changed, failed = _run(self.news.db_path, self.news, self._config_path())
        except Exception as exc:  # a bug must not take the app down; it is said instead
            line, changed, failed = f"Sync failed: {exc}", False, True
        self.post_message(self.Synced(line, changed, failed))
        if not automatic or changed or failed:
            self.news.notify_text(line, "error" if failed else "information")

    def _config_path(self) -> Path:
        return cast(Path, getattr(self.app, "config_path", Path("config.toml")))

    def on_syncer_synced(self, message: Synced) -> None:
        """Let the next sync start (the screen reloads on the same message)."""
        self.running = False


def _run(db_path: Path, news: NewsApp, config_path: Path) -> tuple[str, bool, bool]:
    """One sync on its own connection: (line for the user, store changed, failed)."""
    from newsreader.store import connect
    from newsreader.sync.client import GReaderClient, SyncError
    from newsreader.sync.engine import run_sync
    from newsreader.sync.secrets import find_password

    sync = news.settings.sync
    try:
        password = find_password(sync.url, sync.user, config_path, sync.password_file)
        conn = connect(db_path, migrate_schema=False)
        try:
            with GReaderClient(sync.url, sync.user, password) as client:
                summary = run_sync(conn, client, sync, rules=news.settings.rules)
        finally:
            conn.close()
    except SyncError as exc:
        return f"Sync stopped: {exc}", False, True
    if summary.items.new_ids and news.settings.fetch.full_text != "never":
        from newsreader.feeds.fulltext import fetch_full_text

        fetch_full_text(db_path, summary.items.new_ids, by_mode=True, settings=news.settings.fetch)
    changed = bool(summary.items.new_articles or summary.applied or summary.feeds.added_here)
    changed = changed or bool(summary.feeds.removed_here or summary.feeds.moved_here)
    return summary.line().capitalize(), changed, False
