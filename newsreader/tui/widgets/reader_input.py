"""The reader's keys and mouse: cursor motions, visual selection, drag selection.

The base class of :class:`~newsreader.tui.widgets.reader.ArticleView`, kept apart so the
widget file stays about drawing; every motion ends in ``move_to`` (or ``select``), which
redraws only the lines that changed and keeps the cursor on screen. The state and the few
primitives it works with are declared here and provided by the view (this module does not
import it, so the two do not import each other).
"""

from __future__ import annotations

from rich.cells import get_character_cell_size
from textual.actions import SkipAction
from textual.events import MouseDown, MouseMove, MouseUp
from textual.scroll_view import ScrollView

from newsreader.annotations.sentences import sentence_at
from newsreader.tui.widgets import reader_model as model


class ReaderInput(ScrollView):
    """Motions (char, word, word end, sentence, paragraph, line, page, document),
    selection (v, shift+arrows, S, V, escape) and mouse selection."""

    # --- what the view provides -----------------------------------------------------------------
    text: str
    """The article's canonical text."""
    cursor: int
    """The text cursor: an offset into :attr:`text`."""
    selection_anchor: int | None
    """Where the selection started (it runs from here to the cursor, cursor excluded)."""
    visual: bool
    """Visual mode: plain motions extend the selection."""
    _goal: int | None
    """The column vertical motions aim for."""
    _lines: list[tuple[int, int]]
    """``(start, end)`` offsets of the wrapped lines."""
    _dragging: bool

    def line_of(self, offset: int) -> int:
        """The visual line holding ``offset`` (the view's)."""
        raise NotImplementedError

    @property
    def top_offset(self) -> int:
        """Offset of the first character on the top visible line (the view's)."""
        raise NotImplementedError

    def move_to(self, offset: int, *, extend: bool = False, keep_goal: bool = False) -> None:
        """Put the cursor at ``offset``, growing the selection if asked (the view's)."""
        raise NotImplementedError

    def select(self, start: int, end: int) -> None:
        """Select ``text[start:end]`` (the view's)."""
        raise NotImplementedError

    def clear_selection(self) -> bool:
        """Drop the selection; False when there was nothing to drop (the view's)."""
        raise NotImplementedError

    def _refresh_changes(self, old_cursor: int, old_anchor: int | None) -> None:
        """Redraw what a cursor or selection change touched (the view's)."""
        raise NotImplementedError

    def _scroll_y(self, y: int) -> None:
        """Scroll to visual line ``y`` at once (the view's)."""
        raise NotImplementedError

    # --- keys: motions ------------------------------------------------------------------------
    def _target(self, unit: str, count: int) -> int:
        """Where a motion by ``count`` ``unit``s takes the cursor."""
        pos = self.cursor
        for _ in range(abs(count)):
            pos = model.step(self.text, pos, unit, count > 0)
        return pos

    def _line_target(self, delta: int) -> int:
        """The offset ``delta`` visual lines away, at the remembered column."""
        line = self.line_of(self.cursor)
        if self._goal is None:
            self._goal = self.cursor - self._lines[line][0]
        target = max(0, min(line + delta, len(self._lines) - 1))
        start, end = self._lines[target]
        wrapped = target + 1 < len(self._lines) and self._lines[target + 1][0] == end
        last = end - 1 if wrapped and end > start else end
        return min(start + self._goal, last)

    def _bring_cursor_on_screen(self) -> None:
        """After scrolling with the mouse, the next motion starts from the top line."""
        if not self._lines:
            return
        top, height = self.scroll_offset.y, max(1, self.scrollable_content_region.height)
        if not top <= self.line_of(self.cursor) < top + height and self.selection_anchor is None:
            self.cursor = self.top_offset

    def action_move(self, unit: str, count: int) -> None:
        """Move the cursor by ``count`` units (char, word, word_end, sentence, paragraph,
        line, page, document); in visual mode the selection follows."""
        self._motion(unit, count, extend=False)

    def action_extend(self, unit: str, count: int) -> None:
        """Move the cursor and grow the selection (shift+arrows)."""
        self._motion(unit, count, extend=True)

    def _motion(self, unit: str, count: int, *, extend: bool) -> None:
        if not self.text:
            self._scroll_y(self.scroll_offset.y + (count if unit == "line" else 0))
            return
        self._bring_cursor_on_screen()
        if unit == "line":
            self.move_to(self._line_target(count), extend=extend, keep_goal=True)
        elif unit == "page":
            self._page(count, extend)
        elif unit == "document":
            self._to_end(count, extend)
        else:
            self.move_to(self._target(unit, count), extend=extend)

    def _page(self, count: int, extend: bool) -> None:
        delta = max(1, self.scrollable_content_region.height - 2) * count
        self._scroll_y(self.scroll_offset.y + delta)
        self.move_to(self._line_target(delta), extend=extend, keep_goal=True)

    def _to_end(self, count: int, extend: bool) -> None:
        if count < 0:
            self._scroll_y(0)
            self.move_to(0, extend=extend)
            return
        self._scroll_y(self.virtual_size.height)
        self.move_to(self._lines[-1][0] if self._lines else 0, extend=extend)

    def action_toggle_visual(self) -> None:
        """v: start (or end) a selection that follows the cursor."""
        if self.visual:
            self.clear_selection()
            return
        self.visual = True
        old = self.selection_anchor
        self.selection_anchor = self.cursor
        self._refresh_changes(self.cursor, old)

    def action_select_sentence(self) -> None:
        """S: select the sentence under the cursor."""
        self.select(*sentence_at(self.text, self.cursor))

    def action_select_paragraph(self) -> None:
        """V: select the paragraph under the cursor."""
        self.select(*model.paragraph_at(self.text, self.cursor))

    def action_clear_selection(self) -> None:
        """escape: drop the selection; without one, escape goes back as everywhere."""
        if not self.clear_selection():
            raise SkipAction()

    # --- mouse ----------------------------------------------------------------------------------
    def offset_at(self, x: int, y: int) -> int | None:
        """The text offset under content cell ``(x, y)``, or None below the text."""
        index = y + self.scroll_offset.y
        if not 0 <= index < len(self._lines):
            return None
        start, end = self._lines[index]
        used = 0
        for position in range(start, end):
            used += max(1, get_character_cell_size(self.text[position]))
            if used > x:
                return position
        return end

    def on_mouse_down(self, event: MouseDown) -> None:
        """Press: put the cursor there and start a drag selection."""
        where = event.get_content_offset_capture(self)
        offset = self.offset_at(where.x, where.y)
        if offset is None or event.button != 1:
            return
        self.focus()
        self.visual = False
        self.move_to(offset)
        self._dragging = True
        self.capture_mouse()

    def on_mouse_move(self, event: MouseMove) -> None:
        """Drag: the selection follows the pointer (the character under it included)."""
        if not self._dragging:
            return
        where = event.get_content_offset_capture(self)
        offset = self.offset_at(where.x, max(0, where.y))
        if offset is None:
            offset = len(self.text)
        anchor = self.selection_anchor if self.selection_anchor is not None else self.cursor
        if offset >= anchor:
            offset = min(offset + 1, len(self.text))
        self.move_to(offset, extend=True)

    def on_mouse_up(self, event: MouseUp) -> None:
        """Release: the drag ends (the selection stays)."""
        if self._dragging:
            self._dragging = False
            self.release_mouse()
