"""The three-pane screen: layout and mediation. The panes (``tui/panes/``) own their
state, actions and workers and say what happened in messages; the screen hands each to
the pane it concerns, and does the little that spans panes (opening an article, refresh).
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.events import DescendantFocus, Resize
from textual.screen import Screen

from newsreader.store import views
from newsreader.tui import commands, session
from newsreader.tui.messages import StoreChanged
from newsreader.tui.panes.articles import ArticlesPane
from newsreader.tui.panes.base import NARROW_WIDTH, Pane
from newsreader.tui.panes.feeds import FeedsPane
from newsreader.tui.panes.reader import ReaderPane
from newsreader.tui.panes.refreshing import Refresher
from newsreader.tui.panes.syncing import Syncer
from newsreader.tui.screens.help import help_for
from newsreader.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from newsreader.tui.screens.rules import RulesChoice

PANES = ("feeds", "articles", "reader")


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
        self.syncer = Syncer()
        """The sync with a feed server ([sync] in config.toml)."""

    def compose(self) -> ComposeResult:
        """The three panes, the refresh bar and the key bar."""
        with Horizontal(id="panes"):
            yield self.feeds_pane
            yield self.articles_pane
            yield self.reader_pane
        yield self.refresher
        yield self.syncer
        yield KeyBar()

    # --- start and stop ---------------------------------------------------------------------
    def on_mount(self) -> None:
        """Fill the panes from the store, as the last run left them."""
        self.focus_pane(session.restore(self.feeds_pane, self.articles_pane, self.reader_pane))
        self.call_after_refresh(self.reader_pane.warm_actor_cache)

    def save_state(self) -> None:
        """Remember the feed, article, open article and its position for the next run."""
        session.remember(self.feeds_pane, self.articles_pane, self.reader_pane, self.current_pane)

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
        self.pane(pane).focus_main()

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
        """Focus the next pane (tab; shift+tab: the previous, step -1)."""
        self.focus_pane(PANES[(PANES.index(self.current_pane) + step) % len(PANES)])

    def go_back(self) -> bool:
        """Back out one level; False when there is nowhere to go back to."""
        pane, articles = self.current_pane, self.articles_pane
        if articles.searching:
            articles.close_search_bar()
        elif self.reader_pane.panel.has_focus:
            self.focus_pane("reader")
        elif pane == "reader":
            self.focus_pane("articles")
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
                self.reader_pane.say("Nothing selected to drop: q goes back to the list.")
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
        self.app.push_screen(help_for(self, pane, context))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Dim the actions that cannot run now (None), so keys and palette say so."""
        if action == "refresh":
            return None if self.refresher.running else True
        if action == "to_pane" and len(parameters) == 2:
            pane, name = parameters
            return self.pane(str(pane)).check_action(str(name), ())
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

    @on(ArticlesPane.TriageChanged)
    def _triage_changed(self, message: ArticlesPane.TriageChanged) -> None:
        self.reader_pane.show_triage(message.article_id)

    @on(ArticlesPane.Exhausted)
    def _exhausted(self, message: ArticlesPane.Exhausted) -> None:
        source = self.feeds_pane.next_with_unread(message.forward)
        if source is None:
            self.articles_pane.say("No more unread articles here.")
            return
        then = ("next" if message.forward else "previous") + ("+open" if message.opening else "")
        self.articles_pane.load_list(source, self.articles_pane.list.unread_only, then=then)

    @on(ReaderPane.OnArticle)
    def _on_open_article(self, message: ReaderPane.OnArticle) -> None:
        self.articles_pane.act(message.name, message.article_id, opening=True)

    @on(ReaderPane.PanelToggled)
    def _panel_toggled(self, message: ReaderPane.PanelToggled) -> None:
        self.set_class(message.shown, "-panel")

    def on_store_changed(self, message: StoreChanged) -> None:
        """A write finished: say so, and show the store as it is now."""
        if message.note:
            self.feeds_pane.say(message.note)
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
    def _refreshed(self, message: Refresher.Done) -> None:
        self.articles_pane.reload()
        if self.reader_pane.follow_open_article() and not message.pages_only:  # F says it
            self.reader_pane.say("The open article changed; its annotations were re-anchored.")
        self.refresh_bindings()

    @on(Syncer.Synced)
    def _synced(self, message: Syncer.Synced) -> None:
        if message.changed:
            self.feeds_pane.reload_rows()
            self.articles_pane.reload()

    # --- actions that span panes ------------------------------------------------------------
    def open_article(self, article_id: int, at: int | None = None) -> None:
        """Show an article in the reader (the cursor ``at`` an offset, else where it was
        left), mark it read (when configured), focus it."""
        article = self.reader_pane.open_article(article_id, offset=at, cursor=at)
        if article is None:
            return
        if self.reader_pane.news.settings.reader.mark_read_on_open and not article.is_read:
            self.articles_pane.set_read(article.id, True)
        self.focus_pane("reader")

    def action_refresh(self, everything: bool = False) -> None:
        """r: refresh the selected feed (a folder's feeds; all on a virtual feed); R: all."""
        targets = None if everything else self.feeds_pane.refresh_targets()
        total = self.feeds_pane.feed_count() if targets is None else len(targets)
        self.refresher.begin(targets, total)
        if everything:
            self.syncer.start()
        self.refresh_bindings()

    def action_sync(self) -> None:
        """Sync with the feed server now (R does too, with the refresh)."""
        if not self.syncer.enabled:
            self.feeds_pane.say("Sync is not set up: add [sync] to config.toml", "warning")
        elif not self.syncer.start():
            self.feeds_pane.say("A sync is running already")

    def action_rules(self) -> None:
        """ctrl+r: the rules, with their matches; list one's matches or apply them all."""
        from newsreader.feeds.rules import compile_rules
        from newsreader.tui.screens.rules import RulesScreen

        _compiled, problems = compile_rules(self.reader_pane.news.settings.rules)
        screen = RulesScreen(self.reader_pane.news, problems)
        self.app.push_screen(screen, self._rules_chosen)

    def _rules_chosen(self, choice: RulesChoice | None) -> None:
        if choice is None:
            return
        if choice.query:
            source = views.Source("search", query=choice.query)
            self.articles_pane.load_list(source, False)
            self.focus_pane("articles")
            return
        self.articles_pane.say("Applying the rules to every article…")
        self._apply_rules()

    @work(thread=True, group="write", exit_on_error=False, description="Applying rules")
    def _apply_rules(self) -> None:
        from newsreader.feeds.rules import apply_rules, compile_rules
        from newsreader.store import connect, transaction

        news = self.reader_pane.news
        compiled, _problems = compile_rules(news.settings.rules)
        conn = connect(news.db_path, migrate_schema=False)
        try:
            with transaction(conn):
                report = apply_rules(conn, compiled, None)
        except sqlite3.Error as exc:  # a full disk: nothing was changed
            self.post_message(StoreChanged(f"Applying the rules failed: {exc}"))
            return
        finally:
            conn.close()
        self.post_message(StoreChanged((report.line() or "rules: nothing changed").capitalize()))

    async def action_to_pane(self, pane: str, action: str) -> None:
        """A global key whose work is one pane's (/ search, a add feed, @ actors…)."""
        await self.app.run_action(action, self.pane(pane))

    def pane(self, name: str) -> Pane:
        """The pane of a scope ("feeds", "articles", "reader"; "panel" is the reader's)."""
        return cast(Pane, getattr(self, f"{'reader' if name == 'panel' else name}_pane"))

    @on(FeedsPane.Subscribed)
    def _subscribed(self, message: FeedsPane.Subscribed) -> None:
        self.refresher.fetch_pages(None, message.feed_id)  # not while a refresh runs
        self.refresh_bindings()

    @on(ReaderPane.FullTextWanted)
    def _full_text_wanted(self, message: ReaderPane.FullTextWanted) -> None:
        if not self.refresher.fetch_pages([message.article_id]):  # the bar shows it
            self.reader_pane.say("A refresh is running: F again once it is done.", "warning")
        self.refresh_bindings()

    @on(ReaderPane.OpenAt)
    def _open_at(self, message: ReaderPane.OpenAt) -> None:
        self.open_article(message.article_id, message.offset)
