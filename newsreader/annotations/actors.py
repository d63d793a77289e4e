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
        return _Pattern(
            actor_id, alias, (alias,), (alias.casefold(),), (), "", "", alias == alias.lower()
        )
    spans = [m.span() for m in _WORD.finditer(alias)]
    if not spans:
        return None
    words = tuple(alias[s:e] for s, e in spans)
    gaps = tuple(
        _normalise_gap(alias[e:s]) for (_, e), (s, _) in zip(spans, spans[1:], strict=False)
    )
    return _Pattern(
        actor_id=actor_id,
        alias=alias,
        words=words,
        folded=tuple(w.casefold() for w in words),
        gaps=gaps,
        head=_normalise_gap(alias[: spans[0][0]].strip()),
        tail=_normalise_gap(alias[spans[-1][1] :].strip()),
        any_case=alias == alias.lower(),
    )


def _word_ok(written: str, pattern: _Pattern, k: int) -> bool:
    """Whether ``written`` is word ``k`` of ``pattern`` under the case rules."""
    if pattern.any_case:
        return written.casefold() == pattern.folded[k]
    return _word_matches(written, pattern.words[k])


def _word_matches(written: str, wanted: str) -> bool:
    """The case rule for one word of a cased alias."""
    return (
        written == wanted or written == wanted.upper() or written == wanted[:1].upper() + wanted[1:]
    )


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
        return [
            ActorMatch(m.start + start, m.end + start, m.actor_id, m.alias)
            for m in self.find(text[start:end])
        ]

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


def _first_match(
    text: str, spans: _Spans, i: int, candidates: list[_Pattern]
) -> tuple[ActorMatch, int] | None:
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
        if k and _normalise_gap(text[spans[i + k - 1][1] : start]) != pattern.gaps[k - 1]:
            return False
    first, last = spans[i][0], spans[i + len(pattern.words) - 1][1]
    if (
        pattern.head
        and _normalise_gap(text[max(0, first - len(pattern.head)) : first]) != pattern.head
    ):
        return False
    return not pattern.tail or _normalise_gap(text[last : last + len(pattern.tail)]) == pattern.tail


# --- suggestions ----------------------------------------------------------------------

PARTICLES = frozenset("of de da del della der di du la le van von bin al y".split())
"""Lower-case words allowed inside a name ("Bank of America", "Lula da Silva")."""

TITLES = frozenset(
    """
president vice prime minister secretary senator sen rep representative governor gov
general gen chancellor king queen prince princess pope mr mrs ms mx dr prof judge justice
mayor ambassador foreign defense defence interior finance leader chief ceo cfo coo chairman
chairwoman chair spokesman spokeswoman spokesperson commander colonel captain lieutenant
sergeant admiral premier deputy sheikh emir sultan ayatollah cardinal
archbishop bishop rabbi imam lord lady sir dame congressman congresswoman assemblyman
assemblywoman councillor councilman councilwoman attorney director officer
""".split()
)
"""Title words that split a run: "US President Donald Trump" gives "US", "Donald Trump"."""

DEMONYMS = frozenset(
    """
afghan albanian algerian american andorran angolan argentine argentinian armenian
australian austrian azerbaijani bahraini bangladeshi belarusian belgian bolivian bosnian
brazilian british bulgarian burmese cambodian cameroonian canadian chadian chilean
chinese colombian congolese cuban cypriot czech danish dominican dutch ecuadorian
egyptian emirati english eritrean estonian ethiopian european filipino finnish french
georgian german ghanaian greek guatemalan haitian honduran hungarian icelandic indian
indonesian iranian iraqi irish israeli italian ivorian jamaican japanese jordanian
kazakh kenyan korean kosovar kuwaiti kyrgyz lebanese libyan lithuanian malaysian
malian mexican moldovan mongolian moroccan mozambican namibian nepalese nicaraguan
nigerian nigerien norwegian pakistani palestinian panamanian paraguayan peruvian polish
portuguese qatari romanian russian rwandan salvadoran saudi scottish senegalese serbian
singaporean slovak slovenian somali spanish sudanese swedish swiss syrian taiwanese
tajik tanzanian thai tunisian turkish turkmen ugandan ukrainian uruguayan uzbek
venezuelan vietnamese welsh yemeni zambian zimbabwean latin african asian arab
""".split()
)
"""Adjectives of place ("Colombian", "Venezuelan"): never a name on their own, and left
out of a guessed name ("Colombian Gustavo Petro" -> "Gustavo Petro")."""

