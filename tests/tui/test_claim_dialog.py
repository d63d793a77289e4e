"""The claim dialog driven as a user drives it: open the sample article, ``S``, ``c``, type.

Typing lands in the speaker's name box; ``ctrl+s`` stores the actor typed (matched by name
or alias, case and diacritics ignored) or creates it; a new actor is never the default;
"about" takes typed names the same way; the dialogs fit 80×24 with their hint and their own
keys in view; states read without colour. What is asserted is what the screen shows and
what the store holds (a fresh connection to the real SQLite file).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.screen import ModalScreen
from tui_helpers import (
    DISPUTED,
    flat,
    make_app,
    open_sample,
    run,
    screen_text,
    settle,
    widget_text,
)

from newsreader.store import connect
from newsreader.store.actors import add_actor
from newsreader.tui.app import NewsReaderApp
from newsreader.tui.screens.annotate import ClaimScreen
from newsreader.tui.screens.dialogs import AddFeedScreen, ConfirmScreen
from newsreader.tui.screens.pickers import ActorPickScreen, FolderScreen, NoteScreen

HEADING = "Phone call signals tentative de-escalation after months of public hostility"
"""The sample's first sentence (its heading): the name guessed there is "Phone"."""
SMALL = (80, 24)


def rows(db_path: Path, sql: str, *params: object) -> list[tuple]:
    """Rows from the store itself."""
    conn = connect(db_path)
    try:
        return [tuple(r) for r in conn.execute(sql, params).fetchall()]
    finally:
        conn.close()


def claims(db_path: Path) -> list[tuple]:
    """(exact, speaker name) of every claim."""
    return rows(
        db_path,
        "SELECT n.exact, s.name FROM annotations n LEFT JOIN actors s"
        " ON s.id = n.speaker_id WHERE n.kind = 'claim' ORDER BY n.id",
    )


def about(db_path: Path) -> list[str]:
    """The names of the actors the (only) claim is about."""
    return sorted(
        r[0]
        for r in rows(
            db_path, "SELECT r.name FROM claim_about a JOIN actors r ON r.id = a.actor_id"
        )
    )


def actor_names(db_path: Path) -> list[str]:
    """Every actor's name."""
    return sorted(r[0] for r in rows(db_path, "SELECT name FROM actors"))


def bottom_line(app: NewsReaderApp) -> str:
    """The terminal's last row: the key bar."""
    return screen_text(app).rstrip("\n").split("\n")[-1]


@pytest.fixture
def with_petro(demo_store: Path) -> Path:
    """The demo store with one actor: Gustavo Petro, alias Petro."""
    conn = connect(demo_store)
    try:
        add_actor(conn, "Gustavo Petro", "person", ["Petro"])
    finally:
        conn.close()
    return demo_store


async def claim_dialog(pilot, app: NewsReaderApp) -> ClaimScreen:  # type: ignore[no-untyped-def]
    """Open the sample article and press S, c on its first sentence (the heading)."""
    reader = await open_sample(pilot, app, marked=False)
    await settle(pilot, app)
    await pilot.press("S", "c")
    await settle(pilot, app)
    assert isinstance(app.screen, ClaimScreen)
    assert reader.text[slice(*reader.selection)] == HEADING
    return app.screen


@pytest.mark.parametrize("typed", ["Petro", "petró", "GUSTAVO PETRO"])
async def test_a_typed_alias_saves_the_claim_with_that_actor(
    with_petro: Path, tmp_path: Path, typed: str
):
    app = make_app(with_petro, tmp_path)
    async with run(app) as pilot:
        await claim_dialog(pilot, app)
        await pilot.press(*typed)
        assert "Speaker: Gustavo Petro" in screen_text(app)
        assert widget_text(app, "#speaker-list").splitlines()[0].strip() == "▸ Gustavo Petro"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert "Claim saved (Gustavo Petro, unverified)" in flat(screen_text(app))
    assert claims(with_petro) == [(HEADING, "Gustavo Petro")]
    assert actor_names(with_petro) == ["Gustavo Petro"]


async def test_a_typed_new_name_creates_that_actor(with_petro: Path, tmp_path: Path):
    app = make_app(with_petro, tmp_path)
    async with run(app) as pilot:
        await claim_dialog(pilot, app)
        await pilot.press(*"Ana Reporter")
        assert "Speaker: Ana Reporter (new actor)" in screen_text(app)
        assert "▸ ＋ new: Ana Reporter" in widget_text(app, "#speaker-list")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
    assert claims(with_petro) == [(HEADING, "Ana Reporter")]
    assert rows(with_petro, "SELECT kind FROM actors WHERE name = 'Ana Reporter'") == [("person",)]


