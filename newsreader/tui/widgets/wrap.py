"""Word wrapping of canonical text into visual lines addressed by character offsets.

A visual line is ``(start, end)``: offsets into the text, ``end`` excluding the newline.
Offsets are the reader's only coordinate system, so a line's text is ``text[start:end]``
and no character is ever added or removed (trailing spaces stay on the line they end).
Plain single-cell paragraphs take a regex fast path; others are measured cell by cell.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rich.cells import cell_len, get_character_cell_size

_CONTROL_MAP = {c: "\ufffd" for c in (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))}
_CONTROL_MAP.update({0x09: " "})
_CONTROL_MAP.update(
    {
        ord(c): "\ufffd"
        for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\ufeff"
    }
)
_CONTROL = re.compile("[" + "".join(re.escape(chr(c)) for c in _CONTROL_MAP) + "]")
_MAYBE_WIDE = re.compile("[^\x20-\x7e\xa0-\u02ff\u2010-\u2027\u2030-\u205e]")
_TOKEN = re.compile(r"\S+\s*|\s+")


def display_text(text: str) -> str:
    """``text`` with every control or bidi character replaced one-for-one.

    Stored text is already clean; this is defence in depth for rows written by other
    means. Replacing (not removing) keeps every offset valid: tabs become a space, other
    controls become U+FFFD, visible as such. (``str.translate`` looks every character up
    in a dict: ~20 ms on a 50,000-word article, so the text is searched first.)
    """
    return text.translate(_CONTROL_MAP) if _CONTROL.search(text) else text


@lru_cache(maxsize=64)
def _fast_pattern(width: int) -> re.Pattern[str]:
    return re.compile(rf".{{1,{width}}}(?:\s+|$)|.{{{width}}}")


def wrap(text: str, width: int) -> list[tuple[int, int]]:
    """Visual lines of ``text`` (paragraphs split on newlines) at ``width`` cells."""
    width = max(1, width)
    lines: list[tuple[int, int]] = []
    pos = 0
    fast = _fast_pattern(width)
    for para in text.split("\n"):
        if not para:
            lines.append((pos, pos))
        elif _MAYBE_WIDE.search(para) is None:
            lines.extend((pos + m.start(), pos + m.end()) for m in fast.finditer(para))
        else:
            _wrap_cells(para, width, pos, lines)
        pos += len(para) + 1
    return lines


def _wrap_cells(para: str, width: int, pos: int, out: list[tuple[int, int]]) -> None:
    """Greedy wrap measuring cells (wide, combining and zero-width characters)."""
    line_start, used = 0, 0
    for match in _TOKEN.finditer(para):
        start = match.start()
        word_end = start + len(match.group().rstrip())
        cells = cell_len(para[start:word_end])
        if used and used + cells > width:
            out.append((pos + line_start, pos + start))
            line_start, used = start, 0
        if cells > width:
            used = 0
            for index in range(start, word_end):
                size = get_character_cell_size(para[index])
                if used + size > width and index > line_start:
                    out.append((pos + line_start, pos + index))
                    line_start, used = index, 0
                used += size
        else:
            used += cells
        used += match.end() - word_end
    out.append((pos + line_start, pos + len(para)))


def fit(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` cells, ending in an ellipsis when cut."""
    if width <= 0:
        return ""
    if len(text) <= width and _MAYBE_WIDE.search(text) is None:
        return text
    if cell_len(text) <= width:
        return text
    out, used = [], 0
    for char in text:
        size = get_character_cell_size(char)
        if used + size > width - 1:
            break
        out.append(char)
        used += size
    return "".join(out) + "…"
