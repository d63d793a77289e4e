"""Small modal dialogs: add a feed, confirm a removal, name something (a saved search),
a feed's settings (its full-text mode and refresh interval)."""

from __future__ import annotations

from dataclasses import dataclass

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


FEED_HINT = "enter saves · tab to the interval · esc cancels"
FULL_TEXT_CHOICES = (
    ("", "default: follow config.toml ({default})"),
    ("auto", "auto: fetch the page when the feed gives only a teaser"),
    ("always", "always: fetch every article's page"),
    ("never", "never: keep the feed's text"),
)


@dataclass(frozen=True, slots=True)
class FeedChoice:
    """What the feed settings dialog saves: the full-text mode ("" = follow the config)
    and the refresh interval in minutes (None = follow the config)."""

    full_text: str
    interval: int | None


class FeedSettingsScreen(ModalScreen[FeedChoice | None]):
    """A feed's settings: its full-text mode and how often it is refreshed. Returns the
    choice, or None when cancelled."""

    BINDINGS = commands.bindings("dialog")

    def __init__(
        self, feed_title: str, mode: str, default: str, interval: int | None, every: float
    ) -> None:
        super().__init__()
        self.feed_title, self.mode, self.default = feed_title, mode, default
        self.interval, self.every = interval, every

    def compose(self) -> ComposeResult:
        """The feed's name, the full-text choices (the current one highlighted), its
        interval, a hint."""
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
            yield Static(
                Text(f"Refresh every … minutes (empty: the default, {self.every:g}):"),
                id="feed-interval-label",
            )
            yield Input(
                str(self.interval or ""),
                placeholder=f"{self.every:g}",
                id="feed-interval",
                compact=True,
                restrict=r"\d{0,5}",
            )
            yield Static(Text(FEED_HINT), classes="dialog-hint", id="feed-settings-hint")
        yield KeyBar()

    def on_mount(self) -> None:
        """Start on the feed's current mode."""
        modes = [mode for mode, _ in FULL_TEXT_CHOICES]
        self.query_one(OptionList).highlighted = modes.index(self.mode) if self.mode in modes else 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Save, with the mode chosen."""
        event.stop()
        self._save(FULL_TEXT_CHOICES[event.option_index][0])

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Save, with the mode highlighted."""
        event.stop()
        index = self.query_one(OptionList).highlighted or 0
        self._save(FULL_TEXT_CHOICES[index][0])

    def _save(self, mode: str) -> None:
        typed = self.query_one("#feed-interval", Input).value.strip()
        if typed and not 1 <= int(typed) <= 10080:
            hint = self.query_one("#feed-settings-hint", Static)
            hint.update(Text("minutes from 1 to 10080 (a week), or empty", style="bold red"))
            return
        self.dismiss(FeedChoice(mode, int(typed) if typed else None))

    def action_close(self) -> None:
        """Cancel."""
        self.dismiss(None)
