"""Hostile feed text is shown literally everywhere and never reaches the terminal as codes.

The rows are written straight into the store with raw SQL, skipping the sanitising that
ingestion does, to prove the widgets cope on their own.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import (
    BASE,
    flat,
    make_app,
    run,
    screen_text,
    settle,
    terminal_output,
    wait_for,
    widget_text,
)

from newsreader.store import connect

MARKUP = "[bold red]x[/]"
LINK = "[link=file:///etc/passwd]y"
CLICK = "[@click=app.quit]z"
UNBALANCED = "oops [/] tail"
OSC52 = "\x1b]52;c;cHduZWQ=\x07"
OSC8 = "\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\"
WIPE = "\x1b[2J\x1b[H"
BIDI = "\u202e"


@pytest.fixture
def hostile(db_path: Path) -> Path:
    """Feeds and articles whose every field carries markup or escape sequences."""
    conn = connect(db_path)
    conn.execute("INSERT INTO feeds (id, url, title, last_status, last_error) VALUES"
                 " (1, 'https://h.example/1', ?, 'ok', ''),"
                 " (2, 'https://h.example/2', ?, 'error', ?)",
                 (f"{MARKUP} Feed{OSC52}", LINK, f"{UNBALANCED} boom{OSC52}{WIPE}"))
    rows = [
        (1, "a1", f"{CLICK} title{WIPE}", f"{LINK} author", f"Body {UNBALANCED}{OSC8}",
         BASE + 3000),
        (1, "a2", f"{UNBALANCED}{BIDI}gnp.exe", CLICK, f"Text {MARKUP} and{WIPE}B", BASE + 2000),
        (2, "a3", f"{MARKUP} third{OSC8}", "", f"{CLICK}\n\nsecond {OSC52}", BASE + 1000),
    ]
    conn.executemany(
        "INSERT INTO articles (feed_id, key, title, author, text, sort_time, published, links)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, '[\"javascript:alert(1)\"]')",
        [(*row, row[-1]) for row in rows])
    conn.close()
    return db_path


def assert_no_escapes(app) -> None:  # type: ignore[no-untyped-def]
    """What would be written to the terminal holds none of the feed's control sequences."""
    _text, raw = terminal_output(app)
    for sequence in ("\x1b]52", "\x1b]8;", "\x1b[2J", "\x1b[H\x1b", BIDI, "\x07"):
        assert sequence not in raw, repr(sequence)


async def test_feeds_pane_and_list_show_markup_literally(hostile: Path, tmp_path: Path):
    app = make_app(hostile, tmp_path)
    async with run(app) as pilot:
        await settle(pilot, app)
        feeds = widget_text(app, "#feeds")
        assert f"{MARKUP} Feed" in feeds
        assert "! [link=file:///etc/" in feeds  # cut to the pane, still literal
        listed = widget_text(app, "#articles")
        assert CLICK in listed
        assert UNBALANCED + "gnp.exe" in listed  # the bidi override is dropped
        assert f"{MARKUP} third" in listed
        assert_no_escapes(app)
        await pilot.click("#articles", offset=(5, 0))  # a live @click would quit the app
        await pilot.pause()
        assert app.is_running


async def test_reader_shows_markup_literally_and_controls_visibly(hostile: Path,
                                                                  tmp_path: Path):
    app = make_app(hostile, tmp_path)
    async with run(app) as pilot:
        await settle(pilot, app)
        await pilot.press("enter")
        await pilot.pause()
        header = flat(widget_text(app, "#reader-header"))
        assert f"{CLICK} title" in header and f"{LINK} author" in header
        body = flat(widget_text(app, "#reader"))
        assert f"Body {UNBALANCED}" in body
        assert "[1] javascript:alert(1)" in body
        await pilot.press("escape", "j", "enter")  # the second article
        await pilot.pause()
        body = flat(widget_text(app, "#reader"))
        assert f"Text {MARKUP} and" in body and "[2J" in body  # ESC shown as U+FFFD
        assert_no_escapes(app)
        await pilot.press("1")  # javascript: is never opened
        assert await wait_for(pilot, lambda: "Not opened" in flat(screen_text(app)))


async def test_notifications_dialogs_status_and_help_stay_literal(hostile: Path,
                                                                  tmp_path: Path):
    app = make_app(hostile, tmp_path)
    async with run(app) as pilot:
        await settle(pilot, app)
        await pilot.press("shift+tab", "j", "j", "j", "j")  # the first hostile feed
        await settle(pilot, app)
        await pilot.press("A")
        assert await wait_for(
            pilot, lambda: f"Marked 2 articles read: {MARKUP} Feed" in flat(screen_text(app)))
        assert_no_escapes(app)
        await pilot.press("j")  # the failed feed: its error shows under the feeds
        await settle(pilot, app)
        assert f"Last refresh failed: {UNBALANCED} boom" in flat(screen_text(app))
        await pilot.press("question_mark")
        await pilot.pause()
        assert f"Keys for Feeds — {LINK}" in screen_text(app)
        assert_no_escapes(app)
        await pilot.press("escape", "d")
        await pilot.pause()
        assert f"Remove the feed “{LINK}” and its articles?" in flat(screen_text(app))
        assert_no_escapes(app)
        await pilot.press("n")
        assert app.is_running
