"""Find known actors in a text, and suggest names nobody has tagged yet.

Matching works on word tokens (``\\w+``, so "Bogotá" is one word and "Petrol" never
contains "Petro"): a dict from a token's case-folded form to every alias starting with it,
longest first. One pass over the text's tokens costs a dict lookup per word whatever the
number of actors (a regex alternation of thousands of names is orders of magnitude slower).

Case rules, so "US" never matches "us":

- an alias written all in lower case ("hamas") matches in any case;
- any other alias matches its exact spelling, its ALL-CAPS form (headlines: "PETRO") and,
  for each word, a capitalised first letter ("de Gaulle" at a sentence start). So "US" and
  "WHO" match only themselves, "Petro" matches "Petro" and "PETRO" but not "petro".

Between the words of an alias, spaces match any run of spaces or tabs (not a line break),
and curly and straight apostrophes are the same ("O’Brien" = "O'Brien"); punctuation
inside or at the end of an alias ("U.S.") must be present in the text. Overlaps resolve
left to right, longest first: "Gustavo Petro" wins over "Petro".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import accumulate, compress

_WORD = re.compile(r"\w+")
_SPLIT = re.compile(r"(\w+)")
_SPACES = re.compile(r"[ \t\u00a0\u2009\u202f]+")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})


@dataclass(frozen=True, slots=True)
class ActorMatch:
    """One mention of a known actor in a text."""

    start: int
    end: int
    actor_id: int
    alias: str
    """The name or alias that matched, as registered."""


@dataclass(slots=True)
class _Pattern:
    """A registered name or alias, split into word tokens and what lies between them."""

    actor_id: int
    alias: str
    words: tuple[str, ...]
    folded: tuple[str, ...]
    gaps: tuple[str, ...]
    head: str
    tail: str
    any_case: bool
    simple: bool = field(init=False)
    """One word with nothing before or after it (decided on the word alone)."""

    def __post_init__(self) -> None:
        self.simple = len(self.words) == 1 and not self.head and not self.tail


def _normalise_gap(gap: str) -> str:
    if gap == " " or not gap:
        return gap
    return _SPACES.sub(" ", gap).translate(_APOSTROPHES)


def _compile(actor_id: int, alias: str) -> _Pattern | None:
    if alias.isalnum():  # the common case: one plain word
        return _Pattern(actor_id, alias, (alias,), (alias.casefold(),), (), "", "",
                        alias == alias.lower())
    spans = [m.span() for m in _WORD.finditer(alias)]
    if not spans:
        return None
    words = tuple(alias[s:e] for s, e in spans)
    gaps = tuple(_normalise_gap(alias[e:s])
                 for (_, e), (s, _) in zip(spans, spans[1:], strict=False))
    return _Pattern(
        actor_id=actor_id, alias=alias, words=words,
        folded=tuple(w.casefold() for w in words), gaps=gaps,
        head=_normalise_gap(alias[:spans[0][0]].strip()),
        tail=_normalise_gap(alias[spans[-1][1]:].strip()),
        any_case=alias == alias.lower(),
    )


def _word_ok(written: str, pattern: _Pattern, k: int) -> bool:
    """Whether ``written`` is word ``k`` of ``pattern`` under the case rules."""
    if pattern.any_case:
        return written.casefold() == pattern.folded[k]
    return _word_matches(written, pattern.words[k])


def _word_matches(written: str, wanted: str) -> bool:
    """The case rule for one word of a cased alias."""
    return (written == wanted or written == wanted.upper()
            or written == wanted[:1].upper() + wanted[1:])


class ActorMatcher:
    """Every registered name and alias, indexed for fast scanning of article text."""

    def __init__(self, entries: Iterable[tuple[int, str]]) -> None:
        """Index ``(actor_id, name_or_alias)`` pairs."""
        index: dict[str, list[_Pattern]] = {}
        for actor_id, alias in entries:
            pattern = _compile(actor_id, alias.strip())
            if pattern is not None:
                index.setdefault(pattern.folded[0], []).append(pattern)
        for candidates in index.values():
            candidates.sort(key=lambda p: (-len(p.words), -len(p.alias), p.actor_id))
        self._index = index

    def __len__(self) -> int:
        return sum(len(c) for c in self._index.values())

    def find(self, text: str) -> list[ActorMatch]:
        """Every mention of a known actor in ``text``, in order, never overlapping.

        Words are split and looked up in C (``re.split``, ``accumulate``, ``compress``);
        Python only looks at the words that start some alias.
        """
        folded = text.casefold()
        if len(folded) != len(text) or "\u0345" in text:
            # Some letter folds to several ("ß"), or U+0345 (a combining mark, folding to a
            # letter) would move word boundaries: fold word by word.
            parts = _SPLIT.split(text)
            folded_words = [word.casefold() for word in parts[1::2]]
        else:  # each letter folds to one: the folded text's offsets are the text's
            parts = _SPLIT.split(folded)
            folded_words = parts[1::2]
        index = self._index
        hits = compress(range(len(folded_words)), map(index.__contains__, folded_words))
        spans = _Spans(list(accumulate(map(len, parts), initial=0)))
        found: list[ActorMatch] = []
        after = 0  # the first word not inside a match already found
        for i in hits:
            if i >= after:
                match = _first_match(text, spans, i, index[folded_words[i]])
                if match is not None:
                    found.append(match[0])
                    after = i + match[1]
        return found

    def find_within(self, text: str, start: int, end: int) -> list[ActorMatch]:
        """:meth:`find` on ``text[start:end]``, offsets in ``text``.

        The same matches as :meth:`find` gives there when the range starts and ends at
        line breaks (no alias spans one).
        """
        return [ActorMatch(m.start + start, m.end + start, m.actor_id, m.alias)
                for m in self.find(text[start:end])]

    def names(self) -> set[str]:
        """Every indexed name and alias, case-folded."""
        return {p.alias.casefold() for c in self._index.values() for p in c}


class _Spans:
    """Word ``i``'s ``(start, end)`` in a text, from the offsets of its ``re.split`` parts."""

    __slots__ = ("_offsets",)

    def __init__(self, offsets: list[int]) -> None:
        self._offsets = offsets

    def __len__(self) -> int:
        return (len(self._offsets) - 2) // 2

    def __getitem__(self, i: int) -> tuple[int, int]:
        return self._offsets[2 * i + 1], self._offsets[2 * i + 2]


