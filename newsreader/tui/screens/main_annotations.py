"""The main screen's annotating: claims, tags, highlights, notes, the panel, delete and undo.

Loading an article's annotations and scanning its text for known actors run in a worker
as the article opens; every write is one small transaction through the annotation
service on the UI thread's connection, and the reader and panel are updated in place.
"""

from __future__ import annotations

import gc
from functools import partial
from typing import TYPE_CHECKING

from textual import work
from textual.worker import get_current_worker

from newsreader.annotations import service
from newsreader.annotations.actors import NameGuess, guess_name, name_span_at, suggestions
from newsreader.annotations.anchoring import Anchor, make_anchor
from newsreader.annotations.sentences import sentence_at
from newsreader.models import Annotation, Note
from newsreader.store import annotations as annotation_store
from newsreader.store import connect, transaction
from newsreader.tui.marks import ArticleMarks, PanelRow, panel_rows, quote, text_window
from newsreader.tui.messages import MarksLoaded, NamesFound, StartupDone
from newsreader.tui.screens.annotate import ClaimForm, ClaimScreen, TagForm, TagScreen
from newsreader.tui.screens.pickers import NoteScreen
from newsreader.tui.suggest import ActorChoice, nearby_choices
from newsreader.tui.widgets import reader_model as model

if TYPE_CHECKING:
    from newsreader.tui.screens.main import MainScreen

    _Base = MainScreen
else:
    _Base = object

ABOUT_OFFERED = 40
"""Most actors offered as what a claim is about."""


