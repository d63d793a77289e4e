"""The refresh, owned by the bar that shows it: one at a time, in a worker, with the
progress in the bar and escape to cancel. It says when new articles arrived (every
second at most, so the list can show them) and when it is done. The refresh fetches the
new articles' pages for their full text after their feeds' items are stored ("full text
34/120" in the bar); ``F`` runs the same for the open article alone (:meth:`fetch_pages`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from textual import work
from textual.message import Message
from textual.worker import Worker, WorkerState, get_current_worker

from newsreader.models import RefreshProgress
from newsreader.safety import clean_line
from newsreader.tui.context import NewsApp
from newsreader.tui.messages import RefreshFinished, RefreshProgressed, StoreChanged
from newsreader.tui.widgets.bars import RefreshBar
from newsreader.wording import plural

if TYPE_CHECKING:  # the refresh itself is imported by its worker, when it runs
    from newsreader.feeds.fulltext import FullTextSummary
    from newsreader.feeds.refresh import RefreshSummary

RELOAD_EVERY = 1.0
"""Seconds between list reloads while a refresh brings new articles."""
CHECK_EVERY = 60.0
"""Seconds between two looks for feeds due by their schedule (auto-refresh)."""


class Refresher(RefreshBar):
    """Runs refreshes and shows their progress (hidden while none runs)."""

    class Arrived(Message):
        """New articles were stored: the lists may show them now."""

    @dataclass
    class Done(Message):
        """The refresh ended (finished, cancelled or failed)."""

        summary: RefreshSummary | FullTextSummary | None
        """What the refresh (or the full-text run) did, or None when it failed."""

        @property
        def pages_only(self) -> bool:
            """Was it a full-text run alone (``F``, a new feed's pages), not a refresh?"""
            return self.summary is not None and not hasattr(self.summary, "feeds_with_new")

    @dataclass
    class Due(Message):
        """Feeds due by their schedule (auto-refresh)."""

        feed_ids: list[int]

    def __init__(self) -> None:
        super().__init__(id="refresh-bar")
        self.running = False
        self.automatic = False
        """The running refresh was started by the schedule, not by the user."""
        self._cancelled = False
        self._reloaded_at = 0.0
        self._new_seen = 0

    def on_mount(self) -> None:
        """Hidden until a refresh starts; auto-refresh looks for due feeds every minute."""
        self.display = False
        if self.news.settings.fetch.auto_refresh:
            self.set_interval(CHECK_EVERY, self.check_due)

    def check_due(self) -> None:
        """Start an automatic refresh of the feeds due now, unless a refresh runs."""
        if not self.running:
            self._due_worker()

    @work(thread=True, exclusive=True, group="due", exit_on_error=False, description="Schedule")
    def _due_worker(self) -> None:
        from newsreader.feeds.schedule import due_feeds
        from newsreader.store import connect
        from newsreader.store.feeds import all_feed_ids, feeds_by_ids

        conn = connect(self.news.db_path, migrate_schema=False)
        try:
            delivered = self.news.settings.sync.delivers
            feeds = feeds_by_ids(conn, all_feed_ids(conn, but_delivered=delivered))
        finally:
            conn.close()
        due = due_feeds(feeds, self.news.settings.fetch.interval_minutes, time.time())
        if due:
            self.post_message(self.Due(due))

    def on_refresher_due(self, message: Due) -> None:
        """Refresh the due feeds quietly: the lists keep their place, a notice only when
        something new came."""
        message.stop()
        if not self.running:
            self.begin(message.feed_ids, len(message.feed_ids), automatic=True)

    @property
    def news(self) -> NewsApp:
        """The app's store and settings."""
        return cast(NewsApp, self.app)

    def begin(self, feed_ids: list[int] | None, total: int, *, automatic: bool = False) -> None:
        """Refresh ``feed_ids`` (all: None, ``total`` of them) unless one runs already."""
        if self.running:
            return
        self.running, self._cancelled, self.automatic = True, False, automatic
        self._new_seen, self._reloaded_at = 0, time.monotonic()
        self.start(total, "Auto-refresh…" if automatic else "Refreshing…")
        self._refresh_worker(feed_ids)

    def fetch_pages(self, article_ids: list[int] | None, feed_id: int | None = None) -> bool:
        """Fetch these articles' pages now (their full text), or those a new feed's mode
        wants (``feed_id``); False if a refresh runs."""
        if self.running:
            return False
        self.running, self._cancelled, self.automatic = True, False, False
        self._new_seen, self._reloaded_at = 0, time.monotonic()
        self.start(len(article_ids or ()), "Fetching pages…")
        self._pages_worker(article_ids, feed_id)
        return True

    @work(thread=True, exclusive=True, group="refresh", exit_on_error=False, description="Pages")
    def _pages_worker(self, article_ids: list[int] | None, feed_id: int | None) -> None:
        from newsreader.feeds.fulltext import fetch_full_text

        self._run_reporting(
            lambda progressed, cancelled: fetch_full_text(
                self.news.db_path,
                article_ids,
                feed_id=feed_id,
                by_mode=feed_id is not None,
                settings=self.news.settings.fetch,
                on_progress=progressed,
                cancelled=cancelled,
            )
        )

    def _run_reporting(
        self,
        run: Callable[
            [Callable[[RefreshProgress], None], Callable[[], bool]],
            RefreshSummary | FullTextSummary,
        ],
    ) -> None:
        """On a worker: ``run(on_progress, cancelled)``, its progress and its end posted."""
        worker = get_current_worker()

        def progressed(progress: RefreshProgress) -> None:
            self.post_message(RefreshProgressed(progress))

        try:
            summary = run(progressed, lambda: worker.is_cancelled)
        except Exception as exc:  # reported to the user; the UI must go on
            self.post_message(RefreshFinished(None, f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(RefreshFinished(summary))

    @work(thread=True, exclusive=True, group="refresh", exit_on_error=False, description="Refresh")
    def _refresh_worker(self, feed_ids: list[int] | None) -> None:
        from newsreader.feeds.refresh import refresh

        def run(
            progressed: Callable[[RefreshProgress], None], cancelled: Callable[[], bool]
        ) -> RefreshSummary:
            summary = refresh(
                self.news.db_path,
                feed_ids,
                settings=self.news.settings.fetch,
                on_progress=progressed,
                cancelled=cancelled,
                rules=self.news.settings.rules,
                but_delivered=self.news.settings.sync.delivers,
            )
            if not summary.cancelled:
                self._prune()
            return summary

        self._run_reporting(run)

    def _prune(self) -> None:
        """After a refresh, on its worker: remove what ``[retention] keep_days`` lets go,
        and say so (the lists reload; an open article that went empties the reader)."""
        keep = self.news.settings.retention.keep_days
        if keep <= 0:
            return
        from newsreader.store import connect
        from newsreader.store.retention import prune

        conn = connect(self.news.db_path, migrate_schema=False)
        try:
            result = prune(conn, keep)
        finally:
            conn.close()
        if result.removed:
            self.post_message(StoreChanged(result.line(keep).capitalize() + "."))

    def on_refresh_progressed(self, message: RefreshProgressed) -> None:
        """Move the bar; say now and then that articles arrived."""
        message.stop()
        if self._cancelled:
            return
        progress = message.progress
        self.show_progress(progress)
        now = time.monotonic()
        due = now - self._reloaded_at >= RELOAD_EVERY or progress.stage == "full text"
        if progress.new_articles > self._new_seen and due:  # every item stored: show them
            self._new_seen, self._reloaded_at = progress.new_articles, now
            self.post_message(self.Arrived())

    def on_refresh_finished(self, message: RefreshFinished) -> None:
        """Hide the bar, say it is done, and report what happened."""
        message.stop()
        self._end()
        self.post_message(self.Done(message.summary))
        summary = message.summary
        if summary is None:
            self.news.notify_text(f"The refresh failed: {message.error}", "error")
            return
        from newsreader.feeds.fulltext import FullTextSummary

        if isinstance(summary, FullTextSummary):
            self._say_pages(summary)
            return
        if self.automatic:
            if summary.new_articles:
                new = plural(summary.new_articles, "new article")
                self.news.notify_text(f"Auto-refresh: {new} ({plural(summary.feeds, 'feed')})")
            return
        done = "Refresh cancelled" if summary.cancelled else "Refreshed"
        text = (
            f"{done}: {plural(summary.feeds, 'feed')}, "
            f"{plural(summary.new_articles, 'new article')}"
        )
        pages = summary.full_text
        if pages is not None and pages.attempted:
            text += f", full text for {pages.fetched} of {plural(pages.attempted, 'page')}"
        if ruled := summary.rules.line():
            text += f"; {ruled}"
        for problem in summary.rules.problems:
            self.news.notify_text(problem[:1].upper() + problem[1:], "warning")
        if summary.errors:
            self.news.notify_text(f"{text}. {_failures(summary.errors)}", "warning")
        elif pages is not None and pages.errors:
            self.news.notify_text(f"{text}. Pages: {_failures(pages.errors)}", "warning")
        else:
            self.news.notify_text(text)

    def _say_pages(self, summary: FullTextSummary) -> None:
        """What ``F`` did (the page's text is shown now, or why not), or a new feed's
        pages."""
        if summary.articles != 1 or not summary.attempted:  # a new feed's, by its mode
            if summary.attempted:
                text = f"Full text for {summary.fetched} of {plural(summary.attempted, 'page')}"
                failed = f". {_failures(summary.errors)}" if summary.errors else ""
                self.news.notify_text(text + failed, "warning" if failed else "information")
            return
        if summary.cancelled:
            self.news.notify_text("Fetching the page was cancelled.")
        elif summary.errors:
            _id, _url, error = summary.errors[0]
            self.news.notify_text(
                f"The page gave no full text: {clean_line(error)}. The feed's text stays.",
                "warning",
            )
        elif summary.fetched:
            self.news.notify_text("Full text from the page; annotations re-anchored onto it.")
        else:
            self.news.notify_text("The page has no more than the feed's text: kept the feed's.")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A refresh worker that crashed ends the refresh, and says why."""
        if event.state == WorkerState.ERROR and event.worker.group == "refresh":
            self.news.notify_text(f"The refresh failed: {event.worker.error}", "error")
            self._end()
            self.post_message(self.Done(None))

    def _end(self) -> None:
        self.running = False
        self.stop()

    def cancel(self) -> bool:
        """Escape: stop a running refresh; False when none runs."""
        if not self.running or self._cancelled:
            return False
        self._cancelled = True
        self.workers.cancel_group(self, "refresh")
        self.stop()
        self.news.notify_text("Cancelling the refresh…")
        return True


def _failures(errors: list[tuple[int, str, str]]) -> str:
    """ "2 failed: <url>: <why>; …" for a notification (the first three)."""
    shown = "; ".join(f"{clean_line(url)}: {clean_line(error)}" for _id, url, error in errors[:3])
    more = f" (+{len(errors) - 3} more)" if len(errors) > 3 else ""
    return f"{len(errors)} failed: {shown}{more}"