def _first_match(text: str, spans: _Spans, i: int,
                 candidates: list[_Pattern]) -> tuple[ActorMatch, int] | None:
    """The first (longest) alias matching at word ``i``, and how many words it covers."""
    for pattern in candidates:
        if pattern.simple:  # one plain word: decided on the word alone
            start, end = spans[i]
            if _word_ok(text[start:end], pattern, 0):
                return ActorMatch(start, end, pattern.actor_id, pattern.alias), 1
            continue
        n = len(pattern.words)
        if i + n <= len(spans) and _matches_at(text, spans, i, pattern):
            start = spans[i][0] - len(pattern.head)
            end = spans[i + n - 1][1] + len(pattern.tail)
            return ActorMatch(start, end, pattern.actor_id, pattern.alias), n
    return None


def _matches_at(text: str, spans: _Spans, i: int, pattern: _Pattern) -> bool:
    """Whether ``pattern`` matches the tokens starting at token ``i``."""
    for k in range(len(pattern.words)):
        start, end = spans[i + k]
        if not _word_ok(text[start:end], pattern, k):
            return False
        if k and _normalise_gap(text[spans[i + k - 1][1]:start]) != pattern.gaps[k - 1]:
            return False
    first, last = spans[i][0], spans[i + len(pattern.words) - 1][1]
    if pattern.head and _normalise_gap(text[max(0, first - len(pattern.head)):first]) \
            != pattern.head:
        return False
    return not pattern.tail or _normalise_gap(
        text[last:last + len(pattern.tail)]) == pattern.tail


