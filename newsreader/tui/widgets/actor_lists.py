"""The two lists of the actors screen: actors with their counts, and one actor's claims
and mentions. Both draw plain segments (markup is never parsed) and only the rows on
screen.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.events import Click
from textual.geometry import Size
from textual.strip import Strip

from newsreader.safety import clean_line
from newsreader.store.actors import Activity, ActorSummary
from newsreader.tui import commands
from newsreader.tui.widgets.article_list import format_day
from newsreader.tui.widgets.line_list import LineList
from newsreader.tui.widgets.wrap import fit

ROLE_LABELS = {"speaker": "said", "about": "about", "mention": "mentioned"}
"""How each :attr:`Activity.role` is shown."""
COLUMNS = f"{'by':>5}{'about':>6}{'ment':>6}  actor"
"""Header of the actor list: claims by, claims about, mentions (every place the actor is
marked in the text: tagged or found by name, as the reader's panel counts them)."""
LIST_KEYS: dict[str, tuple[str, str] | None] = {
    **{
        name: None
        for name in (
            "cursor_up",
            "cursor_down",
            "cursor_first",
            "cursor_last",
            "page_up",
            "page_down",
        )
    },
    "select": ("Open", "Open: an actor's claims, a claim's article"),
}
"""Registry commands bound on both lists: ``(footer, description)`` here, or None to keep
the registry's."""


def command_bindings(spec: dict[str, tuple[str, str] | None]) -> list[BindingType]:
    """Bindings for registry commands (same ids, so ``[keymap]`` rebinds them here too).

    Args:
        spec: command id -> ``(footer, description)`` to use here, or None for the
            registry's; an empty footer hides the key from the footer.
    """
    found: list[BindingType] = []
    for command_id, own in spec.items():
        command = commands.command(command_id)
        footer, description = own or (command.footer, command.description)
        found.append(
            Binding(
                command.keys,
                command.action,
                footer or description,
                show=bool(footer),
                tooltip=description,
                id=command.id,
            )
        )
    return found


class ActorList(LineList):
    """One row per actor: counts, then name and kind."""

    BINDINGS = command_bindings(LIST_KEYS)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[ActorSummary] = []
        self.empty_hint = "Loading actors…"

    @property
    def row_count(self) -> int:
        """Actors shown (after the filter)."""
        return len(self.rows)

    @property
    def current(self) -> ActorSummary | None:
        """The actor under the cursor."""
        return self.rows[self.cursor] if self.rows else None

    def set_rows(self, rows: list[ActorSummary], *, keep: bool = True) -> None:
        """Show ``rows``, keeping the cursor on the same actor when it is still there (with
        ``keep``; else on the first row)."""
        keep_id = self.current.actor.id if self.current and keep else None
        self.rows = rows
        index = next((i for i, r in enumerate(rows) if r.actor.id == keep_id), 0)
        self.cursor = index
        self.rows_changed()
        self.scroll_to_cursor()

    def render_empty(self, y: int, width: int) -> list[Segment]:
        """Why the list is empty."""
        return [Segment(" " + self.empty_hint, self.style_of("dim"))] if y == 0 else []

    def render_row(self, index: int, width: int, cursor: bool) -> list[Segment]:
        """``by about ment  name  kind``."""
        row = self.rows[index]
        style, dim = self.style_of("strong"), self.style_of("dim")
        if cursor:
            style, dim = style + self.cursor_style(), dim + self.cursor_style()
        counts = f"{row.claims_by:>5}{row.claims_about:>6}{row.mentions:>6}  "
        kind = f" {row.actor.kind}"
        name_width = max(1, width - len(counts) - len(kind) - 1)
        name = set_cell_size(fit(clean_line(row.actor.name), name_width), name_width)
        return [Segment(counts, dim), Segment(name, style), Segment(kind + " ", dim)]


class ActivityList(LineList):
    """Two lines per item: date, role, status, outlet and title; then the quote; and a
    third for every item when a claim has links: its links (the other claims' quotes).

    On a timeline (``dates`` given) the date is the claim's event date or its article's,
    marked "said" or "article"."""

    BINDINGS = [*command_bindings(LIST_KEYS), *commands.bindings("activity")]
    LINES = 2

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.items: list[Activity] = []
        self.empty_hint = ""
        self.links: dict[int, str] = {}
        self.dates: dict[int, tuple[str, str]] = {}

    @property
    def row_count(self) -> int:
        """Items listed."""
        return len(self.items)

    @property
    def current(self) -> Activity | None:
        """The item under the cursor."""
        return self.items[self.cursor] if self.items else None

    def set_items(
        self,
        items: list[Activity],
        hint: str = "",
        links: dict[int, str] | None = None,
        dates: dict[int, tuple[str, str]] | None = None,
    ) -> None:
        """Show ``items`` from the top; ``hint`` is shown when there are none; ``links``
        (a claim's links, by id) add a line to every item; ``dates`` make a timeline."""
        self.items, self.empty_hint, self.cursor = items, hint, 0
        self.links, self.dates = links or {}, dates or {}
        self.LINES = 3 if self.links else 2
        self.rows_changed()
        self.scroll_to(y=0, animate=False, immediate=True, force=True)

    def rows_changed(self) -> None:
        """Resize the virtual area (two lines a row) and redraw."""
        super().rows_changed()
        self.virtual_size = Size(0, self.row_count * self.LINES)

    def refresh_row(self, index: int) -> None:
        """Redraw both lines of row ``index``."""
        self.refresh_lines(index * self.LINES, self.LINES)

    def scroll_to_cursor(self) -> None:
        """Scroll just enough to show both lines of the cursor row."""
        height = max(self.LINES, self.scrollable_content_region.height)
        top, first = self.scroll_offset.y, self.cursor * self.LINES
        if first < top:
            self.scroll_to(y=first, animate=False, immediate=True, force=True)
        elif first + self.LINES > top + height:
            self.scroll_to(y=first + self.LINES - height, animate=False, immediate=True, force=True)

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height // self.LINES - 1)

    def on_click(self, event: Click) -> None:
        """A click moves the cursor to that item; a double click chooses it."""
        event.prevent_default()  # LineList's handler assumes one line a row
        index = (event.y + self.scroll_offset.y) // self.LINES
        if 0 <= index < self.row_count:
            self.move_cursor(index)
            if event.chain >= 2:
                self.action_select()

    def render_line(self, y: int) -> Strip:
        """Draw screen line ``y``: the first or second line of an item."""
        width = self.scrollable_content_region.width
        index, part = divmod(y + self.scroll_offset.y, self.LINES)
        if not self.items:
            segments = [Segment(" " + self.empty_hint, self.style_of("dim"))] if y == 0 else []
        elif index >= len(self.items):
            segments = []
        else:
            render = (self._first_line, self._second_line, self._links_line)[part]
            segments = render(self.items[index], width)
            if index == self.cursor:
                cursor = self.cursor_style()
                segments = [Segment(s.text, (s.style or Style()) + cursor) for s in segments]
                strip = Strip(segments).adjust_cell_length(width, cursor)
                return strip.apply_style(self.rich_style)
        return Strip(segments).adjust_cell_length(width).apply_style(self.rich_style)

    def _head(self, item: Activity) -> str:
        """The date cell: the article's date, or on a timeline the day and what it is."""
        dated = self.dates.get(item.annotation_id or 0)
        if dated is None:
            return f"{format_day(item.published) or 'no date':<10}  "
        day, dated_by = dated
        return f"{day or 'undated':<10} {dated_by:<8}"

    def _links_line(self, item: Activity, width: int) -> list[Segment]:
        found = self.links.get(item.annotation_id or 0)
        if not found:
            return []
        return [Segment("    ↳ " + fit(clean_line(found), max(1, width - 6)), self.style_of("dim"))]

    def _first_line(self, item: Activity, width: int) -> list[Segment]:
        strong, dim, mark = (self.style_of(n) for n in ("strong", "dim", "mark"))
        status = item.status or (f"×{item.count}" if item.role == "mention" else "")
        status_style = self.style_of("error") if status in ("false", "disputed") else dim
        head = self._head(item)
        role = f"{ROLE_LABELS.get(item.role, item.role):<10}"
        status_cell = f"{status:<12}"
        rest = max(1, width - len(head) - len(role) - len(status_cell))
        outlet = fit(clean_line(item.feed_title) or "unknown outlet", max(1, min(24, rest // 2)))
        title = fit(
            clean_line(item.article_title) or "(untitled)", max(1, rest - cell_len(outlet) - 3)
        )
        return [
            Segment(head, strong),
            Segment(role, mark),
            Segment(status_cell, status_style),
            Segment(outlet, dim),
            Segment(" · ", dim),
            Segment(title, strong),
        ]

    def _second_line(self, item: Activity, width: int) -> list[Segment]:
        dim = self.style_of("dim")
        segments = [Segment("    ", dim)]
        used = 4
        if item.orphaned:
            segments.append(Segment("orphaned ", self.style_of("error")))
            used += 9
        quote = fit(clean_line(item.exact), max(1, width - used - 3))
        segments.append(Segment(f"“{quote}”", dim))
        return segments
