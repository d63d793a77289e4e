"""Anchoring: selectors, re-anchoring after edits, orphans, fuzzy matching, speed."""

from __future__ import annotations

import hashlib
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsreader.annotations.anchoring import (
    CONTEXT,
    AmbiguousQuote,
    Anchor,
    Budget,
    QuoteNotFound,
    approximate_match,
    locate_quote,
    make_anchor,
    make_selector,
    occurrences,
    place,
    reanchor,
    reanchor_all,
)

TEXT = (
    "US President Donald Trump and Colombian President Gustavo Petro spoke by phone this "
    "week. Trump described the conversation as constructive, saying Petro reached out to "
    "clarify disagreements over drug policy. Petro argued those operations harmed civilian "
    "fishermen, prompting Trump to accuse him of being aligned with drug interests."
)


def anchor_on(text: str, quote: str, occurrence: int = 1) -> Anchor:
    start, end = locate_quote(text, quote, occurrence)
    return make_anchor(text, start, end)


def test_selector_keeps_32_characters_of_context() -> None:
    start = TEXT.index("constructive")
    exact, prefix, suffix = make_selector(TEXT, start, start + len("constructive"))
    assert exact == "constructive"
    assert prefix == TEXT[start - CONTEXT : start] and len(prefix) == 32
    assert suffix == TEXT[start + 12 : start + 12 + CONTEXT] and len(suffix) == 32
    assert make_selector(TEXT, 0, 2) == ("US", "", TEXT[2:34])
    with pytest.raises(ValueError):
        make_selector(TEXT, 5, len(TEXT) + 1)


def test_unchanged_text_keeps_the_position() -> None:
    anchor = anchor_on(TEXT, "Trump described the conversation as constructive")
    assert place(anchor, TEXT) == (anchor.start, anchor.end, "position", True)


def test_insertion_before_moves_every_annotation() -> None:
    anchors = [
        anchor_on(TEXT, q)
        for q in ("Trump described", "Petro reached out", "harmed civilian fishermen")
    ]
    new = "BREAKING: an update. " + TEXT
    placed = reanchor_all(anchors, new)
    assert [new[p.start : p.end] for p in placed if p] == [a.exact for a in anchors]
    assert [p.start - a.start for p, a in zip(placed, anchors, strict=True) if p] == [21] * 3
    assert [p.how for p in placed if p] == ["exact", "shifted", "shifted"]


def test_repeated_quote_is_told_apart_by_its_context() -> None:
    anchor = anchor_on(TEXT, "Petro", 3)  # "Petro argued..."
    new = TEXT.replace("spoke by phone", "spoke at length by phone")
    start, end = reanchor(anchor, new) or (-1, -1)
    assert new[start : end + 7] == "Petro argued"


def test_short_quote_whose_context_is_gone_is_orphaned_not_moved() -> None:
    anchor = anchor_on(TEXT, "Petro", 3)
    new = TEXT.replace(
        "Petro argued those operations harmed civilian fishermen",
        "Critics said the strikes were lawful",
    )
    assert "Petro" in new
    assert reanchor(anchor, new) is None


def test_long_quote_survives_anywhere() -> None:
    quote = "clarify disagreements over drug policy"
    anchor = anchor_on(TEXT, quote)
    new = "Intro paragraph.\n\n" + quote + " was the phrase.\n\nOther text entirely."
    start, end = reanchor(anchor, new) or (-1, -1)
    assert new[start:end] == quote


def test_small_edit_inside_the_quote_is_found_fuzzily() -> None:
    anchor = anchor_on(TEXT, "Trump described the conversation as constructive")
    new = TEXT.replace("the conversation as constructive", "the conversation as productive")
    placed = place(anchor, new)
    assert placed is not None and placed.how == "fuzzy"
    assert new[placed.start : placed.end] == "Trump described the conversation as productive"


def test_fuzzy_work_is_bounded_by_a_budget() -> None:
    anchor = anchor_on(TEXT, "Trump described the conversation as constructive")
    new = TEXT.replace("as constructive", "as productive")
    assert place(anchor, new, budget=Budget(0)) is None  # spent: orphaned, not slow
    budget = Budget(10_000)
    assert place(anchor, new, budget=budget) is not None
    assert 0 < budget.chars < 10_000
    moved = anchor_on(TEXT, "harmed civilian fishermen")
    assert place(moved, "Intro. " + TEXT, budget=Budget(0)) is not None  # exact: free


