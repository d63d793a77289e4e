"""What every pane shares: its place in the layout, the app's newsreader parts, bindings."""

from __future__ import annotations

from typing import cast

from textual.containers import Vertical
from textual.notifications import SeverityLevel
from textual.worker import Worker, WorkerState

from newsreader.safety import clean_line
from newsreader.store import connect, views
from newsreader.tui.context import NewsApp
from newsreader.tui.messages import StoreChanged
from newsreader.wording import plural

NARROW_WIDTH = 100
"""Below this many columns, the main screen shows one pane at a time."""


class Pane(Vertical):
    """A pane of the main screen (``#NAME-pane``, bordered, titled)."""

    TITLE = ""
    """The border title."""
    MAIN = ""
    """The selector of the widget that takes the focus when the pane does."""

    def __init__(self, name: str) -> None:
        super().__init__(id=f"{name}-pane", classes="pane")

    def on_mount(self) -> None:
        """Title the border."""
        self.border_title = self.TITLE

    def focus_main(self) -> None:
        """Focus the pane's main widget (its list, or the text)."""
        self.query_one(self.MAIN).focus()

    @property
    def news(self) -> NewsApp:
        """The app's store, settings, actor cache and plain-text notifications."""
        return cast(NewsApp, self.app)

    def say(self, message: str, severity: SeverityLevel = "information") -> None:
        """One line for the user, as plain text (thread-safe)."""
        self.news.notify_text(message, severity)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker of this pane that failed becomes a notification, never a crash."""
        worker = event.worker
        if event.state == WorkerState.ERROR:
            self.say(f"{worker.description or worker.name} failed: {worker.error}", "error")


def mark_read_in_worker(pane: Pane, source: views.Source, label: str) -> None:
    """Mark everything ``source`` lists read, in a worker; a :class:`StoreChanged` says so."""

    def mark() -> None:
        conn = connect(pane.news.db_path, migrate_schema=False)
        try:
            changed = views.mark_source_read(conn, source)
        finally:
            conn.close()
        marked = plural(changed, "article")
        pane.post_message(StoreChanged(f"Marked {marked} read: {clean_line(label)}"))

    pane.run_worker(
        mark, thread=True, group="write", exit_on_error=False, description="Marking read"
    )
