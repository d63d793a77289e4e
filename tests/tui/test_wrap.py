"""Wrapping canonical text into offset-addressed lines (the reader's coordinate system)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from newsreader.tui.widgets.wrap import display_text, fit, wrap


def lines(text: str, width: int) -> list[str]:
    """The visual lines as strings."""
    return [text[start:end] for start, end in wrap(text, width)]


def test_words_wrap_at_the_width_and_paragraphs_keep_their_blank_line():
    text = "Trump and Petro spoke by phone this week.\n\nMachado reacted."
    assert lines(text, 16) == [
        "Trump and Petro ",
        "spoke by phone ",
        "this week.",
        "",
        "Machado reacted.",
    ]


def test_a_word_longer_than_the_width_is_cut():
    assert lines("see https://example.com/a/very/long/path ok", 10) == [
        "see ",
        "https://ex",
        "ample.com/",
        "a/very/lon",
        "g/path ok",
    ]


def test_wide_characters_are_measured_in_cells():
    text = "東京で会議 が開かれた Bogotá’s café"
    for line in lines(text, 8):
        assert cell_len(line.rstrip()) <= 8


@given(
    st.text(alphabet=st.sampled_from("ab cd\n東é\u0301-"), max_size=200),
    st.integers(min_value=1, max_value=30),
)
def test_lines_cover_the_text_exactly_and_fit(text: str, width: int):
    spans = wrap(text, width)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
        assert start == end or (start == end + 1 and text[end] == "\n")
    for start, end in spans:
        assert "\n" not in text[start:end]
        assert cell_len(text[start:end].rstrip()) <= max(width, 2)


def test_display_text_replaces_controls_one_for_one():
    raw = "a\x1b[2Jb\tc\u202ed\n"
    shown = display_text(raw)
    assert len(shown) == len(raw)
    assert shown == "a\ufffd[2Jb c\ufffdd\n"


@given(
    st.text(
        alphabet=st.sampled_from("ab \n\t\x00\x1b\x7f\x85\u202e\u2069\ufeff\u200fé"), max_size=60
    )
)
def test_display_text_leaves_no_control_and_keeps_every_offset(raw: str):
    shown = display_text(raw)
    assert len(shown) == len(raw)
    for before, after in zip(raw, shown, strict=True):
        if before in "ab \né":
            assert after == before
        else:
            assert after in (" ", "\ufffd")


def test_fit_cuts_with_an_ellipsis_by_cells():
    assert fit("short", 10) == "short"
    assert fit("a long title here", 8) == "a long …"
    assert cell_len(fit("東京東京東京", 5)) <= 5