# --- suggestions ----------------------------------------------------------------------

PARTICLES = frozenset("of de da del della der di du la le van von bin al y".split())
"""Lower-case words allowed inside a name ("Bank of America", "Lula da Silva")."""

TITLES = frozenset("""
president vice prime minister secretary senator sen rep representative governor gov
general gen chancellor king queen prince princess pope mr mrs ms dr prof judge justice
mayor ambassador foreign defense defence interior finance leader chief ceo chairman
spokesman spokeswoman spokesperson commander colonel captain lieutenant sergeant admiral
""".split())
"""Title words that split a run: "US President Donald Trump" gives "US", "Donald Trump"."""

COMMON = frozenset("""
a an the this that these those there here it its he she his her they their them we our
i you your but and or so yet still however meanwhile instead also then now in on at as
after before when while if although though despite since for from with without by to
during under over one some many most all both each no not what who why how where which
between among against about according amid speaking asked said says whether until
because once even only just more other another every again every such like
monday tuesday wednesday thursday friday saturday sunday
""".split())
"""Capitalised only because they open a sentence or heading: never suggested there."""


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A name found in the text that is not a known actor yet."""

    name: str
    count: int
    first: int
    """Offset of its first occurrence."""


def suggestions(text: str, known: ActorMatcher | None = None,
                found: list[ActorMatch] | None = None) -> list[Suggestion]:
    """Candidate actor names: runs of capitalised words, most frequent first.

    Known actors are left out (their mentions are masked before the runs are built);
    a capitalised common word opening a sentence is not part of a name; neither is a
    sentence-initial word that also appears in lower case elsewhere in the text.
    ``found`` is ``known.find(text)`` when the caller already has it.
    """
    if found is None:
        found = known.find(text) if known is not None else []
    masked = set()
    for match in found:
        masked.update(range(match.start, match.end))
    lower_words = {m.group() for m in _WORD.finditer(text) if m.group().islower()}
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for start, name in _runs(text, masked, lower_words):
        counts[name] += 1
        first.setdefault(name, start)
    ordered = sorted(counts, key=lambda n: (-counts[n], first[n]))
    return [Suggestion(n, counts[n], first[n]) for n in ordered]


def _runs(text: str, masked: set[int], lower_words: set[str]) -> list[tuple[int, str]]:
    """Every run of capitalised words (joined by single spaces or particles)."""
    runs: list[tuple[int, str]] = []
    current: list[tuple[int, int]] = []
    pending: list[tuple[int, int]] = []  # particles waiting for a capitalised word
    for match in _WORD.finditer(text):
        start, end = match.span()
        word = match.group()
        joined = bool(current) and _joined(text, (pending or current)[-1][1], start)
        if not joined:
            _flush(text, current, runs)
            current, pending = [], []
        if start in masked or word.casefold() in TITLES:
            _flush(text, current, runs)
            current, pending = [], []
        elif word[0].isupper() and not _is_sentence_word(text, start, word, lower_words):
            current += pending + [(start, end)]
            pending = []
        elif current and word in PARTICLES:
            pending.append((start, end))
        else:
            _flush(text, current, runs)
            current, pending = [], []
    _flush(text, current, runs)
    return runs


def _joined(text: str, previous_end: int, start: int) -> bool:
    return text[previous_end:start] == " "


def _flush(text: str, run: list[tuple[int, int]], runs: list[tuple[int, str]]) -> None:
    if run:
        runs.append((run[0][0], text[run[0][0]:run[-1][1]]))


def _is_sentence_word(text: str, start: int, word: str, lower_words: set[str]) -> bool:
    """A capitalised word that is only capitalised because it opens a sentence."""
    if not _opens_sentence(text, start):
        return False
    return word.casefold() in COMMON or word.lower() in lower_words


def _opens_sentence(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in "\"'“‘«([ \t":
        i -= 1
    return i < 0 or text[i] in ".!?…\n:"
