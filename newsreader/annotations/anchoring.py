"""Anchor annotations to canonical text, and find them again after the text changes.

Each annotation keeps a W3C-style selector pair: a position (``start``, ``end``: str
offsets) and a quote (``exact`` plus 32 characters of ``prefix`` and ``suffix``). When an
article's text changes, :func:`reanchor` tries, in order (as Hypothesis does):

1. the old position, if the quote is still there;
2. the old position shifted by the offset the previous annotation moved by (an edit moves
   everything after it by the same amount), if the quote and some context match there;
3. every exact occurrence of the quote, scored by how much prefix/suffix context matches
   minus a penalty for distance from where it was expected (short quotes need some
   context to match, so "Petro" never jumps to an unrelated "Petro");
4. a fuzzy search (bit-parallel edit distance, Myers 1999) in a few small windows: where
   the quote was expected and where its prefix or suffix context now is, accepting at most
   20% of the quote's length in edits.

Otherwise the annotation is *orphaned*: the caller keeps it (with its quote) and shows it
as such, it is never dropped. Steps 1-2 are O(len(quote)); step 3 scans the text once
(in a batch where many quotes are gone, a set of the text's 8-character substrings rules
most out without a scan); step 4 scans a few windows and, in a batch, shares a budget of
characters, so even a rewrite of the whole text re-anchors 10,000 annotations of a
50,000-word article in about 0.8 s (a typical refresh with a few edits: tens of ms).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from newsreader.annotations.editdistance import approximate_match, side_match

CONTEXT = 32
"""Characters of prefix and suffix stored with each quote."""
FUZZY_MAX_ERROR_RATE = 0.2
"""A fuzzy match may differ from the quote by at most this share of its length in edits."""
DISTINCTIVE_LENGTH = 24
"""Quotes at least this long re-anchor to an exact occurrence even without context."""
MIN_CONTEXT = 0.25
"""Shorter quotes need at least this share of their context to match."""
FUZZY_BUDGET = 1_000_000
"""Characters the fuzzy step may scan in one :func:`reanchor_all` call (about 0.5 s):
past it, annotations that only a fuzzy match would find are orphaned (kept; a later
re-anchoring tries again), so even a rewrite of the whole text stays fast."""
CONTEXT_SEARCH = 20_000
"""How far from the expected place the fuzzy step looks for the quote's context."""
FAR = 2_000
"""Characters beyond which an occurrence counts as far from where it was expected."""
DISTANCE_WEIGHT = 0.6
"""An occurrence ``FAR`` or more characters from where the quote was expected loses this
much of its context score (0 to 1): a nearby copy whose context an edit damaged beats a
distant copy of the same sentence with intact context."""
MAX_CANDIDATES = 200
"""At most this many exact occurrences (the nearest) are scored."""