def test_quote_rewritten_beyond_the_threshold_is_orphaned() -> None:
    anchor = anchor_on(TEXT, "Trump described the conversation as constructive")
    new = TEXT.replace(
        "Trump described the conversation as constructive",
        "The White House called the call a waste of time",
    )
    assert reanchor(anchor, new) is None


def test_locate_quote_errors_and_occurrences() -> None:
    with pytest.raises(QuoteNotFound):
        locate_quote(TEXT, "Maduro")
    with pytest.raises(AmbiguousQuote) as info:
        locate_quote(TEXT, "Petro")
    assert info.value.count == 3
    assert locate_quote(TEXT, "Petro", 2) == (
        TEXT.index("Petro reached"),
        TEXT.index("Petro reached") + 5,
    )
    with pytest.raises(QuoteNotFound):
        locate_quote(TEXT, "Petro", 4)
    with pytest.raises(QuoteNotFound):
        locate_quote(TEXT, "")
    assert occurrences("aaaa", "aa") == [0, 1, 2]


def _edit_distance(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


@given(st.text("abc", min_size=1, max_size=8), st.text("abc", max_size=14))
def test_approximate_match_finds_the_closest_substring(pattern: str, text: str) -> None:
    best = min(
        _edit_distance(pattern, text[i:j])
        for i in range(len(text) + 1)
        for j in range(i, len(text) + 1)
    )
    found = approximate_match(pattern, text, 0, len(text), len(pattern))
    assert found is not None
    errors, start, end = found
    assert errors == best
    assert _edit_distance(pattern, text[start:end]) == best


# --- properties -------------------------------------------------------------------------

WORDS = [
    "the",
    "call",
    "said",
    "policy",
    "drug",
    "talks",
    "of",
    "and",
    "a",
    "in",
    "petro",
    "trump",
    "region",
    "war",
    "peace",
    "\n\n",
    "it",
    "was",
    "on",
]
QUOTES = [f"Q{i}-" + hashlib.sha1(str(i).encode()).hexdigest()[:14].upper() for i in range(6)]
"""Distinct quotes, far apart in edit distance, that filler text can never contain."""


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, list[Anchor]]:
    """Filler words with the QUOTES spread through them, plus filler-word annotations."""
    parts, anchors, offset = [], [], 0
    for quote in QUOTES:
        filler = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=30)))
        parts.append(filler + " ")
        offset += len(filler) + 1
        parts.append(quote + " ")
        anchors.append(Anchor(offset, offset + len(quote), quote))
        offset += len(quote) + 1
    text = "".join(parts)
    anchors = [make_anchor(text, a.start, a.end) for a in anchors]
    for start in draw(st.lists(st.integers(0, len(text) - 3), max_size=8)):
        end = min(len(text), start + draw(st.integers(1, 12)))
        if text[start:end].strip():
            anchors.append(make_anchor(text, start, end))
    return text, anchors


