"""The footer: the keys that work where the focus is, drawn as one line of text.

Textual's ``Footer`` rebuilds a widget per key whenever the focus or the bindings change;
on the main screen that took 50-90 ms of the event loop every time an article opened or a
dialog closed. This bar keeps the same look (key in bold, then its label) but only
re-renders one line, and only when the keys shown actually changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.binding import ActiveBinding
from textual.screen import Screen
from textual.widget import Widget

from newsreader.tui import commands


@dataclass(frozen=True, slots=True)
class KeyItem:
    """One key shown in the bar."""

    key: str
    """The key pressed when the item is clicked (Textual's key name)."""
    display: str
    """How the key is written (``^s``, ``enter``, ``?``)."""
    description: str
    enabled: bool


HELP_LABEL = commands.command("help").footer
"""The help key's label: the bar always shows that key (whichever key it is bound to)."""


def _cells(item: KeyItem | None) -> int:
    """Cells one item takes in the bar: `` key label ``."""
    if item is None:
        return 0
    return cell_len(f" {item.display} ") + (
        cell_len(f"{item.description} ") if item.description else 0
    )


class KeyBar(Widget, can_focus=False):
    """The screen's shown bindings (``Binding.show``), one item per action, in order, and
    the command palette's key at the right end."""

    ALLOW_SELECT = False
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .key-bar--separator {
            color: $foreground 20%;
        }
    }
    """
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--separator"}

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id)
        self.items: tuple[KeyItem, ...] = ()
        self.palette: KeyItem | None = None
        """The command palette's key, drawn at the right end."""
        self._cells: list[tuple[int, int, KeyItem]] = []

    def on_mount(self) -> None:
        """Follow the screen's bindings."""
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        """Stop following them."""
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[Any]) -> None:
        if screen is not self.screen:
            return
        active = screen.active_bindings
        items, palette = self._collect(active), self._palette(active)
        if (items, palette) != (self.items, self.palette):
            self.items, self.palette = items, palette
            self.refresh()

    def _collect(self, active: dict[str, ActiveBinding]) -> tuple[KeyItem, ...]:
        """One item per action with a shown binding, first binding first."""
        seen: set[str] = set()
        items = []
        for _node, binding, enabled, _tooltip in active.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            items.append(
                KeyItem(
                    binding.key, self.app.get_key_display(binding), binding.description, enabled
                )
            )
        return tuple(items)

    def _palette(self, active: dict[str, ActiveBinding]) -> KeyItem | None:
        found = active.get(self.app.COMMAND_PALETTE_BINDING)
        if not self.app.ENABLE_COMMAND_PALETTE or found is None:
            return None
        _node, binding, enabled, _tooltip = found
        return KeyItem(binding.key, self.app.get_key_display(binding), binding.description, enabled)

    def render(self) -> Text:
        """`` key label `` for each item; disabled items dimmed."""
        key_style = self.get_component_rich_style("key-bar--key")
        label_style = self.get_component_rich_style("key-bar--description")
        text = Text(no_wrap=True, overflow="crop", end="")
        cells: list[tuple[int, int, KeyItem]] = []
        for item in self.fitting(self.size.width):
            start = text.cell_len
            text.append(f" {item.display} ", key_style)
            if item.description:
                text.append(f"{item.description} ", label_style)
            if not item.enabled:
                text.stylize("dim", start)
            cells.append((start, text.cell_len, item))
        palette = self.palette
        if palette is not None:
            right = Text.assemble(
                ("▏", self.get_component_rich_style("key-bar--separator")),
                (palette.display, key_style),
                (f" {palette.description} ", label_style),
            )
            room = self.size.width - right.cell_len
            if room > text.cell_len:
                text.append(" " * (room - text.cell_len))
                cells.append((room, self.size.width, palette))
                text.append_text(right)
        self._cells = cells
        return text

    def fitting(self, width: int) -> tuple[KeyItem, ...]:
        """The items that fit in ``width`` cells with the palette's key: when they do not
        all fit, the last ones go first (the focused pane's keys come first), but never
        ``?`` Help, the way to every other key."""
        items = list(self.items)
        room = width - (_cells(self.palette) + 1 if self.palette is not None else 0)
        while items and sum(map(_cells, items)) > room:
            droppable = [i for i, item in enumerate(items) if item.description != HELP_LABEL]
            if not droppable:
                break
            del items[droppable[-1]]
        return tuple(items)

    def item_at(self, x: int) -> KeyItem | None:
        """The item drawn at column ``x``, if any."""
        return next((item for start, end, item in self._cells if start <= x < end), None)

    def key_at(self, x: int) -> str | None:
        """The key of the item drawn at column ``x``, if any."""
        item = self.item_at(x)
        return item.key if item is not None else None

    def on_click(self, event: events.Click) -> None:
        """Clicking an item presses its key; a dimmed (unavailable) one rings the bell."""
        item = self.item_at(event.x)
        if item is None:
            return
        if item.enabled:
            self.app.simulate_key(item.key)
        else:
            self.app.bell()
