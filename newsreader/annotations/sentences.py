"""Sentence spans of canonical text, for the "select the sentence" key and claim-sized spans.

A rule regex, not a model: it runs over a 50,000-word article in tens of milliseconds, is
deterministic, and its mistakes are conservative (it joins two sentences rather than cutting
one, so the user trims an over-long selection instead of losing half a claim). The rules:

- line breaks are hard boundaries (headlines, bylines and list items carry no final period);
- ``.``, ``!``, ``?`` or ``…`` (with closing quotes or brackets) end a sentence only when
  whitespace and a capital letter, a digit or an opening quote follow;
- a period never ends a sentence after a title or a fixed abbreviation (``Mr.``, ``Dr.``,
  ``Sen.``, ``No.``, ``e.g.``…) or a single initial (``J. Smith``);
- after an abbreviation that can also close a sentence (``U.S.``, ``p.m.``, ``Corp.``,
  ``Jan.``, ``Jr.``…) it ends one only when the next word is a typical sentence opener
  (``The``, ``He``, ``It``, ``But``…): "…according to the U.S. The next" splits,
  "U.S. President" and "Jan. 5" do not.

Spans are ``(start, end)`` character offsets into the text, trimmed of surrounding spaces.
"""

from __future__ import annotations

import re

NEVER_FINAL = frozenset(
    """
mr mrs ms messrs mme mlle dr prof sen rep reps gov gen col lt sgt capt cmdr adm maj cpl pvt
pres rev hon st mt ft vs cf e.g i.e viz approx dept
""".split()
)
"""Abbreviations that are (almost) never the last word of a sentence."""

MAYBE_FINAL = frozenset(
    """
corp inc ltd co cos plc llc bros jr sr esq etc al
jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues thu thurs fri
""".split()
)
"""Abbreviations that end a sentence only before a typical sentence opener."""

BEFORE_NUMBER = frozenset("no nos vol fig art sec ch pp op".split())
"""Abbreviations that never end a sentence when a number follows ("No. 2", "Vol. 3")."""

OPENERS = frozenset(
    """
a an the this that these those there here it its he she his her they their them we our
i you your but and or so yet still however meanwhile instead also then now in on at as
after before when while if although though despite since for from with without by to
during under over one some many most all both each no not what who why how where which
""".split()
)
"""Words that typically open a sentence (lower-cased)."""

_LINE = re.compile(r"[^\n]+")
_END = re.compile(r"(?:[.!?…]+)[\"'”’»)\]]*(?=\s+[\"'“‘«(\[]*\w)")
_NEXT_WORD = re.compile(r"\s+[\"'“‘«(\[]*(\w+)")
_ACRONYM = re.compile(r"(?:[A-Za-z]{1,2}\.)+[A-Za-z]{1,2}")
_OPENING = "\"'“‘«(["


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Every sentence of ``text`` as ``(start, end)`` offsets, in order."""
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        spans.extend(_line_sentences(text, line.start(), line.end()))
    return spans


def sentence_at(text: str, offset: int) -> tuple[int, int]:
    """The sentence containing ``offset`` (or the next one on its line, else the previous).

    Only the line around ``offset`` is segmented, so this is cheap on any article length.
    Returns ``(offset, offset)`` clamped to the text when there is no sentence at all.
    """
    offset = max(0, min(offset, len(text)))
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    line_end = len(text) if line_end < 0 else line_end
    spans = _line_sentences(text, line_start, line_end)
    if not spans:
        return _nearest_line_sentence(text, offset)
    for start, end in spans:
        if offset < end:
            return start, end
    return spans[-1]


def _nearest_line_sentence(text: str, offset: int) -> tuple[int, int]:
    """For an offset on a blank line: the first sentence after it, else the last before it."""
    after = re.compile(r"\S").search(text, offset)
    if after is not None:
        return sentence_at(text, after.start())
    before = text.rstrip()
    if before:
        return sentence_at(text, len(before) - 1)
    return offset, offset


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Paragraphs (blocks separated by blank lines) as trimmed ``(start, end)`` offsets."""
    spans = []
    for match in re.finditer(r"\S(?:.|\n(?!\s*\n))*", text):
        spans.append((match.start(), match.start() + len(match.group().rstrip())))
    return spans


def _line_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of the single line ``text[start:end]``."""
    spans = []
    cursor = start
    for match in _END.finditer(text, start, end):
        if _ends_sentence(text, cursor, match):
            spans.append((cursor, match.end()))
            cursor = match.end()
    spans.append((cursor, end))
    return [trimmed for s, e in spans if (trimmed := _trim(text, s, e))[0] < trimmed[1]]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _ends_sentence(text: str, line_start: int, match: re.Match[str]) -> bool:
    """Whether the punctuation run in ``match`` closes a sentence."""
    following = _NEXT_WORD.match(text, match.end())
    if following is None:
        return False
    next_word = following.group(1)
    if not (next_word[0].isupper() or next_word[0].isdigit()):
        return False
    punct = match.group().rstrip("\"'”’»)]")
    if punct != ".":
        return True  # ! ? … ... and runs of them
    word_start = max(text.rfind(" ", line_start, match.start()) + 1, line_start)
    word = text[word_start : match.start()].lstrip(_OPENING)
    return _period_ends(word, next_word)


def _period_ends(word: str, next_word: str) -> bool:
    """Whether a period right after ``word`` ends the sentence, given the word after it."""
    lower = word.lower()
    if not word or lower in NEVER_FINAL:
        return False
    if len(word) == 1 and word.isalpha():
        return False  # an initial: "J. Smith"
    if lower in BEFORE_NUMBER and next_word[0].isdigit():
        return False
    if _ACRONYM.fullmatch(word) or lower in MAYBE_FINAL:
        return next_word.lower() in OPENERS
    return True
