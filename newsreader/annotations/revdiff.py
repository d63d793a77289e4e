"""A word-level diff of two revisions of an article's text.

Texts are compared paragraph by paragraph first (a long article edited in a few places
has mostly equal paragraphs, which :class:`difflib.SequenceMatcher` matches fast), then
sentence by sentence inside the paragraphs that changed, then word by word inside the
sentences that changed: matching 50,000 words directly takes seconds (the common words
occur thousands of times), the three steps tens of milliseconds. Each token keeps the
whitespace after it, so joining the pieces of one side gives that side's text back.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Literal

Op = Literal["equal", "delete", "insert"]
Piece = tuple[Op, str]

_LEVELS = (
    re.compile(r".*?(?:\n\s*\n\s*|\Z)", re.DOTALL),  # paragraphs
    re.compile(r".*?(?:[.!?…]+[\"'”’»)\]]*\s+|\n\s*|\Z)", re.DOTALL),  # sentences, lines
    re.compile(r"\s+|\S+\s*"),  # words
)


def tokens(text: str, level: int) -> list[str]:
    """The text's paragraphs (0), sentences (1) or words (2), each with the whitespace
    after it (joined: the text)."""
    return [t for t in _LEVELS[level].findall(text) if t]


def words(text: str) -> list[str]:
    """The text's words, each with the whitespace after it (joined: the text)."""
    return tokens(text, 2)


def word_diff(a: str, b: str) -> list[Piece]:
    """How ``a`` became ``b``: ``(op, text)`` pieces in order; the "equal" and "delete"
    pieces join to ``a``, the "equal" and "insert" pieces to ``b``."""
    pieces: list[Piece] = []
    _diff(pieces, a, b, 0)
    return pieces


def _diff(pieces: list[Piece], a: str, b: str, level: int) -> None:
    """Append the diff of ``a`` and ``b`` at ``level``; what changed goes a level down."""
    old, new = tokens(a, level), tokens(b, level)
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        before, after = "".join(old[i1:i2]), "".join(new[j1:j2])
        if tag == "equal":
            _add(pieces, "equal", before)
        elif tag == "replace" and level + 1 < len(_LEVELS):
            _diff(pieces, before, after, level + 1)
        else:
            _add(pieces, "delete", before)
            _add(pieces, "insert", after)


def _add(pieces: list[Piece], op: Op, text: str) -> None:
    """Append a piece, merged into the last one when it has the same op."""
    if not text:
        return
    if pieces and pieces[-1][0] == op:
        pieces[-1] = (op, pieces[-1][1] + text)
    else:
        pieces.append((op, text))


def side(pieces: list[Piece], which: Literal["old", "new"]) -> str:
    """One side's text from a diff (a check, and what a caller shows)."""
    skip = "insert" if which == "old" else "delete"
    return "".join(text for op, text in pieces if op != skip)


def changed_words(pieces: list[Piece]) -> tuple[int, int]:
    """(words deleted, words inserted): a diff's size for a summary line."""
    deleted = sum(len(text.split()) for op, text in pieces if op == "delete")
    inserted = sum(len(text.split()) for op, text in pieces if op == "insert")
    return deleted, inserted


MARKS = {"delete": ("[-", "-]"), "insert": ("{+", "+}")}
"""wdiff's markers around a deleted and an inserted piece, so a diff reads without colour."""


def marked(op: str, text: str) -> tuple[str, str, str, str]:
    """A piece as (opening marker, changed text, closing marker, trailing whitespace): the
    markers are "" for equal text or a piece of whitespace only."""
    body = text.rstrip()
    if op not in MARKS or not body:
        return "", text, "", ""
    return MARKS[op][0], body, MARKS[op][1], text[len(body) :]
