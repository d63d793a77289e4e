"""Paragraphs that repeat across many pages of one site: its boilerplate.

A feed reader sees many articles of the same site, which a lone extractor never does: a
line found in the extracted text of three of them ("Sign up for our newsletter", the
author's standard bio, "Advertisement") is the site's, not the article's. The caller keeps
the texts of a host's recent pages, :func:`boilerplate_lines` finds the repeated
paragraphs, and :func:`newsreader.feeds.extract.extract_page` drops them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from newsreader import safety

_MARKER = re.compile(r"\s*\[\d+\]")
"""A link marker of the reader text (" [3]")."""
_BULLET = re.compile(r"^(?:•|\d{1,4}\.)\s+")
"""A list item's prefix in the reader text."""
_SPACES = re.compile(r"\s+")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
MAX_KEY = 1000
"""Keys are cut to this many characters (a long repeated bio is still one key)."""


def paragraph_key(line: str) -> str:
    """A paragraph's comparison key: no link markers or list prefix, spaces collapsed,
    lower case (so the same line matches however a page marked it up)."""
    text = _MARKER.sub("", safety.clean_line(line))
    text = _BULLET.sub("", text)
    return _SPACES.sub(" ", text).strip().casefold()[:MAX_KEY]


def boilerplate_lines(texts: Iterable[str], min_pages: int = 3) -> frozenset[str]:
    """The keys of the paragraphs found in at least ``min_pages`` of ``texts``.

    Args:
        texts: reader texts (one a page) of other pages of the same site.
        min_pages: in how many different pages a paragraph must appear.
    """
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(_keys(text))
    return frozenset(key for key, count in counts.items() if count >= max(min_pages, 1))


def _keys(text: str) -> set[str]:
    """The keys of a text's lines and of its paragraphs (blank-line separated blocks)."""
    pieces = text.splitlines() + _PARAGRAPH_BREAK.split(text)
    return {key for piece in pieces if (key := paragraph_key(piece))}
