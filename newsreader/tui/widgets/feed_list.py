"""The feeds pane: virtual feeds, saved searches, folders and feeds with unread counts."""

from __future__ import annotations

from dataclasses import replace

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment

from newsreader.safety import clean_line
from newsreader.store.views import VIRTUAL_KINDS, FeedRow, Source
from newsreader.tui import commands
from newsreader.tui.widgets.line_list import LineList
from newsreader.tui.widgets.wrap import fit

_ICONS = {"search": "⌕ ", "folder": "▾ ", "label": "# "}


class FeedList(LineList):
    """One row per :class:`FeedRow`; a failed feed carries a ``!`` mark."""

    BINDINGS = commands.bindings("feeds")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[FeedRow] = []

    @property
    def row_count(self) -> int:
        """Rows shown."""
        return len(self.rows)

    @property
    def current(self) -> FeedRow | None:
        """The row under the cursor."""
        return self.rows[self.cursor] if self.rows else None

    def index_of_key(self, key: str) -> int | None:
        """Row index of the source with this key."""
        for index, row in enumerate(self.rows):
            if row.source.key == key:
                return index
        return None

    def set_rows(self, rows: list[FeedRow], keep_key: str | None = None) -> None:
        """Replace the rows, keeping the cursor on ``keep_key`` (or the current row)."""
        key = keep_key or (self.current.source.key if self.current else None)
        shown = {
            row.saved_search_id: row.count for row in self.rows if row.saved_search_id is not None
        }
        self.rows = [
            replace(row, count=shown.get(row.saved_search_id))
            if row.saved_search_id is not None and row.count is None
            else row
            for row in rows
        ]  # uncounted saved searches keep their last count
        index = self.index_of_key(key) if key else None
        self.cursor = index if index is not None else min(self.cursor, max(0, len(rows) - 1))
        self.rows_changed()
        self.scroll_to_cursor()

    def adjust_unread(self, feed_id: int, delta: int) -> None:
        """Change the unread counts shown for a feed, its folder, All and Unread."""
        folder_index = None
        for index, row in enumerate(self.rows):
            kind = row.source.kind
            if kind == "folder":
                folder_index = index
            if kind in ("all", "unread") or (kind == "feed" and row.source.feed_id == feed_id):
                self._bump(index, delta)
                if kind == "feed" and row.depth and folder_index is not None:
                    self._bump(folder_index, delta)

    def adjust_count(self, kind: str, delta: int) -> None:
        """Change the count of a virtual feed (e.g. "starred")."""
        for index, row in enumerate(self.rows):
            if row.source.kind == kind:
                self._bump(index, delta)

    def set_search_counts(self, counts: dict[int, int]) -> None:
        """Show the saved searches' counts (their unread matches), by saved search id."""
        for index, row in enumerate(self.rows):
            if row.saved_search_id is not None and row.saved_search_id in counts:
                count = counts[row.saved_search_id]
                if row.count != count:
                    self.rows[index] = replace(row, count=count)
                    self.refresh_row(index)

    def saved_label(self, source: Source) -> str | None:
        """The name of the saved search ``source`` is, if it is one."""
        for row in self.rows:
            if row.saved_search_id is not None and row.source == source:
                return row.label
        return None

    def _bump(self, index: int, delta: int) -> None:
        row = self.rows[index]
        if row.count is not None:
            self.rows[index] = replace(row, count=max(0, row.count + delta))
            self.refresh_row(index)

    def render_row(self, index: int, width: int, cursor: bool) -> list[Segment]:
        """Indent, icon or failure mark, label, count on the right."""
        row = self.rows[index]
        strong = row.source.kind in VIRTUAL_KINDS or row.source.kind == "folder" or bool(row.count)
        style = self.style_of("strong" if strong else "dim")
        mark_style = self.style_of("error") if row.failed else style
        if cursor:
            style += self.cursor_style()
            mark_style += self.cursor_style()
        prefix = "  " * row.depth + ("! " if row.failed else _ICONS.get(row.source.kind, "  "))
        count = f" {row.count}" if row.count else ""
        label_width = max(1, width - cell_len(prefix) - len(count) - 1)
        label = set_cell_size(fit_feed_label(row.label, row.where, label_width), label_width)
        return [Segment(prefix, mark_style), Segment(label + count + " ", style)]


def fit_feed_label(label: str, where: str, width: int) -> str:
    """A feed's label in ``width`` cells; when it must be cut and it ends with where the
    feed comes from (``where``: its title is shared), the title gives way first so the
    two feeds still read apart ("Dai… nytimes")."""
    label = clean_line(label)
    if cell_len(label) <= width or not where:
        return fit(label, width)
    place = clean_line(where)
    title = fit(label[: len(label) - len(place) - 3], max(4, width - cell_len(place) - 1))
    return title + fit(" " + place, width - cell_len(title))
