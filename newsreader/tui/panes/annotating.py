"""What the reader pane does to the open article: claims, tags, highlights, notes, delete
and undo. Each asks what it needs in a dialog, then writes through the annotation
service in one small transaction and updates the marks in place.
"""

from __future__ import annotations

from functools import partial
from typing import Protocol

from textual.app import App
from textual.notifications import SeverityLevel

from newsreader.annotations import claimlinks, service
from newsreader.annotations.actors import NameGuess, guess_name, name_span_at
from newsreader.annotations.anchoring import Anchor, make_anchor
from newsreader.annotations.sentences import sentence_at
from newsreader.models import Annotation, Article, ClaimLink, Note
from newsreader.store.annotations import get_annotation
from newsreader.store.db import transaction
from newsreader.tui.context import NewsApp
from newsreader.tui.marks import ArticleMarks, PanelRow, quote
from newsreader.tui.screens.annotate import ClaimForm, ClaimScreen, TagForm, TagScreen
from newsreader.tui.screens.claimrecord import record_of
from newsreader.tui.screens.pickers import NoteScreen
from newsreader.tui.suggest import ActorChoice, nearby_choices
from newsreader.tui.widgets import reader_model as model
from newsreader.tui.widgets.annotation_panel import AnnotationPanel
from newsreader.tui.widgets.reader import ArticleView

ABOUT_OFFERED = 40
"""Most actors offered as what a claim is about."""


class Reader(Protocol):
    """What the annotator needs of the reader pane that owns it."""

    article: Article | None
    marks: ArticleMarks | None

    @property
    def app(self) -> App[object]:
        """The running app (to push dialogs)."""

    @property
    def news(self) -> NewsApp:
        """The store, settings and actor cache."""

    @property
    def view(self) -> ArticleView:
        """The text view."""

    @property
    def panel(self) -> AnnotationPanel:
        """The annotations panel."""

    @property
    def annotated(self) -> bool:
        """Does the open article carry annotations or notes?"""

    def say(self, message: str, severity: SeverityLevel = "information") -> None:
        """One line for the user."""

    def show_marks(self) -> None:
        """Draw the marks again."""

    def stored(self, *, actors_changed: bool = False, was_annotated: bool = True) -> None:
        """After a write."""

    def load_marks(self, *, keep: bool = False) -> None:
        """Read the open article's marks again (links and sources too)."""


def claim_fields(form: ClaimForm) -> service.ClaimFields:
    """The dialog's answer as the domain's claim fields (new names found or created)."""

    def ref(choice: ActorChoice) -> service.ActorRef:
        return service.ActorRef(choice.actor_id, choice.name, choice.aliases)

    about = (*(service.ActorRef(i) for i in form.about_ids), *map(ref, form.about_new))
    return service.ClaimFields(
        speaker=ref(form.speaker) if form.speaker else None,
        about=about,
        status=form.status,
        note=form.note,
        new_kind=form.new_kind,
    )


