"""A virtual one-line-per-row list with a cursor, drawn with the Line API.

Only the rows on screen are ever rendered, so the row count does not matter: the article
list holds 100,000 rows as cheaply as ten. Subclasses say how many rows there are and how
to draw one; rows are drawn from plain segments, so no markup is ever parsed.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip


class LineList(ScrollView, can_focus=True):
    """Base of the feeds pane and the article list."""

    COMPONENT_CLASSES = {
        "line-list--cursor",
        "line-list--cursor-blurred",
        "line-list--dim",
        "line-list--strong",
        "line-list--mark",
        "line-list--error",
    }

    @dataclass
    class CursorMoved(Message):
        """The cursor is on another row."""

        list: LineList
        index: int

        @property
        def control(self) -> LineList:
            """The list (for ``@on`` selectors)."""
            return self.list

    @dataclass
    class Chosen(Message):
        """Enter (or a double click) on the cursor row."""

        list: LineList
        index: int

        @property
        def control(self) -> LineList:
            """The list (for ``@on`` selectors)."""
            return self.list

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.cursor = 0
        self._styles: dict[str, Style] = {}

    # --- what subclasses provide -------------------------------------------------------
    @property
    def row_count(self) -> int:
        """How many rows there are."""
        return 0

    def render_row(self, index: int, width: int, cursor: bool) -> list[Segment]:
        """Segments of row ``index`` (cropped and padded by the caller)."""
        raise NotImplementedError

    def render_empty(self, y: int, width: int) -> list[Segment]:
        """Segments of line ``y`` when there are no rows."""
        return []

    # --- drawing --------------------------------------------------------------------------
    def style_of(self, name: str) -> Style:
        """The rich style of component class ``line-list--<name>`` (memoised)."""
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(f"line-list--{name}")
        return style

    def notify_style_update(self) -> None:
        """Forget memoised styles when CSS or the theme changes."""
        self._styles.clear()
        super().notify_style_update()

    def render_line(self, y: int) -> Strip:
        """Draw screen line ``y``."""
        width = self.scrollable_content_region.width
        index = y + self.scroll_offset.y
        base = self.rich_style
        if self.row_count == 0:
            segments = self.render_empty(y, width)
        elif index >= self.row_count:
            segments = []
        else:
            segments = self.render_row(index, width, index == self.cursor)
        strip = Strip(segments).adjust_cell_length(width)
        return strip.apply_style(base)

    def rows_changed(self) -> None:
        """Call after the rows changed: resize the virtual area and redraw."""
        self.virtual_size = Size(0, self.row_count)
        self.cursor = min(self.cursor, max(0, self.row_count - 1))
        self.refresh()

    def refresh_row(self, index: int) -> None:
        """Redraw one row (virtual line number)."""
        self.refresh_line(index)

    # --- cursor ---------------------------------------------------------------------------
    def move_cursor(self, index: int, *, announce: bool = True) -> None:
        """Put the cursor on row ``index`` (clamped) and keep it on screen."""
        index = max(0, min(index, self.row_count - 1))
        if self.row_count == 0:
            index = 0
        old, self.cursor = self.cursor, index
        self.refresh_row(old)
        self.refresh_row(index)
        self.scroll_to_cursor()
        if announce and old != index:
            self.post_message(self.CursorMoved(self, index))

    def scroll_to_cursor(self) -> None:
        """Scroll just enough to show the cursor row."""
        height = max(1, self.scrollable_content_region.height)
        top = self.scroll_offset.y
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True, force=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True, force=True)

    def on_resize(self) -> None:
        """Keep the cursor visible when the list shrinks."""
        self.scroll_to_cursor()

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def action_cursor_down(self) -> None:
        """Next row."""
        self.move_cursor(self.cursor + 1)

    def action_cursor_up(self) -> None:
        """Previous row."""
        self.move_cursor(self.cursor - 1)

    def action_cursor_first(self) -> None:
        """First row."""
        self.move_cursor(0)

    def action_cursor_last(self) -> None:
        """Last row."""
        self.move_cursor(self.row_count - 1)

    def action_page_down(self) -> None:
        """One screen down."""
        self.move_cursor(self.cursor + self._page())

    def action_page_up(self) -> None:
        """One screen up."""
        self.move_cursor(self.cursor - self._page())

    def action_select(self) -> None:
        """Choose the cursor row."""
        if self.row_count:
            self.post_message(self.Chosen(self, self.cursor))

    def on_click(self, event: Click) -> None:
        """A click moves the cursor there; a double click chooses the row."""
        index = event.y + self.scroll_offset.y
        if 0 <= index < self.row_count:
            self.move_cursor(index)
            if event.chain >= 2:
                self.action_select()

    def on_focus(self) -> None:
        """The cursor row looks different when focused."""
        self.refresh_row(self.cursor)

    def on_blur(self) -> None:
        """See :meth:`on_focus`."""
        self.refresh_row(self.cursor)

    def cursor_style(self) -> Style:
        """The style of the cursor row for the current focus."""
        return self.style_of("cursor" if self.has_focus else "cursor-blurred")
