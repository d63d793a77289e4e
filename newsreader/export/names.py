"""An article's byline as names, for exports that tell people from organisations.

A feed gives one free-text author field. The rule is simple on purpose, so a byline is
never split wrongly into given and family names:

- the byline is cut into names at ``;``, ``&`` and `` and ``, and at commas only when
  every part has two words or more ("Ana Reporter, Bo Writer"; "Reporter, Ana" stays one);
- a name of two or three words, each a capital then letters, not all capitals (hyphens,
  apostrophes and dots allowed: "Ana-María O'Neil", "J. Smith"), is a person's: the last
  word is the family name, the words before it the given names;
- anything else (one word, more than three, an all-capitals word such as "FRANZ AG",
  digits, a particle such as "van") is kept whole, as a literal name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsreader.safety import clean_text

_SEPARATORS = re.compile(r"\s*(?:;|&|\band\b)\s*")
_NAME_PUNCTUATION = "-'’."
PERSON_WORDS = range(2, 4)
"""How many words a person's name has (more is read as an organisation's or a phrase)."""


@dataclass(frozen=True, slots=True)
class Name:
    """One author: ``given``/``family`` for a person's name that splits cleanly, else
    ``literal`` alone."""

    literal: str = ""
    given: str = ""
    family: str = ""

    @property
    def is_person(self) -> bool:
        """True when the name split as a person's."""
        return bool(self.family)

    @property
    def text(self) -> str:
        """The name as written."""
        return self.literal or f"{self.given} {self.family}"


def _is_person_word(word: str) -> bool:
    """A capital first, then letters (and ``-'’.``), not all capitals ("AG", "BBC")."""
    letters = "".join(c for c in word if c not in _NAME_PUNCTUATION)
    return (
        word[0].isalpha()
        and word[0].isupper()
        and letters.isalpha()
        and not (len(letters) > 1 and letters.isupper())
    )


def parse_name(text: str) -> Name:
    """One name as a person's (given, family) or a literal (see the module notes)."""
    words = text.split()
    if len(words) in PERSON_WORDS and all(_is_person_word(w) for w in words):
        return Name(given=" ".join(words[:-1]), family=words[-1])
    return Name(literal=" ".join(words))


def _parts(byline: str) -> list[str]:
    parts = [p for p in _SEPARATORS.split(byline) if p.strip()]
    split: list[str] = []
    for part in parts:
        pieces = [p.strip() for p in part.split(",") if p.strip()]
        if len(pieces) > 1 and all(len(p.split()) >= 2 for p in pieces):
            split += pieces
        else:
            split.append(part.strip())
    return split


def authors(byline: str) -> list[Name]:
    """The names in an article's author field, in order (none when it is empty)."""
    return [parse_name(part) for part in _parts(clean_text(byline).strip())]
