"""The revisions dialog (``D`` in the reader): an article's earlier texts and, for the one
highlighted, what changed from it to the current text, word by word.

The diff is made in a thread worker (its own connection): two long revisions take tens of
milliseconds, which the event loop does not spend. Everything shown is built as
:class:`rich.text.Text` from stored text, never as markup.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from newsreader.annotations.revdiff import Piece, changed_words, marked, word_diff
from newsreader.store import connect
from newsreader.store.revisions import Revision, revision_text
from newsreader.tui import commands
from newsreader.tui.widgets.article_header import format_time
from newsreader.tui.widgets.key_bar import KeyBar
from newsreader.tui.widgets.wrap import fit
from newsreader.wording import plural

STYLES = {"delete": "strike red", "insert": "bold green"}
"""How a diff's pieces look; equal text is plain."""


def diff_text(pieces: list[Piece]) -> Text:
    """A diff as styled text: deletions struck through in red, insertions green, each in
    wdiff's markers ([-…-] {+…+}) so it reads without colour too."""
    text = Text()
    for op, piece in pieces:
        opening, body, closing, trailing = marked(op, piece)
        text.append(opening, style="dim")
        text.append(body, style=STYLES.get(op, ""))
        text.append(closing, style="dim")
        text.append(trailing)
    return text


def describe(revision: Revision) -> str:
    """One line of the list: number, when, where from, size."""
    where = "the feed" if revision.source == "feed" else "its page"
    return (
        f"{revision.number}  {format_time(revision.saved)}  from {where}, {revision.size:,} chars"
    )


class RevisionsScreen(ModalScreen[None]):
    """Pick an earlier revision; its diff against the current text shows below."""

    BINDINGS = commands.bindings("dialog")

    def __init__(
        self, db_path: Path, article_id: int, title: str, revisions: list[Revision]
    ) -> None:
        super().__init__()
        self.db_path, self.article_id, self.article_title = db_path, article_id, title
        self.earlier = [r for r in revisions if not r.current]
        self.current = revisions[-1].number

    def compose(self) -> ComposeResult:
        """The title, the earlier revisions (newest first), the diff, a hint."""
        with Vertical(classes="dialog", id="revisions-dialog"):
            yield Static(
                Text(f"Revisions of “{fit(self.article_title, 50)}”", style="bold"),
                classes="dialog-title",
            )
            options = [Option(Text(describe(r))) for r in reversed(self.earlier)]
            yield OptionList(*options, id="revision-list", compact=True)
            yield Static(Text(""), id="revision-summary")
            with VerticalScroll(id="revision-diff"):
                yield Static(Text(""), id="revision-diff-text")
            yield Static(
                Text("j/k pick a revision · [-taken out-] {+put in+} · esc closes"),
                classes="dialog-hint",
            )
        yield KeyBar()

    def on_mount(self) -> None:
        """Start on the newest earlier revision."""
        self.query_one(OptionList).highlighted = 0

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Show the highlighted revision's diff (made in a worker)."""
        event.stop()
        revision = list(reversed(self.earlier))[event.option_index]
        self._diff(revision.number)

    @work(thread=True, exclusive=True, group="revision-diff", exit_on_error=False)
    def _diff(self, number: int) -> None:
        conn = connect(self.db_path, migrate_schema=False)
        try:
            old = revision_text(conn, self.article_id, number)
            new = revision_text(conn, self.article_id, 0)
        finally:
            conn.close()
        pieces = word_diff(old, new)
        deleted, inserted = changed_words(pieces)
        summary = Text(
            f"revision {number} → {self.current} (current): "
            f"{plural(deleted, 'word')} taken out, {inserted} put in"
        )
        self.app.call_from_thread(self._show, summary, diff_text(pieces))

    def _show(self, summary: Text, diff: Text) -> None:
        self.query_one("#revision-summary", Static).update(summary)
        self.query_one("#revision-diff-text", Static).update(diff)

    def action_close(self) -> None:
        """Close."""
        self.dismiss(None)
