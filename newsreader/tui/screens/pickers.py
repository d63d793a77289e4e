"""Small modal editors and pickers: a Markdown note, a folder, an actor.

Each returns what was entered (or None when cancelled); the main screen does the writing.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from newsreader.safety import clean_line, clean_text
from newsreader.tui import commands
from newsreader.tui.suggest import filter_actors
from newsreader.tui.widgets.key_bar import KeyBar


class NoteScreen(ModalScreen[str | None]):
    """Write or edit a Markdown note; ctrl+s returns the text, escape cancels.

    Args:
        title: what the note is on (may quote article text: shown as text only).
        body: the note so far.
    """

    BINDINGS = [*commands.bindings("dialog"), *commands.bindings("editor")]

    def __init__(self, title: str, body: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.body = clean_text(body, multiline=True)

    def compose(self) -> ComposeResult:
        """A title, the editor and the keys."""
        with Vertical(classes="dialog", id="note-dialog"):
            yield Static(Text(clean_line(self.title_text), style="bold"), classes="dialog-title")
            yield TextArea(self.body, id="note-text", compact=True)
            yield Static(Text("Markdown · ctrl+s saves · esc cancels"), classes="dialog-hint")
        yield KeyBar()

    def on_mount(self) -> None:
        """Start typing at the end."""
        editor = self.query_one(TextArea)
        editor.focus()
        editor.move_cursor(editor.document.end)

    def action_save(self) -> None:
        """ctrl+s: return the note."""
        self.dismiss(self.query_one(TextArea).text)

    def action_close(self) -> None:
        """Cancel."""
        self.dismiss(None)


class FolderScreen(ModalScreen[str | None]):
    """Ask for a folder (prefilled); enter returns it."""

    BINDINGS = commands.bindings("dialog")

    def __init__(self, title: str, folder: str) -> None:
        super().__init__()
        self.title_text = title
        self.folder = folder

    def compose(self) -> ComposeResult:
        """A title, the folder and a hint."""
        with Vertical(classes="dialog"):
            yield Static(Text(self.title_text, style="bold"), classes="dialog-title")
            yield Input(self.folder, id="folder-input", compact=True)
            yield Static(
                Text("enter exports · esc cancels · existing pages are updated in place"),
                classes="dialog-hint",
            )
        yield KeyBar()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Return the folder (empty cancels)."""
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_close(self) -> None:
        """Cancel."""
        self.dismiss(None)


class ActorPickScreen(ModalScreen[int | None]):
    """Pick one known actor (type to filter); returns its id.

    Args:
        title: the question.
        actors: every actor as ``(id, name, searchable names)``.
    """

    BINDINGS = commands.bindings("dialog")

    def __init__(self, title: str, actors: list[tuple[int, str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.actors = actors
        self.ids: list[int] = []

    def compose(self) -> ComposeResult:
        """A title, a filter and the list."""
        with Vertical(classes="dialog", id="actor-pick"):
            yield Static(Text(self.title_text, style="bold"), classes="dialog-title")
            yield Input(placeholder="type to filter", id="actor-filter", compact=True)
            yield OptionList(id="actor-options", compact=True)
            yield Static(
                Text("enter picks · ↓ moves to the list · esc cancels"), classes="dialog-hint"
            )
        yield KeyBar()

    def on_mount(self) -> None:
        """Every actor (the first ones), filter focused."""
        self._fill("")
        self.query_one(Input).focus()

    def _fill(self, typed: str) -> None:
        found = filter_actors(self.actors, typed, limit=200)
        self.ids = [c.actor_id for c in found if c.actor_id is not None]
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(Text(clean_line(c.label))) for c in found])
        options.highlighted = 0 if found else None

    def on_input_changed(self, event: Input.Changed) -> None:
        """Typing filters."""
        event.stop()
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the filter picks the first (highlighted) actor."""
        event.stop()
        self._pick(self.query_one(OptionList).highlighted)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on an actor picks it."""
        event.stop()
        self._pick(event.option_index)

    def _pick(self, index: int | None) -> None:
        if index is None or not 0 <= index < len(self.ids):
            self.app.bell()
            return
        self.dismiss(self.ids[index])

    def action_close(self) -> None:
        """Cancel."""
        self.dismiss(None)