def _free_edit(draw: st.DrawFn, text: str, anchors: list[Anchor]) -> tuple[int, int, str]:
    """An edit (start, deleted length, insertion) that touches no annotated span."""
    gaps, cursor = [], 0
    for a in sorted(anchors, key=lambda a: a.start):
        if a.start > cursor:
            gaps.append((cursor, a.start))
        cursor = max(cursor, a.end)
    gaps.append((cursor, len(text)))
    lo, hi = draw(st.sampled_from(gaps))
    start = draw(st.integers(lo, hi))
    length = draw(st.integers(0, hi - start))
    insert = draw(st.sampled_from(["", "x", "the talks ", "\n\nA new paragraph. ", "Q"]))
    return start, length, insert


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_edits_elsewhere_keep_every_annotation_on_its_quote(data: st.DataObject) -> None:
    text, anchors = data.draw(documents())
    start, length, insert = _free_edit(data.draw, text, anchors)
    new = text[:start] + insert + text[start + length :]
    delta = len(insert) - length
    placed = reanchor_all(anchors, new)
    assert len(placed) == len(anchors)
    for anchor, where in zip(anchors, placed, strict=True):
        assert where is not None
        assert new[where.start : where.end] == anchor.exact
        if anchor.exact in QUOTES:  # unique text: exactly where the edit moved it
            moved = anchor.start + (delta if anchor.start >= start + length else 0)
            assert where.start == moved


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_deleting_a_quote_orphans_it_and_only_it(data: st.DataObject) -> None:
    text, anchors = data.draw(documents())
    victim = data.draw(st.integers(0, len(QUOTES) - 1))
    gone = anchors[victim]
    keep = data.draw(st.integers(0, len(gone.exact) // 2))  # delete at least half of it
    cut_start = gone.start + data.draw(st.integers(0, keep))
    cut_end = gone.end - (keep - (cut_start - gone.start))
    new = text[:cut_start] + text[cut_end:]
    placed = reanchor_all(anchors[: len(QUOTES)], new)
    assert placed[victim] is None
    for index, (anchor, where) in enumerate(zip(anchors, placed, strict=False)):
        if index != victim:
            assert where is not None and new[where.start : where.end] == anchor.exact


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_every_annotation_gets_an_answer_whatever_the_edit(data: st.DataObject) -> None:
    text, anchors = data.draw(documents())
    start = data.draw(st.integers(0, len(text)))
    length = data.draw(st.integers(0, len(text) - start))
    insert = data.draw(st.text(alphabet="abQ- \n", max_size=20))
    new = text[:start] + insert + text[start + length :]
    placed = reanchor_all(anchors, new)
    assert len(placed) == len(anchors)
    for anchor, where in zip(anchors, placed, strict=True):
        if where is not None:
            assert 0 <= where.start < where.end <= len(new)
            if where.how != "fuzzy":
                assert new[where.start : where.end] == anchor.exact


def test_reanchoring_ten_thousand_annotations_is_fast() -> None:
    paragraph = TEXT + " " + " ".join(f"word{i}" for i in range(200))
    text = "\n\n".join(f"Paragraph {n}. {paragraph}" for n in range(100))  # ~30k words
    step = len(text) // 10_000
    anchors = [make_anchor(text, i * step, i * step + 5 + i % 30) for i in range(10_000)]
    new = "A new lead paragraph.\n\n" + text
    new = new.replace("Paragraph 50.", "Paragraph fifty, rewritten.")
    new = new.replace("Paragraph 80. US President", "Paragraph 80. The president")
    began = time.perf_counter()
    placed = reanchor_all(anchors, new)
    elapsed = time.perf_counter() - began
    kept = [p for p in placed if p is not None]
    assert len(kept) >= 9_990
    assert all(
        new[p.start : p.end] == a.exact
        for a, p in zip(anchors, placed, strict=True)
        if p is not None and p.how != "fuzzy"
    )
    assert elapsed < 5.0, f"re-anchoring took {elapsed:.2f}s (target 1 s)"


def test_ruling_out_missing_quotes_changes_no_placement() -> None:
    """After a rewrite that removes most quotes, the batch skips scanning for them (an
    index of the new text's 8-character substrings) and places exactly what a scan of
    every quote places."""
    paragraph = TEXT + " " + " ".join(f"word{i}" for i in range(60))
    text = "\n\n".join(f"Paragraph {n}. {paragraph}" for n in range(40))
    step = len(text) // 1_500
    anchors = [make_anchor(text, i * step, i * step + 6 + i % 40) for i in range(1_500)]
    new = text.replace("e", "é").replace("Paragraph 7.", "Paragraph seven.")
    budget = Budget()
    shift, scanned = 0, {}
    for index in sorted(range(len(anchors)), key=lambda i: anchors[i].start):
        placed = place(anchors[index], new, shift, budget)  # no index: every quote scanned
        scanned[index] = placed
        if placed is not None and placed.sure:
            shift = placed.start - anchors[index].start
    batch = reanchor_all(anchors, new)
    assert batch == [scanned[i] for i in range(len(anchors))]
    # most quotes really were gone (found only fuzzily, or not at all)
    assert sum(p is None or p.how == "fuzzy" for p in batch) > 500
    assert any(p is not None and p.how in ("exact", "shifted") for p in batch)
