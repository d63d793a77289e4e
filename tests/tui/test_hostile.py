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
    screen_text,
    settle,
    started,
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
    conn.execute(
        "INSERT INTO feeds (id, url, title, last_status, last_error) VALUES"
        " (1, 'https://h.example/1', ?, 'ok', ''),"
        " (2, 'https://h.example/2', ?, 'error', ?)",
        (f"{MARKUP} Feed{OSC52}", LINK, f"{UNBALANCED} boom{OSC52}{WIPE}"),
    )
    rows = [
        (
            1,
            "a1",
            f"{CLICK} title{WIPE}",
            f"{LINK} author",
            f"Body {UNBALANCED}{OSC8}",
            BASE + 3000,
        ),
        (1, "a2", f"{UNBALANCED}{BIDI}gnp.exe", CLICK, f"Text {MARKUP} and{WIPE}B", BASE + 2000),
        (2, "a3", f"{MARKUP} third{OSC8}", "", f"{CLICK}\n\nsecond {OSC52}", BASE + 1000),
    ]
    conn.executemany(
        "INSERT INTO articles (feed_id, key, title, author, text, sort_time, published, links)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, '[\"javascript:alert(1)\"]')",
        [(*row, row[-1]) for row in rows],
    )
    conn.close()
    return db_path


def assert_no_escapes(app) -> None:  # type: ignore[no-untyped-def]
    """What would be written to the terminal holds none of the feed's control sequences."""
    _text, raw = terminal_output(app)
    for sequence in ("\x1b]52", "\x1b]8;", "\x1b[2J", "\x1b[H\x1b", BIDI, "\x07"):
        assert sequence not in raw, repr(sequence)


async def test_feeds_pane_and_list_show_markup_literally(hostile: Path, tmp_path: Path):
    app = make_app(hostile, tmp_path)
    async with started(app) as pilot:
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


async def test_reader_shows_markup_literally_and_controls_visibly(hostile: Path, tmp_path: Path):
    app = make_app(hostile, tmp_path)
    async with started(app) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        header = flat(widget_text(app, "#reader-header"))
        assert f"{CLICK} title" in header and f"{LINK} author" in header
        body = flat(widget_text(app, "#reader"))
        assert f"Body {UNBALANCED}" in body
        assert "[1] javascript:alert(1)" in body
        await pilot.press("q", "j", "enter")  # the second article
        await pilot.pause()
        body = flat(widget_text(app, "#reader"))
        assert f"Text {MARKUP} and" in body and "[2J" in body  # ESC shown as U+FFFD
        assert_no_escapes(app)
        await pilot.press("1")  # javascript: is never opened
        assert await wait_for(pilot, lambda: "Not opened" in flat(screen_text(app)))


async def test_notifications_dialogs_status_and_help_stay_literal(hostile: Path, tmp_path: Path):
    app = make_app(hostile, tmp_path)
    async with started(app) as pilot:
        await pilot.press("shift+tab", "j", "j", "j", "j", "j")  # the first hostile feed
        await settle(pilot, app)
        await pilot.press("A")
        assert await wait_for(
            pilot, lambda: f"Marked 2 articles read: {MARKUP} Feed" in flat(screen_text(app))
        )
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


@pytest.fixture
def hostile_marks(hostile: Path) -> Path:
    """Hostile actors, a claim, an orphan and a note on the newest hostile article.

    Written with raw SQL, as a restore from another tool could, so that only the widgets
    stand between this text and the terminal.
    """
    conn = connect(hostile)
    conn.execute(
        "INSERT INTO actors (id, name, kind) VALUES (1, ?, 'person'), (2, ?, 'group')",
        (f"{MARKUP} Actor{OSC52}", f"{CLICK}{WIPE}"),
    )
    conn.execute("INSERT INTO actor_aliases (actor_id, alias) VALUES (1, 'Body')")
    conn.execute(
        "INSERT INTO annotations (article_id, kind, start, end, exact, speaker_id,"
        " status, note, uid) VALUES (1, 'claim', 5, 18, ?, 1, 'unverified', ?, 'c1')",
        (UNBALANCED, f"{LINK}{OSC8}"),
    )
    conn.execute(
        "INSERT INTO annotations (article_id, kind, start, end, exact, orphaned, uid)"
        " VALUES (1, 'highlight', 0, 0, ?, 1, 'o1')",
        (f"{CLICK} gone{WIPE}",),
    )
    conn.execute(
        "INSERT INTO notes (article_id, body, uid) VALUES (1, ?, 'n1')", (f"{MARKUP} note{OSC52}",)
    )
    conn.close()
    return hostile


async def test_the_annotations_panel_shows_stored_text_literally(
    hostile_marks: Path, tmp_path: Path
):
    app = make_app(hostile_marks, tmp_path)
    async with started(app) as pilot:
        await pilot.press("enter")
        await settle(pilot, app)
        await pilot.press("a")
        await pilot.pause()
        panel = widget_text(app, "#annotation-panel")
        assert f"{MARKUP} Actor ×1" in panel  # found by its alias "Body"
        assert f"unverified {MARKUP} Actor: “oops [/]" in panel
        assert f"✎ {MARKUP} note" in panel
        assert f"? highlight “{CLICK} gone”" in panel
        assert_no_escapes(app)
        await pilot.click("#annotation-panel", offset=(3, 1))  # no live @click
        await pilot.pause()
        assert app.is_running
        await pilot.press("enter")  # edit the claim: its note is in the editor
        await settle(pilot, app)
        assert app.screen.query_one("#claim-note").text == LINK + "click"
        assert_no_escapes(app)
        await pilot.press("escape", "G", "k", "enter")  # the article note's editor
        await settle(pilot, app)
        assert app.screen.query_one("#note-text").text == f"{MARKUP} note"
        assert_no_escapes(app)


async def test_the_claim_tag_and_actor_dialogs_show_names_literally(
    hostile_marks: Path, tmp_path: Path
):
    app = make_app(hostile_marks, tmp_path)
    async with started(app) as pilot:
        await pilot.press("enter")
        await settle(pilot, app)
        await pilot.press("c")
        await settle(pilot, app)
        speakers = widget_text(app, "#speaker-list")
        assert f"{MARKUP} Actor" in speakers and CLICK in speakers
        assert "“Body oops [/] tail" in flat(screen_text(app))
        assert_no_escapes(app)
        await pilot.click("#speaker-list", offset=(4, 2))
        await pilot.press("escape", "t")
        await settle(pilot, app)
        assert app.screen.query_one("#tag-name").value == f"{MARKUP} Actor"
        matches = widget_text(app, "#tag-matches")  # "Body" is his alias already
        assert f"{MARKUP} Actor" in matches and "add alias" not in matches
        assert_no_escapes(app)
        await pilot.press("escape", "ctrl+p", *"export actor dossier")
        assert await wait_for(pilot, lambda: "Export actor dossier" in screen_text(app))
        await pilot.press("enter")
        await settle(pilot, app)
        picked = widget_text(app, "#actor-options")
        assert f"{MARKUP} Actor" in picked and CLICK in picked
        assert_no_escapes(app)
        await pilot.press("escape")
        assert app.is_running
