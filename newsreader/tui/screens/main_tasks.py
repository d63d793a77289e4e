"""The main screen's longer tasks: refresh, search, adding and removing feeds."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual import work
from textual.widgets import Input
from textual.worker import Worker, WorkerState, get_current_worker

from newsreader.safety import clean_line
from newsreader.store import connect, views
from newsreader.store import feeds as feed_store
from newsreader.store.search import QueryError, compile_query
from newsreader.tui.messages import FeedSubscribed, RefreshFinished, RefreshProgressed, StoreChanged
from newsreader.tui.screens.dialogs import AddFeedScreen, ConfirmScreen, NameScreen
from newsreader.tui.widgets.bars import RefreshBar, SearchBar
from newsreader.wording import plural

if TYPE_CHECKING:
    from newsreader.tui.screens.main import MainScreen

    _Base = MainScreen
else:
    _Base = object

RELOAD_EVERY = 1.0
"""Seconds between list reloads while a refresh brings new articles."""


class TasksMixin(_Base):
    """Refresh, search and subscription management."""

    refreshing: bool = False
    _refresh_cancelled: bool = False
    _reloaded_at: float = 0.0
    _new_seen: int = 0
    _before_search: tuple[views.Source, bool, int | None] | None = None

    # --- refresh ------------------------------------------------------------------------------
    def action_refresh_current(self) -> None:
        """r: refresh the selected feed (a folder's feeds; everything on a virtual feed)."""
        row = self.feeds.current
        if row is None or row.source.kind not in ("feed", "folder"):
            self.start_refresh(None)
        elif row.source.kind == "feed" and row.source.feed_id is not None:
            self.start_refresh([row.source.feed_id])
        else:
            ids = [r.source.feed_id for r in self.feeds.rows
                   if r.source.kind == "feed" and r.source.feed_id is not None
                   and self._in_folder(r.source.feed_id, row.source.folder)]
            self.start_refresh(ids)

    def _in_folder(self, feed_id: int, folder: str) -> bool:
        feed = feed_store.get_feed(self.app.conn, feed_id)
        return feed is not None and (feed.folder == folder or feed.folder.startswith(folder + "/"))

    def action_refresh_all(self) -> None:
        """R: refresh every feed."""
        self.start_refresh(None)

    def start_refresh(self, feed_ids: list[int] | None) -> None:
        """Start a refresh in a worker (one at a time) and show the progress bar."""
        if self.refreshing:
            return
        self.refreshing, self._refresh_cancelled = True, False
        self._new_seen, self._reloaded_at = 0, time.monotonic()
        total = len(feed_ids) if feed_ids is not None else sum(
            1 for row in self.feeds.rows if row.source.kind == "feed")
        self.query_one(RefreshBar).start(total)
        self.update_bindings()
        self._refresh_worker(feed_ids)

    @work(thread=True, exclusive=True, group="refresh", exit_on_error=False,
          description="Refresh")
    def _refresh_worker(self, feed_ids: list[int] | None) -> None:
        from newsreader.feeds.refresh import refresh

        worker = get_current_worker()
        try:
            summary = refresh(
                self.app.db_path, feed_ids, settings=self.app.settings.fetch,
                on_progress=lambda progress: self.post_message(RefreshProgressed(progress)),
                cancelled=lambda: worker.is_cancelled,
            )
        except Exception as exc:  # reported to the user; the UI must go on
            self.post_message(RefreshFinished(None, f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(RefreshFinished(summary))

    def on_refresh_progressed(self, message: RefreshProgressed) -> None:
        """Move the bar; show arrivals now and then without moving the user's place."""
        if self._refresh_cancelled:
            return
        progress = message.progress
        self.query_one(RefreshBar).show_progress(progress)
        now = time.monotonic()
        if progress.new_articles > self._new_seen and now - self._reloaded_at >= RELOAD_EVERY:
            self._new_seen, self._reloaded_at = progress.new_articles, now
            self.reload()

    def on_refresh_finished(self, message: RefreshFinished) -> None:
        """Hide the bar, reload, and report what happened."""
        summary = message.summary
        self._end_refresh()
        self.reload()
        if self.follow_open_article():
            self.app.notify_text("The open article changed; its annotations were re-anchored.")
        if summary is None:
            self.app.notify_text(f"The refresh failed: {message.error}", "error")
            return
        done = "Refresh cancelled" if summary.cancelled else "Refreshed"
        text = (f"{done}: {plural(summary.feeds, 'feed')}, "
                f"{plural(summary.new_articles, 'new article')}")
        if summary.errors:
            failed = "; ".join(f"{clean_line(url)}: {clean_line(error)}"
                               for _id, url, error in summary.errors[:3])
            more = f" (+{len(summary.errors) - 3} more)" if len(summary.errors) > 3 else ""
            self.app.notify_text(f"{text}. {len(summary.errors)} failed: {failed}{more}",
                                 "warning")
        else:
            self.app.notify_text(text)

    def _end_refresh(self) -> None:
        self.refreshing = False
        self.query_one(RefreshBar).stop()
        self.update_bindings()

    def cancel_refresh(self) -> bool:
        """Escape: stop a running refresh; False when none runs."""
        if not self.refreshing or self._refresh_cancelled:
            return False
        self._refresh_cancelled = True
        self.workers.cancel_group(self, "refresh")
        self.query_one(RefreshBar).stop()
        self.app.notify_text("Cancelling the refresh…")
        return True

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that failed becomes a notification, never a crash."""
        worker = event.worker
        if event.state == WorkerState.ERROR:
            self.app.notify_text(f"{worker.description or worker.name} failed: {worker.error}",
                                 "error")
            if worker.group == "refresh":
                self._end_refresh()

    # --- search -------------------------------------------------------------------------------
    def action_search(self) -> None:
        """/: open the search prompt above the article list."""
        bar = self.query_one(SearchBar)
        bar.display = True
        self.focus_pane("articles")
        if self.search_source is not None:
            bar.value = self.search_source.query
        self.call_after_refresh(bar.focus)

    def close_search_bar(self) -> None:
        """Hide the prompt (the results, if any, stay until escape)."""
        self.bar_closes_with = None
        self.query_one(SearchBar).display = False
        self.focus_pane("articles")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the search prompt: show the results instead of the list."""
        if not isinstance(event.input, SearchBar):
            return
        event.stop()
        query = event.value.strip()
        if not query:
            self.close_search_bar()
            self.end_search()
            return
        try:
            compile_query(query)
        except QueryError as exc:
            self.app.notify_text(str(exc), "error")
            return
        if self.search_source is None:
            current = self.articles
            self._before_search = (current.source or views.Source("all"), current.unread_only,
                                   current.current_id)
        self.search_source = views.Source("search", query=query)
        self.load_list(self.search_source, False)
        # The prompt stays until the results replace the list (one layout, one paint,
        # nothing drawn while the query runs): see on_list_loaded.
        self.bar_closes_with = self._list_token
        self.update_bindings()

    def end_search(self, reload: bool = True) -> None:
        """Leave the search results and go back to the list shown before."""
        if self.search_source is None:
            return
        self.search_source = None
        if self.bar_closes_with is not None:  # its answer is dropped: the prompt goes now
            self.bar_closes_with = None
            self.query_one(SearchBar).display = False
        before, self._before_search = self._before_search, None
        if reload and before is not None:
            self.load_list(*before)
        self.update_bindings()

    def action_save_search(self) -> None:
        """ctrl+s: keep the current search as a smart feed, under a name asked for (the
        query, or the name it is saved under already, is offered)."""
        if self.search_source is None:
            self.app.notify_text("Search first (/), then save it with ctrl+s.", "warning")
            return
        query = self.search_source.query
        saved = views.get_saved_search(self.app.conn, query)
        self.app.push_screen(NameScreen("Save this search as", saved.name if saved else query),
                             lambda name: self._save_search(query, name))

    def _save_search(self, query: str, name: str | None) -> None:
        """Save ``query`` as ``name`` (empty: the query itself), then show it as the smart
        feed it now is: selected in the feeds pane, its results in the list."""
        if name is None:
            return
        conn = self.app.conn
        views.save_search(conn, query, name)
        source = views.Source("search", query=query)
        found = len(self.articles.ids) if self.articles.source == source else None
        if self.search_source == source:
            self.search_source, self._before_search = None, None
        self.feeds.set_rows(views.feed_rows(conn), keep_key=source.key)
        self.show_feed_status()
        self.load_list(source, self.articles.unread_only, self.articles.current_id)
        self.count_saved_searches()
        self.update_bindings()
        label = self.feeds.saved_label(source) or query
        counted = f" ({plural(found, 'article')})" if found is not None else ""
        self.app.notify_text(f"Saved the search “{clean_line(label)}”{counted}.")

    # --- feeds --------------------------------------------------------------------------------
    def action_add_feed(self) -> None:
        """a: ask for a feed and subscribe to it."""
        self.app.push_screen(AddFeedScreen(), self._add_feed)

    def _add_feed(self, target: str | None) -> None:
        if target:
            self.app.notify_text(f"Subscribing to {target}…")
            self._subscribe_worker(target)

    @work(thread=True, group="subscribe", exit_on_error=False, description="Adding the feed")
    def _subscribe_worker(self, target: str) -> None:
        from newsreader.feeds.fetch import Fetcher
        from newsreader.feeds.subscribe import SubscribeError, subscribe

        conn = connect(self.app.db_path, migrate_schema=False)
        try:
            with Fetcher(self.app.settings.fetch) as fetcher:
                result = subscribe(conn, target, fetcher)
        except SubscribeError as exc:
            self.app.notify_text(f"Could not add the feed: {exc}", "error")  # names it
            return
        finally:
            conn.close()
        self.post_message(FeedSubscribed(result))

    def on_feed_subscribed(self, message: FeedSubscribed) -> None:
        """Select the new feed (subscribing stored its current articles)."""
        result = message.result
        verb = "Subscribed to" if result.created else "Already subscribed to"
        others = len(result.alternatives)
        extra = f" ({plural(others, 'other feed')} found on that page)" if others else ""
        self.app.notify_text(f"{verb} {result.title or result.url}{extra}")
        self.on_store_changed(StoreChanged("", select_key=f"feed:{result.feed_id}"))

    def action_remove_feed(self) -> None:
        """d: remove the selected feed (or saved search), after asking."""
        row = self.feeds.current
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
            views.delete_saved_search(self.app.conn, row.saved_search_id)
            self.on_store_changed(StoreChanged(f"Forgot the saved search {row.label}", "all"))
        elif row.source.feed_id is not None:
            self._remove_worker(row.source.feed_id, row.label)

    @work(thread=True, group="write", exit_on_error=False, description="Removing the feed")
    def _remove_worker(self, feed_id: int, label: str) -> None:
        conn = connect(self.app.db_path, migrate_schema=False)
        try:
            feed_store.remove_feed(conn, feed_id)
        finally:
            conn.close()
        self.post_message(StoreChanged(f"Removed {label}", select_key="all"))
