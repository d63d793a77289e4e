"""Is a feed's text the article, or only a teaser of it? (Full text's ``auto`` mode.)

A teaser is short, or cut off ("…", "[...]", "Read more", "Continue reading"), or — what
only the page can tell — a prefix of the page's own text. :func:`feed_text_kind` judges
the feed's text alone; :func:`page_extends` compares it with the page's once fetched.
"""

from __future__ import annotations

import re
from enum import Enum

SHORT_WORDS = 80
"""A feed text of fewer words than this is a teaser (a news article is rarely under 150)."""
LONG_WORDS = 300
"""A feed text of at least this many words, not cut off, is taken to be the article."""
PREFIX_WORDS = 40
"""How many of the feed text's first words must open the page's text (a prefix)."""
LONGER_BY = 1.3
"""The page must have this many times the feed's words to be worth taking."""

_MARKERS = re.compile(r"(?:\s*\[\d+\])+\s*$")
"""Trailing link markers of the reader text (" [3]")."""
_CUT = re.compile(
    r"(?:…|\.\.\.|\[\s*(?:…|\.\.\.)\s*\]|\(\s*(?:…|\.\.\.)\s*\))\s*$"
    r"|\b(?:read|see) (?:more|the (?:full|whole|rest))\b[^\n]{0,80}$"
    r"|\b(?:continue|keep) reading\b[^\n]{0,80}$"
    r"|\bfull (?:story|article)\b[^\n]{0,40}$"
    r"|\bmore\s*(?:»|›|>>)\s*$",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+")


class Kind(Enum):
    """What the feed's text alone says it is."""

    TEASER = "teaser"
    FULL = "full"
    UNSURE = "unsure"
    """Neither short nor long: the page decides (:func:`page_extends`)."""


def words(text: str) -> list[str]:
    """The text's words, case-folded (punctuation and link markers ignored)."""
    return [w.casefold() for w in _WORD.findall(text)]


def is_cut_off(text: str) -> bool:
    """Does the text end as a teaser does: an ellipsis, or a "Read more" line?"""
    tail = _MARKERS.sub("", text.rstrip())[-200:]
    return bool(_CUT.search(tail))


def feed_text_kind(text: str) -> Kind:
    """Judge a feed's text without the page: teaser, full article, or unsure."""
    count = len(words(text))
    if count < SHORT_WORDS or is_cut_off(text):
        return Kind.TEASER
    return Kind.FULL if count >= LONG_WORDS else Kind.UNSURE


def page_extends(feed_text: str, page_text: str) -> bool:
    """Is the page's text longer than the feed's, and does the feed's open it (or open a
    paragraph near its start: pages put a subtitle or byline first)? Then the feed's
    text was a teaser of it."""
    feed, page = words(_strip_cut(feed_text)), words(page_text)
    if not feed or len(page) < len(feed) * LONGER_BY:
        return False
    head = feed[: min(PREFIX_WORDS, max(1, len(feed) - 1))]  # its last word may be cut
    window = page[: len(head) + max(60, len(page) // 5)]
    return _contains(window, head)


def page_is_fuller(feed_text: str, page_text: str) -> bool:
    """Has the page more to read than the feed (worth replacing a teaser with)?"""
    return len(words(page_text)) > len(words(_strip_cut(feed_text)))


def _strip_cut(text: str) -> str:
    """The text without its trailing ellipsis or "Read more" line."""
    text = _MARKERS.sub("", text.rstrip())
    tail = text[-200:]
    match = _CUT.search(tail)
    return text[: len(text) - len(tail) + match.start()] if match else text


def _contains(haystack: list[str], needle: list[str]) -> bool:
    """Does ``needle`` occur as a run of consecutive words in ``haystack``?"""
    first, size = needle[0], len(needle)
    return any(
        haystack[i : i + size] == needle
        for i in range(len(haystack) - size + 1)
        if haystack[i] == first
    )
