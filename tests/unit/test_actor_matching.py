"""Actor matching in text (case rules, word boundaries, longest first) and name suggestions."""

from __future__ import annotations

import re
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from newsreader.annotations.actors import ActorMatch, ActorMatcher, _first_match, suggestions
from newsreader.feeds.text import html_to_text
from newsreader.resources import data_dir

REGISTERED = {
    1: ["Donald Trump", "Trump"],
    2: ["Gustavo Petro", "Petro", "President Petro"],
    3: ["Nicolás Maduro", "Maduro"],
    4: ["Cilia Flores"],
    5: ["Colombia"],
    6: ["Venezuela"],
    7: ["Washington"],
    8: ["Bogotá"],
    9: ["United States", "US", "U.S."],
    10: ["White House"],
}


def sample_text() -> str:
    """The canonical text of the bundled sample article (the demo feed's second item)."""
    xml = (data_dir("seeds") / "demo.xml").read_text(encoding="utf-8")
    bodies = re.findall(r"<content:encoded><!\[CDATA\[(.*?)\]\]>", xml, re.S)
    return html_to_text(bodies[1])[0]


def matcher() -> ActorMatcher:
    return ActorMatcher((i, name) for i, names in REGISTERED.items() for name in names)


def found(text: str, m: ActorMatcher | None = None) -> list[tuple[str, int]]:
    return [(text[x.start : x.end], x.actor_id) for x in (m or matcher()).find(text)]


def test_sample_article_finds_the_registered_actors() -> None:
    text = sample_text() + "\n\nColombia Braces for Border Strain Amid Venezuela Crisis"
    hits = found(text)
    names = {name for name, _ in hits}
    assert {
        "Donald Trump",
        "Trump",
        "Gustavo Petro",
        "Petro",
        "Nicolás Maduro",
        "Cilia Flores",
        "Colombia",
        "Venezuela",
        "Washington",
        "Bogotá",
        "US",
        "United States",
        "White House",
    } == names
    assert sum(1 for _, actor in hits if actor == 2) == 12  # "Gustavo Petro" + 11 × "Petro"
    for match in matcher().find(text):  # never inside another word
        before = text[match.start - 1] if match.start else " "
        after = text[match.end] if match.end < len(text) else " "
        assert not before.isalnum() and not after.isalnum(), text[match.start - 5 : match.end + 5]
    assert "Venezuelan" in text and ("Venezuelan", 6) not in hits


def test_longest_alias_wins_and_matches_do_not_overlap() -> None:
    text = "US President Donald Trump met President Petro and Gustavo Petro."
    assert found(text) == [
        ("US", 9),
        ("Donald Trump", 1),
        ("President Petro", 2),
        ("Gustavo Petro", 2),
    ]


def test_case_rules_keep_us_from_matching_us() -> None:
    m = ActorMatcher([(1, "US"), (2, "Petro"), (3, "de Gaulle"), (4, "hamas"), (5, "WHO")])
    text = (
        "Tell us about the US. Us too. PETRO spoke; petro is fuel. De Gaulle and "
        "de Gaulle. HAMAS, Hamas and hamas. The WHO, who knows, the Who."
    )
    assert found(text, m) == [
        ("US", 1),
        ("PETRO", 2),
        ("De Gaulle", 3),
        ("de Gaulle", 3),
        ("HAMAS", 4),
        ("Hamas", 4),
        ("hamas", 4),
        ("WHO", 5),
    ]


def test_no_match_inside_other_words() -> None:
    m = ActorMatcher([(1, "Petro"), (2, "Iran"), (3, "US")])
    text = "Petrol prices in Petrograd rose; Iranian and USA firms; Petro_x; 2Petro; Iran."
    assert found(text, m) == [("Iran", 2)]


def test_accents_apostrophes_and_punctuation() -> None:
    m = ActorMatcher(
        [(1, "Petro"), (2, "Bogotá"), (3, "O'Brien"), (4, "U.S."), (5, "Cilia Flores")]
    )
    text = (
        "Petro’s plan reached Bogotá’s mayor. O’Brien and O'Brien agreed. The U.S. said "
        "US. Bogota is unaccented. Cilia  Flores spoke; Cilia\nFlores did not."
    )
    assert found(text, m) == [
        ("Petro", 1),
        ("Bogotá", 2),
        ("O’Brien", 3),
        ("O'Brien", 3),
        ("U.S.", 4),
        ("Cilia  Flores", 5),
    ]


