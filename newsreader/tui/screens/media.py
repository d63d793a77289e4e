"""The media picker (``P`` on an article with several enclosures): which one to play."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from newsreader.models import Enclosure
from newsreader.player import describe
from newsreader.tui import commands
from newsreader.tui.widgets.key_bar import KeyBar
from newsreader.tui.widgets.wrap import fit


class MediaScreen(ModalScreen[int | None]):
    """Pick one of an article's enclosures; returns its index, or None (cancelled)."""

    BINDINGS = commands.bindings("dialog")

    def __init__(self, article_title: str, choices: tuple[Enclosure, ...]) -> None:
        super().__init__()
        self.article_title, self.choices = article_title, choices

    def compose(self) -> ComposeResult:
        """The article's title, its media (as text, never markup), a hint."""
        options = [Option(Text(fit(describe(e), 100))) for e in self.choices]
        with Vertical(classes="dialog"):
            yield Static(
                Text(f"Play from “{fit(self.article_title, 50)}”", style="bold"),
                classes="dialog-title",
            )
            yield OptionList(*options, id="media-choices", compact=True)
            yield Static(Text("enter plays · esc cancels"), classes="dialog-hint")
        yield KeyBar()

    def on_mount(self) -> None:
        """Start on the first one."""
        self.query_one(OptionList).highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Return the one chosen."""
        event.stop()
        self.dismiss(event.option_index)

    def action_close(self) -> None:
        """Cancel."""
        self.dismiss(None)
