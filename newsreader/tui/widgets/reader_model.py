"""The reader's text model: motions over offsets (the styled spans are in ``tui/spans.py``).

Plain Python (no Textual): every position is a character offset into the article's
canonical text, the coordinate system the store and the exporters use too. Motions look
only at the text near the cursor (a regex search from the cursor, one paragraph's sentences),
so a key press costs the same on a 50,000-word article as on a short one.
"""

from __future__ import annotations

import re

from newsreader.annotations.actors import name_span_at
from newsreader.annotations.sentences import sentence_at

_TOKEN = re.compile(r"\w+|[^\w\s]+")
_NON_SPACE = re.compile(r"\S")
_LOOK_BACK = 256
"""Characters searched backwards per step when looking for the previous word."""


# --- motions --------------------------------------------------------------------------------


def step(text: str, pos: int, unit: str, forward: bool) -> int:
    """One motion by ``unit`` (char, word, word_end, sentence, paragraph) from ``pos``."""
    if unit == "char":
        return max(0, min(len(text), pos + (1 if forward else -1)))
    if unit == "word_end":
        return word_end(text, pos)
    moves = {
        "word": (next_word, previous_word),
        "sentence": (next_sentence, previous_sentence),
        "paragraph": (next_paragraph, previous_paragraph),
    }
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
    before = text[: min(start, pos)].rstrip()
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
