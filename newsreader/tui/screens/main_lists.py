"""The main screen's article handling: loading lists, opening, read/star, next unread."""

from __future__ import annotations

import sqlite3
from array import array
from typing import TYPE_CHECKING

from textual import work
from textual.worker import Worker, get_current_worker

from newsreader.models import Article
from newsreader.safety import clean_line
from newsreader.store import articles as article_store
from newsreader.store import connect, views
from newsreader.tui.messages import ListLoaded, SearchCounts, StoreChanged
from newsreader.tui.widgets.article_header import ArticleHeader
from newsreader.wording import plural

if TYPE_CHECKING:
    from newsreader.tui.screens.main import MainScreen

    _Base = MainScreen
else:
    _Base = object

FIRST_PAGE = 200
"""Results a new search shows before the rest (a few screens of the article list)."""


class ListsMixin(_Base):
    """Article list loading and the actions on articles."""

    reader_article: Article | None = None
    search_source: views.Source | None = None
    _list_token: int = 0
    bar_closes_with: int | None = None
    """The list load whose answer closes the search prompt (the search just submitted)."""

    # --- loading ------------------------------------------------------------------------------
    def load_list(self, source: views.Source, unread_only: bool, keep_id: int | None = None,
                  *, with_rows: bool = False, then: str = "") -> None:
        """Load ``source``'s article ids in a worker; the newest request wins."""
        self._list_token += 1
        self._list_worker(self._list_token, source, unread_only, keep_id, with_rows, then)

    def reload(self) -> None:
        """Reload the feeds pane and the list, keeping the user's place."""
        current = self.articles
        source = current.source or views.Source("all")
        self.load_list(source, current.unread_only, current.current_id, with_rows=True)

    @work(thread=True, exclusive=True, group="list", exit_on_error=False,
          description="Loading articles")
    def _list_worker(self, token: int, source: views.Source, unread_only: bool,
                     keep_id: int | None, with_rows: bool, then: str) -> None:
        worker = get_current_worker()
        conn = connect(self.app.db_path, migrate_schema=False)
        try:
            ids = None
            if source.kind == "search" and keep_id is None and not then:
                ids = self._first_page(worker, conn, token, source, unread_only)
            if ids is None:
                ids = views.article_ids(conn, source, unread_only)
            rows = views.feed_rows(conn, search_counts=True) if with_rows else None
        finally:
            conn.close()
        if not worker.is_cancelled:
            self.post_message(ListLoaded(token, source, unread_only, ids, rows, keep_id, then))

    def _first_page(self, worker: Worker, conn: sqlite3.Connection, token: int,
                    source: views.Source, unread_only: bool) -> array | None:
        """A new search's newest results first: listing every match of a common word in
        time order takes ~50 ms on 100,000 articles, its newest screenfuls ~10 ms.
        Returns the ids when they are all there are (None: the rest must be listed)."""
        ids = views.article_ids(conn, source, unread_only, limit=FIRST_PAGE)
        if len(ids) < FIRST_PAGE:
            return ids
        if not worker.is_cancelled:
            self.post_message(ListLoaded(token, source, unread_only, ids, None, None,
                                         partial=True))
        return None

    def on_list_loaded(self, message: ListLoaded) -> None:
        """Show freshly loaded ids (stale answers are dropped)."""
        if message.token != self._list_token:
            return
        if message.token == self.bar_closes_with:  # the search submitted: its results
            self.close_search_bar()
        if message.rows is not None:
            self.feeds.set_rows(message.rows)
            self.show_feed_status()
        self.articles.show(message.ids, message.source, message.unread_only, message.keep_id)
        self.update_article_count(more=message.partial)
        if message.partial:
            return
        if message.then:
            self._jump_after_load(message.then)
        self.update_bindings()

    def on_store_changed(self, message: StoreChanged) -> None:
        """A background write finished: say so and reload."""
        if message.note:
            self.app.notify_text(message.note)
        self._forget_gone_article()
        if message.select_key is not None:
            rows = views.feed_rows(self.app.conn)
            self.feeds.set_rows(rows, keep_key=message.select_key)
            row = self.feeds.current
            if row is not None:
                self.load_list(row.source, self.articles.unread_only)
            self.show_feed_status()
            self.count_saved_searches()
            return
        self.reload()

    def count_saved_searches(self) -> None:
        """Bring the saved searches' counts up to date, from a worker (a full-text count
        may take tens of milliseconds on a large store)."""
        if any(row.saved_search_id is not None for row in self.feeds.rows):
            self._search_counts_worker()

    @work(thread=True, exclusive=True, group="search-counts", exit_on_error=False,
          description="Counting the saved searches")
    def _search_counts_worker(self) -> None:
        worker = get_current_worker()
        conn = connect(self.app.db_path, migrate_schema=False)
        try:
            found = views.saved_search_counts(conn)
        finally:
            conn.close()
        if not worker.is_cancelled:
            self.post_message(SearchCounts(found))

    def on_search_counts(self, message: SearchCounts) -> None:
        """Show the saved searches' counts."""
        self.feeds.set_search_counts(message.counts)

    def _forget_gone_article(self) -> None:
        """Empty the reader when its article left the store (its feed was removed)."""
        shown = self.reader.article_id
        if shown is not None and article_store.get_article(self.app.conn, shown) is None:
            self.reader_article = None
            self.reader.load(None, "")
            self.load_marks()
            self.query_one(ArticleHeader).show_article(None)

    def follow_open_article(self) -> bool:
        """After a refresh: if the open article's text changed, show the new text where the
        reader was, with its annotations as the refresh re-anchored them. True if it did."""
        shown = self.reader_article
        if shown is None or self.reader.article_id != shown.id:
            return False
        now = article_store.get_article(self.app.conn, shown.id)
        if now is None or (now.text, now.links) == (shown.text, shown.links):
            return False
        reader = self.reader
        self.open_article(shown.id, focus=False, mark=False,
                          offset=min(reader.top_offset, len(now.text)),
                          cursor=min(reader.cursor, len(now.text)))
        return True

    # --- opening ------------------------------------------------------------------------------
    def open_article(self, article_id: int, *, focus: bool = True, mark: bool = True,
                     offset: int | None = None, cursor: int | None = None) -> None:
        """Show an article in the reader (marking it read when configured).

        ``offset`` is the text at the top, ``cursor`` where the text cursor goes (the top);
        without them the article opens where it was left this session (else at the top).
        Its annotations and the known actors in it arrive from a worker.
        """
        article = article_store.get_article(self.app.conn, article_id)
        if article is None:
            self.app.notify_text("That article is no longer in the store.", "warning")
            return
        self.reader_article = article
        self.query_one(ArticleHeader).show_article(article)
        self.reader.load(article.id, article.text, article.links, offset, cursor)
        self.load_marks()
        if mark and self.app.settings.reader.mark_read_on_open and not article.is_read:
            self.set_read(article.id, True)
        if focus:
            self.focus_pane("reader")
        self.update_bindings()

    def target_id(self) -> int | None:
        """The article actions apply to: the open one in the reader, else the cursor's."""
        if self.current_pane == "reader" and self.reader.article_id is not None:
            return self.reader.article_id
        return self.articles.current_id

    def _row(self, article_id: int | None) -> Article | None:
        if article_id is None:
            return None
        return article_store.articles_by_ids(self.app.conn, [article_id]).get(article_id)

    def set_read(self, article_id: int, read: bool) -> None:
        """Mark one article read/unread, in the store and on screen."""
        row = self._row(article_id)
        if row is None or row.is_read == read:
            return
        article_store.set_read(self.app.conn, [article_id], read)
        self.articles.patch(article_id, is_read=read)
        self.feeds.adjust_unread(row.feed_id, -1 if read else 1)
        self.count_saved_searches()

    # --- actions ------------------------------------------------------------------------------
    def action_toggle_read(self) -> None:
        """m: toggle read."""
        row = self._row(self.target_id())
        if row is not None:
            self.set_read(row.id, not row.is_read)

    def action_toggle_star(self) -> None:
        """s: toggle star."""
        row = self._row(self.target_id())
        if row is None:
            return
        article_store.set_starred(self.app.conn, row.id, not row.is_starred)
        self.articles.patch(row.id, is_starred=not row.is_starred)
        self.feeds.adjust_count("starred", -1 if row.is_starred else 1)
        self.count_saved_searches()  # is:starred may be part of one

    def action_open_in_browser(self) -> None:
        """o: open the article's link (http(s) only)."""
        row = self._row(self.target_id())
        if row is not None:
            self.app.open_link(row.url)

    def action_open_reference(self, number: int) -> None:
        """1-9: open link reference ``number`` of the open article."""
        links = self.reader.links
        if 1 <= number <= len(links):
            self.app.open_link(links[number - 1])
        else:
            self.app.notify_text(f"This article has no reference [{number}].", "warning")

    def action_toggle_unread_only(self) -> None:
        """u: show only unread articles, or everything again."""
        current = self.articles
        if current.source is not None:
            self.load_list(current.source, not current.unread_only, current.current_id)

    def action_mark_all_read(self) -> None:
        """A: mark everything in the selected feed (or the list) read."""
        row = self.feeds.current
        source = row.source if self.current_pane == "feeds" and row else self.articles.source
        if source is not None:
            self._mark_read_worker(source, row.label if row else "")

    @work(thread=True, group="write", exit_on_error=False, description="Marking read")
    def _mark_read_worker(self, source: views.Source, label: str) -> None:
        conn = connect(self.app.db_path, migrate_schema=False)
        try:
            changed = views.mark_source_read(conn, source)
        finally:
            conn.close()
        marked = plural(changed, "article")
        self.post_message(StoreChanged(f"Marked {marked} read: {clean_line(label)}"))

    def action_next_unread(self) -> None:
        """n: the next unread article, in the next feed when this one is done."""
        self._step_unread(forward=True)

    def action_previous_unread(self) -> None:
        """p: the previous unread article."""
        self._step_unread(forward=False)

    def _step_unread(self, forward: bool) -> None:
        source = self.articles.source
        if source is None:
            return
        found = views.neighbour_unread(self.app.conn, source, self.target_id(), forward)
        if found is not None:
            self._go_to(found)
            return
        index = self._next_feed_with_unread(forward)
        if index is None or source.kind not in ("feed", "folder"):
            self.app.notify_text("No more unread articles here.")
            return
        self.feeds.move_cursor(index, announce=False)
        self.show_feed_status()
        opening = "+open" if self.current_pane == "reader" else ""
        self.load_list(self.feeds.rows[index].source, self.articles.unread_only,
                       then=("next" if forward else "previous") + opening)

    def _go_to(self, article_id: int, open_it: bool | None = None) -> None:
        index = self.articles.index_of(article_id)
        if index is not None:
            self.articles.move_cursor(index)
        if open_it or (open_it is None and self.current_pane == "reader"):
            self.open_article(article_id)

    def _next_feed_with_unread(self, forward: bool) -> int | None:
        rows = self.feeds.rows
        step = 1 if forward else -1
        index = self.feeds.cursor + step
        while 0 <= index < len(rows):
            if rows[index].source.kind == "feed" and rows[index].count:
                return index
            index += step
        return None

    def _jump_after_load(self, then: str) -> None:
        direction, _, opening = then.partition("+")
        source = self.articles.source
        if source is None:
            return
        found = views.neighbour_unread(self.app.conn, source, None, direction == "next")
        if found is not None:
            self._go_to(found, open_it=bool(opening))

