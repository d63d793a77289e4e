"""The search prompt and the refresh progress bar."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, ProgressBar, Static

from newsreader.models import RefreshProgress

SEARCH_HINT = (
    'words "a phrase" -word word* feed:NAME author:NAME is:unread is:starred '
    "is:annotated after:2026-01-01 before:2026-02-01"
)


class SearchBar(Input):
    """The ``/`` prompt; enter searches, escape closes it."""

    def __init__(self) -> None:
        super().__init__(placeholder=SEARCH_HINT, id="search-bar")


class RefreshBar(Horizontal):
    """Feeds done/total, new articles and errors while a refresh runs."""

    def compose(self) -> ComposeResult:
        """A bar and a line of figures."""
        yield ProgressBar(total=1, show_eta=False, id="refresh-progress")
        yield Static(id="refresh-figures")

    def start(self, total: int, label: str = "Refreshing…") -> None:
        """Show the bar at 0 % of a refresh of ``total`` feeds (or pages)."""
        self.query_one(ProgressBar).update(total=max(total, 1), progress=0)
        self.query_one("#refresh-figures", Static).update(Text(f"{label}  esc cancels"))
        self.display = True

    def show_progress(self, progress: RefreshProgress) -> None:
        """Move the bar and update the figures."""
        self.query_one(ProgressBar).update(total=max(progress.total, 1), progress=progress.done)
        errors = f" · {progress.errors} failed" if progress.errors else ""
        if progress.stage == "full text":
            counted = f"full text {progress.done}/{progress.total}"
        else:
            counted = f"{progress.done}/{progress.total} feeds"
        figures = f"{counted} · {progress.new_articles} new{errors}  esc cancels"
        self.query_one("#refresh-figures", Static).update(Text(figures))

    def stop(self) -> None:
        """Hide the bar."""
        self.display = False
