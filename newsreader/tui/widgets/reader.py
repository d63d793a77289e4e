"""The reader: a Line-API view over an article's canonical text, addressed by offsets.

The article is one string; wrapping produces ``(start, end)`` offsets per visual line, and
every position (the top line, the text cursor, the selection, the styled spans of claims and
actors) is a character offset into that string, never a screen row: it survives a resize
and is what the store keeps. Only the lines a change touches are redrawn, and each drawn
line is cached by what it shows (line, width, its part of the selection, the cursor if it
is on it, focus), so a cursor step costs one or two lines whatever the article's length.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from newsreader.models import Enclosure
from newsreader.player import describe
from newsreader.safety import clean_url, is_safe_link
from newsreader.tui import commands
from newsreader.tui.spans import Span, SpanIndex
from newsreader.tui.widgets.reader_input import ReaderInput
from newsreader.tui.widgets.wrap import display_text, wrap

MEASURE = 88
"""The widest a line of text gets, in cells (comfortable reading)."""
_REF = re.compile(r"\[\d{1,4}\]")
_CACHE_LINES = 2048
"""Drawn lines kept; the cache is emptied when it grows past this."""
LAYER_CLASSES = (
    "actor",
    "mention",
    "highlight",
    "claim-unverified",
    "claim-supported",
    "claim-disputed",
    "claim-false",
    "selection",
    "cursor",
    "cursor-blurred",
)
"""Component classes drawn over the text (``article-view--<name>``), in this order."""
REMEMBERED = 500
"""Articles whose reading position the reader keeps for this session."""


class ArticleView(ReaderInput, can_focus=True):
    """Scrollable article text with a text cursor, a selection and styled spans."""

    BINDINGS = commands.bindings("reader")
    ALLOW_SELECT = False

    @dataclass
    class SelectionChanged(Message):
        """A selection started, grew, shrank or ended: ``label`` says what is selected
        ("SELECT · 42 chars · …"), "" when nothing is."""

        label: str

    COMPONENT_CLASSES = {
        "article-view--text",
        "article-view--ref",
        "article-view--heading",
        "article-view--dim",
        *(f"article-view--{n}" for n in LAYER_CLASSES),
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.article_id: int | None = None
        self.text = ""
        self.links: tuple[str, ...] = ()
        self.media: tuple[Enclosure, ...] = ()
        """The article's podcasts and videos, listed under "Media" after the references."""
        self.cursor = 0
        """The text cursor: an offset into :attr:`text`."""
        self.selection_anchor: int | None = None
        """Where the selection started (it runs from here to the cursor, cursor excluded)."""
        self.visual = False
        """Visual mode: plain motions extend the selection."""
        self.spans = SpanIndex()
        self._goal: int | None = None
        self._pending_top: int | None = None
        self._dragging = False
        self._lines: list[tuple[int, int]] = []
        self._starts: list[int] = []
        self._trailer: list[tuple[str, str]] = []
        self._width = 0
        self._styles: dict[str, Style] = {}
        self._combined: dict[tuple[object, ...], Style] = {}
        self._cache: dict[tuple[object, ...], Strip] = {}
        self._positions: dict[int, tuple[int, int]] = {}
        """Article id -> (top offset, cursor) where it was left, this session."""
        self._label = ""

    # --- content ----------------------------------------------------------------------------
    def load(
        self,
        article_id: int | None,
        text: str,
        links: tuple[str, ...] = (),
        offset: int | None = None,
        cursor: int | None = None,
        media: tuple[Enclosure, ...] = (),
    ) -> None:
        """Show ``text`` (canonical text), its ``links`` and ``media``, top line at ``offset``.

        Without an ``offset`` the article opens where it was left this session (its top
        line and cursor, as when it was last shown), else at the top.
        """
        self.remember_position()
        top = 0 if offset is None else offset
        if offset is None and article_id is not None:
            top, cursor = self._positions.get(article_id, (0, cursor))
        self.article_id = article_id
        self.text = display_text(text)
        self.links = tuple(clean_url(link) for link in links)
        self.media = media
        self.cursor = max(0, min(top if cursor is None else cursor, len(self.text)))
        self.selection_anchor, self.visual, self._goal = None, False, None
        self.spans = SpanIndex()
        self._width = 0
        self._lines, self._starts = [], []  # wrapped now, or once the reader is shown
        self._cache.clear()
        self._pending_top = max(0, min(top, len(self.text)))
        self._relayout()
        self._place()
        self.refresh()
        self._selection_changed()

    def remember_position(self) -> None:
        """Keep where the open article is (top line and cursor) for its next opening."""
        if self.article_id is None or not self.text:
            return
        self._positions.pop(self.article_id, None)
        self._positions[self.article_id] = (self.top_offset, self.cursor)
        while len(self._positions) > REMEMBERED:
            del self._positions[next(iter(self._positions))]

    def _place(self) -> None:
        """Put the wanted text at the top (once wrapped and shown) and keep the cursor
        visible."""
        if (
            not self._lines
            or self._pending_top is None
            or self.scrollable_content_region.height < 1
        ):
            return
        self.scroll_to_offset(self._pending_top)
        self._pending_top = None
        self.keep_cursor_visible()

    def on_show(self) -> None:
        """Shown again (the narrow layout hides the reader's pane): draw it afresh."""
        self.refresh()

    def set_spans(self, spans: SpanIndex | list[Span]) -> None:
        """Style these spans (claims, mentions, highlights, found actors) and redraw."""
        self.spans = spans if isinstance(spans, SpanIndex) else SpanIndex(spans)
        self._cache.clear()
        self.refresh()

    def _measure(self) -> int:
        return min(self.scrollable_content_region.width, MEASURE)

    def _relayout(self) -> None:
        """Wrap to the current width; deferred while the widget has no real width yet."""
        width = self._measure()
        if width < 2 or width == self._width:
            return
        self._width = width
        self._cache.clear()
        self._lines = wrap(self.text, width) if self.text else []
        self._starts = [start for start, _ in self._lines]
        self._trailer = self._reference_lines(width) + self._media_lines(width)
        self.virtual_size = Size(0, len(self._lines) + len(self._trailer))

    def _reference_lines(self, width: int) -> list[tuple[str, str]]:
        if not self.links:
            return []
        lines = [("", "dim"), ("References", "heading")]
        for number, link in enumerate(self.links, 1):
            entry = f"[{number}] {link}" if link else f"[{number}] (no link)"
            style = "ref" if is_safe_link(link) else "dim"
            lines += [(entry[s:e], style) for s, e in wrap(entry, width)]
        return lines

    def _media_lines(self, width: int) -> list[tuple[str, str]]:
        """ "Media": one entry per enclosure, "▶ audio/mpeg · 24.1 MB  https://…"."""
        if not self.media:
            return []
        lines = [("", "dim"), ("Media", "heading")]
        for enclosure in self.media:
            entry = describe(enclosure)
            lines += [(entry[s:e], "ref") for s, e in wrap(entry, width)]
        return lines

    def on_resize(self) -> None:
        """Re-wrap for the new width, keeping the same text at the top.

        A hidden reader (the narrow layout shows one pane at a time) has no room: the top
        is kept until it is shown again, rather than scrolled to fit a one-line view.
        """
        if self._pending_top is None:
            self._pending_top = self.top_offset
        region = self.scrollable_content_region
        if region.width < 2 or region.height < 1:
            return
        self._relayout()
        self._place()

    # --- offsets ------------------------------------------------------------------------------
    def line_of(self, offset: int) -> int:
        """The visual line holding ``offset``."""
        return max(0, bisect_right(self._starts, offset) - 1)

    @property
    def visual_lines(self) -> list[tuple[int, int]]:
        """``(start, end)`` offsets of every wrapped line of text, top to bottom."""
        return self._lines

    @property
    def top_offset(self) -> int:
        """Offset of the first character on the top visible line (or of the one to be put
        there once the reader is laid out)."""
        if self._pending_top is not None:
            return self._pending_top
        y = self.scroll_offset.y
        if y < len(self._lines):
            return self._lines[y][0]
        return len(self.text) if self._lines else self.cursor

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected ``(start, end)`` offsets, or None."""
        anchor = self.selection_anchor
        if anchor is None or anchor == self.cursor:
            return None
        return (min(anchor, self.cursor), max(anchor, self.cursor))

    def visible_range(self) -> tuple[int, int]:
        """Offsets ``(start, end)`` of the text on screen."""
        if not self._lines:
            return (0, 0)
        first = min(self.scroll_offset.y, len(self._lines) - 1)
        last = min(first + self.scrollable_content_region.height, len(self._lines)) - 1
        return (self._lines[first][0], self._lines[max(first, last)][1])

    def scroll_to_offset(self, offset: int) -> None:
        """Scroll so the line holding ``offset`` is at the top."""
        if self._lines:
            self._scroll_y(self.line_of(offset))

    def _scroll_y(self, y: int) -> None:
        self.scroll_to(y=y, animate=False, immediate=True, force=True)

    def keep_cursor_visible(self) -> None:
        """Scroll just enough to show the cursor's line."""
        if not self._lines:
            return
        line, top = self.line_of(self.cursor), self.scroll_offset.y
        height = max(1, self.scrollable_content_region.height)
        if line < top:
            self._scroll_y(line)
        elif line >= top + height:
            self._scroll_y(line - height + 1)

    # --- cursor and selection -------------------------------------------------------------------
    def move_to(self, offset: int, *, extend: bool = False, keep_goal: bool = False) -> None:
        """Put the cursor at ``offset``; ``extend`` (or visual mode) grows the selection."""
        old_cursor, old_anchor = self.cursor, self.selection_anchor
        offset = max(0, min(offset, len(self.text)))
        if extend or self.visual:
            if self.selection_anchor is None:
                self.selection_anchor = old_cursor
        else:
            self.selection_anchor = None
        if not keep_goal:
            self._goal = None
        self.cursor = offset
        self._refresh_changes(old_cursor, old_anchor)
        self.keep_cursor_visible()

    def select(self, start: int, end: int) -> None:
        """Select ``text[start:end]`` (the cursor goes to its end)."""
        old_cursor, old_anchor = self.cursor, self.selection_anchor
        self.selection_anchor = max(0, min(start, len(self.text)))
        self.cursor = max(0, min(end, len(self.text)))
        self._goal = None
        self._refresh_changes(old_cursor, old_anchor)
        self.keep_cursor_visible()

    def clear_selection(self) -> bool:
        """Drop the selection and leave visual mode; False when there was nothing to drop."""
        had = self.selection_anchor is not None or self.visual
        old_anchor = self.selection_anchor
        self.selection_anchor, self.visual = None, False
        self._refresh_changes(self.cursor, old_anchor)
        return had

    @property
    def selection_label(self) -> str:
        """What is being selected, for the pane's status line: "" when nothing is."""
        if not self.visual and self.selection is None:
            return ""
        start, end = self.selection or (self.cursor, self.cursor)
        size = end - start
        mode = "VISUAL" if self.visual else "SELECT"
        return (
            f" {mode} · {size} char{'s' if size != 1 else ''} · c claim · t tag · "
            "H highlight · esc drops "
        )

    def _selection_changed(self) -> None:
        """Tell the screen when the selection label changed."""
        label = self.selection_label
        if label != self._label:
            self._label = label
            self.post_message(self.SelectionChanged(label))

    def _refresh_changes(self, old_cursor: int, old_anchor: int | None) -> None:
        """Redraw the lines between the old and new cursor, and a dropped/new selection."""
        self._selection_changed()
        points = [old_cursor, self.cursor]
        if old_anchor != self.selection_anchor:
            points += [p for p in (old_anchor, self.selection_anchor) if p is not None]
            points += [old_cursor, self.cursor]
        if not self._lines:
            return
        first, last = self.line_of(min(points)), self.line_of(max(points))
        self.refresh_lines(first, last - first + 1)

    # --- drawing ------------------------------------------------------------------------------
    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(f"article-view--{name}")
        return style

    def _layer(self, name: str) -> Style:
        """A component's own attributes only, with colours resolved against the background."""
        key = "layer:" + name
        style = self._styles.get(key)
        if style is None:
            full = self.get_component_rich_style(f"article-view--{name}")
            own = self.get_component_rich_style(f"article-view--{name}", partial=True)
            style = own + Style(
                color=full.color if own.color else None,
                bgcolor=full.bgcolor if own.bgcolor else None,
            )
            self._styles[key] = style
        return style

    def notify_style_update(self) -> None:
        """Forget memoised styles and drawn lines when CSS or the theme changes."""
        self._styles.clear()
        self._combined.clear()
        self._cache.clear()
        super().notify_style_update()

    def on_focus(self) -> None:
        """The cursor looks different with the focus."""
        self._refresh_changes(self.cursor, self.selection_anchor)

    def on_blur(self) -> None:
        """See :meth:`on_focus`."""
        self._refresh_changes(self.cursor, self.selection_anchor)

    def render_line(self, y: int) -> Strip:
        """Draw screen line ``y``: a wrapped text line, a reference line, or blank."""
        width = self.scrollable_content_region.width
        index = y + self.scroll_offset.y
        if index < len(self._lines):
            return self._text_line(index, width)
        if index - len(self._lines) < len(self._trailer):
            line, style = self._trailer[index - len(self._lines)]
            segments = [Segment(line, self._style(style))]
        else:
            segments = []
        return Strip(segments).adjust_cell_length(width).apply_style(self.rich_style)

    def _text_line(self, index: int, width: int) -> Strip:
        start, end = self._lines[index]
        selection = self.selection
        clipped = None
        if selection is not None and selection[0] < end and selection[1] > start:
            clipped = (max(selection[0], start), min(selection[1], end))
        column = self.cursor - start if self.line_of(self.cursor) == index else -1
        key = (index, width, clipped, column, self.has_focus)
        strip = self._cache.get(key)
        if strip is None:
            if len(self._cache) > _CACHE_LINES:
                self._cache.clear()
            segments = self._segments(start, end, clipped, column)
            strip = Strip(segments).adjust_cell_length(width).apply_style(self.rich_style)
            self._cache[key] = strip
        return strip

    def _segments(
        self, start: int, end: int, clipped: tuple[int, int] | None, column: int
    ) -> list[Segment]:
        """Segments of ``text[start:end]``: spans, references, selection and cursor."""
        line = self.text[start:end]
        size = len(line)
        spans = self.spans.overlapping(start, end) if len(self.spans) else []
        refs = [m.span() for m in _REF.finditer(line)]
        cuts = {0, size}
        for span in spans:
            cuts.update((max(0, span.start - start), min(size, span.end - start)))
        for ref in refs:
            cuts.update(ref)
        selected = (clipped[0] - start, clipped[1] - start) if clipped else (0, 0)
        cuts.update(selected)
        if 0 <= column < size:
            cuts.update((column, column + 1))
        points = sorted(cuts)
        segments = []
        for a, b in zip(points, points[1:], strict=False):
            names = tuple(s.style for s in spans if s.start - start <= a and s.end - start >= b)
            in_ref = any(r0 <= a and b <= r1 for r0, r1 in refs)
            style = self._style_for(in_ref, names, selected[0] <= a < selected[1], a == column)
            segments.append(Segment(line[a:b], style))
        if column == size:
            segments.append(Segment(" ", self._style_for(False, (), False, True)))
        return segments

    def _style_for(self, ref: bool, names: tuple[str, ...], selected: bool, cursor: bool) -> Style:
        key = (ref, names, selected, cursor, self.has_focus)
        style = self._combined.get(key)
        if style is None:
            style = self._style("ref" if ref else "text")
            for name in names:
                style += self._layer(name)
            if selected:
                style += self._layer("selection")
            if cursor:
                style += self._layer("cursor" if self.has_focus else "cursor-blurred")
            self._combined[key] = style
        return style
