"""The reader pane: the open article's header and text, its marks and the annotations
panel; the annotation and export actions are carried out by :mod:`annotating` and
:mod:`exporting`.

Opening an article shows its text at once with the marks near the cursor; the rest of
its annotations and the known actors in it arrive from a worker (:class:`MarksLoaded`).
"""

from __future__ import annotations

import gc
from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.worker import get_current_worker

from newsreader.annotations import service
from newsreader.annotations.actors import suggestions
from newsreader.models import Article
from newsreader.safety import clean_line
from newsreader.store import annotations as annotation_store
from newsreader.store import articles as article_store
from newsreader.store import claimlinks as link_store
from newsreader.store import connect
from newsreader.store.enclosures import enclosures_of
from newsreader.store.revisions import edited_annotations, revisions_of
from newsreader.tui import commands
from newsreader.tui.marks import ArticleMarks, PanelRow, panel_rows, text_window
from newsreader.tui.messages import MarksLoaded, NamesFound, StartupDone, StoreChanged
from newsreader.tui.panes.annotating import Annotator
from newsreader.tui.panes.base import NARROW_WIDTH, Pane
from newsreader.tui.panes.exporting import Exporter
from newsreader.tui.panes.linking import Linker
from newsreader.tui.spans import Span
from newsreader.tui.widgets.annotation_panel import AnnotationPanel
from newsreader.tui.widgets.article_header import ArticleHeader
from newsreader.tui.widgets.line_list import LineList
from newsreader.tui.widgets.reader import ArticleView

NEEDS_ARTICLE = frozenset(
    {
        "claim",
        "tag_actor",
        "highlight",
        "note",
        "toggle_panel",
        "next_annotation",
        "previous_annotation",
        "delete_annotation",
        "export_article",
        "full_text",
        "revisions",
        "mark_claim",
        "link_claim",
    }
)
"""Actions on the open article (dimmed while none is open)."""
TEXT_ONLY = frozenset(
    {"claim", "tag_actor", "highlight", "export_article", "open_reference", "on_article"}
)
"""Actions of the text, not of the annotations panel (hidden while it has the focus)."""


