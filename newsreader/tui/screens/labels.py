"""The labels dialog (``#``): an article's labels as one editable list, the label being
typed completed from the labels in use."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Static

from newsreader.store.labels import LabelError, clean_label
from newsreader.tui import commands
from newsreader.tui.widgets.key_bar import KeyBar
from newsreader.tui.widgets.wrap import fit

HINT = "commas between labels · → completes · enter saves · esc cancels"


def parse_labels(typed: str) -> list[str]:
    """The labels in what was typed ("brief, to check"), each once (without case).

    Raises:
        LabelError: one of them is not a usable name.
    """
    names: dict[str, str] = {}
    for part in typed.split(","):
        if part.strip():
            name = clean_label(part)
            names.setdefault(name.casefold(), name)
    return list(names.values())


class LabelSuggester(Suggester):
    """Completes the label being typed (after the last comma) from ``known`` labels,
    skipping those already in the list; matching ignores case."""

    def __init__(self, known: list[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.known = known

    async def get_suggestion(self, value: str) -> str | None:
        """``value`` with its last label completed, or None."""
        head, _, last = value.rpartition(",")
        typed = last.lstrip()
        if not typed:
            return None
        listed = {part.strip().casefold() for part in head.split(",")}
        for name in self.known:
            folded = name.casefold()
            if folded.startswith(typed.casefold()) and folded != typed.casefold():
                if folded not in listed:
                    return value + name[len(typed) :]
        return None


class LabelScreen(ModalScreen[list[str] | None]):
    """Edit an article's labels; returns the new list, or None when cancelled."""

    BINDINGS = commands.bindings("dialog")

    def __init__(self, title: str, labels: list[str], known: list[str]) -> None:
        super().__init__()
        self.title_text, self.labels, self.known = title, labels, known

    def compose(self) -> ComposeResult:
        """The article's title, its labels to edit, the labels in use, the hint."""
        value = ", ".join(self.labels) + (", " if self.labels else "")
        with Vertical(classes="dialog"):
            yield Static(
                Text(f"Labels of “{fit(self.title_text, 50)}”", style="bold"),
                classes="dialog-title",
            )
            yield Input(
                value,
                placeholder="brief, to check",
                id="labels-input",
                compact=True,
                select_on_focus=False,
                suggester=LabelSuggester(self.known),
            )
            known = " · ".join(self.known) if self.known else "(none yet)"
            yield Static(Text("in use: " + known, style="dim"), id="labels-known")
            yield Static(Text(HINT), classes="dialog-hint", id="labels-hint")
        yield KeyBar()

    def on_mount(self) -> None:
        """Type after the labels the article has."""
        self.query_one(Input).cursor_position = len(self.query_one(Input).value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Return the labels typed; a bad name is said in the hint and the dialog stays."""
        event.stop()
        try:
            labels = parse_labels(event.value)
        except LabelError as exc:
            self.query_one("#labels-hint", Static).update(Text(str(exc), style="bold red"))
            return
        self.dismiss(labels)

    def action_close(self) -> None:
        """Cancel."""
        self.dismiss(None)
