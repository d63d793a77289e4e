"""The feeds pane: virtual feeds, saved searches, folders and feeds, and managing them.

It owns the feed rows and their counts, the failed feed's status line, subscribing,
removing and marking a feed read. Moving its cursor asks for that feed's articles
(:class:`FeedsPane.SourceChosen`); enter asks for the articles pane (:class:`Entered`).
"""

from __future__ import annotations

import builtins
import time
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import Static
from textual.worker import get_current_worker

from newsreader.feeds.schedule import next_attempt
from newsreader.models import Feed
from newsreader.safety import clean_line
from newsreader.store import connect, transaction, views
from newsreader.store import feeds as feed_store
from newsreader.tui import commands
from newsreader.tui.messages import FeedSubscribed, SearchCounts, StoreChanged
from newsreader.tui.panes.base import Pane, mark_read_in_worker
from newsreader.tui.screens.dialogs import (
    AddFeedScreen,
    ConfirmScreen,
    FeedChoice,
    FeedSettingsScreen,
)
from newsreader.tui.widgets.feed_list import FeedList
from newsreader.tui.widgets.line_list import LineList
from newsreader.wording import plural


class FeedsPane(Pane):
    """The feeds and what they show; the source of every article list."""

    TITLE = "Feeds"
    MAIN = "#feeds"
    BINDINGS = commands.pane_bindings("feeds")

    @dataclass
    class SourceChosen(Message):
        """The cursor moved to another feed: show its articles."""

        source: views.Source

    class Entered(Message):
        """Enter on a feed: go to its articles."""

    @dataclass
    class Subscribed(Message):
        """A feed was added (its items stored): fetch the pages its mode wants."""

        feed_id: int

    @dataclass
    class RowsRead(Message):
        """The rows a :meth:`reselect` read (handled by the pane itself)."""

        rows: builtins.list[views.FeedRow]
        keep_key: str

    @dataclass
    class Reselected(Message):
        """The rows are new and the cursor is on ``source``: show its articles."""

        rows: builtins.list[views.FeedRow]
        source: views.Source | None

    def __init__(self) -> None:
        super().__init__("feeds")

    def compose(self) -> ComposeResult:
        """The list and, under it, the selected feed's last error."""
        yield FeedList(id="feeds")
        yield Static(id="feed-status")

    @property
    def list(self) -> FeedList:
        """The feed rows (so in this class body the builtin is ``builtins.list``)."""
        return self.query_one(FeedList)

    @property
    def current(self) -> views.FeedRow | None:
        """The row under the cursor."""
        return self.list.current

    # --- rows -----------------------------------------------------------------------------
    def set_rows(self, rows: builtins.list[views.FeedRow], keep_key: str | None = None) -> None:
        """Show ``rows`` (keeping the cursor on ``keep_key`` or the current row)."""
        self.list.set_rows(rows, keep_key=keep_key)
        self.show_status()

    def reload_rows(self, keep_key: str | None = None) -> None:
        """Read the rows now and count the saved searches: at start-up only (~70 ms on
        100,000 articles; afterwards :meth:`reselect` reads them in a worker)."""
        self.set_rows(views.feed_rows(self.news.conn), keep_key)
        self.count_saved_searches()

    def reselect(self, keep_key: str) -> None:
        """After a feed or saved search came or went: read the rows in a worker, put the
        cursor on ``keep_key``, then say so (:class:`Reselected`)."""
        self._rows_worker(keep_key)

    @work(
        thread=True,
        exclusive=True,
        group="feed-rows",
        exit_on_error=False,
        description="Reading the feeds",
    )
    def _rows_worker(self, keep_key: str) -> None:
        conn = connect(self.news.db_path, migrate_schema=False)
        try:
            rows = views.feed_rows(conn)
        finally:
            conn.close()
        self.post_message(self.RowsRead(rows, keep_key))

    def on_feeds_pane_rows_read(self, message: RowsRead) -> None:
        """Show the rows read by :meth:`reselect` and tell the screen what is selected."""
        message.stop()
        self.set_rows(message.rows, message.keep_key)
        self.count_saved_searches()
        row = self.current
        self.post_message(self.Reselected(message.rows, row.source if row else None))

    def show_status(self) -> None:
        """Under the feeds: the last error of the selected feed, if it failed."""
        row = self.current
        status = self.query_one("#feed-status", Static)
        if row is not None and row.failed:
            said = "Last refresh failed: " + (clean_line(row.error) or "unknown error")
            status.update(Text(said + self._next_try(row.source.feed_id)))
            status.display = True
        else:
            status.display = False

    def _next_try(self, feed_id: int | None) -> str:
        """When auto-refresh tries the failed feed again (or that it waits for r)."""
        feed = feed_store.get_feed(self.news.conn, feed_id) if feed_id is not None else None
        if feed is None:
            return ""
        when = next_attempt(feed, self.news.settings.fetch.interval_minutes)
        if when is None:
            return ". Gone: it is not refreshed again until you refresh it (r)."
        if not self.news.settings.fetch.auto_refresh:
            return ""
        at = time.strftime("%H:%M", time.localtime(max(when, time.time())))
        return f". Next try at {at} (r: now)."

    def adjust_unread(self, feed_id: int, delta: int) -> None:
        """One article of ``feed_id`` was read (-1) or unread (+1)."""
        self.list.adjust_unread(feed_id, delta)
        self.count_saved_searches()

    def adjust_starred(self, delta: int) -> None:
        """One article was starred (+1) or unstarred (-1)."""
        self.list.adjust_count("starred", delta)
        self.count_saved_searches()  # is:starred may be part of one

    def count_saved_searches(self) -> None:
        """Bring the saved searches' counts up to date, from a worker (a full-text count
        may take tens of milliseconds on a large store)."""
        if any(row.saved_search_id is not None for row in self.list.rows):
            self._search_counts_worker()

    @work(
        thread=True,
        exclusive=True,
        group="search-counts",
        exit_on_error=False,
        description="Counting the saved searches",
    )
    def _search_counts_worker(self) -> None:
        worker = get_current_worker()
        conn = connect(self.news.db_path, migrate_schema=False)
        try:
            found = views.saved_search_counts(conn)
        finally:
            conn.close()
        if not worker.is_cancelled:
            self.post_message(SearchCounts(found))

    def on_search_counts(self, message: SearchCounts) -> None:
        """Show the saved searches' counts."""
        self.list.set_search_counts(message.counts)

    @on(LineList.CursorMoved, "#feeds")
    def _moved(self, event: LineList.CursorMoved) -> None:
        event.stop()
        self.show_status()
        row = self.current
        if row is not None:
            self.post_message(self.SourceChosen(row.source))

    @on(LineList.Chosen, "#feeds")
    def _chosen(self, event: LineList.Chosen) -> None:
        event.stop()
        self.post_message(self.Entered())

    # --- what refresh and "next unread" need ----------------------------------------------
    def refresh_targets(self) -> builtins.list[int] | None:
        """The feeds ``r`` refreshes: the selected one, a folder's, or all (None)."""
        row = self.current
        if row is None or row.source.kind not in ("feed", "folder"):
            return None
        if row.source.kind == "feed" and row.source.feed_id is not None:
            return [row.source.feed_id]
        return feed_store.feed_ids_in_folder(self.news.conn, row.source.folder)

    def feed_count(self) -> int:
        """Feeds listed (what a refresh of all will go through)."""
        return sum(1 for row in self.list.rows if row.source.kind == "feed")

    def next_with_unread(self, forward: bool) -> views.Source | None:
        """Move to the next (previous) feed with unread articles; its source, or None."""
        rows, step = self.list.rows, 1 if forward else -1
        index = self.list.cursor + step
        while 0 <= index < len(rows):
            if rows[index].source.kind == "feed" and rows[index].count:
                self.list.move_cursor(index, announce=False)
                self.show_status()
                return rows[index].source
            index += step
        return None

    # --- subscribing and removing ---------------------------------------------------------
    def action_add_feed(self) -> None:
        """Ask for a feed and subscribe to it (a worker)."""
        self.app.push_screen(AddFeedScreen(), self._add_feed)

    def _add_feed(self, target: str | None) -> None:
        if target:
            self.say(f"Subscribing to {target}…")
            self._subscribe_worker(target)

    @work(thread=True, group="subscribe", exit_on_error=False, description="Adding the feed")
    def _subscribe_worker(self, target: str) -> None:
        from newsreader.feeds.fetch import Fetcher
        from newsreader.feeds.subscribe import SubscribeError, subscribe

        conn = connect(self.news.db_path, migrate_schema=False)
        try:
            with Fetcher(self.news.settings.fetch) as fetcher:
                result = subscribe(conn, target, fetcher, rules=self.news.settings.rules)
        except SubscribeError as exc:
            self.say(f"Could not add the feed: {exc}", "error")  # names it
            return
        finally:
            conn.close()
        self.post_message(FeedSubscribed(result))

    def on_feed_subscribed(self, message: FeedSubscribed) -> None:
        """Say what was subscribed, then select it (subscribing stored its articles)."""
        message.stop()
        result = message.result
        verb = "Subscribed to" if result.created else "Already subscribed to"
        others = len(result.alternatives)
        extra = f" ({plural(others, 'other feed')} found on that page)" if others else ""
        self.say(f"{verb} {result.title or result.url}{extra}")
        self.post_message(StoreChanged("", select_key=f"feed:{result.feed_id}"))
        if result.created:
            self.post_message(self.Subscribed(result.feed_id))

    def action_remove_feed(self) -> None:
        """d: remove the selected feed (or saved search), after asking."""
        row = self.current
        if row is None or row.source.kind not in ("feed", "search"):
            return
        label = clean_line(row.label)
        if row.saved_search_id is not None:
            question = f"Forget the saved search “{label}”?"
        else:
            question = f"Remove the feed “{label}” and its articles? Annotations are kept."
        self.app.push_screen(ConfirmScreen(question), lambda yes: self._remove(row, yes))

    def _remove(self, row: views.FeedRow, yes: bool | None) -> None:
        if not yes:
            return
        if row.saved_search_id is not None:
            views.delete_saved_search(self.news.conn, row.saved_search_id)
            self.post_message(StoreChanged(f"Forgot the saved search {row.label}", "all"))
        elif row.source.feed_id is not None:
            self._remove_worker(row.source.feed_id, row.label)

    @work(thread=True, group="write", exit_on_error=False, description="Removing the feed")
    def _remove_worker(self, feed_id: int, label: str) -> None:
        conn = connect(self.news.db_path, migrate_schema=False)
        try:
            feed_store.remove_feed(conn, feed_id)
        finally:
            conn.close()
        self.post_message(StoreChanged(f"Removed {label}", select_key="all"))

    def action_feed_settings(self) -> None:
        """,: the selected feed's settings (its full-text mode, its refresh interval)."""
        row = self.current
        feed = None
        if row is not None and row.source.feed_id is not None and row.source.kind == "feed":
            feed = feed_store.get_feed(self.news.conn, row.source.feed_id)
        if feed is None:
            self.say("Settings are a feed's: select a feed.", "warning")
            return
        fetch = self.news.settings.fetch
        screen = FeedSettingsScreen(
            clean_line(feed.title or feed.url),
            feed.full_text,
            fetch.full_text,
            feed.interval_minutes,
            fetch.interval_minutes,
        )
        self.app.push_screen(screen, lambda choice: self._set_feed(feed, choice))

    def _set_feed(self, feed: Feed, choice: FeedChoice | None) -> None:
        if choice is None:
            return
        fetch, name = self.news.settings.fetch, clean_line(feed.title or feed.url)
        said = []
        with transaction(self.news.conn):
            if choice.full_text != feed.full_text:
                feed_store.set_full_text(self.news.conn, feed.id, choice.full_text)
                said.append(f"full text {choice.full_text or f'default ({fetch.full_text})'}")
            if choice.interval != feed.interval_minutes:
                feed_store.set_interval(self.news.conn, feed.id, choice.interval)
                every = choice.interval or fetch.interval_minutes
                said.append(f"refreshed every {every:g} min")
        if said:
            self.say(f"{name}: {', '.join(said)}")

    def action_mark_all_read(self) -> None:
        """A: mark everything in the selected feed read."""
        row = self.current
        if row is not None:
            mark_read_in_worker(self, row.source, row.label)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Dim removing when the row is not a feed or saved search."""
        if action == "feed_settings":
            row = self.current
            return True if row is not None and row.source.kind == "feed" else None
        if action == "remove_feed":
            row = self.current
            return True if row is not None and row.source.kind in ("feed", "search") else None
        return True
