"""The reader: a Line-API view over an article's canonical text, addressed by offsets.

The article is one string; wrapping produces ``(start, end)`` offsets per visual line, and
positions (the top line, the cursor kept for later text selection) are character offsets
into that string, never screen rows, so they survive a resize and can be stored.
"""

from __future__ import annotations

import re
import time
from bisect import bisect_right

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Static

from newsreader.models import Article
from newsreader.safety import clean_line, clean_url, is_safe_link
from newsreader.tui import commands
from newsreader.tui.widgets.wrap import display_text, wrap

MEASURE = 88
"""The widest a line of text gets, in cells (comfortable reading)."""
_REF = re.compile(r"\[\d{1,4}\]")


class ArticleView(ScrollView, can_focus=True):
    """Scrollable article text with its numbered link references after it."""

    BINDINGS = commands.bindings("reader")
    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"article-view--text", "article-view--ref", "article-view--heading",
                         "article-view--dim"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.article_id: int | None = None
        self.text = ""
        self.links: tuple[str, ...] = ()
        self.cursor = 0
        """An offset into :attr:`text`; follows the top line while scrolling."""
        self._lines: list[tuple[int, int]] = []
        self._starts: list[int] = []
        self._trailer: list[tuple[str, str]] = []
        self._width = 0
        self._styles: dict[str, Style] = {}

    # --- content ----------------------------------------------------------------------------
    def load(self, article_id: int | None, text: str, links: tuple[str, ...] = (),
             offset: int = 0) -> None:
        """Show ``text`` (canonical text) and its ``links``, top line at ``offset``."""
        self.article_id = article_id
        self.text = display_text(text)
        self.links = tuple(clean_url(link) for link in links)
        self.cursor = max(0, min(offset, len(self.text)))
        self._width = 0
        self._relayout()
        self.scroll_to_offset(self.cursor)
        self.refresh()

    def _measure(self) -> int:
        return min(self.scrollable_content_region.width, MEASURE)

    def _relayout(self) -> None:
        """Wrap to the current width; deferred while the widget has no real width yet."""
        width = self._measure()
        if width < 2 or width == self._width:
            return
        self._width = width
        self._lines = wrap(self.text, width) if self.text else []
        self._starts = [start for start, _ in self._lines]
        self._trailer = self._reference_lines(width)
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

    def on_resize(self) -> None:
        """Re-wrap for the new width, keeping the same text at the top."""
        top = self.top_offset
        self._relayout()
        self.scroll_to_offset(top)

    # --- offsets ------------------------------------------------------------------------------
    def line_of(self, offset: int) -> int:
        """The visual line holding ``offset``."""
        return max(0, bisect_right(self._starts, offset) - 1)

    @property
    def top_offset(self) -> int:
        """Offset of the first character on the top visible line."""
        y = self.scroll_offset.y
        if y < len(self._lines):
            return self._lines[y][0]
        return len(self.text) if self._lines else self.cursor

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
            self.scroll_to(y=self.line_of(offset), animate=False, immediate=True,
                           force=True)

    # --- drawing ------------------------------------------------------------------------------
    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(f"article-view--{name}")
        return style

    def notify_style_update(self) -> None:
        """Forget memoised styles when CSS or the theme changes."""
        self._styles.clear()
        super().notify_style_update()

    def render_line(self, y: int) -> Strip:
        """Draw screen line ``y``: a wrapped text line, a reference line, or blank."""
        width = self.scrollable_content_region.width
        index = y + self.scroll_offset.y
        if index < len(self._lines):
            start, end = self._lines[index]
            segments = self._text_segments(self.text[start:end])
        elif index - len(self._lines) < len(self._trailer):
            line, style = self._trailer[index - len(self._lines)]
            segments = [Segment(line, self._style(style))]
        else:
            segments = []
        return Strip(segments).adjust_cell_length(width).apply_style(self.rich_style)

    def _text_segments(self, line: str) -> list[Segment]:
        text_style, ref_style = self._style("text"), self._style("ref")
        segments, last = [], 0
        for match in _REF.finditer(line):
            segments.append(Segment(line[last:match.start()], text_style))
            segments.append(Segment(match.group(), ref_style))
            last = match.end()
        segments.append(Segment(line[last:], text_style))
        return segments

    # --- keys ---------------------------------------------------------------------------------
    def _scroll_lines(self, delta: int) -> None:
        self.scroll_to(y=self.scroll_offset.y + delta, animate=False, immediate=True,
                       force=True)
        self.cursor = self.top_offset

    def action_line_down(self) -> None:
        """Scroll one line down."""
        self._scroll_lines(1)

    def action_line_up(self) -> None:
        """Scroll one line up."""
        self._scroll_lines(-1)

    def action_page_down(self) -> None:
        """Scroll one screen down."""
        self._scroll_lines(max(1, self.scrollable_content_region.height - 2))

    def action_page_up(self) -> None:
        """Scroll one screen up."""
        self._scroll_lines(-max(1, self.scrollable_content_region.height - 2))

    def action_top(self) -> None:
        """Go to the start of the article."""
        self._scroll_lines(-self.scroll_offset.y)

    def action_bottom(self) -> None:
        """Go to the end of the article (and its references)."""
        self._scroll_lines(self.virtual_size.height)


def format_time(timestamp: float | None) -> str:
    """Local date and time, or "" when unknown."""
    if timestamp is None:
        return ""
    try:
        return time.strftime("%Y-%m-%d %H:%M", time.localtime(timestamp))
    except (OverflowError, OSError, ValueError):
        return ""


class ArticleHeader(Static):
    """Title, feed, author, date and link of the open article, as plain text."""

    def show_article(self, article: Article | None) -> None:
        """Show ``article``'s header (or the empty-reader hint)."""
        if article is None:
            self.update(Text("Select an article and press enter to read it.", style="dim"))
            return
        text = Text()
        text.append(clean_line(article.title) or "(untitled)", style="bold")
        meta = [clean_line(article.feed_title), clean_line(article.author),
                format_time(article.published or article.updated)]
        text.append("\n" + " · ".join(part for part in meta if part), style="italic")
        url = clean_url(article.url)
        if url:
            note = "" if is_safe_link(url) else "  (not an http(s) link: o will not open it)"
            text.append("\n" + url + note, style="dim underline" if not note else "dim")
        self.update(text)