def test_letters_that_fold_to_several_keep_offsets_right() -> None:
    """ "ß" folds to "ss" and "İ" to two code points: matches still land on the words."""
    m = ActorMatcher([(1, "Petro"), (2, "Straße"), (3, "İstanbul"), (4, "Gustavo Petro")])
    text = "Die Straße nach İstanbul: Gustavo Petro, STRASSE, Petro und straße."
    assert found(text, m) == [
        ("Straße", 2),
        ("İstanbul", 3),
        ("Gustavo Petro", 4),
        ("STRASSE", 2),
        ("Petro", 1),
    ]


def reference_find(m: ActorMatcher, text: str) -> list[ActorMatch]:
    """The plain scan: every word's span from ``\\w+``, each word looked up in turn."""
    spans = [x.span() for x in re.finditer(r"\w+", text)]
    out, i = [], 0
    while i < len(spans):
        candidates = m._index.get(text[slice(*spans[i])].casefold())
        hit = _first_match(text, spans, i, candidates) if candidates else None  # type: ignore[arg-type]
        if hit is not None:
            out.append(hit[0])
        i += hit[1] if hit is not None else 1
    return out


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Petro",
                "petro",
                "Gustavo",
                "Straße",
                "İ",
                "US",
                "us",
                "U.S.",
                " ",
                "  ",
                "\n",
                ", ",
                "’s",
                "Cilia",
                "Flores",
                "x",
                "ß",
                "ﬁ",
                "STRASSE",
                "É",
                "\u0345",
            ]
        ),
        max_size=40,
    )
)
def test_fast_scan_equals_the_plain_scan(pieces: list[str]) -> None:
    """Splitting in C and folding the whole text finds what a word-by-word scan finds."""
    m = ActorMatcher(
        [
            (1, "Petro"),
            (2, "Gustavo Petro"),
            (3, "US"),
            (4, "U.S."),
            (5, "Cilia Flores"),
            (6, "Straße"),
            (7, "ﬁx"),
        ]
    )
    text = "".join(pieces)
    assert m.find(text) == reference_find(m, text)


def test_suggestions_on_the_sample_article() -> None:
    text = sample_text()
    names = {s.name: s.count for s in suggestions(text)}
    for name in (
        "Cilia Flores",
        "White House",
        "Gustavo Petro",
        "Nicolás Maduro",
        "Trump",
        "Caracas",
        "Latin America",
    ):
        assert name in names, name
    assert names["Petro"] == 11
    for common in (
        "The",
        "He",
        "His",
        "Without",
        "Despite",
        "From",
        "Between",
        "Speaking",
        "Relations",
        "Phone",
        "President",
        "US President Donald Trump",
    ):
        assert common not in names, common


def test_suggestions_leave_out_known_actors() -> None:
    text = sample_text()
    names = {s.name for s in suggestions(text, matcher())}
    assert names.isdisjoint({"Petro", "Gustavo Petro", "Trump", "Cilia Flores", "Bogotá"})
    assert {"Caracas", "Russia", "China"} <= names
    already = matcher().find(text)
    assert [s.name for s in suggestions(text, found=already)] == [
        s.name for s in suggestions(text, matcher())
    ]


def test_suggestions_join_particles_and_split_at_titles() -> None:
    text = (
        "Yesterday Prime Minister Luiz Inácio Lula da Silva met Bank of America chiefs. "
        "Then the Bank of America statement came."
    )
    names = {s.name: s.count for s in suggestions(text)}
    assert names.get("Luiz Inácio Lula da Silva") == 1
    assert names.get("Bank of America") == 2
    assert "Prime" not in names and "Then" not in names


def test_five_thousand_actors_over_fifty_thousand_words() -> None:
    entries = [(i, f"Actor{i} Surname{i % 97}") for i in range(5_000)]
    entries += [(5_000 + i, f"Place{i}") for i in range(2_000)] + [(9_999, "Petro")]
    m = ActorMatcher(entries)
    text = "\n\n".join([sample_text() + " Actor42 Surname42 visited Place7."] * 110)
    began = time.perf_counter()
    hits = m.find(text)
    elapsed = time.perf_counter() - began
    assert len(text.split()) > 50_000
    assert sum(1 for h in hits if h.actor_id == 42) == 110
    assert sum(1 for h in hits if h.actor_id == 9_999) == 1_320  # 12 per copy
    assert elapsed < 1.0, f"matching took {elapsed * 1000:.0f} ms (target < 100 ms)"


# --- name guesses (the tag dialog) ----------------------------------------------------


