"""The help screen, generated from the bindings in force (so it follows the keymap)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from newsreader.safety import clean_line
from newsreader.tui import commands
from newsreader.tui.widgets.key_bar import KeyBar

_KEY_COLUMN = 18


def help_text(
    active: Mapping[str, ActiveBinding], key_display: dict[str, str], pane: str, context: str
) -> Text:
    """The keys of ``pane`` then the global ones, as plain text.

    Args:
        active: the main screen's active bindings (key -> binding), keymap applied.
        key_display: key -> how to show it.
        pane: scope of the focused pane ("feeds", "articles" or "reader").
        context: what the pane shows (a feed title: untrusted, shown as text).
    """
    keys: dict[str, list[str]] = {}
    enabled: dict[str, bool] = {}
    for key, item in sorted(active.items(), key=_default_order):
        command_id = item.binding.id
        if command_id in commands.known_ids():
            keys.setdefault(command_id, []).append(key_display.get(key, key))
            enabled[command_id] = enabled.get(command_id, False) or item.enabled
    text = Text()
    title = commands.SCOPE_TITLES.get(pane, pane)
    text.append(f"Keys for {title}", style="bold")
    if context:
        text.append(" — " + clean_line(context), style="italic")
    text.append("\n")
    for scope in (pane, "global"):
        text.append(f"\n{commands.SCOPE_TITLES[scope]}\n", style="bold underline")
        _section(text, commands.in_scope(scope), keys, enabled)
    text.append("\nctrl+p opens the command palette: every action, searchable.\n", style="dim")
    text.append(
        "j/k scroll this help · space/pageup by page · g/G top/bottom · q or ? closes\n",
        style="dim",
    )
    return text


def _default_order(pair: tuple[str, ActiveBinding]) -> int:
    """Keys in the order the registry lists them (j before down), others after."""
    key, item = pair
    if item.binding.id not in commands.known_ids():
        return 99
    defaults = commands.command(item.binding.id).keys.split(",")
    return defaults.index(key) if key in defaults else 99


def _section(
    text: Text,
    scoped: Iterable[commands.Command],
    keys: dict[str, list[str]],
    enabled: dict[str, bool],
) -> None:
    merged: dict[str, list[str]] = {}
    dim: dict[str, bool] = {}
    for command in scoped:
        if command.id in keys:
            merged.setdefault(command.description, []).extend(keys[command.id])
            dim[command.description] = not enabled.get(command.id, True)
    for description, shown in merged.items():
        label = " ".join(dict.fromkeys(shown))
        text.append(f"  {label:<{_KEY_COLUMN}}", style="bold" if not dim[description] else "dim")
        text.append(description + "\n", style="dim" if dim[description] else "")


class HelpScreen(ModalScreen[None]):
    """Shows :func:`help_text` in a scrollable box."""

    BINDINGS = [*commands.bindings("dialog"), *commands.bindings("help")]

    def __init__(self, content: Text) -> None:
        super().__init__()
        self.content = content

    def compose(self) -> ComposeResult:
        """The text in a scroll box."""
        with VerticalScroll(classes="dialog", id="help-box"):
            yield Static(self.content, id="help-text")
        yield KeyBar()

    def on_mount(self) -> None:
        """The box takes the focus, so the arrows scroll it as j/k do."""
        self.query_one("#help-box").focus()

    def action_scroll_help(self, unit: str, count: int) -> None:
        """Scroll the help by ``count`` lines, pages, or to an end ("end")."""
        box = self.query_one("#help-box", VerticalScroll)
        if unit == "end":
            box.scroll_to(y=0 if count < 0 else box.max_scroll_y, animate=False, immediate=True)
            return
        step = max(1, box.scrollable_content_region.height - 1) if unit == "page" else 1
        box.scroll_to(y=box.scroll_y + step * count, animate=False, immediate=True)

    def action_close(self) -> None:
        """Back to the reader."""
        self.dismiss(None)


def help_for(screen: Screen[Any], pane: str, context: str) -> HelpScreen:
    """The help of ``screen`` with ``pane`` focused: its active keys, shown as the key bar
    shows them (``context``: what the pane shows, untrusted)."""
    active = screen.active_bindings
    display = {key: screen.app.get_key_display(item.binding) for key, item in active.items()}
    return HelpScreen(help_text(active, display, pane, context))