class ReaderPane(Pane):
    """The open article, its marks, the annotations panel, and what is done to them."""

    TITLE = "Reader"
    MAIN = "#reader"
    BINDINGS = commands.pane_bindings("reader", "panel")

    @dataclass
    class OnArticle(Message):
        """m s o n p in the reader: that action on the open article."""

        name: str
        article_id: int

    @dataclass
    class FullTextWanted(Message):
        """F: fetch the open article's page now."""

        article_id: int

    @dataclass
    class OpenAt(Message):
        """Open this article with the cursor at ``offset`` (from the actors screen)."""

        article_id: int
        offset: int

    @dataclass
    class PanelToggled(Message):
        """The annotations panel was shown (it takes the lists' room) or hidden."""

        shown: bool

    def __init__(self) -> None:
        super().__init__("reader")
        self.article: Article | None = None
        """The article shown, as it was when opened."""
        self.marks: ArticleMarks | None = None
        """Its annotations, notes and actor marks (None until loaded)."""
        self._marks_token = 0
        self.annotator = Annotator(self)
        self.exporter = Exporter(self)
        self.linker = Linker(self)

    def compose(self) -> ComposeResult:
        """The header over the text and the (hidden) annotations panel."""
        yield ArticleHeader(id="reader-header")
        with Horizontal(id="reader-body"):
            yield ArticleView(id="reader")
            yield AnnotationPanel(id="annotation-panel")

    def on_mount(self) -> None:
        """Nothing open yet; the panel hidden."""
        super().on_mount()
        self.query_one(ArticleHeader).show_article(None)
        self.panel.display = False

    @property
    def view(self) -> ArticleView:
        """The text view."""
        return self.query_one(ArticleView)

    @property
    def panel(self) -> AnnotationPanel:
        """The annotations panel."""
        return self.query_one(AnnotationPanel)

    @property
    def annotated(self) -> bool:
        """Does the open article carry annotations or notes?"""
        return self.marks is not None and self.marks.annotated

    # --- opening --------------------------------------------------------------------------
    def open_article(
        self, article_id: int, *, offset: int | None = None, cursor: int | None = None
    ) -> Article | None:
        """Show an article; None (and a word) when it is gone from the store.

        ``offset`` is the text at the top, ``cursor`` where the text cursor goes (the top);
        without them the article opens where it was left this session (else at the top).
        """
        article = article_store.get_article(self.news.conn, article_id)
        if article is None:
            self.say("That article is no longer in the store.", "warning")
            return None
        self.article = article
        self.query_one(ArticleHeader).show_article(article)
        media = enclosures_of(self.news.conn, article.id)
        self.view.load(article.id, article.text, article.links, offset, cursor, media=media)
        self.load_marks()
        self.refresh_bindings()
        return article

    def show_triage(self, article_id: int) -> None:
        """The open article's labels or Later state changed: show them in the header."""
        if self.article is None or self.article.id != article_id:
            return
        now = article_store.get_article(self.news.conn, article_id)
        if now is not None:
            self.article = now
            self.query_one(ArticleHeader).show_article(now)

    def forget_gone_article(self) -> None:
        """Empty the reader when its article left the store (its feed was removed)."""
        shown = self.view.article_id
        if shown is not None and article_store.get_article(self.news.conn, shown) is None:
            self.article = None
            self.view.load(None, "")
            self.load_marks()
            self.query_one(ArticleHeader).show_article(None)
            self.refresh_bindings()

    def follow_open_article(self) -> bool:
        """After a refresh: if the open article's text changed, show the new text where the
        reader was, with its annotations as the refresh re-anchored them. True if it did."""
        shown, view = self.article, self.view
        if shown is None or view.article_id != shown.id:
            return False
        now = article_store.get_article(self.news.conn, shown.id)
        if now is None or (
            (now.text, now.links, enclosures_of(self.news.conn, now.id))
            == (shown.text, shown.links, view.media)
        ):
            return False
        self.open_article(
            shown.id,
            offset=min(view.top_offset, len(now.text)),
            cursor=min(view.cursor, len(now.text)),
        )
        return True

    # --- marks ----------------------------------------------------------------------------
    @work(thread=True, group="marks-warm", exit_on_error=False, description="Indexing actors")
    def warm_actor_cache(self) -> None:
        """Build the actor matcher and list before the first article needs them."""
        conn = connect(self.news.db_path, migrate_schema=False)
        try:
            self.news.actor_cache.matcher(conn)
            self.news.actor_cache.rows(conn)
        finally:
            conn.close()
        self.post_message(StartupDone())

    def on_startup_done(self, _message: StartupDone) -> None:
        """Freeze what start-up built (modules, widgets, the matcher) out of the cyclic
        garbage collector's sight: a full collection that walked them all took ~40 ms, long
        enough to delay an article's marks when it struck just then. On the UI thread, so
        never after the app unmounted (which unfreezes)."""
        gc.freeze()

    def load_marks(self, *, keep: bool = False) -> None:
        """Load the open article's annotations and find known actors in it (a worker).

        ``keep`` leaves the current marks on screen until the new ones arrive.
        """
        self._marks_token += 1
        view = self.view
        if not keep:
            self.marks = None
            self.show_marks()
            if view.article_id is not None:
                self._mark_window(view.article_id, view.text, view.cursor)
        if view.article_id is not None:
            self._marks_worker(self._marks_token, view.article_id, view.text)

    def _mark_window(self, article_id: int, text: str, offset: int) -> None:
        """Mark the few screens around ``offset`` now, so the text never shows unmarked.

        On a 50,000-word article the worker needs ~100 ms for every annotation and actor;
        the window costs ~2 ms here: an indexed query and a scan of ~20,000 characters
        (with the shared matcher only once it is built: never built on this thread).
        """
        start, end = text_window(text, offset)
        annotations = annotation_store.list_annotations(
            self.news.conn, article_id, within=(start, end)
        )
        matcher = self.news.actor_cache.built_matcher()
        found = matcher.find_within(text, start, end) if matcher is not None else []
        self.view.set_spans(ArticleMarks(article_id, annotations, [], found).spans())

    @work(
        thread=True,
        exclusive=True,
        group="marks",
        exit_on_error=False,
        description="Finding annotations and actors",
    )
    def _marks_worker(self, token: int, article_id: int, text: str) -> None:
        worker = get_current_worker()
        cache = self.news.actor_cache
        conn = connect(self.news.db_path, migrate_schema=False)
        try:
            stored = service.list_for_article(conn, article_id)
            claims = [a.id for a in stored.annotations if a.kind == "claim"]
            links, sources = link_store.links_of(conn, claims), link_store.evidence_of(conn, claims)
            edited = edited_annotations(conn, article_id)
            found = cache.matcher(conn).find(text)
            every = cache.names(conn)
            cache.rows(conn)  # the dialogs' list, rebuilt here after actors changed
        finally:
            conn.close()
        ids = {m.actor_id for m in found}
        marks = ArticleMarks(
            article_id,
            stored.annotations,
            stored.notes,
            found,
            {i: every[i] for i in ids if i in every},
            edited=edited,
            links=links,
            evidence=sources,
        )
        marks.span_index()  # built here, off the event loop
        if worker.is_cancelled:
            return
        loaded = MarksLoaded(token, marks)
        self.post_message(loaded)
        loaded.shown.wait(1.0)  # the names can wait for the marks' paint
        if worker.is_cancelled:
            return
        names = [s.name for s in suggestions(text, found=found)]
        if not worker.is_cancelled:
            self.post_message(NamesFound(token, names))

    def on_marks_loaded(self, message: MarksLoaded) -> None:
        """Show freshly loaded marks (answers for another article are dropped)."""
        if message.token == self._marks_token:
            names = self.marks.names if self.marks is not None else []
            self.marks = message.marks
            self.marks.names = self.marks.names or names
            self.show_marks()
            self.call_after_refresh(message.shown.set)
        else:
            message.shown.set()

    def on_names_found(self, message: NamesFound) -> None:
        """Remember the article's untagged names for the dialogs."""
        if message.token == self._marks_token and self.marks is not None:
            self.marks.names = message.names

    def show_marks(self) -> None:
        """Style the text's spans and fill the panel (when shown) from :attr:`marks`."""
        self.view.set_spans(self.marks.span_index() if self.marks is not None else [])
        if self.panel.display:
            self.panel.set_rows(panel_rows(self.marks))

    def stored(self, *, actors_changed: bool = False, was_annotated: bool = True) -> None:
        """After a write: rescan for actors when they changed, and let the lists recount
        when the article became (or stopped being) annotated."""
        if actors_changed:
            self.news.actor_cache.invalidate()
        marks = self.marks
        if actors_changed or marks is None:  # a rescan, or a load begun before this
            self.load_marks(keep=True)
        if (marks.annotated if marks is not None else True) != was_annotated:
            self.post_message(StoreChanged(""))
        self.refresh_bindings()

    # --- the panel ------------------------------------------------------------------------
    def action_toggle_panel(self) -> None:
        """a: show the annotations panel (and focus it), or hide it; the change is said,
        since in the wide layout the feeds and articles make room for it."""
        panel = self.panel
        panel.display = not panel.display
        self.show_title()
        self.post_message(self.PanelToggled(panel.display))
        if panel.display:
            self.show_marks()
            panel.focus()
            narrow = self.app.size.width < NARROW_WIDTH
            room = "" if narrow else "the feeds and articles make room; "
            self.say(
                f"Annotations panel: {room}a hides it, esc goes back to the text, ] [ "
                "move through the annotations."
            )
        else:
            self.view.focus()

    def hide_panel(self) -> None:
        """Put the panel away (another pane takes the focus)."""
        if self.panel.display:
            self.panel.display = False
            self.show_title()

    def show_title(self) -> None:
        """The title says when the annotations panel is open."""
        self.border_title = "Reader · annotations (a hides)" if self.panel.display else "Reader"

    def on_article_view_selection_changed(self, message: ArticleView.SelectionChanged) -> None:
        """A selection in progress: its mode and length under the text (or nothing)."""
        self.border_subtitle = message.label

    @on(LineList.CursorMoved, "#annotation-panel")
    def _panel_moved(self, event: LineList.CursorMoved) -> None:
        """Moving in the panel shows that annotation in the text."""
        event.stop()
        row = self.panel.current
        if row is not None and row.offset is not None:
            self.view.move_to(row.offset)

    @on(LineList.Chosen, "#annotation-panel")
    def _panel_chosen(self, event: LineList.Chosen) -> None:
        """Enter in the panel: edit the claim, or the note of what the row shows."""
        event.stop()
        row: PanelRow | None = self.panel.current
        if row is None or not self.annotator.edit_row(row):
            if row is not None and row.offset is not None:
                self.view.move_to(row.offset)
                self.view.focus()

    # --- moving between annotations -------------------------------------------------------
    def action_next_annotation(self) -> None:
        """]: the next annotation in the text; after the last, the first (and it says so)."""
        spans = self.view.spans
        span = spans.next_stored(self.view.cursor)
        if span is None and (span := spans.next_stored(-1)) is not None:
            self.say("That was the last annotation: back to the first.")
        self._jump(span)

    def action_previous_annotation(self) -> None:
        """[: the previous annotation in the text; before the first, the last."""
        spans, view = self.view.spans, self.view
        span = spans.previous_stored(view.cursor)
        if span is None and (span := spans.previous_stored(len(view.text) + 1)) is not None:
            self.say("That was the first annotation: on to the last.")
        self._jump(span)

    def _jump(self, span: Span | None) -> None:
        """Put the text cursor on ``span`` and the panel's cursor on its row."""
        if span is None or span.annotation_id is None:
            self.say(
                "No annotations in this article yet: select text, then c claim, "
                "t tag an actor, H highlight."
            )
            return
        self.view.move_to(span.start)
        self.panel.select_annotation(span.annotation_id, actor_id=span.actor_id)

    # --- the actions, carried out by the annotator and the exporter -----------------------
    def action_claim(self) -> None:
        """c: a claim from the selection (or the sentence under the cursor)."""
        self.annotator.claim()

    def action_highlight(self) -> None:
        """H: highlight the selection (or the sentence under the cursor)."""
        self.annotator.highlight()

    def action_tag_actor(self) -> None:
        """t: tag the selection (or the name under the cursor) as an actor."""
        self.annotator.tag_actor()

    def action_note(self) -> None:
        """N: a note on the annotation here (or the panel's note), else on the article."""
        self.annotator.note()

    def action_delete_annotation(self) -> None:
        """x: delete the annotation under the cursor (or the panel's row, or the link on
        that row); undoable."""
        row = self.panel.current if self.panel.display and self.panel.has_focus else None
        if row is None or row.link_id is None:
            self.annotator.delete()
        elif (link := self.linker.unlink(row.link_id)) is not None:
            self.annotator.undo_stack.append(("link", link))

    def action_undo_delete(self) -> None:
        """ctrl+z: bring back the last deleted annotation, note or link."""
        self.annotator.undo()

    def action_mark_claim(self) -> None:
        """M: mark the claim here to link it."""
        self.linker.mark(self.annotator.annotation_here())

    def action_link_claim(self) -> None:
        """K: link the marked claim to the claim here (a dialog asks how)."""
        self.linker.link(self.annotator.annotation_here())

    def action_full_text(self) -> None:
        """F: fetch the open article's page for its full text (a worker; esc cancels)."""
        article = self.article
        if article is None or self.view.article_id != article.id:
            return
        if not article.url.startswith(("http://", "https://")):
            self.say("This article has no web page to fetch.", "warning")
            return
        self.post_message(self.FullTextWanted(article.id))

    def action_revisions(self) -> None:
        """D: the open article's revisions and the word diff of one against its text."""
        from newsreader.tui.screens.revisions import RevisionsScreen

        article = self.article
        if article is None or self.view.article_id != article.id:
            return
        revisions = revisions_of(self.news.conn, article.id)
        if len(revisions) < 2:
            self.say("This article's text has not changed since it was stored.")
            return
        title = clean_line(article.title) or "(untitled)"
        self.app.push_screen(RevisionsScreen(self.news.db_path, article.id, title, revisions))

    def action_export_article(self) -> None:
        """e: export this article's notes page (the folder asked)."""
        self.exporter.export_article()

    def action_export_all(self) -> None:
        """Palette: export every annotated article and actor into a folder (asked)."""
        self.exporter.export_all()

    def action_export_dossier(self) -> None:
        """Palette: export one actor's dossier into the notes folder."""
        self.exporter.export_dossier()

    def action_actors(self) -> None:
        """@: every actor with counts; enter on a claim or mention opens it here."""
        from newsreader.tui.screens.actors import ActorsScreen

        self.app.push_screen(ActorsScreen(self.news.db_path), self._back_from_actors)

    def _back_from_actors(self, result: tuple[int, int] | None) -> None:
        self.news.actor_cache.invalidate()
        if result is None:
            self.load_marks(keep=True)
        else:
            self.post_message(self.OpenAt(*result))

    def action_open_reference(self, number: int) -> None:
        """1-9: open link reference ``number`` of the open article."""
        links = self.view.links
        if 1 <= number <= len(links):
            self.news.open_link(links[number - 1])
        else:
            self.say(f"This article has no reference [{number}].", "warning")

    def action_on_article(self, name: str) -> None:
        """m s o n p: act on the open article (the articles pane does it)."""
        if self.view.article_id is not None:
            self.post_message(self.OnArticle(name, self.view.article_id))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Dim what needs an open article (or an undo, or that reference); hide the text's
        actions while the panel has the focus."""
        if action in TEXT_ONLY and self.panel.has_focus:
            return False
        if action in NEEDS_ARTICLE or action == "on_article":
            return True if self.view.article_id is not None else None
        if action == "undo_delete":
            return True if self.annotator.undo_stack else None
        if action == "open_reference":
            number = parameters[0] if parameters else 0
            links = self.view.links
            return True if isinstance(number, int) and 0 < number <= len(links) else None
        return True
