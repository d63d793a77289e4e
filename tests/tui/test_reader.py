"""The reader pane: paging a long article by offsets, resizing, restoring, worker errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import (
    entry,
    flat,
    make_app,
    run,
    screen_text,
    settle,
    started,
    wait_for,
    widget_text,
)

from newsreader.store import connect
from newsreader.store.articles import upsert_entries
from newsreader.store.feeds import add_feed

PARAGRAPHS = 300


def paragraph(number: int) -> str:
    """A recognisable paragraph of about two lines."""
    return (
        f"Paragraph {number} begins here and goes on about the talks between the two "
        f"presidents for a while longer. End {number}."
    )


@pytest.fixture
def long_store(db_path: Path) -> Path:
    """One feed, one long article (300 paragraphs) with a link reference."""
    conn = connect(db_path)
    feed, _ = add_feed(conn, "https://long.example/feed", "Long Reads")
    text = "\n\n".join(paragraph(n) for n in range(1, PARAGRAPHS + 1))
    upsert_entries(
        conn,
        feed,
        [entry("long", "A long read", 1, text=text, links=["https://long.example/source"])],
    )
    conn.close()
    return db_path


def top_paragraph(app) -> int:  # type: ignore[no-untyped-def]
    """The number of the first paragraph whose start is on screen in the reader."""
    for line in widget_text(app, "#reader").splitlines():
        if "Paragraph " in line:
            return int(line.split("Paragraph ")[1].split()[0])
    return 0


async def test_scrolling_by_line_page_and_to_the_ends(long_store: Path, tmp_path: Path):
    app = make_app(long_store, tmp_path)
    async with started(app) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert top_paragraph(app) == 1
        await pilot.press("space", "space")
        await pilot.pause()
        assert top_paragraph(app) > 10
        assert app.main.reader_pane.view.cursor == app.main.reader_pane.view.top_offset > 0
        await pilot.press("G")
        await pilot.pause()
        body = widget_text(app, "#reader")
        assert f"End {PARAGRAPHS}." in body and "[1] https://long.example/source" in body
        await pilot.press("g")
        await pilot.pause()
        assert top_paragraph(app) == 1
        await pilot.press("j", "j", "j", "k")  # the cursor moves; the text stays put
        await pilot.pause()
        reader = app.main.reader_pane.view
        assert reader.line_of(reader.cursor) == 2 and reader.scroll_offset.y == 0


async def test_a_resize_keeps_the_same_text_at_the_top(long_store: Path, tmp_path: Path):
    app = make_app(long_store, tmp_path)
    async with started(app) as pilot:
        await pilot.press("enter", "space", "space", "space")
        await pilot.pause()
        offset = app.main.reader_pane.view.top_offset
        first = top_paragraph(app)
        await pilot.resize_terminal(110, 40)
        await pilot.pause()
        reader = app.main.reader_pane.view
        assert reader.line_of(offset) == reader.scroll_offset.y
        assert top_paragraph(app) in (first, first + 1)


async def test_the_reading_position_is_restored(long_store: Path, tmp_path: Path):
    app = make_app(long_store, tmp_path)
    async with started(app) as pilot:
        await pilot.press("enter", "space", "space", "space")
        await pilot.pause()
        first = top_paragraph(app)
        assert first > 10
        await pilot.press("ctrl+q")
    again = make_app(long_store, tmp_path)
    async with run(again) as pilot:
        await settle(pilot, again)
        assert top_paragraph(again) == first
        assert again.main.current_pane == "reader"


async def test_reopening_an_article_keeps_its_place_in_the_narrow_layout(
    long_store: Path, tmp_path: Path
):
    conn = connect(long_store)
    feed = conn.execute("SELECT id FROM feeds").fetchone()[0]
    upsert_entries(conn, feed, [entry("short", "A short one", 2)])  # newer: listed first
    conn.close()
    app = make_app(long_store, tmp_path)
    async with started(app, (80, 24)) as pilot:
        reader = app.main.reader_pane.view
        await pilot.press("j", "enter", "space", "space", "space", "j", "j", "w")
        await pilot.pause()
        cursor, first = reader.cursor, top_paragraph(app)
        assert first > 5 and cursor > reader.text.index(f"Paragraph {first} ")
        await pilot.press("q")  # one pane at a time: the list replaces the reader
        await pilot.pause()
        assert app.main.current_pane == "articles" and "A long read" in screen_text(app)
        await pilot.press("enter")  # the same article again (painted once shown: wait)
        assert await wait_for(pilot, lambda: top_paragraph(app) == first), (
            reader.top_offset,
            reader.scroll_offset,
            widget_text(app, "#reader")[:300],
        )
        assert reader.cursor == cursor
        await pilot.press("q", "k", "enter")  # another article...
        assert await wait_for(pilot, lambda: "A short one" in screen_text(app))
        assert reader.cursor == 0
        await pilot.press("q", "j", "enter")  # ...then the long one: where it was left
        assert await wait_for(pilot, lambda: top_paragraph(app) == first)
        assert reader.cursor == cursor


async def test_a_failing_worker_becomes_a_notification(store: Path, tmp_path: Path):
    conn = connect(store)  # saved by another tool, with a date the search cannot read
    conn.execute("INSERT INTO saved_searches (name, query) VALUES ('Bad', 'after:2026-99-99')")
    conn.close()
    app = make_app(store, tmp_path)
    async with started(app) as pilot:
        await pilot.press("shift+tab", "j", "j", "j", "j", "j")  # the saved search
        await settle(pilot, app)
        assert app.main.feeds_pane.list.current.label == "Bad"
        assert await wait_for(
            pilot, lambda: "Loading articles failed: not a date" in flat(screen_text(app))
        )
        await pilot.press("j")
        await settle(pilot, app)
        assert app.is_running and "Broken Feed" in app.main.feeds_pane.list.current.label


async def test_a_bad_saved_search_selected_last_time_does_not_stop_the_start(
    store: Path, tmp_path: Path
):
    conn = connect(store)
    conn.execute("INSERT INTO saved_searches (name, query) VALUES ('Bad', 'after:2026-99-99')")
    conn.execute("INSERT INTO state (key, value) VALUES ('tui.source', 'search:after:2026-99-99')")
    conn.close()
    app = make_app(store, tmp_path)
    async with started(app) as pilot:
        assert await wait_for(
            pilot, lambda: "Cannot show Bad: not a date" in flat(screen_text(app))
        )
        assert "Trump and Petro talk" in widget_text(app, "#articles")


async def test_an_article_dated_by_its_update_says_so_in_the_header(db_path: Path, tmp_path: Path):
    """An Atom entry with only <updated>: its date is shown as "updated …"."""
    conn = connect(db_path)
    feed, _ = add_feed(conn, "https://atom.example/feed", "Atom Wire")
    upsert_entries(
        conn,
        feed,
        [entry("u1", "Only updated", 3, date_kind="updated"), entry("p1", "Published", 2)],
    )
    conn.close()
    app = make_app(db_path, tmp_path)
    async with started(app) as pilot:
        await pilot.press("enter")  # the newest: "Only updated"
        await settle(pilot, app)
        assert "Atom Wire · Ana Reporter · updated 2026-01-04" in widget_text(app, "#reader-header")
        await pilot.press("q", "j", "enter")
        await settle(pilot, app)
        header = widget_text(app, "#reader-header")
        assert "Published" in header and "updated" not in header