def test_the_name_under_the_cursor_leaves_titles_and_adjectives_of_place_out() -> None:
    from newsreader.annotations.actors import name_span_at

    text = sample_text()
    lead = "US President Donald Trump and Colombian President Gustavo Petro spoke"
    base = text.index(lead)

    def name_on(word: str, nth: int = 0) -> str:
        at = base + [m.start() for m in re.finditer(re.escape(word), lead)][nth]
        return text[slice(*name_span_at(text, at + 1))]

    assert name_on("President", 1) == "Gustavo Petro"  # the title: the name after it
    assert name_on("Colombian") == "Gustavo Petro"
    assert name_on("Petro") == "Gustavo Petro"
    assert name_on("President", 0) == "Donald Trump"
    assert name_on("US") == "US"  # before the title, a name of its own
    assert name_on("spoke") == "spoke"  # not a name: the word itself
    maduro = text.index("Venezuelan President Nicolás Maduro")
    assert text[slice(*name_span_at(text, maduro))] == "Nicolás Maduro"
    white = text.index("the White House") + 6
    assert text[slice(*name_span_at(text, white))] == "White House"
    other = "Charles de Gaulle met Lula da Silva. The Colombian president"
    assert other[slice(*name_span_at(other, other.index("Silva")))] == "Lula da Silva"
    assert other[slice(*name_span_at(other, other.index("Gaulle")))] == "Charles de Gaulle"
    assert other[slice(*name_span_at(other, other.index("Colombian")))] == "Colombian"


def test_a_selected_phrase_is_cleaned_into_a_name() -> None:
    from newsreader.annotations.actors import clean_guess

    assert clean_guess("Colombian President Gustavo Petro") == "Gustavo Petro"
    assert clean_guess("US President Donald Trump") == "Donald Trump"
    assert clean_guess("Prime Minister Keir Starmer") == "Keir Starmer"
    assert clean_guess("Mr. Petro") == "Petro"
    assert clean_guess("Dr Jane Smith") == "Jane Smith"
    assert clean_guess("Pope Leo") == "Leo"
    assert clean_guess("The White House") == "White House"
    assert clean_guess("Venezuelan Nicolás Maduro") == "Nicolás Maduro"
    # an organisation's name, or a title that is not followed by a name, stays whole
    assert clean_guess("Ministry of Foreign Affairs") == "Ministry of Foreign Affairs"
    assert clean_guess("President of Colombia") == "President of Colombia"
    assert clean_guess("American Airlines") == "American Airlines"


def test_the_guess_offers_the_surname_the_text_uses_and_never_the_title_phrase() -> None:
    from newsreader.annotations.actors import NameGuess, guess_name, surname

    text = sample_text()
    names = [s.name for s in suggestions(text)]
    assert "Colombian" not in names and "Venezuelan" not in names  # adjectives, not actors
    petro = NameGuess("Gustavo Petro", ("Petro",))
    assert guess_name("Colombian President Gustavo Petro", text, names) == petro
    assert guess_name("Gustavo Petro", text, names) == petro
    assert guess_name("Petro", text, names) == petro  # the fuller name, the short alias
    assert guess_name("President Petro", text, names) == petro
    # "Maduro" never stands alone in the sample, "House" is no surname: nothing offered
    assert guess_name("Nicolás Maduro", text, names) == NameGuess("Nicolás Maduro")
    assert guess_name("The White House", text, names) == NameGuess("White House")
    # a registered alias is never offered again; a known actor keeps its name
    assert guess_name("Gustavo Petro", text, names, known=["petro"]).aliases == ()
    assert guess_name(
        "Petro", text, names, known=["gustavo petro", "petro"], actor_name="Gustavo Petro"
    ) == NameGuess("Gustavo Petro")
    # tagging "President" again once "Gustavo Petro" exists without "Petro": offered
    assert (
        guess_name(
            "Gustavo Petro", text, names, known=["gustavo petro"], actor_name="Gustavo Petro"
        )
        == petro
    )
    assert (
        surname("Charles de Gaulle"),
        surname("Martin Luther King Jr"),
        surname("Bank of America"),
        surname("Petro"),
    ) == ("de Gaulle", "King", None, None)


def test_typed_aliases_are_split_cleaned_and_never_the_name() -> None:
    from newsreader.annotations.actors import parse_aliases

    assert parse_aliases(" Petro ,  President  Petro,,petro, Gustavo Petro", "Gustavo Petro") == (
        "Petro",
        "President Petro",
    )
    assert parse_aliases("") == ()
