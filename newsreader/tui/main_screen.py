"""The three-pane screen: feeds | articles | reader, one at a time when narrow.

It holds the layout and mediates: the panes (``tui/panes/``) own their state, actions
and workers, and say what happened in messages; the screen passes each on to the pane
it concerns, and carries out the few actions that span panes (refresh, search, triage
of "the article here", next unread, quitting).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.events import DescendantFocus, Resize
from textual.screen import Screen
from textual.widget import Widget

from newsreader.tui import commands, session
from newsreader.tui.context import NewsApp
from newsreader.tui.messages import StoreChanged
from newsreader.tui.panes.articles import ArticlesPane
from newsreader.tui.panes.feeds import FeedsPane
from newsreader.tui.panes.reader import ReaderPane
from newsreader.tui.panes.refreshing import Refresher
from newsreader.tui.screens.help import HelpScreen, help_text
from newsreader.tui.widgets.key_bar import KeyBar

PANES = ("feeds", "articles", "reader")
NARROW_WIDTH = 100
"""Below this many columns, one pane is shown at a time."""


class MainScreen(Screen[None]):
    """Feeds, articles and reader side by side (one at a time when narrow)."""

    BINDINGS = commands.bindings("global")
    AUTO_FOCUS = "#articles"

    def __init__(self) -> None:
        super().__init__()
        self.feeds_pane = FeedsPane()
        self.articles_pane = ArticlesPane()
        self.reader_pane = ReaderPane()
        self.refresher = Refresher()
        """The refresh and its bar."""

    def compose(self) -> ComposeResult:
        """The three panes, the refresh bar and the key bar."""
        with Horizontal(id="panes"):
            yield self.feeds_pane
            yield self.articles_pane
            yield self.reader_pane
        yield self.refresher
        yield KeyBar()

    # --- start and stop ---------------------------------------------------------------------
    def on_mount(self) -> None:
        """Fill the panes from the store and restore the last position."""
        self.restore_state()
        self.call_after_refresh(self.reader_pane.warm_actor_cache)

    def restore_state(self) -> None:
        """Select the feed and article of the last run and reopen its article."""
        pane = session.restore(self.feeds_pane, self.articles_pane, self.reader_pane)
        self.focus_pane(pane)

    def save_state(self) -> None:
        """Remember the feed, article, open article and its position for the next run."""
        session.remember(self.feeds_pane, self.articles_pane, self.reader_pane, self.current_pane)

    @property
    def news(self) -> NewsApp:
        """The app's store, settings and notifications."""
        return self.feeds_pane.news

    # --- focus and layout -------------------------------------------------------------------
    @property
    def current_pane(self) -> str:
        """The pane holding the focus."""
        for pane in PANES:
            if self.query_one(f"#{pane}-pane").has_focus_within:
                return pane
        return "articles"

    @property
    def narrow(self) -> bool:
        """One pane at a time?"""
        return self.has_class("-narrow")

    def focus_pane(self, pane: str) -> None:
        """Show (when narrow) and focus ``pane``."""
        self._mark_active(pane)
        widget: Widget = {
            "feeds": self.feeds_pane.list,
            "articles": self.articles_pane.list,
            "reader": self.reader_pane.view,
        }[pane]
        widget.focus()

    def _mark_active(self, pane: str) -> None:
        if pane != "reader" and self.has_class("-panel"):  # the panel took the lists' room
            self.reader_pane.hide_panel()
            self.remove_class("-panel")
        for name in PANES:
            self.query_one(f"#{name}-pane").set_class(name == pane, "-active")

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        """The focused pane is the one shown in the narrow layout."""
        self._mark_active(self.current_pane)

    def on_resize(self, event: Resize) -> None:
        """Switch between the three-pane and the one-pane layout."""
        self.set_class(event.size.width < NARROW_WIDTH, "-narrow")

    def action_next_pane(self, step: int = 1) -> None:
        """Focus the next pane (tab; shift+tab: the previous)."""
        self.focus_pane(PANES[(PANES.index(self.current_pane) + step) % len(PANES)])

    def action_previous_pane(self) -> None:
        """Focus the previous pane (shift+tab)."""
        self.action_next_pane(-1)

    def go_back(self) -> bool:
        """Back out one level; False when there is nowhere to go back to."""
        pane, articles = self.current_pane, self.articles_pane
        if articles.searching:
            articles.close_search_bar()
        elif self.reader_pane.panel.has_focus or pane == "reader":
            self.focus_pane(
                "articles"
                if pane == "reader" and not self.reader_pane.panel.has_focus
                else "reader"
            )
        elif pane == "articles" and articles.end_search():
            self.refresh_bindings()
        elif pane == "articles" and self.narrow:
            self.focus_pane("feeds")
        else:
            return False
        return True

    def action_back(self) -> None:
        """Escape: close the search prompt, else cancel a running refresh, else go back;
        never out of the reader's text (escape drops a selection there; q goes back)."""
        if self.articles_pane.searching or not self.refresher.cancel():
            if self.reader_pane.view.has_focus:
                self.news.notify_text("Nothing selected to drop: q goes back to the list.")
                return
            self.go_back()

    async def action_back_or_quit(self) -> None:
        """q: back out one level, or quit from the top."""
        if not self.go_back():
            await self.app.action_quit()

    def action_help(self) -> None:
        """Show the keys of the focused pane and the global ones."""
        pane = "panel" if self.reader_pane.panel.has_focus else self.current_pane
        row, article = self.feeds_pane.list.current, self.reader_pane.article
        context = {
            "feeds": row.label if row else "",
            "articles": self.articles_pane.help_title(row.label if row else ""),
        }.get(pane, article.title if article else "")
        display = {
            key: self.app.get_key_display(item.binding)
            for key, item in self.active_bindings.items()
        }
        self.app.push_screen(HelpScreen(help_text(self.active_bindings, display, pane, context)))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Dim the actions that cannot run now (None), so keys and palette say so."""
        if action in ("refresh_current", "refresh_all"):
            return None if self.refresher.running else True
        if action == "save_search":
            return True if self.articles_pane.search_source is not None else None
        return True

    # --- what the panes say -----------------------------------------------------------------
    @on(FeedsPane.SourceChosen)
    def _source_chosen(self, message: FeedsPane.SourceChosen) -> None:
        self.articles_pane.end_search(reload=False)
        self.articles_pane.load_list(message.source, self.articles_pane.list.unread_only)
        self.refresh_bindings()

    @on(FeedsPane.Entered)
    def _feed_entered(self) -> None:
        self.focus_pane("articles")

    @on(ArticlesPane.ArticleChosen)
    def _article_chosen(self, message: ArticlesPane.ArticleChosen) -> None:
        self.open_article(message.article_id)

    @on(ArticlesPane.RowsLoaded)
    def _rows_loaded(self, message: ArticlesPane.RowsLoaded) -> None:
        self.feeds_pane.set_rows(message.rows)
        self.articles_pane.know_feeds(message.rows)

    @on(ArticlesPane.FlagsChanged)
    def _flags_changed(self, message: ArticlesPane.FlagsChanged) -> None:
        if message.unread:
            self.feeds_pane.adjust_unread(message.feed_id, message.unread)
        if message.starred:
            self.feeds_pane.adjust_starred(message.starred)

    @on(ArticlesPane.Exhausted)
    def _exhausted(self, message: ArticlesPane.Exhausted) -> None:
        source = self.feeds_pane.next_with_unread(message.forward)
        if source is None:
            self.news.notify_text("No more unread articles here.")
            return
        then = ("next" if message.forward else "previous") + ("+open" if message.opening else "")
        self.articles_pane.load_list(source, self.articles_pane.list.unread_only, then=then)

    @on(ReaderPane.OnArticle)
    def _on_open_article(self, message: ReaderPane.OnArticle) -> None:
        self.articles_pane.act(message.name, message.article_id, opening=True)

    @on(ReaderPane.PanelToggled)
    def _panel_toggled(self, message: ReaderPane.PanelToggled) -> None:
        self.set_class(message.shown, "-panel")
        if message.shown:
            room = "" if self.narrow else "the feeds and articles make room; "
            self.news.notify_text(
                f"Annotations panel: {room}a hides it, esc goes back to "
                "the text, ] [ move through the annotations."
            )

    def on_store_changed(self, message: StoreChanged) -> None:
        """A write finished: say so, and show the store as it is now."""
        if message.note:
            self.news.notify_text(message.note)
        self.reader_pane.forget_gone_article()
        if message.select_key is None:
            self.articles_pane.reload()
            return
        self.feeds_pane.reselect(message.select_key)

    @on(FeedsPane.Reselected)
    def _reselected(self, message: FeedsPane.Reselected) -> None:
        self.articles_pane.know_feeds(message.rows)
        if message.source is not None:
            self.articles_pane.load_list(message.source, self.articles_pane.list.unread_only)

    @on(Refresher.Arrived)
    def _arrived(self) -> None:
        self.articles_pane.reload()

    @on(Refresher.Done)
    def _refreshed(self) -> None:
        self.articles_pane.reload()
        if self.reader_pane.follow_open_article():
            self.news.notify_text("The open article changed; its annotations were re-anchored.")
        self.refresh_bindings()

    # --- actions that span panes ------------------------------------------------------------
    def open_article(
        self, article_id: int, *, offset: int | None = None, cursor: int | None = None
    ) -> None:
        """Show an article in the reader, mark it read (when configured), focus it."""
        article = self.reader_pane.open_article(article_id, offset=offset, cursor=cursor)
        if article is None:
            return
        if self.news.settings.reader.mark_read_on_open and not article.is_read:
            self.articles_pane.set_read(article.id, True)
        self.focus_pane("reader")

    def action_refresh_current(self) -> None:
        """r: refresh the selected feed (a folder's feeds; everything on a virtual feed)."""
        targets = self.feeds_pane.refresh_targets()
        self.refresher.begin(
            targets, self.feeds_pane.feed_count() if targets is None else len(targets)
        )
        self.refresh_bindings()

    def action_refresh_all(self) -> None:
        """R: refresh every feed."""
        self.refresher.begin(None, self.feeds_pane.feed_count())
        self.refresh_bindings()

    def action_search(self) -> None:
        """/: the search prompt above the article list."""
        self.focus_pane("articles")
        self.articles_pane.open_search()

    def action_save_search(self) -> None:
        """ctrl+s: keep the search as a smart feed."""
        self.articles_pane.save_search()

    def action_add_feed(self) -> None:
        """a: ask for a feed and subscribe to it."""
        self.feeds_pane.add_feed()

    def action_export_all(self) -> None:
        """Palette: export every annotated article and actor into a folder (asked)."""
        self.reader_pane.exporter.export_all()

    def action_export_dossier(self) -> None:
        """Palette: export one actor's dossier into the notes folder."""
        self.reader_pane.exporter.export_dossier()

    def action_actors(self) -> None:
        """@: every actor with counts; enter on a claim or mention opens it here."""
        from newsreader.tui.screens.actors import ActorsScreen

        self.app.push_screen(ActorsScreen(self.news.db_path), self._back_from_actors)

    def _back_from_actors(self, result: tuple[int, int] | None) -> None:
        self.news.actor_cache.invalidate()
        if result is None:
            self.reader_pane.load_marks(keep=True)
        else:
            self.open_article(result[0], offset=result[1], cursor=result[1])
