"""Helpers shared by the TUI tests: seed a real store, build the app, read screen and store."""

from __future__ import annotations

import io
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from rich.console import Console
from textual.pilot import Pilot

from newsreader.config import Settings
from newsreader.models import ParsedEntry
from newsreader.store import connect
from newsreader.store.articles import upsert_entries
from newsreader.store.feeds import add_feed, record_fetch
from newsreader.tui.app import NewsReaderApp

SIZE = (140, 40)
"""Terminal size of the wide layout tests."""
DAY = 86_400.0
BASE = 1_767_225_600.0
"""2026-01-01 00:00 UTC: every seeded date counts from here, so screens never change."""


def entry(key: str, title: str, day: float, text: str = "", **extra: object) -> ParsedEntry:
    """A parsed entry published ``day`` days after BASE."""
    return ParsedEntry(
        key=key,
        guid=key,
        title=title,
        published=BASE + day * DAY,
        url=f"https://news.example/{key}",
        author="Ana Reporter",
        text=text or f"The body of {title}.\n\nA second paragraph.",
        **extra,
    )  # type: ignore[arg-type]


def seed_store(db_path: Path) -> None:
    """Two feeds in the open, one in a folder, one that failed.

    Inter Bellum: ib3 (day 3, two link references), ib2 (day 2), ib1 (day 1, read).
    World Desk (folder "World"): wd2 (day 2.5), wd1 (day 0.5).
    Broken Feed: no articles, its last refresh failed.
    """
    conn = connect(db_path)
    ib, _ = add_feed(conn, "https://interbellum.example/feed", "Inter Bellum")
    wd, _ = add_feed(conn, "https://world.example/feed", "World Desk", folder="World")
    broken, _ = add_feed(conn, "https://broken.example/feed", "Broken Feed")
    upsert_entries(
        conn,
        ib,
        [
            entry("ib1", "Petro speaks", 1),
            entry("ib2", "Maduro responds", 2),
            entry(
                "ib3",
                "Trump and Petro talk",
                3,
                text="Trump and Petro spoke [1] by phone.\n\nMachado reacted [2].",
                links=["https://interbellum.example/call", "javascript:alert(1)"],
            ),
        ],
    )
    upsert_entries(
        conn, wd, [entry("wd1", "Border tension", 0.5), entry("wd2", "Colombia braces", 2.5)]
    )
    conn.execute("UPDATE articles SET is_read = 1 WHERE key = 'ib1'")
    record_fetch(conn, broken, status="error", error="HTTP 500 from server")
    conn.close()


def make_app(db_path: Path, tmp_path: Path, settings: Settings | None = None) -> NewsReaderApp:
    """The real app over ``db_path`` with a private config file."""
    return NewsReaderApp(db_path, settings or Settings(), tmp_path / "config" / "config.toml")


def terminal_output(app: NewsReaderApp) -> tuple[str, str]:
    """A full repaint as the terminal would get it: (plain text, the bytes written).

    Renders the screen stack (so dialogs over the main screen are included) through a Rich
    console that records, the way Textual's own screenshot does.
    """
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    console.print(update)
    raw = console.file.getvalue()  # type: ignore[attr-defined]
    return console.export_text(), raw


def screen_text(app: NewsReaderApp) -> str:
    """What the user sees, as text (one line per terminal row)."""
    return terminal_output(app)[0]


def article_flags(db_path: Path, key: str) -> tuple[int, int]:
    """(is_read, is_starred) of an article, read from the store itself."""
    conn = connect(db_path)
    try:
        row = conn.execute(
            "SELECT is_read, is_starred FROM articles WHERE key = ?", (key,)
        ).fetchone()
    finally:
        conn.close()
    return int(row[0]), int(row[1])


async def settle(pilot, app: NewsReaderApp) -> None:  # type: ignore[no-untyped-def]
    """Let workers finish, their messages be handled and the screen catch up."""
    for _ in range(2):
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause(0.02)


