"""Messages that thread workers post back to the UI (workers never touch widgets)."""

from __future__ import annotations

import threading
from array import array
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.message import Message

from newsreader.models import RefreshProgress
from newsreader.store.views import FeedRow, Source
from newsreader.tui.marks import ArticleMarks

if TYPE_CHECKING:  # imported by the workers that need them, when they run
    from newsreader.feeds.fulltext import FullTextSummary
    from newsreader.feeds.refresh import RefreshSummary
    from newsreader.feeds.subscribe import SubscribeResult


@dataclass
class ListLoaded(Message):
    """Article ids (and, when asked, fresh feeds-pane rows) for the article list."""

    token: int
    """Which request this answers; older answers are dropped."""
    source: Source
    unread_only: bool
    ids: array[int]
    rows: list[FeedRow] | None
    keep_id: int | None
    """The article to keep the cursor on (its screen row is kept too)."""
    then: str = ""
    """What to do once shown: "" or "first_unread" / "last_unread"."""
    partial: bool = False
    """Only the newest results of a search; the whole list follows (same token)."""


@dataclass
class RefreshProgressed(Message):
    """A refresh finished one more feed."""

    progress: RefreshProgress

    def can_replace(self, message: Message) -> bool:
        """Only the newest progress matters."""
        return isinstance(message, RefreshProgressed)


@dataclass
class RefreshFinished(Message):
    """A refresh, or a full-text run (``F``), ended (also when cancelled)."""

    summary: RefreshSummary | FullTextSummary | None
    """What the refresh did, or None when it failed."""
    error: str = ""
    """Why it failed (when ``summary`` is None)."""


@dataclass
class FeedSubscribed(Message):
    """A feed was added."""

    result: SubscribeResult


@dataclass
class StoreChanged(Message):
    """A background write finished; ``note`` is shown to the user (plain text)."""

    note: str
    select_key: str | None = None
    """A feeds-pane row to select afterwards (by source key)."""


@dataclass
class MarksLoaded(Message):
    """An article's annotations, notes and found actors."""

    token: int
    """Which load this answers; older answers are dropped."""
    marks: ArticleMarks
    shown: threading.Event = field(default_factory=threading.Event)
    """Set once the marks are painted (or dropped): the worker waits for it before its
    slower, less urgent work so that work does not hold the GIL during the paint."""


class StartupDone(Message):
    """The start-up work (the actor cache) is done."""


@dataclass
class NamesFound(Message):
    """Names in the open article that are not actors yet (for the claim and tag dialogs)."""

    token: int
    names: list[str]


@dataclass
class SearchCounts(Message):
    """Unread matches of the saved searches, by saved search id (counted in a worker)."""

    counts: dict[int, int]
