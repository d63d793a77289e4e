"""The main screen's annotations panel, jumping between annotations, delete and undo."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from newsreader.annotations import service
from newsreader.models import Note
from newsreader.store.annotations import get_annotation
from newsreader.tui.marks import PanelRow, quote
from newsreader.tui.screens.pickers import NoteScreen
from newsreader.tui.widgets.reader import ArticleView
from newsreader.tui.widgets.reader_model import Span

if TYPE_CHECKING:
    from newsreader.tui.screens.main import MainScreen

    _Base = MainScreen
else:
    _Base = object


class PanelMixin(_Base):
    """The side panel and the moves, deletes and undos around annotations."""

    # --- the panel ----------------------------------------------------------------------------
    def action_toggle_panel(self) -> None:
        """a: show the annotations panel (and focus it), or hide it; the change is said,
        since in the wide layout the feeds and articles make room for it."""
        panel = self.panel
        panel.display = not panel.display
        self.set_class(panel.display, "-panel")
        self.show_reader_title()
        if panel.display:
            self.show_marks()
            panel.focus()
            room = "" if self.narrow else "the feeds and articles make room; "
            self.app.notify_text(f"Annotations panel: {room}a hides it, esc goes back to "
                                 "the text, ] [ move through the annotations.")
        else:
            self.focus_pane("reader")

    def show_reader_title(self) -> None:
        """The reader pane's title says when the annotations panel is open."""
        self.query_one("#reader-pane").border_title = (
            "Reader · annotations (a hides)" if self.panel.display else "Reader")

    def on_article_view_selection_changed(self, message: ArticleView.SelectionChanged) -> None:
        """A selection in progress: its mode and length under the reader (or nothing)."""
        self.query_one("#reader-pane").border_subtitle = message.label

    def panel_moved(self, row: PanelRow | None) -> None:
        """The panel's cursor moved: show that annotation in the text."""
        if row is not None and row.offset is not None:
            self.reader.move_to(row.offset)

    def panel_chosen(self, row: PanelRow | None) -> None:
        """Enter in the panel: edit the claim, or the note of what the row shows."""
        marks = self.marks
        if row is None or marks is None:
            return
        annotation = marks.annotation(row.annotation_id) if row.annotation_id else None
        if annotation is not None and annotation.kind == "claim":
            self.edit_claim(annotation)
        elif annotation is not None:
            title = f"Note on the {annotation.kind} {quote(annotation.exact)}"
            self.app.push_screen(NoteScreen(title, annotation.note),
                                 partial(self._save_annotation_note, annotation.id))
        elif row.note_id is not None and (note := marks.note(row.note_id)) is not None:
            self.app.push_screen(NoteScreen("Note on the article", note.body),
                                 partial(self._save_article_note, marks.article_id, note))
        elif row.offset is not None:
            self.reader.move_to(row.offset)
            self.focus_pane("reader")

    # --- moving between annotations -----------------------------------------------------------
    def action_next_annotation(self) -> None:
        """]: the next annotation in the text; after the last, the first (and it says so)."""
        spans = self.reader.spans
        span = spans.next_stored(self.reader.cursor)
        if span is None and (span := spans.next_stored(-1)) is not None:
            self.app.notify_text("That was the last annotation: back to the first.")
        self._jump(span)

    def action_previous_annotation(self) -> None:
        """[: the previous annotation in the text; before the first, the last."""
        spans = self.reader.spans
        span = spans.previous_stored(self.reader.cursor)
        if span is None and (span := spans.previous_stored(len(self.reader.text) + 1)) \
                is not None:
            self.app.notify_text("That was the first annotation: on to the last.")
        self._jump(span)

    def _jump(self, span: Span | None) -> None:
        """Put the text cursor on ``span`` and the panel's cursor on its row."""
        if span is None or span.annotation_id is None:
            self.app.notify_text("No annotations in this article yet: select text, then "
                                 "c claim, t tag an actor, H highlight.")
            return
        self.reader.move_to(span.start)
        self.panel.select_annotation(span.annotation_id, actor_id=span.actor_id)

    # --- delete and undo ----------------------------------------------------------------------
    @property
    def undo_stack(self) -> list[tuple[str, int | Note]]:
        """What ctrl+z can bring back, newest last: ("annotation", id) or ("note", Note)."""
        stack = self.__dict__.get("_undo_stack")
        if stack is None:
            stack = self.__dict__["_undo_stack"] = []
        return stack

    def action_delete_annotation(self) -> None:
        """x: delete the annotation under the cursor (or the panel's row); undoable."""
        annotation, note = self._annotation_here(), self._note_here()
        was = self._annotated
        if annotation is not None:
            service.delete(self.app.conn, annotation.id)
            self.undo_stack.append(("annotation", annotation.id))
            if self.marks is not None:
                self.marks.drop(annotation.id)
            what = f"the {annotation.kind} {quote(annotation.exact)}"
        elif note is not None:
            self._forget_note(note)
            return
        else:
            self.app.notify_text("No annotation here to delete.", "warning")
            return
        self.show_marks()
        self._stored(was_annotated=was)
        self.app.notify_text(f"Deleted {what} (ctrl+z brings it back).")

    def _forget_note(self, note: Note) -> None:
        was = self._annotated
        service.delete_note(self.app.conn, note.id)
        self.undo_stack.append(("note", note))
        if self.marks is not None:
            self.marks.drop_note(note.id)
            self.show_marks()
        self._stored(was_annotated=was)
        self.app.notify_text("Deleted the note (ctrl+z brings it back).")

    def action_undo_delete(self) -> None:
        """ctrl+z: bring back the last deleted annotation or note."""
        if not self.undo_stack:
            self.app.notify_text("Nothing to undo.")
            return
        was = self._annotated
        kind, item = self.undo_stack.pop()
        marks = self.marks
        if kind == "note" and isinstance(item, Note):
            note = service.restore_note(self.app.conn, item)
            if marks is not None and marks.article_id == note.article_id:
                marks.put_note(note)
                self.show_marks()
            self._stored(was_annotated=was)
        elif isinstance(item, int):
            service.undo_delete(self.app.conn, item)
            self._stored(get_annotation(self.app.conn, item), was_annotated=was)
        self.app.notify_text("Restored.")