async def wait_for(pilot, condition: Callable[[], bool], timeout: float = 10.0) -> bool:  # type: ignore[no-untyped-def]
    """Poll ``condition`` (never a fixed sleep) until true or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        await pilot.pause(0.05)
    return condition()


def widget_text(app: NewsReaderApp, selector: str) -> str:
    """What the user sees inside one widget (by CSS selector) of the current screen."""
    region = app.screen.query_one(selector).region
    lines = screen_text(app).split("\n")[region.y : region.y + region.height]
    return "\n".join(line[region.x : region.x + region.width] for line in lines)


def article_key(db_path: Path, article_id: int | None) -> str | None:
    """The seeded key of an article id."""
    if article_id is None:
        return None
    conn = connect(db_path)
    try:
        row = conn.execute("SELECT key FROM articles WHERE id = ?", (article_id,)).fetchone()
    finally:
        conn.close()
    return row[0] if row else None


def line_of(block: str, label: str) -> str:
    """The first line of ``block`` containing ``label`` ("" when none does)."""
    return next((line for line in block.splitlines() if label in line), "")


def count_of(block: str, label: str) -> str:
    """The count shown at the end of a feeds-pane row ("" when none)."""
    words = line_of(block, label).split()
    return words[-1] if words and words[-1].isdigit() else ""


def flat(text: str) -> str:
    """``text`` with runs of whitespace (and pane borders) collapsed, for wrapped messages."""
    for border in "│▌▎▊":
        text = text.replace(border, " ")
    return " ".join(text.split())


def run(app: NewsReaderApp, size: tuple[int, int] = SIZE):  # type: ignore[no-untyped-def]
    """``app.run_test`` at a fixed size, with notifications shown (they are asserted on)."""
    return app.run_test(size=size, notifications=True)


@asynccontextmanager
async def started(app: NewsReaderApp, size: tuple[int, int] = SIZE) -> AsyncIterator[Pilot[None]]:
    """Run ``app`` as :func:`run` does and yield its pilot once the first load has settled.

    The setup every screen test starts with, so each test holds only its own keys and asserts.
    """
    async with run(app, size) as pilot:
        await settle(pilot, app)
        yield pilot


SAMPLE_TITLE = "Trump and Petro Open Channel After Diplomatic Standoff"
"""The sample article of the bundled demo feed (second in its list, after Getting started)."""
CLAIM = "Trump described the conversation as constructive"
DISPUTED = "Petro argued those operations harmed civilian fishermen"
HIGHLIGHT = "The phone call does not resolve these contradictions"
"""Sentences of the sample article that the annotation tests mark."""


def seed_demo(db_path: Path) -> None:
    """A store holding the bundled demo feed, as a first run makes it."""
    from newsreader.demo import seed_if_new

    conn = connect(db_path)
    try:
        seed_if_new(conn)
    finally:
        conn.close()


def sample_id(db_path: Path) -> int:
    """The id of the sample article in a demo store."""
    conn = connect(db_path)
    try:
        return int(
            conn.execute("SELECT id FROM articles WHERE title = ?", (SAMPLE_TITLE,)).fetchone()[0]
        )
    finally:
        conn.close()


def char_style(reader, offset: int):  # type: ignore[no-untyped-def]
    """The style the reader draws the character at ``offset`` with (it must be on screen)."""
    index = reader.line_of(offset)
    strip = reader.render_line(index - reader.scroll_offset.y)
    column = offset - reader.visual_lines[index][0]
    for segment in strip:
        if column < len(segment.text):
            return segment.style
        column -= len(segment.text)
    raise AssertionError(f"offset {offset} is not drawn")


def component_style(widget, name: str):  # type: ignore[no-untyped-def]
    """The rich style of one of ``widget``'s component classes (as the theme resolves it)."""
    return widget.get_component_rich_style(name)


def annotate_sample(db_path: Path) -> None:
    """Two claims, a highlight, an orphan and an article note on the sample article."""
    from newsreader.annotations import service
    from newsreader.store.actors import add_actor

    conn = connect(db_path)
    try:
        article = sample_id(db_path)
        trump = add_actor(conn, "Donald Trump", "person", ["Trump"])
        petro = add_actor(conn, "Gustavo Petro", "person", ["Petro"])
        service.create_from_quote(
            conn, article, CLAIM, "claim", speaker_id=trump.id, about_ids=[petro.id]
        )
        service.create_from_quote(
            conn, article, DISPUTED, "claim", speaker_id=petro.id, status="disputed"
        )
        service.create_from_quote(conn, article, HIGHLIGHT, "highlight", note="key line")
        lost = service.create_from_quote(conn, article, "Russia and China", "highlight")
        conn.execute(
            "UPDATE annotations SET orphaned = 1, exact = 'a sentence now gone' WHERE id = ?",
            (lost.id,),
        )
        service.add_note(conn, article, "Compare with the Bogotá readout.")
    finally:
        conn.close()


async def open_sample(pilot, app, *, marked: bool = True):  # type: ignore[no-untyped-def]
    """Open the sample article (second in the list); with ``marked``, wait for its spans."""
    await settle(pilot, app)
    await pilot.press("j", "enter")
    await settle(pilot, app)
    reader = app.main.reader_pane.view
    assert reader.article_id == sample_id(app.db_path)
    if marked:
        assert await wait_for(pilot, lambda: len(reader.spans) > 0)
    return reader
