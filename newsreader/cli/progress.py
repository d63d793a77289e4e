"""A refresh with a progress bar on stderr (when it is a terminal); Ctrl+C cancels cleanly."""

from __future__ import annotations

import sys
import threading
from typing import Any

from newsreader.cli.context import Context
from newsreader.models import RefreshProgress


def run_refresh(ctx: Context, feed_ids: list[int] | None, *, quiet: bool) -> Any:
    """Refresh in a thread so Ctrl+C can cancel between feeds; returns the RefreshSummary."""
    from newsreader.feeds.refresh import refresh

    ctx.conn  # migrate the store before the refresh opens its own connections  # noqa: B018
    cancel = threading.Event()
    bar = None if quiet or not sys.stderr.isatty() else _bar()
    result: dict[str, Any] = {}

    def work() -> None:
        try:
            result["summary"] = refresh(
                ctx.db_path,
                feed_ids,
                settings=ctx.settings.fetch,
                on_progress=bar.update if bar else None,
                cancelled=cancel.is_set,
            )
        except BaseException as exc:  # re-raised on the main thread
            result["error"] = exc

    thread = threading.Thread(target=work, name="refresh", daemon=True)
    try:
        if bar:
            bar.start()
        thread.start()
        while thread.is_alive():
            thread.join(0.1)
    except KeyboardInterrupt:
        cancel.set()
        thread.join()
        raise
    finally:
        if bar:
            bar.stop()
    if "error" in result:
        raise result["error"]
    return result["summary"]


class _Bar:
    """A Rich progress bar fed by RefreshProgress callbacks (from any thread)."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.progress = Progress(
            TextColumn("refreshing"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[new]} new · {task.fields[errors]} failed"),
            console=Console(stderr=True),
            transient=True,
        )
        self.task = self.progress.add_task("refresh", total=None, new=0, errors=0)

    def start(self) -> None:
        self.progress.start()

    def stop(self) -> None:
        self.progress.stop()

    def update(self, p: RefreshProgress) -> None:
        self.progress.update(
            self.task, completed=p.done, total=p.total, new=p.new_articles, errors=p.errors
        )


def _bar() -> _Bar:
    return _Bar()