class Annotator:
    """The annotation actions of one reader pane."""

    def __init__(self, pane: Reader) -> None:
        self.pane = pane
        self.undo_stack: list[tuple[str, int | Note | ClaimLink]] = []
        """What ctrl+z can bring back, newest last: ("annotation", id), ("note", Note) or
        ("link", ClaimLink)."""

    # --- what the actions act on ----------------------------------------------------------
    def _selection_or_sentence(self) -> tuple[int, int] | None:
        view = self.pane.view
        span = view.selection or sentence_at(view.text, view.cursor)
        return span if span[1] > span[0] else None

    def _panel_row(self) -> PanelRow | None:
        panel = self.pane.panel
        return panel.current if panel.display and panel.has_focus else None

    def annotation_here(self) -> Annotation | None:
        """The annotation the panel's row or the text cursor is on (None: none)."""
        return self._annotation_here()

    def _annotation_here(self) -> Annotation | None:
        """The panel's annotation when it has the focus, else the one under the cursor."""
        marks = self.pane.marks
        if marks is None:
            return None
        row = self._panel_row()
        if row is not None:
            return marks.annotation(row.annotation_id) if row.annotation_id else None
        view = self.pane.view
        span = view.spans.stored_at(view.cursor)
        if span is None or span.annotation_id is None:
            return None
        return marks.annotation(span.annotation_id)

    def _note_here(self) -> Note | None:
        row, marks = self._panel_row(), self.pane.marks
        if row is None or row.note_id is None or marks is None:
            return None
        return marks.note(row.note_id)

    def _actors(self) -> list[tuple[int, str, str]]:
        news = self.pane.news
        return news.actor_cache.rows(news.conn)

    def _put(self, annotation: Annotation | None) -> None:
        """Show a written annotation in the open article's marks at once."""
        marks = self.pane.marks
        if (
            annotation is not None
            and marks is not None
            and marks.article_id == annotation.article_id
        ):
            marks.put(annotation)
            self.pane.show_marks()

    # --- claims and highlights ------------------------------------------------------------
    def claim(self) -> None:
        """A claim from the selection (or the sentence under the cursor)."""
        pane, view, span = self.pane, self.pane.view, self._selection_or_sentence()
        if view.article_id is None or span is None:
            pane.say("Nothing to mark here: select some text first.", "warning")
            return
        start, end = span
        matcher = pane.news.actor_cache.built_matcher()  # rebuilt by the marks worker
        suggested = nearby_choices(view.text, start, end, pane.marks, matcher)
        screen = ClaimScreen(
            view.text[start:end], suggested, self._actors(), self._about_offer(start, end)
        )
        seen = make_anchor(view.text, start, end)  # the text may change meanwhile
        pane.app.push_screen(screen, partial(self._save_claim, view.article_id, seen))

    def _about_offer(self, start: int, end: int) -> list[tuple[int, str]]:
        marks, text = self.pane.marks, self.pane.view.text
        if marks is None:
            return []
        near = model.paragraph_at(text, start)
        ids = marks.actors_in(*near) + marks.actors_in(0, len(text))
        return [(i, marks.actor_names.get(i, f"actor {i}")) for i in dict.fromkeys(ids)][
            :ABOUT_OFFERED
        ]

    def _save_claim(self, article_id: int, seen: Anchor, form: ClaimForm | None) -> None:
        if form is None:
            return
        pane = self.pane
        was, conn = pane.annotated, pane.news.conn
        try:
            with transaction(conn):
                saved = service.save_claim(
                    conn, article_id, seen.start, seen.end, claim_fields(form), seen=seen
                )
                claimlinks.apply_record(conn, saved.claim.id, form.record)
        except service.USER_ERRORS as exc:
            pane.say(f"The claim was not saved: {exc}", "error")
            return
        claim, created = saved.claim, saved.actors_changed
        claim = get_annotation(conn, claim.id) or claim
        pane.view.clear_selection()
        self._put(claim)
        if form.record.add:
            pane.load_marks(keep=True)  # its sources, in the panel
        pane.stored(actors_changed=created, was_annotated=was)
        if claim.orphaned:
            pane.say(
                "The article changed while the claim was written and its quote is "
                "gone: the claim is kept as orphaned (see the panel, a).",
                "warning",
            )
        else:
            pane.say(f"Claim saved ({claim.speaker_name or 'no speaker'}, {claim.status}).")

    def highlight(self) -> None:
        """Highlight the selection (or the sentence under the cursor)."""
        pane, span = self.pane, self._selection_or_sentence()
        article_id = pane.view.article_id
        if article_id is None or span is None:
            return
        was = pane.annotated
        try:
            mark = service.create_highlight(pane.news.conn, article_id, *span)
        except service.USER_ERRORS as exc:
            pane.say(f"Not highlighted: {exc}", "error")
            return
        pane.view.clear_selection()
        self._put(mark)
        pane.stored(was_annotated=was)

    def edit_row(self, row: PanelRow) -> bool:
        """Enter in the panel: edit the claim, or the note of what the row shows; False
        when the row has nothing to edit."""
        marks = self.pane.marks
        if marks is None:
            return False
        annotation = marks.annotation(row.annotation_id) if row.annotation_id else None
        if annotation is not None and annotation.kind == "claim":
            self._edit_claim(annotation)
        elif annotation is not None:
            self._edit_annotation_note(annotation)
        elif row.note_id is not None and (note := marks.note(row.note_id)) is not None:
            self.pane.app.push_screen(
                NoteScreen("Note on the article", note.body),
                partial(self._save_article_note, marks.article_id, note),
            )
        else:
            return False
        return True

    def _edit_claim(self, claim: Annotation) -> None:
        """Edit a claim's speaker, about, status and note."""
        speaker = (
            ActorChoice(claim.speaker_name or "", actor_id=claim.speaker_id)
            if claim.speaker_id is not None
            else None
        )
        initial = ClaimForm(
            speaker, tuple(i for i, _ in claim.about), claim.status or "unverified", claim.note
        )
        about = self._about_offer(claim.start, claim.end)
        about += [pair for pair in claim.about if pair not in about]
        screen = ClaimScreen(
            claim.exact, [], self._actors(), about, initial, record_of(self.pane.news.conn, claim)
        )
        self.pane.app.push_screen(screen, partial(self._update_claim, claim.id))

    def _update_claim(self, claim_id: int, form: ClaimForm | None) -> None:
        if form is None:
            return
        pane, conn = self.pane, self.pane.news.conn
        try:
            with transaction(conn):
                saved = service.edit_claim(conn, claim_id, claim_fields(form))
                claim = claimlinks.apply_record(conn, claim_id, form.record)
        except service.USER_ERRORS as exc:
            pane.say(f"The claim was not changed: {exc}", "error")
            return
        self._put(claim)
        pane.stored(actors_changed=saved.actors_changed)
        pane.load_marks(keep=True)  # its sources and links, in the panel

    # --- actors ---------------------------------------------------------------------------
    def tag_actor(self) -> None:
        """Tag the selection (or the name under the cursor) as an actor."""
        pane, view = self.pane, self.pane.view
        if view.article_id is None:
            return
        start, end = view.selection or self._name_here()
        selected = view.text[start:end].strip()
        if not selected:
            pane.say("Put the cursor on a name (or select one) to tag it.", "warning")
            return
        guess = self._guess_name(start, end, selected)
        screen = TagScreen(selected, guess.name, self._actors(), guess.aliases)
        seen = make_anchor(view.text, start, end)  # the text may change meanwhile
        pane.app.push_screen(screen, partial(self._save_tag, view.article_id, seen))

    def _name_here(self) -> tuple[int, int]:
        """A known actor's span under the cursor, else the capitalised name there."""
        view = self.pane.view
        for span in view.spans.overlapping(view.cursor, view.cursor + 1):
            if span.kind == "actor":
                return span.start, span.end
        return name_span_at(view.text, view.cursor)

    def _guess_name(self, start: int, end: int, selected: str) -> NameGuess:
        """A known actor already marked there, else the name the text uses; and the
        aliases to offer (the domain's :func:`guess_name`)."""
        marks, text = self.pane.marks, self.pane.view.text
        matcher = self.pane.news.actor_cache.built_matcher()
        taken = matcher.names() if matcher is not None else ()
        if marks is None:
            return guess_name(selected, text, known=taken)
        known = marks.actors_in(start, end)
        marked = marks.actor_names.get(known[0]) if known else None
        return guess_name(selected, text, marks.names, taken, marked)

    def _save_tag(self, article_id: int, seen: Anchor, form: TagForm | None) -> None:
        if form is None:
            return
        pane = self.pane
        was = pane.annotated
        try:
            mention = service.tag_actor(
                pane.news.conn,
                article_id,
                seen.start,
                seen.end,
                form.name,
                form.kind,
                seen=seen,
                aliases=form.aliases,
            )
        except service.USER_ERRORS as exc:
            pane.say(f"Not tagged: {exc}", "error")
            return
        pane.view.clear_selection()
        self._put(mention)
        pane.stored(actors_changed=True, was_annotated=was)
        pane.say(f"Tagged “{mention.exact}” as {mention.actor_name}.")

    # --- notes ----------------------------------------------------------------------------
    def note(self) -> None:
        """A note on the annotation here (or the panel's note), else on the article."""
        pane = self.pane
        article_id = pane.view.article_id
        if article_id is None:
            return
        annotation, note = self._annotation_here(), self._note_here()
        if annotation is not None:
            self._edit_annotation_note(annotation)
        elif note is not None:
            pane.app.push_screen(
                NoteScreen("Note on the article", note.body),
                partial(self._save_article_note, article_id, note),
            )
        else:
            title = "Note on the article " + (pane.article.title if pane.article else "")
            pane.app.push_screen(
                NoteScreen(title), partial(self._save_article_note, article_id, None)
            )

    def _edit_annotation_note(self, annotation: Annotation) -> None:
        title = f"Note on the {annotation.kind} {quote(annotation.exact)}"
        self.pane.app.push_screen(
            NoteScreen(title, annotation.note), partial(self._save_annotation_note, annotation.id)
        )

    def _save_annotation_note(self, annotation_id: int, body: str | None) -> None:
        if body is None:
            return
        try:
            updated = service.set_note(self.pane.news.conn, annotation_id, body)
        except service.USER_ERRORS as exc:
            self.pane.say(f"The note was not saved: {exc}", "error")
            return
        self._put(updated)
        self.pane.stored()

    def _save_article_note(self, article_id: int, old: Note | None, body: str | None) -> None:
        if body is None:
            return
        pane = self.pane
        was, conn = pane.annotated, pane.news.conn
        try:
            if old is not None and not body.strip():
                self._forget_note(old)
                return
            note = (
                service.edit_note(conn, old.id, body)
                if old is not None
                else service.add_note(conn, article_id, body)
            )
        except service.USER_ERRORS as exc:
            pane.say(f"The note was not saved: {exc}", "error")
            return
        if pane.marks is not None and pane.marks.article_id == article_id:
            pane.marks.put_note(note)
            pane.show_marks()
        pane.stored(was_annotated=was)
        pane.say("Note saved.")

    # --- delete and undo ------------------------------------------------------------------
    def delete(self) -> None:
        """Delete the annotation under the cursor (or the panel's row); undoable."""
        pane = self.pane
        annotation, note = self._annotation_here(), self._note_here()
        was = pane.annotated
        if annotation is None and note is not None:
            self._forget_note(note)
            return
        if annotation is None:
            pane.say("No annotation here to delete.", "warning")
            return
        service.delete(pane.news.conn, annotation.id)
        self.undo_stack.append(("annotation", annotation.id))
        if pane.marks is not None:
            pane.marks.drop(annotation.id)
        pane.show_marks()
        if annotation.kind == "claim":
            pane.load_marks(keep=True)  # its links leave the other claims' rows
        pane.stored(was_annotated=was)
        pane.say(
            f"Deleted the {annotation.kind} {quote(annotation.exact)} (ctrl+z brings it back)."
        )

    def _forget_note(self, note: Note) -> None:
        pane = self.pane
        was = pane.annotated
        service.delete_note(pane.news.conn, note.id)
        self.undo_stack.append(("note", note))
        if pane.marks is not None:
            pane.marks.drop_note(note.id)
            pane.show_marks()
        pane.stored(was_annotated=was)
        pane.say("Deleted the note (ctrl+z brings it back).")

    def undo(self) -> None:
        """Bring back the last deleted annotation or note."""
        pane = self.pane
        if not self.undo_stack:
            pane.say("Nothing to undo.")
            return
        was, conn = pane.annotated, pane.news.conn
        kind, item = self.undo_stack.pop()
        marks = pane.marks
        if kind == "note" and isinstance(item, Note):
            note = service.restore_note(conn, item)
            if marks is not None and marks.article_id == note.article_id:
                marks.put_note(note)
                pane.show_marks()
        elif kind == "link" and isinstance(item, ClaimLink):
            claimlinks.restore_link(conn, item)
            pane.load_marks(keep=True)
        elif isinstance(item, int):
            service.undo_delete(conn, item)
            self._put(get_annotation(conn, item))
            pane.load_marks(keep=True)  # and its links come back
        pane.stored(was_annotated=was)
        pane.say("Restored.")