async def test_saving_without_typing_never_creates_the_suggested_actor(
    demo_store: Path, tmp_path: Path
):
    app = make_app(demo_store, tmp_path)
    async with run(app) as pilot:
        await claim_dialog(pilot, app)
        speakers = [line.strip() for line in widget_text(app, "#speaker-list").splitlines()]
        assert speakers[:2] == ["▸ (no speaker)", "＋ new: Phone"]  # offered, not chosen
        assert "Speaker: none" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert "Claim saved (no speaker, unverified)" in flat(screen_text(app))
    assert claims(demo_store) == [(HEADING, None)]
    assert actor_names(demo_store) == []


async def test_a_known_actor_is_the_default_only_when_named_near_the_quote(
    with_petro: Path, tmp_path: Path
):
    """Gustavo Petro is listed on the heading (which does not name him) but not chosen;
    on a sentence that names him he is."""
    app = make_app(with_petro, tmp_path)
    async with run(app) as pilot:
        await claim_dialog(pilot, app)
        assert "Gustavo Petro" in widget_text(app, "#speaker-list")
        assert "Speaker: none" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        await pilot.press("right_curly_bracket", "right_curly_bracket", "S", "c")
        await settle(pilot, app)
        assert "Petro reached out" in app.screen.quote
        assert "Speaker: Gustavo Petro" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
    assert [speaker for _, speaker in claims(with_petro)] == [None, "Gustavo Petro"]


async def test_picking_the_new_row_creates_it(demo_store: Path, tmp_path: Path):
    """A "＋ new" row chosen explicitly (↓ from the name box) is created."""
    app = make_app(demo_store, tmp_path)
    async with run(app) as pilot:
        await claim_dialog(pilot, app)
        await pilot.press("down")
        assert "Speaker: Phone (new actor)" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
    assert claims(demo_store) == [(HEADING, "Phone")]


async def test_about_takes_new_typed_names_on_a_first_claim(demo_store: Path, tmp_path: Path):
    """No actor exists yet: "about" gets one name added with enter, and one typed and
    saved straight away with ctrl+s; the ticks read as text."""
    app = make_app(demo_store, tmp_path)
    async with run(app) as pilot:
        await claim_dialog(pilot, app)
        await pilot.press("tab")
        assert app.focused.id == "about-filter"
        await pilot.press(*"Colombia", "enter")
        assert app.screen.query_one("#about-filter").value == ""
        assert "[x] ＋ new: Colombia" in widget_text(app, "#about-list")
        await pilot.press(*"venezuela")
        assert "About: Colombia (new actor), venezuela (new actor)" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
    assert claims(demo_store) == [(HEADING, None)]
    assert about(demo_store) == ["Colombia", "venezuela"]


async def test_about_unticks_and_matches_known_actors(with_petro: Path, tmp_path: Path):
    app = make_app(with_petro, tmp_path)
    async with run(app) as pilot:
        await claim_dialog(pilot, app)
        await pilot.press("tab", *"petro", "enter")  # the alias: the known actor
        assert "About: Gustavo Petro" in screen_text(app)
        await pilot.press(*"Colombia", "enter")
        assert "▸ [x] ＋ new: Colombia" in widget_text(app, "#about-list")  # just added
        await pilot.press("up", "enter")  # untick Petro again
        listed = widget_text(app, "#about-list")
        assert "[ ] Gustavo Petro" in listed and "[x] ＋ new: Colombia" in listed
        await pilot.press("ctrl+s")
        await settle(pilot, app)
    assert about(with_petro) == ["Colombia"]
    assert actor_names(with_petro) == ["Colombia", "Gustavo Petro"]


async def test_letters_typed_never_get_lost(with_petro: Path, tmp_path: Path):
    """Typing right after c lands in the box, even after moving the list's cursor."""
    app = make_app(with_petro, tmp_path)
    async with run(app) as pilot:
        await claim_dialog(pilot, app)
        await pilot.press("down", "down", *"Pet")
        assert app.screen.query_one("#speaker-filter").value == "Pet"


