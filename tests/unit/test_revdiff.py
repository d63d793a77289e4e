"""The word diff of two revisions: pieces in order, each side joined back exactly, the
change narrowed to the words that changed (also inside one long paragraph)."""

from __future__ import annotations

import random

import pytest

from newsreader.annotations.revdiff import changed_words, side, word_diff, words


def test_words_keep_their_whitespace() -> None:
    text = "  Two  words,\n\nthen more. "
    assert "".join(words(text)) == text
    assert words("a b") == ["a ", "b"]


def test_a_reworded_quote_is_the_only_change() -> None:
    a = "Talks resumed on Monday.\n\nThe minister said the ceasefire holds for now."
    b = "Talks resumed on Monday.\n\nThe minister said the ceasefire holds for the moment."
    pieces = word_diff(a, b)
    assert pieces == [
        ("equal", "Talks resumed on Monday.\n\nThe minister said the ceasefire holds for "),
        ("delete", "now."),
        ("insert", "the moment."),
    ]
    assert changed_words(pieces) == (1, 2)


def test_identical_texts_are_one_equal_piece() -> None:
    assert word_diff("Same text.", "Same text.") == [("equal", "Same text.")]
    assert word_diff("", "") == []
    assert word_diff("", "New.") == [("insert", "New.")]
    assert word_diff("Old.", "") == [("delete", "Old.")]


@pytest.mark.parametrize("separator", ["\n\n", " ", "\n"])
def test_each_side_joins_back_to_its_text(separator: str) -> None:
    rng = random.Random(7)
    vocab = ["the", "of", "ceasefire", "talks", "said", "minister", "holds", "now"]
    paras = [[rng.choice(vocab) for _ in range(30)] for _ in range(40)]
    after = [list(p) for p in paras]
    for _ in range(15):
        p = rng.choice(after)
        p[rng.randrange(len(p))] = "REWORDED"
    a = separator.join(" ".join(p) + "." for p in paras)
    b = separator.join(" ".join(p) + "." for p in after)
    pieces = word_diff(a, b)
    assert side(pieces, "old") == a and side(pieces, "new") == b
    inserted = [text for op, text in pieces if op == "insert"]
    assert all("REWORDED" in text for text in inserted)
    assert sum(text.count("REWORDED") for text in inserted) == b.count("REWORDED")
    assert all(len(text.split()) <= 3 for op, text in pieces if op != "equal")
