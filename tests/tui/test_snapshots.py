"""Screenshots of every state a user reaches by keys, compared with the approved SVGs in
__snapshots__: the main screen (wide and 80×24), the reader (plain, with claims and actors,
narrow, with a selection in progress), the annotations panel, every dialog (claim new and
edited, tag actor, note, add feed, confirm, export folder, saved-search name, dossier
picker), the actors screen and an actor's dossier, search results, help and the palette.

Each is a real app over a real seeded store (tests/tui/tui_helpers.py: dates from BASE, the
time zone pinned to UTC), at a fixed terminal size, shot once every worker has finished.
Update after a deliberate visual change with ``pytest tests/tui/test_snapshots.py
--snapshot-update`` and look at every changed SVG.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, TextArea
from tui_helpers import flat, make_app, screen_text, settle, wait_for

from newsreader.config import Settings
from newsreader.tui.app import NewsReaderApp

SnapCompare = Callable[..., bool]
"""pytest-textual-snapshot's ``snap_compare`` fixture: shoots the app, compares the SVG."""


async def _settled(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_main_screen(store: Path, tmp_path: Path, snap_compare: SnapCompare) -> None:
    assert snap_compare(make_app(store, tmp_path), terminal_size=(120, 30), run_before=_settled)


def test_reader(store: Path, tmp_path: Path, snap_compare: SnapCompare) -> None:
    assert snap_compare(
        make_app(store, tmp_path), press=["enter"], terminal_size=(120, 30), run_before=_settled
    )


def test_help(store: Path, tmp_path: Path, snap_compare: SnapCompare) -> None:
    assert snap_compare(
        make_app(store, tmp_path),
        press=["question_mark"],
        terminal_size=(120, 36),
        run_before=_settled,
    )


def test_narrow_layout(store: Path, tmp_path: Path, snap_compare: SnapCompare) -> None:
    assert snap_compare(
        make_app(store, tmp_path), press=["enter"], terminal_size=(80, 24), run_before=_settled
    )


def test_reader_with_claims_and_actors(
    annotated: Path, tmp_path: Path, snap_compare: SnapCompare
) -> None:
    """Claims coloured by status, actors underlined, the cursor, and the panel beside."""

    async def annotated_reader(pilot: Pilot[None]) -> None:
        await _settled(pilot)
        await pilot.press("j", "enter")
        await _settled(pilot)  # the annotations and actors arrive from a worker
        await pilot.press("right_curly_bracket", "a")
        await _settled(pilot)

    assert snap_compare(
        make_app(annotated, tmp_path), terminal_size=(130, 34), run_before=annotated_reader
    )


# ---------------------------------------------------------------------------------------
# Every other state a user reaches by keys. Each shot is taken once the keys' workers have
# finished, with every text cursor steady (no blink) and the toasts cleared (they expire on
# a timer, so a slow run would otherwise drop them); what a toast says is asserted by the
# behaviour tests.

WIDE = (130, 34)
"""The size of the annotation shots: the reader, its panel and a dialog over them."""
NARROW = (80, 24)
NOTES = "/srv/notes"
"""A fixed notes folder for the export prompt (nothing is written: the prompt is the shot)."""


def _steady(app: NewsReaderApp) -> None:
    """Stop every text cursor blinking (it shows, steadily) and drop the toasts."""
    for screen in app.screen_stack:
        for box in screen.query(Input):
            box.cursor_blink = False
        for area in screen.query(TextArea):
            area.cursor_blink = False
    app.clear_notifications()


def _shot(*steps: tuple[str, ...], until: str = "") -> Callable[[Pilot[None]], Awaitable[None]]:
    """A ``run_before``: each group of keys pressed after the last has settled, then (with
    ``until``) a wait for that text on screen, so the shot shows the state it is named after."""

    async def run_before(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, NewsReaderApp)
        await settle(pilot, app)
        for keys in steps:
            app.clear_notifications()  # a screen pushed next would keep an old toast under it
            await pilot.press(*keys)
            await settle(pilot, app)
        if until:
            assert await wait_for(pilot, lambda: until in flat(screen_text(app))), until
        await settle(pilot, app)
        _steady(app)
        await pilot.pause()

    return run_before


SAMPLE = ("j", "enter")
"""From the article list of a demo store: open the sample article."""
TYPE_URL = tuple("https://news.example/rss")


def test_main_screen_narrow(store: Path, tmp_path: Path, snap_compare: SnapCompare) -> None:
    """80×24 before any article is opened: the lists alone."""
    assert snap_compare(
        make_app(store, tmp_path),
        terminal_size=NARROW,
        run_before=_shot(until="Trump and Petro talk"),
    )


def test_reader_narrow_with_claims(
    annotated: Path, tmp_path: Path, snap_compare: SnapCompare
) -> None:
    """80×24 in the reader of the annotated sample: the reader takes the whole width."""
    assert snap_compare(
        make_app(annotated, tmp_path),
        terminal_size=NARROW,
        run_before=_shot(SAMPLE, ("right_curly_bracket",), until="Gustavo Petro"),
    )


def test_panel_with_second_claim_selected(
    annotated: Path, tmp_path: Path, snap_compare: SnapCompare
) -> None:
    """The annotations panel open, its second claim (disputed, Petro) chosen, the text
    following it."""
    assert snap_compare(
        make_app(annotated, tmp_path),
        terminal_size=WIDE,
        run_before=_shot(SAMPLE, ("a",), ("j",), until="Orphaned (1)"),
    )


def test_panel_help(annotated: Path, tmp_path: Path, snap_compare: SnapCompare) -> None:
    """``?`` in the panel: the panel's own keys."""
    assert snap_compare(
        make_app(annotated, tmp_path),
        terminal_size=(120, 36),
        run_before=_shot(SAMPLE, ("a",), ("question_mark",), until="Keys for Annotations panel"),
    )


def test_reader_visual_selection(
    annotated: Path, tmp_path: Path, snap_compare: SnapCompare
) -> None:
    """``v`` then word-end motions: the selection grows and the border says so."""
    assert snap_compare(
        make_app(annotated, tmp_path),
        terminal_size=WIDE,
        run_before=_shot(SAMPLE, ("right_curly_bracket",), ("v", "E", "E", "E", "E", "E")),
    )


def test_claim_dialog_new_with_typed_speaker(
    annotated: Path, tmp_path: Path, snap_compare: SnapCompare
) -> None:
    """``S`` ``c`` on the heading, then "Petro" typed: the known actor is offered."""
    assert snap_compare(
        make_app(annotated, tmp_path),
        terminal_size=WIDE,
        run_before=_shot(SAMPLE, ("S", "c"), tuple("Petro"), until="Gustavo Petro"),
    )


def test_claim_dialog_editing_a_claim(
    annotated: Path, tmp_path: Path, snap_compare: SnapCompare
) -> None:
    """``enter`` on a claim in the panel: its speaker, about, status and note filled in."""
    assert snap_compare(
        make_app(annotated, tmp_path),
        terminal_size=WIDE,
        run_before=_shot(SAMPLE, ("a",), ("enter",), until="Edit claim"),
    )


def test_tag_actor_dialog(demo_store: Path, tmp_path: Path, snap_compare: SnapCompare) -> None:
    """``t`` on "Donald" in the first paragraph: the guessed name and kind."""
    assert snap_compare(
        make_app(demo_store, tmp_path),
        terminal_size=WIDE,
        run_before=_shot(SAMPLE, ("right_curly_bracket", "w", "w"), ("t",), until="as an actor"),
    )


def test_note_editor_on_a_highlight(
    annotated: Path, tmp_path: Path, snap_compare: SnapCompare
) -> None:
    """``]`` three times (the highlight), ``N``: its note, quoted and filled in."""
    assert snap_compare(
        make_app(annotated, tmp_path),
        terminal_size=WIDE,
        run_before=_shot(
            SAMPLE, ("right_square_bracket",) * 3, ("N",), until="Note on the highlight"
        ),
    )


def test_note_editor_new_article_note(
    annotated: Path, tmp_path: Path, snap_compare: SnapCompare
) -> None:
    """``g`` ``N`` where no annotation is: a new note on the article, empty."""
    assert snap_compare(
        make_app(annotated, tmp_path),
        terminal_size=WIDE,
        run_before=_shot(SAMPLE, ("g", "N"), until="Note on the article"),
    )


def test_add_feed_dialog(store: Path, tmp_path: Path, snap_compare: SnapCompare) -> None:
    """``a`` in the feeds pane, an address typed."""
    assert snap_compare(
        make_app(store, tmp_path),
        terminal_size=(120, 30),
        run_before=_shot(("shift+tab", "a"), TYPE_URL, until="enter adds"),
    )


def test_confirm_remove_feed(store: Path, tmp_path: Path, snap_compare: SnapCompare) -> None:
    """``d`` on World Desk (the feeds pane's last row): the question."""
    assert snap_compare(
        make_app(store, tmp_path),
        terminal_size=(120, 30),
        run_before=_shot(("shift+tab", "G"), ("d",), until="y yes"),
    )


def test_export_folder_prompt(annotated: Path, tmp_path: Path, snap_compare: SnapCompare) -> None:
    """``e`` in the reader: the folder offered and the file it will write."""
    settings = Settings()
    settings.export.notes_dir = NOTES
    assert snap_compare(
        make_app(annotated, tmp_path, settings),
        terminal_size=WIDE,
        run_before=_shot(SAMPLE, ("e",), until="articles/"),
    )


def test_search_results(store: Path, tmp_path: Path, snap_compare: SnapCompare) -> None:
    """``/`` petro ``enter``: the matching articles, the query in the list's title."""
    assert snap_compare(
        make_app(store, tmp_path),
        terminal_size=(120, 30),
        run_before=_shot(("slash",), (*"petro", "enter"), until="Petro speaks"),
    )


def test_save_search_name_prompt(store: Path, tmp_path: Path, snap_compare: SnapCompare) -> None:
    """A search, then ``ctrl+s``: the name prompt offers the query."""
    assert snap_compare(
        make_app(store, tmp_path),
        terminal_size=(120, 30),
        run_before=_shot(("slash",), (*"petro", "enter"), ("ctrl+s",), until="Save this search as"),
    )


def test_actors_screen_with_counts(
    annotated: Path, tmp_path: Path, snap_compare: SnapCompare
) -> None:
    """``@``: every actor with its claims and mentions, the first one's activity beside."""
    assert snap_compare(
        make_app(annotated, tmp_path),
        terminal_size=(130, 30),
        run_before=_shot(("at",), until="Actors ("),
    )


def test_actor_dossier(annotated: Path, tmp_path: Path, snap_compare: SnapCompare) -> None:
    """``@``, the second actor, ``enter``: that actor's claims and mentions, in focus."""
    assert snap_compare(
        make_app(annotated, tmp_path),
        terminal_size=(130, 30),
        run_before=_shot(("at",), ("j",), ("enter",), until="Actors ("),
    )


def test_export_dossier_picker(annotated: Path, tmp_path: Path, snap_compare: SnapCompare) -> None:
    """The palette's "Export actor dossier…": the actors to choose from."""
    assert snap_compare(
        make_app(annotated, tmp_path),
        terminal_size=(120, 30),
        run_before=_shot(("ctrl+p",), tuple("dossier"), ("enter",), until="Export the dossier of"),
    )


def test_command_palette(store: Path, tmp_path: Path, snap_compare: SnapCompare) -> None:
    """``ctrl+p`` and "star" typed: the matching commands."""
    assert snap_compare(
        make_app(store, tmp_path),
        terminal_size=(120, 30),
        run_before=_shot(("ctrl+p",), tuple("star"), until="Toggle star"),
    )


def test_labels_dialog(store: Path, tmp_path: Path, snap_compare: SnapCompare) -> None:
    """``#`` on an article that has a label, another label being typed and completed."""
    from newsreader.store import connect
    from newsreader.store.labels import change_labels

    conn = connect(store)
    change_labels(conn, [1], add=["Briefing"])
    change_labels(conn, [2], add=["to check"])
    conn.close()
    assert snap_compare(
        make_app(store, tmp_path),
        terminal_size=(120, 30),
        run_before=_shot(("number_sign",), tuple("to"), until="in use:"),
    )
