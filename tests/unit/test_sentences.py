"""Sentence spans: abbreviations, initials, quotes, and hard line/paragraph boundaries."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsreader.annotations.sentences import paragraph_spans, sentence_at, sentence_spans
from newsreader.feeds.text import html_to_text
from newsreader.resources import data_dir


def sample_text() -> str:
    """The canonical text of the bundled sample article (the demo feed's second item)."""
    xml = (data_dir("seeds") / "demo.xml").read_text(encoding="utf-8")
    bodies = re.findall(r"<content:encoded><!\[CDATA\[(.*?)\]\]>", xml, re.S)
    return html_to_text(bodies[1])[0]


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


# Each case: sentences joined by one space must segment back into exactly these sentences.
TRICKY = [
    ["Mr. Smith met Sen. Jones in Washington on Tuesday.", "They spoke for an hour."],
    ["The U.S. and the U.N. disagreed.", "Talks resumed on Jan. 5 in Geneva."],
    ["Shares rose 3.5% to $12.40 at 10 a.m. Eastern.", "Analysts were surprised."],
    ["J.P. Morgan Chase & Co. reported earnings.", "Its stock fell."],
    ["Gen. Mark Milley spoke at No. 10 Downing Street.", "He left early."],
    ['"We will not back down," he said.', "The crowd cheered."],
    ["“Are you sure?” he asked.", "She nodded."],
    ["Was it a coup?", "Nobody could say!", "The army stayed silent."],
    ["Prices rose…", "Then they fell.", "Nobody knew why."],
    ["The sanctions were imposed by the U.S.", "The next day markets fell."],
    ["The deal was signed by Acme Corp.", "Its rivals objected."],
    ["The meeting ended at 5 p.m.", "The leaders then left."],
    ["She earned a Ph.D.", "She then joined the ministry."],
    ["Officials in Washington, D.C. on Monday denied it.", "No details were given."],
    ["Martin Luther King Jr. Day is a holiday.", "Offices close."],
    ["Dr. J. R. Oppenheimer visited St. Louis.", "It was 1945."],
    ["See e.g. The Times for details.", "It covered the story."],
    ["Visit example.com for details.", "It is free."],
    ["The vote was 52-48 in 2022.", "2023 was different."],
    ["Vol. 3 of the report, i.e. the annex, was leaked.", "It named Gen. Ruiz."],
]


@pytest.mark.parametrize("expected", TRICKY, ids=lambda e: e[0][:30])
def test_tricky_news_sentences(expected: list[str]) -> None:
    assert sentences(" ".join(expected)) == expected


def test_sample_article_sentence_is_one_span() -> None:
    text = sample_text()
    wanted = (
        "Trump described the conversation as constructive, saying Petro reached out to "
        "clarify disagreements over drug policy and broader regional issues."
    )
    assert wanted in sentences(text)
    inside = text.index("constructive")
    start, end = sentence_at(text, inside)
    assert text[start:end] == wanted


def test_sample_article_headings_are_their_own_sentences() -> None:
    found = sentences(sample_text())
    assert "From accusations to dialogue" in found
    assert "Petro’s warning and proposal" in found
    assert "Relations between the two leaders had been openly hostile." in found
    assert len(found) == 25


def test_line_and_paragraph_breaks_are_hard_boundaries() -> None:
    text = "Headline without a period\nByline here\n\nFirst sentence. Second one"
    assert sentences(text) == [
        "Headline without a period",
        "Byline here",
        "First sentence.",
        "Second one",
    ]


def test_sentence_at_edges_and_gaps() -> None:
    text = "One here. Two there.\n\nThree after a gap."
    assert text[slice(*sentence_at(text, 0))] == "One here."
    assert text[slice(*sentence_at(text, 8))] == "One here."  # on the period
    assert text[slice(*sentence_at(text, 9))] == "Two there."  # the space between
    assert text[slice(*sentence_at(text, 21))] == "Three after a gap."  # blank line
    assert text[slice(*sentence_at(text, len(text)))] == "Three after a gap."
    assert sentence_at("", 0) == (0, 0)
    assert sentence_at("   ", 2) == (2, 2)


def test_paragraph_spans() -> None:
    text = "First para\nstill first.\n\n  Second para.  \n\n\nThird."
    assert [text[s:e] for s, e in paragraph_spans(text)] == [
        "First para\nstill first.",
        "Second para.",
        "Third.",
    ]


def test_whole_article_is_fast_enough() -> None:
    big = "\n\n".join([sample_text()] * 120)  # ~60,000 words
    spans = sentence_spans(big)
    assert len(spans) == 25 * 120


@given(st.text(alphabet="ab .?!\n”“A.J", max_size=200))
def test_spans_are_ordered_trimmed_and_inside_lines(text: str) -> None:
    previous_end = 0
    for start, end in sentence_spans(text):
        assert previous_end <= start < end <= len(text)
        chunk = text[start:end]
        assert chunk == chunk.strip() and "\n" not in chunk
        previous_end = end
    # every non-space character belongs to exactly one sentence
    covered = sum(len(text[s:e].replace(" ", "")) for s, e in sentence_spans(text))
    assert covered == len(text.replace(" ", "").replace("\n", ""))