async def test_states_read_without_colour(
    with_petro: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """NO_COLOR: the chosen status, the ticks and the chosen speaker are characters."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(with_petro, tmp_path)
    async with run(app) as pilot:
        await claim_dialog(pilot, app)
        shown = screen_text(app)
        assert "(•) unverified" in shown and "( ) supported" in shown
        await pilot.press(*"Petro", "tab", *"Colombia", "enter", "tab", "right", "enter")
        shown = screen_text(app)
        assert "( ) unverified" in shown and "(•) supported" in shown
        assert "[x] ＋ new: Colombia" in shown
        assert "▸ Gustavo Petro" in shown and "Speaker: Gustavo Petro" in shown


# --- fitting 80×24 -------------------------------------------------------------------------


async def test_the_claim_dialog_fits_80x24_with_its_hint_and_keys(with_petro: Path, tmp_path: Path):
    app = make_app(with_petro, tmp_path)
    async with run(app, SMALL) as pilot:
        await claim_dialog(pilot, app)
        shown = screen_text(app)
        for part in (
            "New claim",
            "Speaker:",
            "About:",
            "(•) unverified",
            "Kind of new actors",
            "Note",
            "ctrl+s saves · esc cancels",
        ):
            assert part in shown, part
        bar = bottom_line(app)
        assert "Save" in bar and "Close" in bar
        assert "Quit" not in bar and "Claim" not in bar  # not the main screen's keys
        await pilot.press("escape")
        await settle(pilot, app)
        assert "Claim" in bottom_line(app)  # back on the reader: its keys again


async def test_the_tag_and_note_dialogs_fit_80x24(with_petro: Path, tmp_path: Path):
    app = make_app(with_petro, tmp_path)
    async with run(app, SMALL) as pilot:
        await open_sample(pilot, app)
        await pilot.press("w", "t")
        await settle(pilot, app)
        shown = screen_text(app)
        assert "enter tags · ↓ picks a known actor · esc cancels" in shown
        assert "Close" in bottom_line(app)
        await pilot.press("escape", "g", "N")
        await settle(pilot, app)
        assert isinstance(app.screen, NoteScreen)
        assert "Markdown · ctrl+s saves · esc cancels" in screen_text(app)
        assert "Save" in bottom_line(app) and "Quit" not in bottom_line(app)


@pytest.mark.parametrize(
    "make, hint",
    [
        (lambda: AddFeedScreen(), "enter adds · esc cancels"),
        (lambda: ConfirmScreen("Remove the feed “Inter Bellum News”?"), "y yes · n or esc no"),
        (
            lambda: FolderScreen("Export all notes to this folder", "/tmp/notes"),
            "enter exports · esc cancels",
        ),
        (
            lambda: ActorPickScreen(
                "Export the dossier of…", [(i, f"Actor {i}", f"actor {i}") for i in range(40)]
            ),
            "enter picks · ↓ moves to the list · esc cancels",
        ),
    ],
)
async def test_the_small_dialogs_fit_80x24(
    demo_store: Path,
    tmp_path: Path,
    make,  # type: ignore[no-untyped-def]
    hint: str,
):
    app = make_app(demo_store, tmp_path)
    async with run(app, SMALL) as pilot:
        await settle(pilot, app)
        screen: ModalScreen = make()
        app.push_screen(screen)
        await settle(pilot, app)
        assert hint in screen_text(app)
        assert "Close" in bottom_line(app) and "Quit" not in bottom_line(app)


async def test_editing_a_claim_keeps_its_actors_and_adds_a_typed_one(
    annotated: Path, tmp_path: Path
):
    """enter in the panel edits the first claim (Donald Trump, about Gustavo Petro)."""
    app = make_app(annotated, tmp_path)
    async with run(app) as pilot:
        await open_sample(pilot, app)
        await pilot.press("a", "enter")
        await settle(pilot, app)
        shown = screen_text(app)
        assert "Edit claim" in shown and "Speaker: Donald Trump" in shown
        assert "About: Gustavo Petro" in shown
        await pilot.press("tab", *"Colombia", "enter", "ctrl+s")
        await settle(pilot, app)
    rows_ = rows(
        annotated,
        "SELECT s.name FROM annotations n JOIN actors s"
        " ON s.id = n.speaker_id WHERE n.exact LIKE 'Trump described%'",
    )
    assert rows_ == [("Donald Trump",)]
    about_names = sorted(
        r[0]
        for r in rows(
            annotated,
            "SELECT r.name FROM claim_about a JOIN actors r ON r.id = a.actor_id"
            " JOIN annotations n ON n.id = a.annotation_id"
            " WHERE n.exact LIKE 'Trump described%'",
        )
    )
    assert about_names == ["Colombia", "Gustavo Petro"]


async def test_the_status_keys_start_from_the_claims_status(annotated: Path, tmp_path: Path):
    """Editing the disputed claim: right then enter picks the next status, false (they
    started from unverified, so the same keys picked supported)."""
    app = make_app(annotated, tmp_path)
    async with run(app) as pilot:
        await open_sample(pilot, app)
        await pilot.press("a", "j", "enter")
        await settle(pilot, app)
        assert "Edit claim" in screen_text(app) and "(•) disputed" in screen_text(app)
        await pilot.press("tab", "tab", "right", "enter")
        assert "(•) false" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
    assert rows(annotated, "SELECT status FROM annotations WHERE exact = ?", DISPUTED) == [
        ("false",)
    ]
