"""The reader's side panel: the open article's claims, highlights, actors, notes and orphans.

A virtual line list (like the article list), so an article with thousands of annotations
costs nothing to show; rows are drawn from plain segments, so stored text (quotes, names,
notes) is never parsed as markup.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style

from newsreader.safety import clean_line
from newsreader.tui import commands
from newsreader.tui.marks import PanelRow
from newsreader.tui.widgets.line_list import LineList
from newsreader.tui.widgets.wrap import fit

PANEL_STYLES = (
    "heading",
    "claim-unverified",
    "claim-supported",
    "claim-disputed",
    "claim-false",
    "highlight",
    "actor",
    "note",
    "orphan",
    "hint",
)


class AnnotationPanel(LineList):
    """One row per annotation (under section headings); enter edits, moving jumps there."""

    BINDINGS = commands.bindings("panel")
    COMPONENT_CLASSES = LineList.COMPONENT_CLASSES | {
        f"annotation-panel--{name}" for name in PANEL_STYLES
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[PanelRow] = []

    @property
    def row_count(self) -> int:
        """How many rows there are."""
        return len(self.rows)

    @property
    def current(self) -> PanelRow | None:
        """The row under the cursor."""
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def set_rows(self, rows: list[PanelRow]) -> None:
        """Show ``rows``, keeping the cursor on the same annotation when it is still there."""
        old = self.current
        self.rows = rows
        index = next((i for i, r in enumerate(rows) if old is not None and _same(r, old)), None)
        if index is None:
            index = next((i for i, r in enumerate(rows) if r.kind != "heading"), 0)
        self.cursor = index
        self.rows_changed()
        self.scroll_to_cursor()

    def move_cursor(self, index: int, *, announce: bool = True) -> None:
        """Move to row ``index``, stepping over headings in the direction of travel."""
        step = -1 if index < self.cursor else 1
        while 0 <= index < len(self.rows) and self.rows[index].kind == "heading":
            index += step
        if 0 <= index < len(self.rows):
            super().move_cursor(index, announce=announce)
        elif self.rows and step < 0:
            self.scroll_to(y=0, animate=False, immediate=True, force=True)

    def select_annotation(self, annotation_id: int, *, actor_id: int | None = None) -> None:
        """Put the cursor on the row of an annotation (without announcing it); a mention
        has no row of its own: the row of its ``actor_id`` then."""
        index = next(
            (i for i, row in enumerate(self.rows) if row.annotation_id == annotation_id), None
        )
        if index is None and actor_id is not None:
            index = next(
                (
                    i
                    for i, row in enumerate(self.rows)
                    if row.kind == "actor" and row.actor_id == actor_id
                ),
                None,
            )
        if index is not None:
            self.move_cursor(index, announce=False)

    def _panel_style(self, name: str) -> Style:
        key = "panel:" + name
        style = self._styles.get(key)
        if style is None:
            style = self._styles[key] = self.get_component_rich_style(f"annotation-panel--{name}")
        return style

    def render_row(self, index: int, width: int, cursor: bool) -> list[Segment]:
        """A heading, or a mark (a claim's status) and the row's text, cut to the width."""
        row = self.rows[index]
        base = self.cursor_style() if cursor else Style()
        if row.kind in ("heading", "hint"):
            return [Segment(fit(row.text, width), self._panel_style(row.kind) + base)]
        segments, used = [Segment(" ")], 1
        if row.mark:
            mark = fit(row.mark, max(0, width - used)) + " "
            segments.append(Segment(mark, self._panel_style(row.style) + base))
            used += len(mark)
        text = fit(clean_line(row.text), max(0, width - used))
        segments.append(
            Segment(
                text, self.style_of("strong" if cursor else "dim") if row.kind == "orphan" else base
            )
        )
        return segments


def _same(a: PanelRow, b: PanelRow) -> bool:
    """The same row (a source row, having no id of its own, by its text too)."""
    if (a.kind, a.annotation_id, a.note_id, a.actor_id, a.link_id) != (
        b.kind,
        b.annotation_id,
        b.note_id,
        b.actor_id,
        b.link_id,
    ):
        return False
    return a.kind != "source" or a.text == b.text
