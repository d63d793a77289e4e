"""Approximate matching for re-anchoring: the substring of a text closest to a quote in
edit distance (bit-parallel, Myers/Hyyrö), and how much of a stored context still
surrounds a place. Pure functions over strings; :mod:`.anchoring` decides where to look.
"""

from __future__ import annotations


def side_match(stored: str, actual: str, reverse: bool = False) -> float:
    """Share of ``stored`` matching ``actual`` from the quote outwards."""
    if not stored:
        return 0.5  # the quote was at the very start or end: no evidence either way
    if stored == actual:
        return 1.0
    if reverse:
        stored, actual = stored[::-1], actual[::-1]
    same = 0
    for a, b in zip(stored, actual, strict=False):
        if a != b:
            break
        same += 1
    return same / len(stored)


def approximate_match(
    pattern: str,
    text: str,
    lo: int,
    hi: int,
    max_errors: int,
    prefix: str = "",
    suffix: str = "",
) -> tuple[int, int, int] | None:
    """The substring of ``text[lo:hi]`` closest to ``pattern`` in edit distance.

    Returns ``(errors, start, end)`` for the best match with at most ``max_errors`` edits.
    Among equally close matches, the one whose surroundings best match ``prefix`` and
    ``suffix`` wins (so a match neither swallows nor leaves out text next to it), then
    the shortest: without context, unmatched text next to the quote is left out.
    """
    errors, ends = _best_ends(pattern, text[lo:hi])
    if errors > max_errors:
        return None
    end = lo + max(
        ends, key=lambda e: (side_match(suffix, text[lo + e : lo + e + len(suffix)]), -e)
    )
    window_lo = max(lo, end - len(pattern) - errors)
    # The same search backwards from ``end``, anchored there, gives the start.
    _, lengths = _best_ends(pattern[::-1], text[window_lo:end][::-1], anchored=True)

    def fit(n: int) -> tuple[float, int]:
        before = text[max(0, end - n - len(prefix)) : end - n]
        return (side_match(prefix, before, reverse=True), -n)

    length = max(lengths, key=fit)
    return errors, end - length, end


def _best_ends(pattern: str, text: str, anchored: bool = False) -> tuple[int, list[int]]:
    """Minimum edit distance of ``pattern`` to a substring of ``text`` ending at each offset.

    Bit-parallel (Myers 1999, Hyyrö's formulation): O(len(text)) big-integer steps.
    ``anchored``: substrings must start at offset 0 (a prefix of ``text``).
    Returns the minimum and every end offset (exclusive) that reaches it.
    """
    carry = 1 if anchored else 0
    m = len(pattern)
    masks: dict[str, int] = {}
    for i, char in enumerate(pattern):
        masks[char] = masks.get(char, 0) | (1 << i)
    full = (1 << m) - 1
    high = 1 << (m - 1)
    pv, mv, score = full, 0, m
    best, ends = m, [0]
    for j, char in enumerate(text):
        eq = masks.get(char, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & full)
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = ((ph << 1) | carry) & full
        mh = (mh << 1) & full
        pv = mh | (~(xv | ph) & full)
        mv = ph & xv
        if score < best:
            best, ends = score, [j + 1]
        elif score == best:
            ends.append(j + 1)
    return best, ends
