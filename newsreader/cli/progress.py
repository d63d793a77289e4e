"""A refresh (or a full-text run) with a progress bar on stderr (when it is a terminal);
Ctrl+C cancels cleanly."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from newsreader.cli.context import Context
from newsreader.models import RefreshProgress

T = TypeVar("T")
Progress = Callable[[RefreshProgress], None] | None
"""Where a run reports its progress (None: nowhere)."""


def run_refresh(ctx: Context, feed_ids: list[int] | None, *, quiet: bool) -> Any:
    """Refresh in a thread so Ctrl+C can cancel between feeds; returns the RefreshSummary."""
    from newsreader.feeds.refresh import refresh

    return run_with_progress(
        ctx,
        lambda progress, cancelled: refresh(
            ctx.db_path,
            feed_ids,
            settings=ctx.settings.fetch,
            on_progress=progress,
            cancelled=cancelled,
            rules=ctx.settings.rules,
            but_delivered=ctx.settings.sync.delivers,
        ),
        quiet=quiet,
    )


def run_with_progress(
    ctx: Context, work: Callable[[Progress, Callable[[], bool]], T], *, quiet: bool
) -> T:
    """Run ``work(on_progress, cancelled)`` in a thread, with the bar; Ctrl+C cancels it."""
    ctx.conn  # migrate the store before the work opens its own connections  # noqa: B018
    cancel = threading.Event()
    bar = None if quiet or not sys.stderr.isatty() else _bar()
    result: dict[str, Any] = {}

    def run() -> None:
        try:
            result["summary"] = work(bar.update if bar else None, cancel.is_set)
        except BaseException as exc:  # re-raised on the main thread
            result["error"] = exc

    thread = threading.Thread(target=run, name="refresh", daemon=True)
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
    summary: T = result["summary"]
    return summary


class _Bar:
    """A Rich progress bar fed by RefreshProgress callbacks (from any thread)."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.progress = Progress(
            TextColumn("{task.fields[stage]}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[new]} new · {task.fields[errors]} failed"),
            console=Console(stderr=True),
            transient=True,
        )
        self.task = self.progress.add_task(
            "refresh", total=None, new=0, errors=0, stage="refreshing"
        )

    def start(self) -> None:
        self.progress.start()

    def stop(self) -> None:
        self.progress.stop()

    def update(self, p: RefreshProgress) -> None:
        stage = "refreshing" if p.stage == "feeds" else p.stage
        self.progress.update(
            self.task,
            completed=p.done,
            total=p.total,
            new=p.new_articles,
            errors=p.errors,
            stage=stage,
        )


def _bar() -> _Bar:
    return _Bar()
