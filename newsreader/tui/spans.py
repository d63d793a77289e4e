"""The styled stretches the reader draws over an article's text, and their index.

Plain Python (no Textual), shared by the reader widget, which draws them, and by
:mod:`newsreader.tui.marks`, which derives them from the stored annotations: kept in its own
module so that neither of the two imports the other's package for it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

LAYERS = {"actor": 0, "mention": 1, "highlight": 2, "claim": 3}
"""Drawing order of span kinds: later layers are drawn over earlier ones."""


@dataclass(frozen=True, slots=True)
class Span:
    """A styled stretch of the text: a claim, mention, highlight or a found actor."""

    start: int
    end: int
    kind: str
    """"claim", "mention", "highlight" or "actor" (found by the matcher, not stored)."""
    style: str
    """Component class suffix, e.g. "claim-disputed" or "actor"."""
    annotation_id: int | None = None
    actor_id: int | None = None


class SpanIndex:
    """Spans sorted by start, answering "which spans touch ``[a, b)``" without a scan."""

    def __init__(self, spans: Iterable[Span] = ()) -> None:
        self.spans = sorted(
            (s for s in spans if s.end > s.start),
            key=lambda s: (s.start, LAYERS.get(s.kind, 0), s.end),
        )
        self._starts = [s.start for s in self.spans]
        self._longest = max((s.end - s.start for s in self.spans), default=0)
        stored = [s for s in self.spans if s.annotation_id is not None]
        self._stored_starts = [s.start for s in stored]
        self._stored = stored

    def __len__(self) -> int:
        return len(self.spans)

    def overlapping(self, start: int, end: int) -> list[Span]:
        """Spans with any character in ``[start, end)``, in drawing order."""
        low = bisect_left(self._starts, start - self._longest)
        high = bisect_left(self._starts, max(end, start + 1))
        found = [s for s in self.spans[low:high] if s.end > start]
        found.sort(key=lambda s: LAYERS.get(s.kind, 0))
        return found

    def stored_at(self, offset: int) -> Span | None:
        """The innermost stored annotation covering ``offset`` (claims win ties)."""
        covering = [s for s in self.overlapping(offset, offset + 1) if s.annotation_id is not None]
        if not covering:
            return None
        return min(covering, key=lambda s: (s.end - s.start, -LAYERS.get(s.kind, 0)))

    def next_stored(self, offset: int) -> Span | None:
        """The first stored annotation starting after ``offset``."""
        index = bisect_right(self._stored_starts, offset)
        return self._stored[index] if index < len(self._stored) else None

    def previous_stored(self, offset: int) -> Span | None:
        """The last stored annotation starting before ``offset``."""
        index = bisect_left(self._stored_starts, offset) - 1
        return self._stored[index] if index >= 0 else None
