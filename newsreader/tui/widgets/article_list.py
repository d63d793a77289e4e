"""The article list: ids for the whole source in memory, rows fetched from SQLite by page."""

from __future__ import annotations

import time
from array import array
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import replace

from rich.cells import set_cell_size
from rich.segment import Segment
from textual.geometry import Size

from newsreader.models import Article
from newsreader.safety import clean_line
from newsreader.store.views import Source
from newsreader.tui import commands
from newsreader.tui.widgets.feed_list import fit_feed_label
from newsreader.tui.widgets.line_list import LineList
from newsreader.tui.widgets.wrap import fit

PAGE_SIZE = 100
MAX_PAGES = 20

Fetch = Callable[[Sequence[int]], dict[int, Article]]


def format_day(timestamp: float | None) -> str:
    """A date as YYYY-MM-DD in local time ("" when unknown)."""
    if timestamp is None:
        return ""
    try:
        return time.strftime("%Y-%m-%d", time.localtime(timestamp))
    except (OverflowError, OSError, ValueError):
        return ""


def _copies(article: Article) -> str:
    """After the title of a story stored from several feeds: where else it is, and
    whether a copy carries annotations ("" for an article without copies)."""
    if not article.also_in:
        return ""
    where = "  · also in: " + ", ".join(clean_line(name) for name in article.also_in)
    return where + (" · annotated" if article.copy_annotated else "")


class ArticleList(LineList):
    """Newest first; ``●`` unread, ``★`` starred; feed and date on the right."""

    BINDINGS = commands.bindings("articles")

    def __init__(self, fetch: Fetch, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._fetch = fetch
        self.ids: array[int] = array("q")
        self.source: Source | None = None
        self.unread_only = False
        self.places: dict[int, str] = {}
        """Where feeds sharing a title come from, by feed id (see ``FeedRow.where``)."""
        self._pages: OrderedDict[int, dict[int, Article]] = OrderedDict()

    @property
    def row_count(self) -> int:
        """Articles listed."""
        return len(self.ids)

    @property
    def current_id(self) -> int | None:
        """The article under the cursor."""
        return self.ids[self.cursor] if self.ids else None

    def index_of(self, article_id: int) -> int | None:
        """Row of an article, or None when it is not listed."""
        try:
            return self.ids.index(article_id)
        except ValueError:
            return None

    def article_at(self, index: int) -> Article | None:
        """The (body-less) article of row ``index``, fetched with its page if needed."""
        if not 0 <= index < len(self.ids):
            return None
        number = index // PAGE_SIZE
        page = self._pages.get(number)
        if page is None:
            chunk = self.ids[number * PAGE_SIZE : (number + 1) * PAGE_SIZE]
            page = self._pages[number] = self._fetch(list(chunk))
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        return page.get(self.ids[index])

    def show(
        self, ids: array[int], source: Source, unread_only: bool, keep_id: int | None = None
    ) -> None:
        """Replace the rows; on the same source, keep the kept article on its screen row."""
        same = source == self.source and unread_only == self.unread_only
        screen_row = self.cursor - self.scroll_offset.y
        self.ids, self.source, self.unread_only = ids, source, unread_only
        self._pages.clear()
        index = self.index_of(keep_id) if keep_id is not None else None
        if index is None:
            index = min(self.cursor, len(ids) - 1) if same else 0
        self.virtual_size = Size(0, len(ids))
        self.cursor = max(0, index)
        top = self.cursor - screen_row if same else 0
        self.scroll_to(y=max(0, top), animate=False, immediate=True, force=True)
        self.scroll_to_cursor()
        self.refresh()

    def patch(
        self, article_id: int, *, is_read: bool | None = None, is_starred: bool | None = None
    ) -> Article | None:
        """Change a cached row's read or starred flag (None: keep it) and redraw it;
        returns the new row."""
        for page in self._pages.values():
            if article_id in page:
                row = page[article_id]
                page[article_id] = replace(
                    row,
                    is_read=row.is_read if is_read is None else is_read,
                    is_starred=row.is_starred if is_starred is None else is_starred,
                )
                index = self.index_of(article_id)
                if index is not None:
                    self.refresh_row(index)
                return page[article_id]
        return None

    def forget(self) -> None:
        """Drop cached rows (after a bulk change) and redraw."""
        self._pages.clear()
        self.refresh()

    def render_empty(self, y: int, width: int) -> list[Segment]:
        """A hint where the rows would be."""
        searching = self.source is not None and self.source.kind == "search"
        if self.unread_only:
            lines: tuple[str, ...] = (
                "No unread articles match this search."
                if searching
                else "No unread articles here.",
                "u shows the read ones too.",
            )
        elif searching:
            lines = ("No articles match this search.", "escape goes back to the list.")
        else:
            lines = ("No articles here.", "r refreshes, a (in Feeds) adds a feed.")
        return [Segment(" " + lines[y], self.style_of("dim"))] if y < len(lines) else []

    def render_row(self, index: int, width: int, cursor: bool) -> list[Segment]:
        """Marks, title, feed, date."""
        article = self.article_at(index)
        if article is None:
            return [Segment("   (gone)", self.style_of("dim"))]
        text_style = self.style_of("dim" if article.is_read else "strong")
        mark_style = self.style_of("mark")
        if cursor:
            text_style += self.cursor_style()
            mark_style += self.cursor_style()
        date = format_day(article.published or article.updated)
        show_feed = width >= 50 and not (self.source and self.source.kind == "feed")
        feed_width = min(22, width // 4) if show_feed else 0
        title_width = max(1, width - 3 - len(date) - 1 - (feed_width + 2 if feed_width else 0))
        title = fit((clean_line(article.title) or "(untitled)") + _copies(article), title_width)
        segments = [
            Segment(" " if article.is_read else "●", mark_style),
            Segment("★" if article.is_starred else " ", mark_style),
            Segment(" ", text_style),
            Segment(set_cell_size(title, title_width), text_style),
        ]
        if feed_width:
            feed = fit_feed_label(
                article.feed_title, self.places.get(article.feed_id, ""), feed_width
            )
            segments.append(Segment("  " + set_cell_size(feed, feed_width), text_style))
        segments.append(Segment(" " + date, text_style))
        return segments
