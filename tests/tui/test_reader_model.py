"""The reader's plain-Python parts: motions, the span index, marks, panel rows, suggestions."""

from __future__ import annotations

from newsreader.annotations.actors import ActorMatch, ActorMatcher
from newsreader.models import Annotation, Note, Snapshot
from newsreader.tui.marks import ArticleMarks, panel_rows
from newsreader.tui.spans import Span, SpanIndex
from newsreader.tui.suggest import filter_actors, full_name, nearby_choices
from newsreader.tui.widgets import reader_model as model

SAMPLE = (
    "US President Donald Trump and Colombian President Gustavo Petro spoke by phone.\n\n"
    "Trump described the conversation as constructive, saying Petro reached out. "
    "The White House said little."
)


def annotation(
    id: int,
    kind: str,
    start: int,
    end: int,
    *,
    status: str | None = None,
    speaker: tuple[int, str] | None = None,
    actor: tuple[int, str] | None = None,
    orphaned: bool = False,
    note: str = "",
) -> Annotation:
    """An annotation record as the store returns it."""
    return Annotation(
        id=id,
        uid=f"u{id}",
        article_id=1,
        kind=kind,
        start=start,
        end=end,
        exact=SAMPLE[start:end],
        prefix="",
        suffix="",
        orphaned=orphaned,
        actor_id=actor[0] if actor else None,
        actor_name=actor[1] if actor else None,
        speaker_id=speaker[0] if speaker else None,
        speaker_name=speaker[1] if speaker else None,
        about=(),
        status=status,
        note=note,
        snapshot=Snapshot(),
        created=0.0,
        modified=0.0,
    )


def test_word_motions_stop_at_words_and_punctuation():
    text = "Trump, Petro: talks (again)."
    assert model.next_word(text, 0) == text.index(",")
    assert model.next_word(text, text.index(",")) == text.index("Petro")
    assert model.previous_word(text, text.index("talks")) == text.index(":")
    assert model.previous_word(text, text.index("alks")) == text.index("talks")
    assert model.word_end(text, 0) == len("Trump")
    assert model.word_end(text, len("Trump")) == len("Trump,")
    assert model.next_word(text, len(text) - 1) == len(text)
    assert model.previous_word(text, 0) == 0


def test_previous_word_finds_the_start_of_a_very_long_word():
    text = "see " + "x" * 1000 + " end"
    assert model.previous_word(text, text.index(" end")) == 4


def test_sentence_and_paragraph_motions_at_the_ends():
    assert model.next_sentence(SAMPLE, 0) == SAMPLE.index("Trump described")
    last = SAMPLE.index("The White")
    assert model.next_sentence(SAMPLE, last) == last  # nowhere to go
    assert model.previous_sentence(SAMPLE, 0) == 0
    assert model.previous_sentence(SAMPLE, last) == SAMPLE.index("Trump described")
    assert model.next_paragraph(SAMPLE, 5) == SAMPLE.index("Trump described")
    assert model.next_paragraph(SAMPLE, last) == last
    assert model.previous_paragraph(SAMPLE, last) == SAMPLE.index("Trump described")
    assert model.paragraph_at(SAMPLE, 3) == (0, SAMPLE.index("\n"))


def test_the_name_under_the_cursor_leaves_titles_out():
    petro = SAMPLE.index("Petro spoke")
    assert SAMPLE[slice(*model.name_at(SAMPLE, petro + 2))] == "Gustavo Petro"
    assert SAMPLE[slice(*model.name_at(SAMPLE, SAMPLE.index("White")))] == "White House"
    assert SAMPLE[slice(*model.name_at(SAMPLE, SAMPLE.index("phone")))] == "phone"


def test_the_span_index_finds_overlaps_in_drawing_order():
    claim = Span(10, 60, "claim", "claim-unverified", 1)
    actor = Span(13, 25, "actor", "actor")
    mention = Span(13, 25, "mention", "mention", 2, 7)
    far = Span(500, 510, "highlight", "highlight", 3)
    index = SpanIndex([far, claim, mention, actor])
    assert index.overlapping(20, 30) == [actor, mention, claim]
    assert index.overlapping(60, 70) == []
    assert index.overlapping(505, 506) == [far]
    assert index.stored_at(14) == mention  # the innermost stored one
    assert index.stored_at(40) == claim and index.stored_at(5) is None
    assert index.next_stored(10) == mention and index.next_stored(13) == far
    assert index.previous_stored(13) == claim and index.previous_stored(10) is None


def test_marks_give_spans_and_panel_rows():
    claim = annotation(1, "claim", 80, 129, status="disputed", speaker=(1, "Donald Trump"))
    mention = annotation(2, "mention", 144, 149, actor=(2, "Gustavo Petro"))
    orphan = annotation(3, "highlight", 0, 2, orphaned=True)
    found = [
        ActorMatch(13, 25, 1, "Donald Trump"),
        ActorMatch(144, 149, 2, "Petro"),
        ActorMatch(57, 62, 2, "Petro"),
    ]
    note = Note(9, "n9", 1, "First line\nsecond", Snapshot(), 0.0, 0.0)
    marks = ArticleMarks(1, [claim, mention, orphan], [note], found, {})
    styles = sorted((s.start, s.style) for s in marks.spans())
    assert (80, "claim-disputed") in styles and (144, "mention") in styles
    assert all(start != 0 for start, _ in styles)  # orphans are not in the text
    rows = [(r.kind, r.mark, r.text) for r in panel_rows(marks)]
    assert rows == [
        ("heading", "", "Claims (1)"),
        ("claim", "disputed", "Donald Trump: “Trump described the conversation as constructive”"),
        ("heading", "", "Actors (2)"),
        ("actor", "", "Gustavo Petro ×2, 1 tagged"),
        ("actor", "", "Donald Trump ×1"),
        ("heading", "", "Notes (1)"),
        ("note", "✎", "First line"),
        ("heading", "", "Orphaned (1)"),
        ("orphan", "?", "highlight “US”"),
    ]
    assert [r.kind for r in panel_rows(ArticleMarks(1, [], []))] == ["hint"]


def test_speakers_are_suggested_from_the_text_around_the_claim():
    start = SAMPLE.index("Trump described")
    end = start + len("Trump described the conversation as constructive")
    names = ["Donald Trump", "Gustavo Petro", "White House"]
    marks = ArticleMarks(1, [], [], [], {}, names)
    labels = [c.label for c in nearby_choices(SAMPLE, start, end, marks, None)]
    assert labels[:2] == [
        "＋ new: Donald Trump (alias Trump)",
        "＋ new: Gustavo Petro (alias Petro)",
    ]
    known = ActorMatcher([(4, "Donald Trump"), (4, "Trump")])
    marks = ArticleMarks(1, [], [], known.find(SAMPLE), {4: "Donald Trump"}, names)
    choices = nearby_choices(SAMPLE, start, end, marks, known)
    assert (choices[0].label, choices[0].actor_id) == ("Donald Trump", 4)
    assert all("Trump" not in c.label for c in choices[1:])
    assert full_name("Petro", names) == "Gustavo Petro" and full_name("Bogotá", names) is None


def test_known_actors_filter_by_name_or_alias():
    actors = [
        (1, "Donald Trump", "donald trump | trump"),
        (2, "Gustavo Petro", "gustavo petro | petro"),
    ]
    assert [c.actor_id for c in filter_actors(actors, "PETRO")] == [2]
    assert [c.actor_id for c in filter_actors(actors, "")] == [1, 2]
    assert filter_actors(actors, "maduro") == []