COMMON = frozenset(
    """
a an the this that these those there here it its he she his her they their them we our
i you your but and or so yet still however meanwhile instead also then now in on at as
after before when while if although though despite since for from with without by to
during under over one some many most all both each no not what who why how where which
between among against about according amid speaking asked said says whether until
because once even only just more other another every again every such like
monday tuesday wednesday thursday friday saturday sunday
""".split()
)
"""Capitalised only because they open a sentence or heading: never suggested there."""


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A name found in the text that is not a known actor yet."""

    name: str
    count: int
    first: int
    """Offset of its first occurrence."""


def suggestions(
    text: str, known: ActorMatcher | None = None, found: list[ActorMatch] | None = None
) -> list[Suggestion]:
    """Candidate actor names: runs of capitalised words, most frequent first.

    Known actors are left out (their mentions are masked before the runs are built);
    a capitalised common word opening a sentence is not part of a name; neither is a
    sentence-initial word that also appears in lower case elsewhere in the text.
    ``found`` is ``known.find(text)`` when the caller already has it.
    """
    if found is None:
        found = known.find(text) if known is not None else []
    masked: set[int] = set()
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
    """Keep ``run`` unless it is only adjectives of place ("Venezuelan")."""
    if run and not all(text[s:e].casefold() in DEMONYMS for s, e in run):
        runs.append((run[0][0], text[run[0][0] : run[-1][1]]))


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


# --- name guesses (the tag dialog) ----------------------------------------------------

ARTICLES = frozenset({"the", "a", "an"})
"""Left off the front of a guessed name ("The White House" -> "White House"), so it also
matches mid-sentence ("the White House")."""
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
"""Name suffixes skipped when taking a surname ("Martin Luther King Jr" -> "King")."""
_MODIFIERS = frozenset({"foreign", "interior", "defense", "defence", "finance"})
"""Title words that also begin names ("Foreign Affairs"): they do not end a title."""
_CUT_TITLES = TITLES - _MODIFIERS
_NO_SURNAME = frozenset({"of", "the", "and", "for"})
"""A name holding one of these ("Bank of America") is not a person's: no surname."""
_LINE_REACH = 2000
"""How far around the cursor a name is looked for (a name never spans a line)."""


@dataclass(frozen=True, slots=True)
class NameGuess:
    """What the tag dialog offers: the actor's name and the aliases to give it."""

    name: str
    aliases: tuple[str, ...] = ()


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _joinable(text: str, words: list[tuple[int, int]], k: int) -> bool:
    """Whether word ``k`` belongs to the same name as word ``k - 1`` (one space apart)."""
    return text[words[k - 1][1] : words[k][0]] == " "


def _run_around(text: str, words: list[tuple[int, int]], i: int) -> list[tuple[int, int]]:
    """The capitalised words (with particles between them) around word ``i``."""

    def word(k: int) -> str:
        return text[words[k][0] : words[k][1]]

    def inner(k: int) -> bool:  # a particle between two capitalised words of the name
        return (
            0 < k < len(words) - 1
            and word(k) in PARTICLES
            and _capitalised(word(k - 1))
            and _capitalised(word(k + 1))
            and _joinable(text, words, k)
            and _joinable(text, words, k + 1)
        )

    lo = hi = i
    while lo > 0 and _joinable(text, words, lo) and (_capitalised(word(lo - 1)) or inner(lo - 1)):
        lo -= 1
    while (
        hi + 1 < len(words)
        and _joinable(text, words, hi + 1)
        and (_capitalised(word(hi + 1)) or inner(hi + 1))
    ):
        hi += 1
    return words[lo : hi + 1]


