"""The pipe picker (``|``): which configured command gets the open article."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from newsreader.pipes import Command
from newsreader.tui import commands
from newsreader.tui.widgets.key_bar import KeyBar
from newsreader.tui.widgets.wrap import fit

STDIN_WORDS = {"url": "its URL on stdin", "text": "its text on stdin", "none": ""}


def describe(command: Command) -> str:
    """One picker row: "wallabag  wallabag add {url}" (what it runs, what it reads)."""
    reads = STDIN_WORDS.get(command.input, "")
    return f"{command.name}  {fit(command.run, 50)}" + (f"  ({reads})" if reads else "")


class PipeScreen(ModalScreen[str | None]):
    """Pick a command for the article titled ``article_title``; returns its name, or None."""

    BINDINGS = commands.bindings("dialog")

    def __init__(self, article_title: str, choices: list[Command]) -> None:
        super().__init__()
        self.article_title, self.choices = article_title, choices

    def compose(self) -> ComposeResult:
        """The article's title, the commands, a hint."""
        options = [Option(Text(describe(c)), id=c.name) for c in self.choices]
        with Vertical(classes="dialog"):
            yield Static(
                Text(f"Pipe “{fit(self.article_title, 50)}” to", style="bold"),
                classes="dialog-title",
            )
            yield OptionList(*options, id="pipe-commands", compact=True)
            yield Static(Text("enter runs · esc cancels"), classes="dialog-hint")
        yield KeyBar()

    def on_mount(self) -> None:
        """Start on the first command."""
        self.query_one(OptionList).highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Return the command chosen."""
        event.stop()
        self.dismiss(self.choices[event.option_index].name)

    def action_close(self) -> None:
        """Cancel."""
        self.dismiss(None)
