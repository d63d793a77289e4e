"""Small modal dialogs: add a feed, confirm a removal, name something (a saved search),
a feed's settings (its full-text mode)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from newsreader.tui import commands
from newsreader.tui.widgets.key_bar import KeyBar


class AddFeedScreen(ModalScreen[str | None]):
    """Ask for a feed URL, a web page URL or a local file; returns it, or None."""

    BINDINGS = commands.bindings("dialog")

    def compose(self) -> ComposeResult:
        """A title, the input and a hint."""
        with Vertical(classes="dialog"):
            yield Static(Text("Add a feed", style="bold"), classes="dialog-title")
            yield Input(
                placeholder="https://example.com/feed.xml, a page URL, or a file path",
                id="add-feed-input",
                compact=True,
            )
            yield Static(Text("enter adds · esc cancels"), classes="dialog-hint")
        yield KeyBar()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Return what was typed (an empty line cancels)."""
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_close(self) -> None:
        """Cancel."""
        self.dismiss(None)


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; ``question`` is shown as plain text."""

    BINDINGS = [*commands.bindings("dialog"), *commands.bindings("confirm")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        """The question and the keys."""
        with Vertical(classes="dialog"):
            yield Static(Text(self.question), classes="dialog-title", id="confirm-question")
            yield Static(Text("y yes · n or esc no"), classes="dialog-hint")
        yield KeyBar()

    def action_answer(self, yes: bool) -> None:
        """Answer the question."""
        self.dismiss(yes)

    def action_close(self) -> None:
        """Escape means no."""
        self.dismiss(False)


class NameScreen(ModalScreen[str | None]):
    """Ask for a name, offering ``value`` (e.g. a saved search's query); returns what was
    typed ("" when emptied: the caller's default), or None when cancelled."""

    BINDINGS = commands.bindings("dialog")

    def __init__(self, title: str, value: str, hint: str = "enter saves · esc cancels") -> None:
        super().__init__()
        self.title_text, self.value, self.hint = title, value, hint

    def compose(self) -> ComposeResult:
        """A title, the input (holding the offered name, all of it selected) and a hint."""
        with Vertical(classes="dialog"):
            yield Static(Text(self.title_text, style="bold"), classes="dialog-title")
            yield Input(self.value, id="name-input", compact=True, select_on_focus=True)
            yield Static(Text(self.hint), classes="dialog-hint")
        yield KeyBar()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Return the name typed."""
        event.stop()
        self.dismiss(event.value.strip())

    def action_close(self) -> None:
        """Cancel."""
        self.dismiss(None)


FULL_TEXT_CHOICES = (
    ("", "default: follow config.toml ({default})"),
    ("auto", "auto: fetch the page when the feed gives only a teaser"),
    ("always", "always: fetch every article's page"),
    ("never", "never: keep the feed's text"),
)


class FeedSettingsScreen(ModalScreen[str | None]):
    """A feed's settings: its full-text mode. Returns the mode chosen ("" = follow the
    config), or None when cancelled."""

    BINDINGS = commands.bindings("dialog")

    def __init__(self, feed_title: str, mode: str, default: str) -> None:
        super().__init__()
        self.feed_title, self.mode, self.default = feed_title, mode, default

    def compose(self) -> ComposeResult:
        """The feed's name, the full-text choices (the current one highlighted), a hint."""
        options = [
            Option(Text(label.format(default=self.default)), id=mode or "default")
            for mode, label in FULL_TEXT_CHOICES
        ]
        with Vertical(classes="dialog"):
            yield Static(
                Text(f"Settings of {self.feed_title}", style="bold"), classes="dialog-title"
            )
            yield Static(Text("Full text of new articles (fetch their pages):"))
            yield OptionList(*options, id="full-text-modes", compact=True)
            yield Static(Text("enter saves · esc cancels"), classes="dialog-hint")
        yield KeyBar()

    def on_mount(self) -> None:
        """Start on the feed's current mode."""
        modes = [mode for mode, _ in FULL_TEXT_CHOICES]
        self.query_one(OptionList).highlighted = modes.index(self.mode) if self.mode in modes else 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Return the mode chosen."""
        event.stop()
        self.dismiss(FULL_TEXT_CHOICES[event.option_index][0])

    def action_close(self) -> None:
        """Cancel."""
        self.dismiss(None)