def _segments(text: str, words: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """``words`` cut at titles that precede a name: "US President Donald Trump" gives
    "US" and "Donald Trump"; "President of Colombia" stays whole."""
    segments: list[list[tuple[int, int]]] = [[]]
    for k, (start, end) in enumerate(words):
        title = text[start:end].casefold() in _CUT_TITLES
        following = text[words[k + 1][0] : words[k + 1][1]] if k + 1 < len(words) else ""
        if title and (not following or _capitalised(following)):
            segments.append([])
        else:
            segments[-1].append((start, end))
    return segments


def _trimmed(text: str, words: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A segment without what is not part of a name at its edges: articles, sentence
    openers, lower-case particles and (before at least two more words) adjectives of
    place ("Colombian Gustavo Petro" -> "Gustavo Petro")."""
    words = list(words)

    def droppable(k: int) -> bool:
        word = text[words[k][0] : words[k][1]]
        folded = word.casefold()
        if not _capitalised(word) or folded in ARTICLES or folded in COMMON:
            return True
        capitals = sum(_capitalised(text[s:e]) for s, e in words[k + 1 :])
        return (folded in DEMONYMS or folded in TITLES) and capitals >= 2

    while words and droppable(0):
        words.pop(0)
    while words and not _capitalised(text[words[-1][0] : words[-1][1]]):
        words.pop()
    if words and all(text[s:e].casefold() in DEMONYMS for s, e in words):
        return []
    return words


def _words_near(text: str, pos: int) -> list[tuple[int, int]]:
    """The word spans of the line holding ``pos`` (at most ``_LINE_REACH`` either side)."""
    lo = max(text.rfind("\n", 0, pos) + 1, pos - _LINE_REACH)
    hi = text.find("\n", pos)
    hi = min(len(text) if hi < 0 else hi, pos + _LINE_REACH)
    return [m.span() for m in _WORD.finditer(text, lo, hi)]


def name_span_at(text: str, pos: int) -> tuple[int, int]:
    """The name under ``pos``, titles and adjectives of place left out.

    On any word of "Colombian President Gustavo Petro" (the title included) it is
    "Gustavo Petro"; on "US" in "US President Donald Trump", "US". On a word that is not
    capitalised, or when no name is left, the word itself (or the nearest one after
    ``pos``); ``(pos, pos)`` when there is none.
    """
    words = _words_near(text, pos)
    i = next((k for k, (_, end) in enumerate(words) if end > pos), None)
    if i is None:
        return pos, pos
    word = words[i]
    if not _capitalised(text[word[0] : word[1]]):
        return word
    for segment in _segments(text, _run_around(text, words, i)):
        if segment and segment[-1][1] <= word[0]:
            continue  # wholly before the word: "US" in "US President Donald Trump"
        kept = _trimmed(text, segment)
        if kept:  # the word's own segment, or the name after its title
            return kept[0][0], kept[-1][1]
    return word


def clean_guess(phrase: str) -> str:
    """A selected phrase as an actor's name: the name after its titles, without articles
    or adjectives of place ("Colombian President Gustavo Petro" -> "Gustavo Petro").
    The phrase itself (stripped) when nothing would be left."""
    words = [m.span() for m in _WORD.finditer(phrase)]
    for segment in reversed(_segments(phrase, words)):
        kept = _trimmed(phrase, segment)
        if kept:
            return phrase[kept[0][0] : kept[-1][1]]
    return phrase.strip()


def full_name(short: str, names: Iterable[str]) -> str | None:
    """A longer name of the text that ends or starts with ``short`` ("Petro" -> "Gustavo
    Petro"), cleaned of titles; None when there is none."""
    folded = short.casefold()
    for name in names:
        name = clean_guess(name)
        words = name.split()
        if len(words) > 1 and folded in (words[-1].casefold(), words[0].casefold()):
            return name
    return None


def surname(name: str) -> str | None:
    """A person's surname, with its particles ("Gustavo Petro" -> "Petro", "Charles de
    Gaulle" -> "de Gaulle"); None for one word or a name that is not a person's."""
    spans = [m.span() for m in _WORD.finditer(name)]
    words = [name[s:e] for s, e in spans]
    if len(words) < 2 or any(w.casefold() in _NO_SURNAME for w in words):
        return None
    last = len(words) - 1
    while last > 0 and words[last].casefold() in SUFFIXES:
        last -= 1
    first = last
    while first > 1 and words[first - 1] in PARTICLES:
        first -= 1
    if first == 0 or not _capitalised(words[last]):
        return None
    return name[spans[first][0] : spans[last][1]]


def occurs_alone(text: str, name: str, alias: str) -> bool:
    """Whether ``alias`` occurs in ``text`` outside ``name`` (same rules as the reader's
    marks: "Petro" in "Petro said", not in "Gustavo Petro")."""
    if not text or not alias.strip():
        return False
    matcher = ActorMatcher([(0, name), (1, alias)])
    return any(m.actor_id == 1 for m in matcher.find(text))


def guess_name(
    selected: str,
    text: str = "",
    names: Iterable[str] = (),
    known: Iterable[str] = (),
    actor_name: str | None = None,
) -> NameGuess:
    """The name and aliases the tag dialog offers for ``selected``.

    Args:
        selected: the text tagged (a selection, or the name under the cursor).
        text: the article's text: the surname is offered as an alias only when the text
            also uses it on its own ("Petro" for "Gustavo Petro").
        names: fuller names the text uses ("Gustavo Petro" for a selected "Petro").
        known: every registered name and alias: never offered again as an alias.
        actor_name: the known actor already marked there, when there is one.

    Titles and adjectives of place are left out of the name; the selection is an alias
    only when, so cleaned, it differs from the name ("Petro" for "Gustavo Petro").
    """
    core = clean_guess(selected)
    if actor_name is not None:
        name = actor_name
    else:
        name = (full_name(core, names) if len(core.split()) == 1 else None) or core
    offered = [core]
    last = surname(name)
    if last is not None and occurs_alone(text, name, last):
        offered.append(last)
    taken = {n.casefold() for n in known} | {name.casefold()}
    aliases: list[str] = []
    for alias in offered:
        if alias.strip() and alias.casefold() not in taken:
            taken.add(alias.casefold())
            aliases.append(alias)
    return NameGuess(name, tuple(aliases))


def parse_aliases(typed: str, name: str = "") -> tuple[str, ...]:
    """The aliases typed in the tag dialog: comma-separated, stripped, each once, the
    name itself left out."""
    seen = {name.strip().casefold()} if name.strip() else set()
    aliases = []
    for part in typed.split(","):
        alias = " ".join(part.split())
        if alias and alias.casefold() not in seen:
            seen.add(alias.casefold())
            aliases.append(alias)
    return tuple(aliases)
