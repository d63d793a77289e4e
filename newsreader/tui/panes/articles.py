"""The articles pane: the list of what a feed (or a search) holds, the search prompt, and
the triage of articles (read, star, unread only, next unread).

List loads run in a worker, the newest request winning; a search shows its newest
results first. Enter on an article asks for it in the reader (:class:`ArticleChosen`).
"""

from __future__ import annotations

import builtins
import sqlite3
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, replace

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import Input
from textual.worker import Worker, get_current_worker

from newsreader.models import Article
from newsreader.safety import clean_line
from newsreader.store import articles as article_store
from newsreader.store import connect, labels, views
from newsreader.store import rules as rule_store
from newsreader.store.search import QueryError, compile_query
from newsreader.tui import commands
from newsreader.tui.messages import ListLoaded, StoreChanged
from newsreader.tui.panes.base import Pane, mark_read_in_worker
from newsreader.tui.panes.piping import Piper
from newsreader.tui.panes.playing import MediaPlayer
from newsreader.tui.screens.dialogs import NameScreen
from newsreader.tui.screens.labels import LabelScreen
from newsreader.tui.widgets.article_list import ArticleList
from newsreader.tui.widgets.bars import SearchBar
from newsreader.tui.widgets.line_list import LineList
from newsreader.tui.widgets.wrap import fit
from newsreader.wording import plural

ON_AN_ARTICLE = frozenset(
    {
        "toggle_read",
        "toggle_star",
        "open_in_browser",
        "toggle_later",
        "labels",
        "pipe",
        "play",
        "unhide",
    }
)
"""Article actions that need an article to act on (next / previous unread do not)."""
Labels = builtins.list[str] | None
"""What the labels dialog returns: the article's labels, or None (cancelled)."""
FIRST_PAGE = 200
"""Results a new search shows before the rest (a few screens of the article list)."""