class AnnotationsMixin(_Base):
    """Annotating the open article."""

    marks: ArticleMarks | None = None
    _marks_token: int = 0

    # --- loading ------------------------------------------------------------------------------
    @work(thread=True, group="marks-warm", exit_on_error=False,
          description="Indexing actors")
    def warm_actor_cache(self) -> None:
        """Build the actor matcher and list before the first article needs them."""
        conn = connect(self.app.db_path, migrate_schema=False)
        try:
            self.app.actor_cache.matcher(conn)
            self.app.actor_cache.rows(conn)
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
        reader = self.reader
        if not keep:
            self.marks = None
            self.show_marks()
            if reader.article_id is not None:
                self._mark_window(reader.article_id, reader.text, reader.cursor)
        if reader.article_id is not None:
            self._marks_worker(self._marks_token, reader.article_id, reader.text)

    def _mark_window(self, article_id: int, text: str, offset: int) -> None:
        """Mark the few screens around ``offset`` now, so the text never shows unmarked.

        On a 50,000-word article the worker needs ~100 ms for every annotation and actor;
        the window costs ~2 ms here: an indexed query and a scan of ~20,000 characters
        (with the shared matcher only once it is built: never built on this thread).
        """
        start, end = text_window(text, offset)
        annotations = annotation_store.list_annotations(self.app.conn, article_id,
                                                        within=(start, end))
        matcher = self.app.actor_cache.built_matcher()
        found = matcher.find_within(text, start, end) if matcher is not None else []
        self.reader.set_spans(ArticleMarks(article_id, annotations, [], found).spans())

    @work(thread=True, exclusive=True, group="marks", exit_on_error=False,
          description="Finding annotations and actors")
    def _marks_worker(self, token: int, article_id: int, text: str) -> None:
        worker = get_current_worker()
        conn = connect(self.app.db_path, migrate_schema=False)
        try:
            stored = service.list_for_article(conn, article_id)
            matcher = self.app.actor_cache.matcher(conn)
            found = matcher.find(text)
            every = self.app.actor_cache.names(conn)
        finally:
            conn.close()
        ids = {m.actor_id for m in found}
        marks = ArticleMarks(article_id, stored.annotations, stored.notes, found,
                             {i: every[i] for i in ids if i in every})
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
        """Style the reader's spans and fill the panel (when shown) from :attr:`marks`."""
        self.reader.set_spans(self.marks.span_index() if self.marks is not None else [])
        if self.panel.display:
            self.panel.set_rows(panel_rows(self.marks))

    def _stored(self, annotation: Annotation | None = None, *, actors_changed: bool = False,
                was_annotated: bool = True) -> None:
        """After a write: update the marks in place, rescan for actors, recount."""
        marks = self.marks
        if annotation is not None and marks is not None \
                and marks.article_id == annotation.article_id:
            marks.put(annotation)
            self.show_marks()
        if actors_changed:
            self.app.actor_cache.invalidate()
        if actors_changed or marks is None:  # a rescan, or a load that began before this
            self.load_marks(keep=True)
        now = marks.annotated if marks is not None else True
        if now != was_annotated:
            self.reload()
        self.update_bindings()

    @property
    def _annotated(self) -> bool:
        return self.marks is not None and self.marks.annotated

    # --- targets ------------------------------------------------------------------------------
    def _selection_or_sentence(self) -> tuple[int, int] | None:
        reader = self.reader
        span = reader.selection or sentence_at(reader.text, reader.cursor)
        return span if span[1] > span[0] else None

    def _panel_row(self) -> PanelRow | None:
        panel = self.panel
        return panel.current if panel.display and panel.has_focus else None

    def _annotation_here(self) -> Annotation | None:
        """The panel's annotation when it has the focus, else the one under the cursor."""
        if self.marks is None:
            return None
        row = self._panel_row()
        if row is not None:
            return self.marks.annotation(row.annotation_id) if row.annotation_id else None
        span = self.reader.spans.stored_at(self.reader.cursor)
        if span is None or span.annotation_id is None:
            return None
        return self.marks.annotation(span.annotation_id)

    def _note_here(self) -> Note | None:
        row = self._panel_row()
        if row is None or row.note_id is None or self.marks is None:
            return None
        return self.marks.note(row.note_id)

    def _actors(self) -> list[tuple[int, str, str]]:
        return self.app.actor_cache.rows(self.app.conn)

    # --- claims and highlights ----------------------------------------------------------------
    def action_claim(self) -> None:
        """c: a claim from the selection (or the sentence under the cursor)."""
        reader, span = self.reader, self._selection_or_sentence()
        if reader.article_id is None or span is None:
            self.app.notify_text("Nothing to mark here: select some text first.", "warning")
            return
        start, end = span
        matcher = self.app.actor_cache.matcher(self.app.conn)
        suggested = nearby_choices(reader.text, start, end, self.marks, matcher)
        screen = ClaimScreen(reader.text[start:end], suggested, self._actors(),
                             self._about_offer(start, end))
        seen = make_anchor(reader.text, start, end)  # the text may change meanwhile
        self.app.push_screen(screen, partial(self._save_claim, reader.article_id, seen))

    def _about_offer(self, start: int, end: int) -> list[tuple[int, str]]:
        marks = self.marks
        if marks is None:
            return []
        near = model.paragraph_at(self.reader.text, start)
        ids = marks.actors_in(*near) + marks.actors_in(0, len(self.reader.text))
        return [(i, marks.actor_names.get(i, f"actor {i}"))
                for i in dict.fromkeys(ids)][:ABOUT_OFFERED]

    def _actor_for(self, choice: ActorChoice | None, kind: str) -> tuple[int | None, bool]:
        """The id of the chosen actor, found by its name or created when new; (id, whether
        actors changed)."""
        if choice is None:
            return None, False
        if choice.actor_id is not None:
            return choice.actor_id, False
        actor, changed = service.find_or_create_actor(self.app.conn, choice.name, kind,
                                                      choice.aliases)
        return actor.id, changed

    def _claim_actors(self, form: ClaimForm) -> tuple[int | None, tuple[int, ...], bool]:
        """The speaker's and the about actors' ids, creating the new ones; whether actors
        changed. Called inside the claim's transaction."""
        speaker_id, changed = self._actor_for(form.speaker, form.new_kind)
        about = list(form.about_ids)
        for choice in form.about_new:
            actor_id, created = self._actor_for(choice, form.new_kind)
            changed = changed or created
            if actor_id is not None:
                about.append(actor_id)
        return speaker_id, tuple(dict.fromkeys(about)), changed

    def _save_claim(self, article_id: int, seen: Anchor, form: ClaimForm | None) -> None:
        if form is None:
            return
        was, conn = self._annotated, self.app.conn
        try:
            with transaction(conn):
                speaker_id, about_ids, created = self._claim_actors(form)
                claim = service.create_claim(conn, article_id, seen.start, seen.end,
                                             speaker_id=speaker_id, about_ids=about_ids,
                                             status=form.status, note=form.note, seen=seen)
        except service.USER_ERRORS as exc:
            self.app.notify_text(f"The claim was not saved: {exc}", "error")
            return
        self.reader.clear_selection()
        self._stored(claim, actors_changed=created, was_annotated=was)
        who = claim.speaker_name or "no speaker"
        if claim.orphaned:
            self.app.notify_text("The article changed while the claim was written and its "
                                 "quote is gone: the claim is kept as orphaned (see the "
                                 "panel, a).", "warning")
        else:
            self.app.notify_text(f"Claim saved ({who}, {claim.status}).")

    def action_highlight(self) -> None:
        """H: highlight the selection (or the sentence under the cursor)."""
        reader, span = self.reader, self._selection_or_sentence()
        if reader.article_id is None or span is None:
            return
        was = self._annotated
        try:
            mark = service.create_highlight(self.app.conn, reader.article_id, *span)
        except service.USER_ERRORS as exc:
            self.app.notify_text(f"Not highlighted: {exc}", "error")
            return
        reader.clear_selection()
        self._stored(mark, was_annotated=was)

    def edit_claim(self, claim: Annotation) -> None:
        """Edit a claim's speaker, about, status and note (enter in the panel)."""
        speaker = (ActorChoice(claim.speaker_name or "", actor_id=claim.speaker_id)
                   if claim.speaker_id is not None else None)
        initial = ClaimForm(speaker, tuple(i for i, _ in claim.about),
                            claim.status or "unverified", claim.note)
        about = self._about_offer(claim.start, claim.end)
        about += [pair for pair in claim.about if pair not in about]
        screen = ClaimScreen(claim.exact, [], self._actors(), about, initial)
        self.app.push_screen(screen, partial(self._update_claim, claim.id))

    def _update_claim(self, claim_id: int, form: ClaimForm | None) -> None:
        if form is None:
            return
        conn = self.app.conn
        try:
            with transaction(conn):
                speaker_id, about_ids, created = self._claim_actors(form)
                service.set_claim_actors(conn, claim_id, speaker_id=speaker_id,
                                         about_ids=about_ids)
                service.set_status(conn, claim_id, form.status)
                claim = service.set_note(conn, claim_id, form.note)
        except service.USER_ERRORS as exc:
            self.app.notify_text(f"The claim was not changed: {exc}", "error")
            return
        self._stored(claim, actors_changed=created)

    # --- actors -------------------------------------------------------------------------------
    def action_tag_actor(self) -> None:
        """t: tag the selection (or the name under the cursor) as an actor."""
        reader = self.reader
        if reader.article_id is None:
            return
        start, end = reader.selection or self._name_here()
        selected = reader.text[start:end].strip()
        if not selected:
            self.app.notify_text("Put the cursor on a name (or select one) to tag it.",
                                 "warning")
            return
        guess = self._guess_name(start, end, selected)
        screen = TagScreen(selected, guess.name, self._actors(), guess.aliases)
        seen = make_anchor(reader.text, start, end)  # the text may change meanwhile
        self.app.push_screen(screen, partial(self._save_tag, reader.article_id, seen))

    def _name_here(self) -> tuple[int, int]:
        """A known actor's span under the cursor, else the capitalised name there."""
        cursor = self.reader.cursor
        for span in self.reader.spans.overlapping(cursor, cursor + 1):
            if span.kind == "actor":
                return span.start, span.end
        return name_span_at(self.reader.text, cursor)

    def _guess_name(self, start: int, end: int, selected: str) -> NameGuess:
        """A known actor already marked there, else the name the text uses; and the
        aliases to offer (the domain's :func:`guess_name`)."""
        marks, text = self.marks, self.reader.text
        matcher = self.app.actor_cache.built_matcher()
        taken = matcher.names() if matcher is not None else ()
        if marks is None:
            return guess_name(selected, text, known=taken)
        known = marks.actors_in(start, end)
        marked = marks.actor_names.get(known[0]) if known else None
        return guess_name(selected, text, marks.names, taken, marked)

    def _save_tag(self, article_id: int, seen: Anchor, form: TagForm | None) -> None:
        if form is None:
            return
        was = self._annotated
        try:
            mention = service.tag_actor(self.app.conn, article_id, seen.start, seen.end,
                                        form.name, form.kind, seen=seen,
                                        aliases=form.aliases)
        except service.USER_ERRORS as exc:
            self.app.notify_text(f"Not tagged: {exc}", "error")
            return
        self.reader.clear_selection()
        self._stored(mention, actors_changed=True, was_annotated=was)
        self.app.notify_text(f"Tagged “{mention.exact}” as {mention.actor_name}.")

    # --- notes --------------------------------------------------------------------------------
    def action_note(self) -> None:
        """N: a note on the annotation here (or the panel's note), else on the article."""
        reader = self.reader
        if reader.article_id is None:
            return
        annotation, note = self._annotation_here(), self._note_here()
        if annotation is not None:
            title = f"Note on the {annotation.kind} {quote(annotation.exact)}"
            self.app.push_screen(NoteScreen(title, annotation.note),
                                 partial(self._save_annotation_note, annotation.id))
        elif note is not None:
            self.app.push_screen(NoteScreen("Note on the article", note.body),
                                 partial(self._save_article_note, reader.article_id, note))
        else:
            title = "Note on the article " + (self.reader_article.title
                                              if self.reader_article else "")
            self.app.push_screen(NoteScreen(title),
                                 partial(self._save_article_note, reader.article_id, None))

    def _save_annotation_note(self, annotation_id: int, body: str | None) -> None:
        if body is None:
            return
        try:
            updated = service.set_note(self.app.conn, annotation_id, body)
        except service.USER_ERRORS as exc:
            self.app.notify_text(f"The note was not saved: {exc}", "error")
            return
        self._stored(updated)

    def _save_article_note(self, article_id: int, old: Note | None, body: str | None) -> None:
        if body is None:
            return
        was = self._annotated
        try:
            if old is not None and not body.strip():
                self._forget_note(old)
                return
            note = (service.edit_note(self.app.conn, old.id, body) if old is not None
                    else service.add_note(self.app.conn, article_id, body))
        except service.USER_ERRORS as exc:
            self.app.notify_text(f"The note was not saved: {exc}", "error")
            return
        if self.marks is not None and self.marks.article_id == article_id:
            self.marks.put_note(note)
            self.show_marks()
        self._stored(was_annotated=was)
        self.app.notify_text("Note saved.")
