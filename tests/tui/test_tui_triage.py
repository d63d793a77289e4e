"""Labels (#) and the Later queue (L) driven with real keys over a real seeded store: the
store changes, the feeds pane grows a Later count and a row per label, the reader's header
says so, and the label dialog completes from the labels in use."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import count_of, flat, screen_text, settle, started, wait_for, widget_text

from newsreader.store import connect
from newsreader.store.labels import change_labels, labels_of, later_queue
from newsreader.tui.app import NewsReaderApp
from newsreader.tui.screens.labels import LabelScreen


def article_id(store: Path, key: str) -> int:
    conn = connect(store)
    try:
        return int(conn.execute("SELECT id FROM articles WHERE key = ?", (key,)).fetchone()[0])
    finally:
        conn.close()


def queued(store: Path) -> list[int]:
    conn = connect(store)
    try:
        return [i for i, _ in later_queue(conn)]
    finally:
        conn.close()


def labels(store: Path, key: str) -> list[str]:
    conn = connect(store)
    try:
        return labels_of(conn, article_id(store, key))
    finally:
        conn.close()


async def test_L_queues_the_article_and_the_later_feed_lists_it(
    app: NewsReaderApp, store: Path
) -> None:
    async with started(app) as pilot:
        await pilot.press("j", "L")  # wd2, "Colombia braces"
        await settle(pilot, app)
        assert queued(store) == [article_id(store, "wd2")]
        assert count_of(widget_text(app, "#feeds"), "Later") == "1"
        assert "Put in Later" in flat(screen_text(app))
        await pilot.press("shift+tab", "j", "j", "j", "j", "enter")  # the Later feed
        await settle(pilot, app)
        shown = widget_text(app, "#articles")
        assert "Colombia braces" in shown and "Maduro responds" not in shown
        await pilot.press("L")  # out again: the list empties
        await settle(pilot, app)
        assert queued(store) == []
        assert "No articles here." in widget_text(app, "#articles")
        assert count_of(widget_text(app, "#feeds"), "Later") == ""


async def test_hash_labels_the_open_article_with_completion(
    app: NewsReaderApp, store: Path
) -> None:
    conn = connect(store)
    change_labels(conn, [article_id(store, "ib2")], add=["Briefing"])
    conn.close()
    async with started(app) as pilot:
        await pilot.press("enter")  # ib3 in the reader
        await settle(pilot, app)
        await pilot.press("number_sign")
        assert await wait_for(pilot, lambda: isinstance(app.screen, LabelScreen))
        assert "in use: Briefing" in flat(screen_text(app))
        await pilot.press("b", "r", "right")  # completes "Briefing"
        await pilot.press(*", to check")
        await pilot.press("enter")
        await settle(pilot, app)
        assert labels(store, "ib3") == ["Briefing", "to check"]
        assert "labels: Briefing, to check" in flat(widget_text(app, "#reader-header"))
        feeds = widget_text(app, "#feeds")
        assert count_of(feeds, "# Briefing") == "2" and count_of(feeds, "# to check") == "1"
        await pilot.press("number_sign")  # take one off: edit the list
        assert await wait_for(pilot, lambda: isinstance(app.screen, LabelScreen))
        await pilot.press("ctrl+u", *"to check", "enter")
        await settle(pilot, app)
        assert labels(store, "ib3") == ["to check"]
        assert "# Briefing" in widget_text(app, "#feeds")  # ib2 still has it


async def test_a_bad_label_is_said_in_the_dialog_and_nothing_changes(
    app: NewsReaderApp, store: Path
) -> None:
    async with started(app) as pilot:
        await pilot.press("number_sign")
        assert await wait_for(pilot, lambda: isinstance(app.screen, LabelScreen))
        await pilot.press(*"fine, -bad", "enter")
        await pilot.pause()
        assert isinstance(app.screen, LabelScreen)
        assert "a label cannot start with -: -bad" in flat(screen_text(app))
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, LabelScreen)
    assert labels(store, "ib3") == []