class ArticlesPane(Pane):
    """The article list and the search over it."""

    TITLE = "Articles"
    MAIN = "#articles"
    BINDINGS = commands.pane_bindings("articles")

    @dataclass
    class ArticleChosen(Message):
        """Open this article in the reader."""

        article_id: int

    @dataclass
    class RowsLoaded(Message):
        """A reload read the feed rows too: the feeds pane shows them."""

        rows: list[views.FeedRow]

    @dataclass
    class FlagsChanged(Message):
        """An article was read (unread -1), unread (+1), starred (starred +1)…"""

        feed_id: int
        unread: int = 0
        starred: int = 0

    @dataclass
    class TriageChanged(Message):
        """An article's labels or Later state changed (the reader's header shows them)."""

        article_id: int

    @dataclass
    class Exhausted(Message):
        """No more unread articles in this list: try the next feed that has some."""

        forward: bool
        opening: bool

    def __init__(self) -> None:
        super().__init__("articles")
        self.search_source: views.Source | None = None
        """The typed search the list shows, if it shows one."""
        self._before_search: tuple[views.Source, bool, int | None] | None = None
        self._token = 0
        self._bar_closes_with: int | None = None
        """The list load whose answer closes the search prompt (the search submitted)."""
        self._feed_names: dict[int, tuple[str, str]] = {}
        self._saved_names: dict[views.Source, str] = {}
        self.piper = Piper(self)
        """Runs ``|``'s commands on an article."""
        self.media = MediaPlayer(self)
        """Plays an article's podcast or video (``P``)."""

    def compose(self) -> ComposeResult:
        """The search prompt (hidden) above the list."""
        yield SearchBar()
        yield ArticleList(self.fetch_rows, id="articles")

    def on_mount(self) -> None:
        """Title the border; the prompt shows only while searching."""
        super().on_mount()
        self.query_one(SearchBar).display = False

    @property
    def list(self) -> ArticleList:
        """The article rows (so in this class body the builtin is ``builtins.list``)."""
        return self.query_one(ArticleList)

    @property
    def searching(self) -> bool:
        """Is the search prompt open?"""
        return self.query_one(SearchBar).has_focus

    # --- what the feeds pane tells ---------------------------------------------------------
    def know_feeds(self, rows: builtins.list[views.FeedRow]) -> None:
        """Feed and saved-search names, for the list's feed column and its title."""
        self._feed_names = {
            row.source.feed_id: (row.label, row.where)
            for row in rows
            if row.where and row.source.feed_id is not None
        }
        self._saved_names = {
            row.source: row.label for row in rows if row.saved_search_id is not None
        }
        self.list.places = {feed_id: where for feed_id, (_, where) in self._feed_names.items()}
        self.show_heading()

    def fetch_rows(self, ids: Sequence[int]) -> dict[int, Article]:
        """Rows for the list's pages (UI thread, its own connection); a feed whose title
        another feed shares is named as in the feeds pane ("Daily News · nytimes")."""
        rows = article_store.articles_by_ids(self.news.conn, ids)
        named = self._feed_names
        if not named:
            return rows
        return {
            key: replace(article, feed_title=named[article.feed_id][0])
            if article.feed_id in named
            else article
            for key, article in rows.items()
        }

    # --- loading --------------------------------------------------------------------------
    def show_now(
        self, source: views.Source, unread_only: bool, ids: array[int], keep_id: int | None = None
    ) -> None:
        """Show ids read already (start-up's first screen, before any worker)."""
        self.list.show(ids, source, unread_only, keep_id)
        self.show_heading()

    def load_list(
        self,
        source: views.Source,
        unread_only: bool,
        keep_id: int | None = None,
        *,
        with_rows: bool = False,
        then: str = "",
    ) -> None:
        """Load ``source``'s article ids in a worker; the newest request wins."""
        self._token += 1
        self._list_worker(self._token, source, unread_only, keep_id, with_rows, then)

    def reload(self) -> None:
        """Reload the list (and the feed rows), keeping the user's place."""
        shown = self.list
        self.load_list(
            shown.source or views.Source("all"), shown.unread_only, shown.current_id, with_rows=True
        )

    @work(
        thread=True,
        exclusive=True,
        group="list",
        exit_on_error=False,
        description="Loading articles",
    )
    def _list_worker(
        self,
        token: int,
        source: views.Source,
        unread_only: bool,
        keep_id: int | None,
        with_rows: bool,
        then: str,
    ) -> None:
        worker = get_current_worker()
        conn = connect(self.news.db_path, migrate_schema=False)
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

    def _first_page(
        self,
        worker: Worker[None],
        conn: sqlite3.Connection,
        token: int,
        source: views.Source,
        unread_only: bool,
    ) -> array[int] | None:
        """A new search's newest results first: listing every match of a common word in
        time order takes ~50 ms on 100,000 articles, its newest screenfuls ~10 ms.
        Returns the ids when they are all there are (None: the rest must be listed)."""
        ids = views.article_ids(conn, source, unread_only, limit=FIRST_PAGE)
        if len(ids) < FIRST_PAGE:
            return ids
        if not worker.is_cancelled:
            self.post_message(ListLoaded(token, source, unread_only, ids, None, None, partial=True))
        return None

    def on_list_loaded(self, message: ListLoaded) -> None:
        """Show freshly loaded ids (stale answers are dropped)."""
        message.stop()
        if message.token != self._token:
            return
        if message.token == self._bar_closes_with:  # the search submitted: its results
            self.close_search_bar()
        if message.rows is not None:
            self.post_message(self.RowsLoaded(message.rows))
        self.list.show(message.ids, message.source, message.unread_only, message.keep_id)
        self.show_heading(more=message.partial)
        if not message.partial and message.then:
            self._jump_after_load(message.then)

    # --- the title ------------------------------------------------------------------------
    def show_heading(self, *, more: bool = False) -> None:
        """The pane's title: what it lists and how many; ``more``: the list holds the
        first results only, the rest are coming."""
        self.border_title = Text(self.heading(more=more))

    def heading(self, *, more: bool = False) -> str:
        """What the list shows (a search with its query, a saved search with its name),
        how many, and the filter: "Search results (3): “petro” · unread only".

        Made from the source the list shows, so it changes exactly when the list does.
        """
        shown = self.list
        count = f"{len(shown.ids)}{'+' if more else ''}"
        suffix = " · unread only" if shown.unread_only else ""
        source = shown.source
        if source is None or source.kind != "search":
            return f"Articles ({count}){suffix}"
        name = None if source == self.search_source else self._saved_names.get(source)
        if name is None:
            return f"Search results ({count}): “{fit(clean_line(source.query), 40)}”{suffix}"
        return f"Saved search ({count}): {fit(clean_line(name), 40)}{suffix}"

    def help_title(self, feed_label: str) -> str:
        """What the list shows, for the help screen (may contain feed text)."""
        source = self.list.source
        if source is not None and source == self.search_source:
            return "search: " + source.query
        return feed_label

    # --- search ---------------------------------------------------------------------------
    def action_search(self) -> None:
        """/: the search prompt above the list (holding the current query)."""
        self.list.focus()
        bar = self.query_one(SearchBar)
        bar.display = True
        if self.search_source is not None:
            bar.value = self.search_source.query
        self.call_after_refresh(bar.focus)

    def close_search_bar(self) -> None:
        """Hide the prompt (the results, if any, stay until escape)."""
        self._bar_closes_with = None
        self.query_one(SearchBar).display = False
        self.list.focus()

    @on(Input.Submitted, "SearchBar")
    def submit_search(self, event: Input.Submitted) -> None:
        """Enter in the prompt: show the results instead of the list."""
        event.stop()
        query = event.value.strip()
        if not query:
            self.close_search_bar()
            self.end_search()
            return
        try:
            compile_query(query)
        except QueryError as exc:
            self.say(str(exc), "error")
            return
        if self.search_source is None:
            shown = self.list
            self._before_search = (
                shown.source or views.Source("all"),
                shown.unread_only,
                shown.current_id,
            )
        self.search_source = views.Source("search", query=query)
        self.load_list(self.search_source, False)
        # The prompt stays until the results replace the list (one layout, one paint,
        # nothing drawn while the query runs): see on_list_loaded.
        self._bar_closes_with = self._token
        self.refresh_bindings()

    def end_search(self, reload: bool = True) -> bool:
        """Leave the search results for the list shown before; False when not searching."""
        if self.search_source is None:
            return False
        self.search_source = None
        if self._bar_closes_with is not None:  # its answer is dropped: the prompt goes now
            self._bar_closes_with = None
            self.query_one(SearchBar).display = False
        before, self._before_search = self._before_search, None
        if reload and before is not None:
            self.load_list(*before)
        self.refresh_bindings()
        return True

    def action_save_search(self) -> None:
        """ctrl+s: keep the search as a smart feed, under a name asked for (the query, or
        the name it is saved under already, is offered)."""
        if self.search_source is None:
            self.say("Search first (/), then save it with ctrl+s.", "warning")
            return
        query = self.search_source.query
        saved = views.get_saved_search(self.news.conn, query)
        self.app.push_screen(
            NameScreen("Save this search as", saved.name if saved else query),
            lambda name: self._save_search(query, name),
        )

    def _save_search(self, query: str, name: str | None) -> None:
        """Save ``query`` as ``name`` (empty: the query itself), then show it as the smart
        feed it now is: selected in the feeds pane, its results in the list."""
        if name is None:
            return
        views.save_search(self.news.conn, query, name)
        source = views.Source("search", query=query)
        found = len(self.list.ids) if self.list.source == source else None
        if self.search_source == source:
            self.search_source, self._before_search = None, None
        counted = f" ({plural(found, 'article')})" if found is not None else ""
        label = clean_line(name.strip() or query)
        self.post_message(
            StoreChanged(f"Saved the search “{label}”{counted}.", select_key=source.key)
        )

    # --- triage ---------------------------------------------------------------------------
    def row(self, article_id: int | None) -> Article | None:
        """The article's row (flags as stored now)."""
        if article_id is None:
            return None
        return article_store.articles_by_ids(self.news.conn, [article_id]).get(article_id)

    def set_read(self, article_id: int, read: bool) -> None:
        """Mark one article read/unread, in the store and on screen."""
        row = self.row(article_id)
        if row is None or row.is_read == read:
            return
        copies = article_store.set_read(self.news.conn, [article_id], read)
        for changed in [row, *article_store.articles_by_ids(self.news.conn, copies).values()]:
            self.list.patch(changed.id, is_read=read)  # a story's copies are read together
            self.post_message(self.FlagsChanged(changed.feed_id, unread=-1 if read else 1))

    def toggle_read(self, article_id: int | None) -> None:
        """m: toggle read."""
        row = self.row(article_id)
        if row is not None:
            self.set_read(row.id, not row.is_read)

    def toggle_star(self, article_id: int | None) -> None:
        """s: toggle star."""
        row = self.row(article_id)
        if row is None:
            return
        article_store.set_starred(self.news.conn, row.id, not row.is_starred)
        self.list.patch(row.id, is_starred=not row.is_starred)
        self.post_message(self.FlagsChanged(row.feed_id, starred=-1 if row.is_starred else 1))

    def toggle_later(self, article_id: int | None) -> None:
        """L: put the article in the Later queue, or take it out."""
        if article_id is None or not article_store.article_exists(self.news.conn, article_id):
            return
        queued = not labels.in_later(self.news.conn, article_id)
        labels.set_later(self.news.conn, [article_id], queued)
        self.say("Put in Later (L takes it out)." if queued else "Taken out of Later.")
        self._triage_changed(article_id)

    def edit_labels(self, article_id: int | None) -> None:
        """#: the article's labels in a dialog, completed from the labels in use."""
        row = self.row(article_id)
        if row is None:
            return
        now = labels.labels_of(self.news.conn, row.id)
        screen = LabelScreen(
            clean_line(row.title) or "(untitled)", now, labels.label_names(self.news.conn)
        )
        self.app.push_screen(screen, lambda chosen: self._set_labels(row.id, now, chosen))

    def _set_labels(self, article_id: int, before: builtins.list[str], after: Labels) -> None:
        if after is None:
            return
        kept = {name.casefold() for name in after}
        gone = [name for name in before if name.casefold() not in kept]
        had = {name.casefold() for name in before}
        new = [name for name in after if name.casefold() not in had]
        if not gone and not new:
            return
        labels.change_labels(self.news.conn, [article_id], add=new, remove=gone)
        words = [f"+{n}" for n in new] + [f"-{n}" for n in gone]
        self.say("Labels: " + " ".join(words))
        self._triage_changed(article_id)

    def _triage_changed(self, article_id: int) -> None:
        """Show the change: counts and label feeds (a reload), the reader's header."""
        self.reload()
        self.post_message(self.TriageChanged(article_id))

    def action_toggle_unread_only(self) -> None:
        """u: show only unread articles, or everything again."""
        shown = self.list
        if shown.source is not None:
            self.load_list(shown.source, not shown.unread_only, shown.current_id)

    def action_mark_all_read(self) -> None:
        """A: mark everything listed read."""
        if self.list.source is not None:
            mark_read_in_worker(self, self.list.source, self.heading())

    def step_unread(self, forward: bool, from_id: int | None, opening: bool) -> None:
        """n / p: the next (previous) unread article of this list, else ask for the next
        feed with unread ones (:class:`Exhausted`)."""
        source = self.list.source
        if source is None:
            return
        found = views.neighbour_unread(self.news.conn, source, from_id, forward)
        if found is not None:
            self._go_to(found, opening)
        elif source.kind not in ("feed", "folder"):
            self.say("No more unread articles here.")
        else:
            self.post_message(self.Exhausted(forward, opening))

    def _go_to(self, article_id: int, opening: bool) -> None:
        index = self.list.index_of(article_id)
        if index is not None:
            self.list.move_cursor(index)
        if opening:
            self.post_message(self.ArticleChosen(article_id))

    def _jump_after_load(self, then: str) -> None:
        direction, _, opening = then.partition("+")
        source = self.list.source
        if source is None:
            return
        found = views.neighbour_unread(self.news.conn, source, None, direction == "next")
        if found is not None:
            self._go_to(found, bool(opening))

    def action_on_article(self, name: str) -> None:
        """m s o n p on the article under the cursor."""
        self.act(name, self.list.current_id, opening=False)

    def act(self, name: str, article_id: int | None, *, opening: bool) -> None:
        """``name`` (toggle_read, toggle_star, open_in_browser, toggle_later, labels, pipe, play,
        next_unread, previous_unread) on ``article_id``; ``opening``: a next one opens in
        the reader."""
        if name == "toggle_read":
            self.toggle_read(article_id)
        elif name == "toggle_star":
            self.toggle_star(article_id)
        elif name == "open_in_browser" and (row := self.row(article_id)) is not None:
            self.news.open_link(row.url)
        elif name == "toggle_later":
            self.toggle_later(article_id)
        elif name == "labels":
            self.edit_labels(article_id)
        elif name == "unhide" and article_id is not None:
            shown = rule_store.unhide(self.news.conn, [article_id])
            self.say("Shown in the lists again." if shown else "That article is not hidden.")
            self._triage_changed(article_id)
        elif name == "pipe":
            self.piper.pick(article_id)
        elif name == "play":
            self.media.pick(article_id)
        elif name in ("next_unread", "previous_unread"):
            self.step_unread(name == "next_unread", article_id, opening)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Dim what needs an article under the cursor (n / p never do), or a search."""
        if action == "on_article" and parameters and parameters[0] in ON_AN_ARTICLE:
            return True if self.list.current_id is not None else None
        if action == "save_search":
            return True if self.search_source is not None else None
        return True

    @on(LineList.Chosen, "#articles")
    def _chosen(self, event: LineList.Chosen) -> None:
        event.stop()
        if (article_id := self.list.current_id) is not None:
            self.post_message(self.ArticleChosen(article_id))
