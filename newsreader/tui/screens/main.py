"""The three-pane screen: feeds | articles | reader.

This module holds layout, pane navigation, the narrow layout, restoring the last position
and the help; the triage actions, list loading, refresh, search and feed management live
in the mixins beside it, split by concern.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.events import DescendantFocus, Resize
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from newsreader.models import Article
from newsreader.safety import clean_line
from newsreader.store import articles as article_store
from newsreader.store import state as state_store
from newsreader.store import views
from newsreader.store.search import QueryError
from newsreader.tui import commands
from newsreader.tui.screens.help import HelpScreen, help_text
from newsreader.tui.screens.main_annotations import AnnotationsMixin
from newsreader.tui.screens.main_export import ExportMixin
from newsreader.tui.screens.main_lists import ListsMixin
from newsreader.tui.screens.main_panel import PanelMixin
from newsreader.tui.screens.main_tasks import TasksMixin
from newsreader.tui.widgets.annotation_panel import AnnotationPanel
from newsreader.tui.widgets.article_header import ArticleHeader
from newsreader.tui.widgets.article_list import ArticleList
from newsreader.tui.widgets.bars import RefreshBar, SearchBar
from newsreader.tui.widgets.feed_list import FeedList
from newsreader.tui.widgets.key_bar import KeyBar
from newsreader.tui.widgets.line_list import LineList
from newsreader.tui.widgets.reader import ArticleView
from newsreader.tui.widgets.wrap import fit

if TYPE_CHECKING:
    from newsreader.tui.app import NewsReaderApp

PANES = ("feeds", "articles", "reader")
_NEEDS_ARTICLE = frozenset({"toggle_read", "toggle_star", "open_in_browser"})
_NEEDS_READER = frozenset({"claim", "tag_actor", "highlight", "note", "toggle_panel",
                           "next_annotation", "previous_annotation", "delete_annotation",
                           "export_article"})
"""Actions on the article open in the reader."""
_DYNAMIC: tuple[tuple[str, tuple[object, ...]], ...] = (
    *((name, ()) for name in sorted(_NEEDS_ARTICLE | _NEEDS_READER)), ("undo_delete", ()),
    ("refresh_current", ()), ("save_search", ()), ("remove_feed", ()),
    *(("open_reference", (n,)) for n in range(1, 10)),
)
"""Actions whose availability changes while the screen is up."""
NARROW_WIDTH = 100
"""Below this many columns, one pane is shown at a time."""


class MainScreen(AnnotationsMixin, PanelMixin, ExportMixin, TasksMixin, ListsMixin,
                 Screen[None]):
    """Feeds, articles and reader side by side (one at a time when narrow)."""

    BINDINGS = commands.bindings("global")
    AUTO_FOCUS = "#articles"

    app: NewsReaderApp
    _binding_state: tuple[bool | None, ...] = ()

    def compose(self) -> ComposeResult:
        """The three panes, the refresh bar and the footer."""
        with Horizontal(id="panes"):
            with Vertical(id="feeds-pane", classes="pane"):
                yield FeedList(id="feeds")
                yield Static(id="feed-status")
            with Vertical(id="articles-pane", classes="pane -active"):
                yield SearchBar()
                yield ArticleList(self.fetch_rows, id="articles")
            with Vertical(id="reader-pane", classes="pane"):
                yield ArticleHeader(id="reader-header")
                with Horizontal(id="reader-body"):
                    yield ArticleView(id="reader")
                    yield AnnotationPanel(id="annotation-panel")
        yield RefreshBar(id="refresh-bar")
        yield KeyBar()

    # --- widgets ------------------------------------------------------------------------------
    @property
    def feeds(self) -> FeedList:
        """The feeds pane list."""
        return self.query_one("#feeds", FeedList)

    @property
    def articles(self) -> ArticleList:
        """The article list."""
        return self.query_one("#articles", ArticleList)

    @property
    def reader(self) -> ArticleView:
        """The reader text view."""
        return self.query_one("#reader", ArticleView)

    @property
    def panel(self) -> AnnotationPanel:
        """The reader's annotations panel."""
        return self.query_one("#annotation-panel", AnnotationPanel)

    def pane_widget(self, pane: str) -> Widget:
        """The focusable widget of a pane."""
        return {"feeds": self.feeds, "articles": self.articles, "reader": self.reader}[pane]

    # --- start and stop -----------------------------------------------------------------------
    def on_mount(self) -> None:
        """Fill the panes from the store and restore the last position."""
        for pane, title in zip(PANES, ("Feeds", "Articles", "Reader"), strict=True):
            self.query_one(f"#{pane}-pane").border_title = title
        self.query_one(RefreshBar).display = False
        self.query_one(SearchBar).display = False
        self.query_one(ArticleHeader).show_article(None)
        self.panel.display = False
        self.restore_state()
        self.call_after_refresh(self.warm_actor_cache)

    def restore_state(self) -> None:
        """Select the feed and article of the last session and reopen its article."""
        conn = self.app.conn
        saved = {key: state_store.get_state(conn, f"tui.{key}") for key in
                 ("source", "unread_only", "article", "reader_article", "reader_offset",
                  "reader_cursor", "pane")}
        self.feeds.set_rows(views.feed_rows(conn), keep_key=saved["source"] or "all")
        self.count_saved_searches()
        row = self.feeds.current
        source = row.source if row else views.Source("all")
        self.show_feed_status()
        unread_only = saved["unread_only"] == "1"
        try:
            ids = views.article_ids(conn, source, unread_only)
        except QueryError as exc:  # a saved search that no longer reads
            self.app.notify_text(f"Cannot show {row.label if row else source.key}: {exc}",
                                 "warning")
            source, ids = views.Source("all"), views.article_ids(conn, views.Source("all"))
        self.articles.show(ids, source, unread_only, keep_id=_int(saved["article"]))
        self.update_article_count()
        reader_id = _int(saved["reader_article"])
        if reader_id is not None:
            self.open_article(reader_id, focus=False, mark=False,
                              offset=_int(saved["reader_offset"]) or 0,
                              cursor=_int(saved["reader_cursor"]))
        pane = saved["pane"] if saved["pane"] in PANES else "articles"
        if pane == "reader" and self.reader.article_id is None:
            pane = "articles"
        self.focus_pane(pane)

    def save_state(self) -> None:
        """Remember the feed, article, open article and its position for the next start."""
        conn = self.app.conn
        row = self.feeds.current
        values = {
            "source": row.source.key if row else "all",
            "unread_only": "1" if self.articles.unread_only else "0",
            "article": str(self.articles.current_id or ""),
            "reader_article": str(self.reader.article_id or ""),
            "reader_offset": str(self.reader.top_offset),
            "reader_cursor": str(self.reader.cursor),
            "pane": self.current_pane,
        }
        for key, value in values.items():
            state_store.set_state(conn, f"tui.{key}", value)

    # --- panes --------------------------------------------------------------------------------
    @property
    def current_pane(self) -> str:
        """The pane holding the focus."""
        node = self.focused
        while node is not None:
            if node.id and node.id.endswith("-pane"):
                return node.id.removesuffix("-pane")
            node = node.parent  # type: ignore[assignment]
        return "articles"

    @property
    def narrow(self) -> bool:
        """One pane at a time?"""
        return self.has_class("-narrow")

    def focus_pane(self, pane: str) -> None:
        """Show (when narrow) and focus ``pane``."""
        self._mark_active(pane)
        self.pane_widget(pane).focus()

    def _mark_active(self, pane: str) -> None:
        if pane != "reader" and self.has_class("-panel"):  # the panel took the lists' room
            self.panel.display = False
            self.remove_class("-panel")
            self.show_reader_title()
        for name in PANES:
            self.query_one(f"#{name}-pane").set_class(name == pane, "-active")

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        """The focused pane is the one shown in the narrow layout."""
        self._mark_active(self.current_pane)

    def on_resize(self, event: Resize) -> None:
        """Switch between the three-pane and the one-pane layout."""
        self.set_class(event.size.width < NARROW_WIDTH, "-narrow")

    def action_next_pane(self) -> None:
        """Focus the next pane (tab)."""
        index = PANES.index(self.current_pane)
        self.focus_pane(PANES[(index + 1) % len(PANES)])

    def action_previous_pane(self) -> None:
        """Focus the previous pane (shift+tab)."""
        index = PANES.index(self.current_pane)
        self.focus_pane(PANES[(index - 1) % len(PANES)])

    def go_back(self) -> bool:
        """Back out one level; False when there is nowhere to go back to."""
        search_bar = self.query_one(SearchBar)
        pane = self.current_pane
        if search_bar.has_focus:
            self.close_search_bar()
        elif self.panel.has_focus:
            self.focus_pane("reader")
        elif pane == "reader":
            self.focus_pane("articles")
        elif pane == "articles" and self.search_source is not None:
            self.end_search()
        elif pane == "articles" and self.narrow:
            self.focus_pane("feeds")
        else:
            return False
        return True

    def action_back(self) -> None:
        """Escape: close the search prompt, else cancel a running refresh, else go back;
        never out of the reader's text (escape drops a selection there; q goes back)."""
        if self.query_one(SearchBar).has_focus or not self.cancel_refresh():
            if self.reader.has_focus:
                self.app.notify_text("Nothing selected to drop: q goes back to the list.")
                return
            self.go_back()

    async def action_back_or_quit(self) -> None:
        """q: back out one level, or quit from the top."""
        if not self.go_back():
            await self.app.action_quit()

    def action_help(self) -> None:
        """Show the keys of the focused pane and the global ones."""
        pane = "panel" if self.panel.has_focus else self.current_pane
        row = self.feeds.current
        context = row.label if pane == "feeds" and row else ""
        if pane == "articles":
            context = self.list_title()
        elif pane in ("reader", "panel") and self.reader_article is not None:
            context = self.reader_article.title
        display = {key: self.app.get_key_display(item.binding)
                   for key, item in self.active_bindings.items()}
        self.app.push_screen(HelpScreen(help_text(self.active_bindings, display, pane, context)))

    def update_bindings(self) -> None:
        """Refresh footer and palette state, only when an action's availability changed.

        (Refreshing bindings re-renders the key bar and the palette state.)
        """
        state = tuple(self.check_action(action, params) for action, params in _DYNAMIC)
        if state != self._binding_state:
            self._binding_state = state
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Dim the actions that cannot run now (None), so keys and palette say so."""
        if action in _NEEDS_ARTICLE:
            return True if self.target_id() is not None else None
        if action in _NEEDS_READER:
            return True if self.reader.article_id is not None else None
        if action == "undo_delete":
            return True if self.undo_stack else None
        if action in ("refresh_current", "refresh_all"):
            return None if self.refreshing else True
        if action == "save_search":
            return True if self.search_source is not None else None
        if action == "remove_feed":
            row = self.feeds.current
            return True if row is not None and row.source.kind in ("feed", "search") else None
        if action == "open_reference":
            number = parameters[0] if parameters else 0
            links = self.reader.links
            return True if isinstance(number, int) and 0 < number <= len(links) else None
        return True

    # --- status -------------------------------------------------------------------------------
    def show_feed_status(self) -> None:
        """Under the feeds: the last error of the selected feed, if it failed."""
        row = self.feeds.current
        status = self.query_one("#feed-status", Static)
        if row is not None and row.failed:
            status.update(Text("Last refresh failed: " + (clean_line(row.error)
                                                           or "unknown error")))
            status.display = True
        else:
            status.display = False

    def update_article_count(self, *, more: bool = False) -> None:
        """The article pane's title: what it lists and how many; ``more``: the list holds
        the first results only, the rest are coming."""
        self.query_one("#articles-pane").border_title = Text(self.list_heading(more=more))

    def list_heading(self, *, more: bool = False) -> str:
        """What the list shows (a search with its query, a saved search with its name),
        how many, and the filter: "Search results (3): “petro” · unread only".

        Made from the source the list shows, so it changes exactly when the list does.
        """
        shown = self.articles
        count = f"{len(shown.ids)}{'+' if more else ''}"
        suffix = " · unread only" if shown.unread_only else ""
        source = shown.source
        if source is None or source.kind != "search":
            return f"Articles ({count}){suffix}"
        name = None if source == self.search_source else self.feeds.saved_label(source)
        if name is None:
            return f"Search results ({count}): “{fit(clean_line(source.query), 40)}”{suffix}"
        return f"Saved search ({count}): {fit(clean_line(name), 40)}{suffix}"

    def list_title(self) -> str:
        """What the article list shows, for the help screen (may contain feed text)."""
        source = self.articles.source
        if source is not None and source == self.search_source:
            return "search: " + source.query
        row = self.feeds.current
        return row.label if row else ""

    @on(LineList.CursorMoved, "#feeds")
    def feed_cursor_moved(self, event: LineList.CursorMoved) -> None:
        """Moving in the feeds pane shows that feed's articles."""
        self.show_feed_status()
        row = self.feeds.current
        if row is not None:
            self.end_search(reload=False)
            self.load_list(row.source, self.articles.unread_only)
        self.update_bindings()

    @on(LineList.CursorMoved, "#annotation-panel")
    def panel_cursor_moved(self, event: LineList.CursorMoved) -> None:
        """Moving in the annotations panel shows that annotation in the text."""
        self.panel_moved(self.panel.current)

    @on(LineList.Chosen)
    def row_chosen(self, event: LineList.Chosen) -> None:
        """Enter on a feed goes to its articles; on an article, opens it."""
        if event.list is self.panel:
            self.panel_chosen(self.panel.current)
        elif event.list is self.feeds:
            self.focus_pane("articles")
        elif (article_id := self.articles.current_id) is not None:
            self.open_article(article_id)

    def fetch_rows(self, ids: list[int]) -> dict[int, Article]:
        """Rows for the article list's pages (UI thread, its own connection); a feed whose
        title another feed shares is named as in the feeds pane ("Daily News · nytimes")."""
        rows = article_store.articles_by_ids(self.app.conn, ids)
        shared = [row for row in self.feeds.rows if row.where]
        self.articles.places = {row.source.feed_id: row.where for row in shared
                                if row.source.feed_id is not None}
        if not shared:
            return rows
        named = {row.source.feed_id: row.label for row in shared}
        return {key: replace(article, feed_title=named[article.feed_id])
                if article.feed_id in named else article for key, article in rows.items()}


def _int(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None