class Quote(NamedTuple):
    """The quote part of a selector: the selected text and its surroundings."""

    exact: str
    prefix: str
    suffix: str


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where an annotation was: its last position and its quote."""

    start: int
    end: int
    exact: str
    prefix: str = ""
    suffix: str = ""


class Placement(NamedTuple):
    """Where an annotation is now, and which step found it."""

    start: int
    end: int
    how: str
    """"position", "shifted", "exact" or "fuzzy"."""
    sure: bool = True
    """False for a far jump to one of several candidates: not a hint for its neighbours."""


class Budget:
    """Characters the fuzzy step may still scan (shared by a batch of re-anchorings)."""

    __slots__ = ("chars",)

    def __init__(self, chars: int = FUZZY_BUDGET) -> None:
        self.chars = chars


class QuoteNotFound(ValueError):
    """The quote does not occur in the text."""


class AmbiguousQuote(ValueError):
    """The quote occurs more than once and no occurrence was chosen."""

    def __init__(self, count: int) -> None:
        super().__init__(f"the quote occurs {count} times; choose one with an occurrence number")
        self.count = count


def make_selector(text: str, start: int, end: int) -> Quote:
    """The quote selector for ``text[start:end]`` (32 characters of context each side)."""
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"span {start}-{end} is outside the text (length {len(text)})")
    return Quote(text[start:end], text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT])


def make_anchor(text: str, start: int, end: int) -> Anchor:
    """Position and quote selectors for ``text[start:end]``."""
    return Anchor(start, end, *make_selector(text, start, end))


def occurrences(text: str, quote: str) -> list[int]:
    """Start offsets of every (possibly overlapping) occurrence of ``quote`` in ``text``."""
    found: list[int] = []
    if not quote:
        return found
    index = text.find(quote)
    while index >= 0:
        found.append(index)
        index = text.find(quote, index + 1)
    return found


def locate_quote(text: str, quote: str, occurrence: int | None = None) -> tuple[int, int]:
    """The span of ``quote`` in ``text``; ``occurrence`` (1-based) picks one of several.

    Raises:
        QuoteNotFound: the quote is empty or not in the text, or there is no such occurrence.
        AmbiguousQuote: the quote occurs more than once and ``occurrence`` is None.
    """
    found = occurrences(text, quote)
    if not found:
        raise QuoteNotFound("the quote is not in the article's text")
    if occurrence is None:
        if len(found) > 1:
            raise AmbiguousQuote(len(found))
        occurrence = 1
    if not 1 <= occurrence <= len(found):
        once = "once" if len(found) == 1 else f"{len(found)} times"
        raise QuoteNotFound(f"the quote occurs {once}, not {occurrence}")
    start = found[occurrence - 1]
    return start, start + len(quote)


def reanchor(anchor: Anchor, text: str, shift: int = 0) -> tuple[int, int] | None:
    """The annotation's span in the (changed) ``text``, or None when it is orphaned.

    Args:
        anchor: the annotation's last position and quote.
        text: the new canonical text.
        shift: how far nearby annotations moved (a hint; 0 when unknown).
    """
    placed = place(anchor, text, shift)
    return None if placed is None else (placed.start, placed.end)


def reanchor_all(anchors: Sequence[Anchor], text: str) -> list[Placement | None]:
    """Re-anchor many annotations of one text; results are in the order given.

    Annotations are visited in position order, each passing on how far it moved as the
    hint for the next: after one edit, everything behind it moved by the same amount.
    A far jump to one of several copies of a quote is not passed on, so one wrong guess
    in repetitive text cannot drag the following annotations along.
    """
    results: list[Placement | None] = [None] * len(anchors)
    shift = 0
    budget = Budget()
    absent = _AbsentQuotes(text)
    for index in sorted(range(len(anchors)), key=lambda i: anchors[i].start):
        placed = place(anchors[index], text, shift, budget, absent)
        results[index] = placed
        if placed is not None and placed.sure:
            shift = placed.start - anchors[index].start
    return results


def place(
    anchor: Anchor,
    text: str,
    shift: int = 0,
    budget: Budget | None = None,
    absent: _AbsentQuotes | None = None,
) -> Placement | None:
    """Like :func:`reanchor`, also saying which step found the annotation.

    ``budget`` bounds the fuzzy step's work across calls (None: unbounded); ``absent``
    rules out quotes missing from ``text`` without scanning it (a batch over one text).
    """
    exact = anchor.exact
    if not exact:
        return None
    if text.startswith(exact, anchor.start):
        return Placement(anchor.start, anchor.start + len(exact), "position")
    moved = anchor.start + shift
    if (
        shift
        and 0 <= moved
        and text.startswith(exact, moved)
        and _some_context(anchor, text, moved)
    ):
        return Placement(moved, moved + len(exact), "shifted")
    if absent is not None and absent(exact):
        found, copies = None, 0
    else:
        found, copies = _best_exact(anchor, text, moved)
        if absent is not None and not copies:
            absent.missed()
    if found is not None:
        sure = copies == 1 or abs(found - moved) <= FAR
        return Placement(found, found + len(exact), "exact", sure)
    span = fuzzy_find(anchor, text, moved, budget)
    if span is None:
        return None
    return Placement(span[0], span[1], "fuzzy", abs(span[0] - moved) <= FAR)


class _AbsentQuotes:
    """Tells that a quote cannot occur in one text because its first characters do not.

    After a rewrite of the whole text most quotes are gone, and proving it by scanning
    (``str.find``) cost ~50 µs a quote on a 50,000-word article: half a second for 10,000.
    Once ``MISSES_BEFORE_INDEX`` scans found nothing, the text's every ``GRAM``-character
    substring goes in a set (~30 ms there), and a quote whose first ``GRAM`` characters are
    not in it is absent without a scan. A batch after a few edits never builds it, nor
    does one over a text longer than ``MAX_INDEXED`` (the set would take ~90 bytes a
    character: 0.6 s and 170 MB for the 2-million-character maximum).
    """

    GRAM = 8
    MISSES_BEFORE_INDEX = 200
    MAX_INDEXED = 600_000

    def __init__(self, text: str) -> None:
        self.text = text
        self.grams: set[str] | None = None
        self.misses = 0

    def __call__(self, quote: str) -> bool:
        """True when ``quote`` surely does not occur (False: it may)."""
        return (
            self.grams is not None
            and len(quote) >= self.GRAM
            and quote[: self.GRAM] not in self.grams
        )

    def missed(self) -> None:
        """A scan found no occurrence: count it, and index the text when they add up."""
        self.misses += 1
        if (
            self.grams is None
            and self.misses == self.MISSES_BEFORE_INDEX
            and len(self.text) <= self.MAX_INDEXED
        ):
            text, n = self.text, self.GRAM
            self.grams = {text[i : i + n] for i in range(len(text) - n + 1)}


def _some_context(anchor: Anchor, text: str, start: int) -> bool:
    """Whether the full prefix or the full suffix still surrounds a quote at ``start``."""
    end = start + len(anchor.exact)
    return (
        text[max(0, start - len(anchor.prefix)) : start] == anchor.prefix
        or text[end : end + len(anchor.suffix)] == anchor.suffix
    )


def context_score(anchor: Anchor, text: str, start: int, end: int) -> float:
    """How much of the stored prefix and suffix surround ``text[start:end]`` (0 to 1)."""
    before = text[max(0, start - len(anchor.prefix)) : start]
    after = text[end : end + len(anchor.suffix)]
    return (side_match(anchor.prefix, before, reverse=True) + side_match(anchor.suffix, after)) / 2


def _best_exact(anchor: Anchor, text: str, expected: int) -> tuple[int | None, int]:
    """The best-scoring exact occurrence of the quote (if convincing enough) and how many
    occurrences there are."""
    found = occurrences(text, anchor.exact)
    copies = len(found)
    if not found:
        return None, 0
    if len(found) > MAX_CANDIDATES:
        found = sorted(found, key=lambda s: abs(s - expected))[:MAX_CANDIDATES]
    length = len(anchor.exact)
    best, best_score, best_context = found[0], -2.0, 0.0
    for start in found:
        context = context_score(anchor, text, start, start + length)
        score = context - DISTANCE_WEIGHT * min(1.0, abs(start - expected) / FAR)
        if score > best_score:
            best, best_score, best_context = start, score, context
    if length >= DISTINCTIVE_LENGTH or best_context >= MIN_CONTEXT:
        return best, copies
    return None, copies


def fuzzy_find(
    anchor: Anchor, text: str, expected: int, budget: Budget | None = None
) -> tuple[int, int] | None:
    """The closest approximate match of the quote near where it should be, or None.

    Searches only small windows: around ``expected`` and, unless a close match is already
    there, where the quote's prefix or suffix context now occurs; a match differs from the
    quote by at most ``FUZZY_MAX_ERROR_RATE`` of its length in edits.
    """
    quote = anchor.exact
    max_errors = int(len(quote) * FUZZY_MAX_ERROR_RATE)
    if max_errors < 1:
        return None
    slack = max_errors + CONTEXT
    best_key: tuple[int, float, int] | None = None
    best_span: tuple[int, int] | None = None
    for centre in _window_centres(anchor, text, expected):
        if best_key is not None and best_key[0] <= max_errors // 2:
            break  # a close match where the quote was expected: look no further
        lo = max(0, centre - slack)
        hi = min(len(text), centre + len(quote) + slack)
        if budget is not None:
            if budget.chars < 2 * (hi - lo):
                break
            budget.chars -= 2 * (hi - lo)
        match = approximate_match(quote, text, lo, hi, max_errors, anchor.prefix, anchor.suffix)
        if match is None:
            continue
        errors, start, end = match
        key = (errors, -context_score(anchor, text, start, end), abs(start - expected))
        if best_key is None or key < best_key:
            best_key, best_span = key, (start, end)
    return best_span


def _window_centres(anchor: Anchor, text: str, expected: int) -> Iterator[int]:
    """Where to look for a changed quote: the expected place, then where its context went."""
    yield max(0, expected)
    seen = {max(0, expected)}
    head = anchor.prefix[-16:]
    if len(head) >= 8:
        for i in _nearest(text, head, expected):
            seen.add(centre := i + len(head))
            yield centre
    tail = anchor.suffix[:16]
    if len(tail) >= 8:
        for i in _nearest(text, tail, expected):
            centre = max(0, i - len(anchor.exact))
            if centre not in seen:
                seen.add(centre)
                yield centre


def _nearest(text: str, needle: str, target: int) -> list[int]:
    """The occurrences of ``needle`` nearest to ``target`` on either side (at most two),
    within ``CONTEXT_SEARCH`` characters."""
    target = max(0, min(target, len(text)))
    after = text.find(needle, target, target + CONTEXT_SEARCH)
    before = text.rfind(needle, max(0, target - CONTEXT_SEARCH), target + len(needle) - 1)
    return [i for i in dict.fromkeys((after, before)) if i >= 0]
