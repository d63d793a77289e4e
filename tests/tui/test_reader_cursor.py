"""The reader's text cursor: motions, selection by keys and mouse, and what a step costs."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widget import Widget
from tui_helpers import (
    char_style,
    component_style,
    entry,
    flat,
    make_app,
    run,
    screen_text,
    settle,
    wait_for,
    widget_text,
)

from newsreader.store import connect
from newsreader.store.articles import upsert_entries
from newsreader.store.feeds import add_feed

TEXT = (
    "First paragraph opens here. Its second sentence follows! A third one? Yes.\n\n"
    "Second paragraph, one sentence only.\n\n"
    "Third paragraph: Dr. Smith met the U.S. President on Jan. 5. Then they left."
)


@pytest.fixture
def small_store(db_path: Path) -> Path:
    """One article made of TEXT (three paragraphs, tricky abbreviations)."""
    conn = connect(db_path)
    feed, _ = add_feed(conn, "https://small.example/feed", "Small")
    upsert_entries(conn, feed, [entry("small", "Small one", 1, text=TEXT)])
    conn.close()
    return db_path


@pytest.fixture
def long_store(db_path: Path) -> Path:
    """One article of 400 two-line paragraphs."""
    conn = connect(db_path)
    feed, _ = add_feed(conn, "https://long.example/feed", "Long")
    text = "\n\n".join(
        f"Paragraph {n} talks about the two presidents and the call for a "
        f"while, then it ends here. Done {n}."
        for n in range(400)
    )
    upsert_entries(conn, feed, [entry("long", "Long one", 1, text=text)])
    conn.close()
    return db_path


async def opened(pilot, app):  # type: ignore[no-untyped-def]
    """Open the first article; the reader has the focus."""
    await settle(pilot, app)
    await pilot.press("enter")
    await settle(pilot, app)
    return app.main.reader_pane.view


def at(reader) -> str:  # type: ignore[no-untyped-def]
    """The text from the cursor on (a few characters)."""
    return reader.text[reader.cursor : reader.cursor + 12]


async def test_word_sentence_and_paragraph_motions(small_store: Path, tmp_path: Path):
    app = make_app(small_store, tmp_path)
    async with run(app) as pilot:
        reader = await opened(pilot, app)
        assert reader.cursor == 0
        await pilot.press("w", "w")
        assert at(reader).startswith("opens")
        await pilot.press("b")
        assert at(reader).startswith("paragraph")
        await pilot.press("E")
        assert reader.text[: reader.cursor] == "First paragraph"
        await pilot.press("right_parenthesis")
        assert at(reader).startswith("Its second")
        await pilot.press("right_parenthesis", "right_parenthesis", "right_parenthesis")
        assert at(reader).startswith("Second parag")
        await pilot.press("right_parenthesis")
        assert at(reader).startswith("Third parag")
        await pilot.press("right_parenthesis")  # "Dr.", "U.S." and "Jan." end nothing
        assert at(reader).startswith("Then they")
        await pilot.press("left_parenthesis", "left_parenthesis")
        assert at(reader).startswith("Second parag")
        await pilot.press("left_curly_bracket")
        assert at(reader).startswith("First parag")
        await pilot.press("right_curly_bracket", "right_curly_bracket")
        assert at(reader).startswith("Third parag")
        await pilot.press("l", "l", "h")
        assert at(reader).startswith("hird")


async def test_visual_mode_shift_arrows_sentence_and_paragraph_selection(
    small_store: Path, tmp_path: Path
):
    app = make_app(small_store, tmp_path)
    async with run(app) as pilot:
        reader = await opened(pilot, app)
        pane = app.main.query_one("#reader-pane")
        assert not pane.border_subtitle
        await pilot.press("v")
        await pilot.pause()
        assert "VISUAL · 0 chars" in widget_text(app, "#reader-pane")
        await pilot.press("E", "E")
        assert reader.selection == (0, len("First paragraph"))
        assert (
            char_style(reader, 3).bgcolor
            == component_style(reader, "article-view--selection").bgcolor
        )
        await pilot.pause()
        assert "VISUAL · 15 chars · c claim" in widget_text(app, "#reader-pane")
        await pilot.press("escape")
        await pilot.pause()
        assert reader.selection is None and app.main.current_pane == "reader"
        assert not pane.border_subtitle and "VISUAL" not in widget_text(app, "#reader-pane")
        await pilot.press("b", "b", "shift+right", "shift+right", "shift+right")
        assert reader.text[slice(*reader.selection)] == "Fir"
        await pilot.pause()
        assert "SELECT · 3 chars" in widget_text(app, "#reader-pane")
        await pilot.press("w")  # a plain motion drops a shift selection
        assert reader.selection is None
        await pilot.press("S")
        assert reader.text[slice(*reader.selection)] == "First paragraph opens here."
        await pilot.press("right_curly_bracket", "right_curly_bracket", "S")
        assert reader.text[slice(*reader.selection)] == (
            "Third paragraph: Dr. Smith met the U.S. President on Jan. 5."
        )
        await pilot.press("V")
        assert reader.text[slice(*reader.selection)] == TEXT.split("\n\n")[2]
        await pilot.press("escape", "escape")  # the selection, then nothing: it says so
        await pilot.pause()
        assert app.main.current_pane == "reader" and reader.selection is None
        assert await wait_for(
            pilot,
            lambda: "Nothing selected to drop: q goes back to the list." in flat(screen_text(app)),
        )
        await pilot.press("q")
        await pilot.pause()
        assert app.main.current_pane == "articles"


async def test_a_mouse_drag_selects(small_store: Path, tmp_path: Path):
    app = make_app(small_store, tmp_path)
    async with run(app) as pilot:
        reader = await opened(pilot, app)
        left, top = reader.content_offset  # padding: text starts here
        await pilot.mouse_down("#reader", offset=(left + 6, top))
        await pilot.hover("#reader", offset=(left + 14, top))
        await pilot.mouse_up("#reader", offset=(left + 14, top))
        await pilot.pause()
        assert reader.text[slice(*reader.selection)] == "paragraph"
        await pilot.click("#reader", offset=(left, top))
        assert reader.selection is None and reader.cursor == 0


async def test_the_selection_anchor_leaves_textual_anchor_alone(small_store: Path, tmp_path: Path):
    """The reader's selection start once shadowed Textual's ``Widget.anchor()`` method
    with an int; it is ``selection_anchor`` and the method is still callable."""
    app = make_app(small_store, tmp_path)
    async with run(app) as pilot:
        reader = await opened(pilot, app)
        await pilot.press("v", "E")
        assert reader.selection_anchor == 0
        assert reader.text[slice(*reader.selection)] == "First"
        assert reader.anchor.__func__ is Widget.anchor  # a method, not the offset
        reader.anchor(False)  # Textual's own: (un)anchor the scroll to the end
        await pilot.pause()
        assert reader.text[slice(*reader.selection)] == "First"


async def test_lines_and_pages_keep_the_cursor_on_screen(long_store: Path, tmp_path: Path):
    app = make_app(long_store, tmp_path)
    async with run(app) as pilot:
        reader = await opened(pilot, app)
        height = reader.scrollable_content_region.height
        await pilot.press("l", "l", "l", *["j"] * (height + 3))
        line = reader.line_of(reader.cursor)
        assert line == height + 3 and reader.scroll_offset.y == line - height + 1
        start, end = reader.visual_lines[line]
        assert reader.cursor - start == min(3, end - start)  # the column is kept
        await pilot.press("space")
        assert reader.line_of(reader.cursor) - reader.scroll_offset.y == height - 1
        await pilot.press("G")
        assert reader.line_of(reader.cursor) == len(reader.visual_lines) - 1
        await pilot.press("g")
        assert reader.cursor == 0 and reader.scroll_offset.y == 0


async def test_a_cursor_step_redraws_at_most_two_lines(long_store: Path, tmp_path: Path):
    app = make_app(long_store, tmp_path)
    async with run(app) as pilot:
        reader = await opened(pilot, app)
        await pilot.press("j", "j")
        await pilot.pause()
        drawn: list[int] = []
        original = reader._segments

        def counting(start, end, clipped, column):  # type: ignore[no-untyped-def]
            drawn.append(start)
            return original(start, end, clipped, column)

        reader._segments = counting
        for key in ("l", "w", "j", "shift+right", "k"):
            drawn.clear()
            await pilot.press(key)
            await pilot.pause()
            assert 1 <= len(drawn) <= 2, key


async def test_the_cursor_position_is_restored(long_store: Path, tmp_path: Path):
    app = make_app(long_store, tmp_path)
    async with run(app) as pilot:
        reader = await opened(pilot, app)
        await pilot.press("space", "space", "w", "w")
        cursor, top = reader.cursor, reader.top_offset
        await pilot.press("ctrl+q")
    again = make_app(long_store, tmp_path)
    async with run(again) as pilot:
        await settle(pilot, again)
        assert (again.main.reader_pane.view.cursor, again.main.reader_pane.view.top_offset) == (
            cursor,
            top,
        )
