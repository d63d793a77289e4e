"""Duplicates on screen: a story stored from two feeds is one row saying where else it is;
the reader's header says it too; reading it (enter) marks both copies read."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tui_helpers import entry, flat, settle, started, widget_text

from newsreader.feeds.duplicates import detect
from newsreader.store import connect
from newsreader.store.articles import upsert_entries
from newsreader.tui.app import NewsReaderApp


def copy_ib3_to_world_desk(store: Path) -> None:
    """World Desk carries Inter Bellum's ib3 too (its link with tracking parameters)."""
    conn = connect(store)
    try:
        wd = int(conn.execute("SELECT id FROM feeds WHERE title = 'World Desk'").fetchone()[0])
        copy = replace(
            entry("wd3", "Trump and Petro talk", 3.1),
            url="https://news.example/ib3?utm_source=rss&utm_medium=feed",
        )
        ids = upsert_entries(conn, wd, [copy]).new_ids
        ib3 = conn.execute("SELECT id FROM articles WHERE key = 'ib3'").fetchone()[0]
        detect(conn, [ib3, *ids])
    finally:
        conn.close()


def unread_copies(store: Path) -> int:
    conn = connect(store)
    try:
        return int(
            conn.execute(
                "SELECT count(*) FROM articles WHERE title = 'Trump and Petro talk' AND is_read = 0"
            ).fetchone()[0]
        )
    finally:
        conn.close()


async def test_one_row_says_also_in_and_reading_it_reads_both(
    app: NewsReaderApp, store: Path
) -> None:
    copy_ib3_to_world_desk(store)
    async with started(app, size=(200, 40)) as pilot:
        rows = widget_text(app, "#articles")
        assert rows.count("Trump and Petro talk") == 1
        assert "also in: World Desk" in rows
        assert unread_copies(store) == 2
        await pilot.press("enter")  # the story opens and is read
        await settle(pilot, app)
        assert "also in: World Desk" in flat(widget_text(app, "#reader-header"))
        assert unread_copies(store) == 0
