"""The reader's text model: motions over offsets and the index of styled spans.

Plain Python (no Textual): every position is a character offset into the article's
canonical text, the coordinate system the store and the exporters use too. Motions look
only at the text near the cursor (a regex search from the cursor, one paragraph's sentences),
so a key press costs the same on a 50,000-word article as on a short one.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from newsreader.annotations.actors import name_span_at
from newsreader.annotations.sentences import sentence_at

_TOKEN = re.compile(r"\w+|[^\w\s]+")
_NON_SPACE = re.compile(r"\S")
_LOOK_BACK = 256
"""Characters searched backwards per step when looking for the previous word."""

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
        self.spans = sorted((s for s in spans if s.end > s.start),
                            key=lambda s: (s.start, LAYERS.get(s.kind, 0), s.end))
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
        covering = [s for s in self.overlapping(offset, offset + 1)
                    if s.annotation_id is not None]
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


# --- motions --------------------------------------------------------------------------------

def step(text: str, pos: int, unit: str, forward: bool) -> int:
    """One motion by ``unit`` (char, word, word_end, sentence, paragraph) from ``pos``."""
    if unit == "char":
        return max(0, min(len(text), pos + (1 if forward else -1)))
    if unit == "word_end":
        return word_end(text, pos)
    moves = {"word": (next_word, previous_word),
             "sentence": (next_sentence, previous_sentence),
             "paragraph": (next_paragraph, previous_paragraph)}
    ahead, back = moves[unit]
    return ahead(text, pos) if forward else back(text, pos)


def next_word(text: str, pos: int) -> int:
    """Start of the next word (or punctuation run) after ``pos``; the end when none."""
    match = _TOKEN.search(text, pos)
    if match is not None and match.start() <= pos:
        match = _TOKEN.search(text, match.end())
    return match.start() if match is not None else len(text)


def word_end(text: str, pos: int) -> int:
    """Just past the end of the word under or after ``pos`` (or of the next one, when
    ``pos`` already sits at a word's end): with an exclusive selection, the whole word."""
    for match in _TOKEN.finditer(text, max(0, pos - _LOOK_BACK)):
        if match.end() > pos:
            return match.end()
    return len(text)


def previous_word(text: str, pos: int) -> int:
    """Start of the word before ``pos`` (of the word under it when inside one)."""
    back = _LOOK_BACK
    while True:
        window = max(0, pos - back)
        starts = [m.start() for m in _TOKEN.finditer(text, window, pos)]
        candidates = [s for s in starts if s < pos and (s > window or window == 0)]
        if candidates:
            return candidates[-1]
        if window == 0:
            return 0
        back *= 4


def word_at(text: str, pos: int) -> tuple[int, int]:
    """The word under ``pos`` (``\\w+``), or the nearest one after it; ``(pos, pos)`` if none."""
    start = pos
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
        start -= 1
    match = re.compile(r"\w+").search(text, start)
    if match is None:
        return pos, pos
    return match.span()


def name_at(text: str, pos: int) -> tuple[int, int]:
    """The name around ``pos`` ("Gustavo Petro"), else the word under it: titles and
    adjectives of place are left out (the domain's :func:`name_span_at`)."""
    return name_span_at(text, pos)


def next_sentence(text: str, pos: int) -> int:
    """Start of the sentence after the one holding ``pos``."""
    _, end = sentence_at(text, pos)
    found = _NON_SPACE.search(text, max(end, pos + 1))
    if found is None:
        return pos
    start = sentence_at(text, found.start())[0]
    return start if start > pos else found.start()


def previous_sentence(text: str, pos: int) -> int:
    """Start of the sentence holding ``pos``, or of the one before when already there."""
    start, _ = sentence_at(text, pos)
    if start < pos:
        return start
    before = text[:min(start, pos)].rstrip()
    if not before:
        return 0
    return sentence_at(text, len(before) - 1)[0]


def paragraph_at(text: str, pos: int) -> tuple[int, int]:
    """The paragraph (block between blank lines) holding ``pos``, trimmed."""
    cut = text.rfind("\n\n", 0, pos)
    start = 0 if cut < 0 else cut + 2
    cut = text.find("\n\n", pos)
    end = len(text) if cut < 0 else cut
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def next_paragraph(text: str, pos: int) -> int:
    """Start of the next paragraph."""
    cut = text.find("\n\n", pos)
    if cut < 0:
        return pos
    found = _NON_SPACE.search(text, cut + 2)
    return found.start() if found is not None else pos


def previous_paragraph(text: str, pos: int) -> int:
    """Start of the paragraph holding ``pos``, or of the one before when already there."""
    start, _ = paragraph_at(text, pos)
    if start < pos:
        return start
    before = text[:start].rstrip()
    return paragraph_at(text, len(before) - 1)[0] if before else 0
