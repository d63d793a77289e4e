"""Search from the TUI: filters, leaving the results, saving a search as a smart feed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tui_helpers import (
    article_key,
    flat,
    line_of,
    make_app,
    screen_text,
    settle,
    started,
    wait_for,
    widget_text,
)

from newsreader.store import connect
from newsreader.tui.app import NewsReaderApp

ROW = re.compile(r"^[● ][★ ] (.+?)(?:  .*)? \d{4}-\d{2}-\d{2}\s*$")
"""An article-list row: marks, title, date."""


async def search(pilot, app, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Type ``query`` at the ``/`` prompt; returns the titles listed afterwards."""
    await pilot.press("slash")
    await pilot.pause()
    await pilot.press(*query, "enter")
    await settle(pilot, app)
    rows = widget_text(app, "#articles").splitlines()
    return [match.group(1) for row in rows if (match := ROW.match(row))]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("petro is:unread", ["Trump and Petro talk"]),
        ("petro", ["Trump and Petro talk", "Petro speaks"]),
        ("feed:world", ["Colombia braces", "Border tension"]),
        ("after:2026-01-03", ["Trump and Petro talk", "Colombia braces", "Maduro responds"]),
        ("before:2026-01-02 author:ana", ["Border tension"]),
        ('"Trump and Petro" -machado', []),
        ("body -petro is:read", []),
        ("respon*", ["Maduro responds"]),
    ],
)
async def test_search_with_filters(app: NewsReaderApp, query: str, expected: list[str]):
    async with started(app) as pilot:
        assert await search(pilot, app, query) == expected
        assert f"Search results ({len(expected)})" in screen_text(app)
        if not expected:
            assert "No articles match this search." in widget_text(app, "#articles")


async def test_escape_leaves_the_results_and_restores_the_list(app: NewsReaderApp, store: Path):
    async with started(app) as pilot:
        await pilot.press("j", "j")  # "Maduro responds"
        await search(pilot, app, "feed:world")
        assert "Search results (2)" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot, app)
        assert "Articles (5)" in screen_text(app)
        assert article_key(store, app.main.articles_pane.list.current_id) == "ib2"


async def test_a_bad_date_is_explained_not_fatal(app: NewsReaderApp):
    async with started(app) as pilot:
        await search(pilot, app, "after:2026-13-45")
        assert await wait_for(pilot, lambda: "not a date" in flat(screen_text(app)))
        assert "Articles (5)" in screen_text(app)
        assert app.is_running


def saved_searches(store: Path) -> list[tuple[str, str]]:
    """(name, query) of the saved searches, read from the store itself."""
    conn = connect(store)
    try:
        return [
            tuple(row) for row in conn.execute("SELECT name, query FROM saved_searches ORDER BY id")
        ]
    finally:
        conn.close()


def heading(app: NewsReaderApp) -> str:
    """The article pane's title as drawn on its top border."""
    return line_of(screen_text(app), "╮").split("╭")[2]


async def test_ctrl_s_saves_the_search_as_a_smart_feed(
    app: NewsReaderApp, store: Path, tmp_path: Path
):
    """ctrl+s asks for a name (the query is offered), then the search is a smart feed: in
    the feeds pane with its count of unread matches, selected, its results listed under
    its name; it opens so again after a restart, and d forgets it."""
    async with started(app) as pilot:
        await search(pilot, app, "feed:world")
        await pilot.press("ctrl+s")
        await pilot.pause()
        prompt = flat(screen_text(app))
        assert "Save this search as" in prompt and "feed:world" in prompt
        await pilot.press("ctrl+u", *"World desk", "enter")
        await settle(pilot, app)
        assert saved_searches(store) == [("World desk", "feed:world")]
        feeds = widget_text(app, "#feeds")
        assert line_of(feeds, "World desk").split() == ["⌕", "World", "desk", "2"]
        assert app.main.feeds_pane.list.current.label == "World desk"
        assert "Saved search (2): World desk" in heading(app)
        assert "Saved the search “World desk” (2 articles)." in flat(screen_text(app))
        listed = widget_text(app, "#articles")
        assert "Colombia braces" in listed and "Border tension" in listed
        assert "Maduro" not in listed
        await pilot.press("enter")  # reading one lowers its count
        await settle(pilot, app)
        assert line_of(widget_text(app, "#feeds"), "World desk").split()[-1] == "1"
        await pilot.press("q", "q")
        await pilot.pause()
    again = make_app(store, tmp_path)
    async with started(again) as pilot:
        assert again.main.feeds_pane.list.current.label == "World desk"
        assert "Saved search (2): World desk" in heading(again)
        assert line_of(widget_text(again, "#feeds"), "World desk").split()[-1] == "1"
        await pilot.press("shift+tab", "d", "y")
        await settle(pilot, again)
        assert "World desk" not in widget_text(again, "#feeds")
        assert saved_searches(store) == []


async def test_the_name_prompt_offers_the_query_and_escape_saves_nothing(
    app: NewsReaderApp, store: Path
):
    async with started(app) as pilot:
        await search(pilot, app, "petro is:unread")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot, app)
        assert saved_searches(store) == []
        assert "Search results (1): “petro is:unread”" in heading(app)  # still searching
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("enter")  # the name offered: the query
        await settle(pilot, app)
        assert saved_searches(store) == [("petro is:unread", "petro is:unread")]
        assert line_of(widget_text(app, "#feeds"), "⌕").split() == ["⌕", "petro", "is:unread", "1"]
        assert "Saved search (1): petro is:unread" in heading(app)


async def test_saving_needs_a_search(app: NewsReaderApp, store: Path):
    async with started(app) as pilot:
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        conn = connect(store)
        assert conn.execute("SELECT count(*) FROM saved_searches").fetchone()[0] == 0
        conn.close()


async def test_the_prompt_stays_until_the_results_replace_the_list(app: NewsReaderApp):
    """Enter keeps the prompt (and the old list) on screen while the query runs, then
    closes it together with showing the results; escape meanwhile closes it for good.
    (Enter is handled by calling the handler: no await, so no worker answer meanwhile.)"""
    from textual.widgets import Input

    from newsreader.tui.widgets.bars import SearchBar

    async with started(app) as pilot:
        screen, bar = app.main, app.main.query_one(SearchBar)
        await pilot.press("slash")
        await pilot.pause()
        screen.articles_pane.submit_search(Input.Submitted(bar, "feed:world"))
        assert bar.display and bar.has_focus  # still typing-ready while the query runs
        await settle(pilot, app)
        assert not bar.display and screen.articles_pane.list.has_focus
        assert "Search results (2)" in screen_text(app)
        await pilot.press("slash")
        await pilot.pause()
        screen.articles_pane.submit_search(Input.Submitted(bar, "petro"))
        assert screen.go_back()  # escape before the answer: the prompt closes now
        assert not bar.display
        screen.reader_pane.view.focus()
        await settle(pilot, app)
        assert screen.reader_pane.view.has_focus  # the late answer did not take the focus back
        assert "Search results (2)" in screen_text(app)  # petro: both Inter Bellum ones


async def test_a_search_with_many_results_shows_the_newest_first_then_all(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """250 matches: the newest 200 are listed at once ("200+"), then all 250."""
    from tui_helpers import entry

    from newsreader.config import Settings
    from newsreader.store.articles import upsert_entries
    from newsreader.store.feeds import add_feed
    from newsreader.tui.messages import ListLoaded
    from newsreader.tui.panes.articles import ArticlesPane

    conn = connect(store)
    feed, _ = add_feed(conn, "https://floods.example/feed", "Flood Watch")
    upsert_entries(
        conn, feed, [entry(f"f{n}", f"Flood report {n}", 10 + n / 1000) for n in range(250)]
    )
    conn.close()
    seen: list[tuple[bool, int, str]] = []

    shown = ArticlesPane.on_list_loaded

    def recording(pane: ArticlesPane, message: ListLoaded) -> None:
        shown(pane, message)
        seen.append((message.partial, len(message.ids), str(pane.border_title)))

    monkeypatch.setattr(ArticlesPane, "on_list_loaded", recording)
    app = NewsReaderApp(store, Settings(), tmp_path / "config.toml")
    async with started(app) as pilot:
        await search(pilot, app, "flood")
        assert seen[-2:] == [
            (True, 200, "Search results (200+): “flood”"),
            (False, 250, "Search results (250): “flood”"),
        ]
        assert "Flood report 249" in widget_text(app, "#articles")  # the newest on top


async def test_the_heading_names_the_query_and_follows_a_switch_of_feed(app: NewsReaderApp):
    """The heading says what is searched; with the unread filter on in the results, moving
    to another feed gives that feed's heading, not the search's."""
    async with started(app) as pilot:
        await search(pilot, app, "petro")
        assert "Search results (2): “petro”" in heading(app)
        await pilot.press("u")
        await settle(pilot, app)
        assert "Search results (1): “petro” · unread only" in heading(app)
        await pilot.press("shift+tab", "j", "j", "j", "j", "j", "j")  # feeds: Inter Bellum
        await settle(pilot, app)
        assert app.main.feeds_pane.list.current.label == "Inter Bellum"
        assert "Articles (2) · unread only" in heading(app)
        assert "Search" not in heading(app) and "petro" not in heading(app)
        assert app.main.articles_pane.search_source is None


async def test_a_feed_switch_while_the_query_runs_drops_the_search(app: NewsReaderApp):
    """Submitted, then another feed chosen before the answer (a click): the prompt goes,
    and the list and its heading are the feed's."""
    from textual.widgets import Input

    from newsreader.tui.widgets.bars import SearchBar

    async with started(app) as pilot:
        screen, bar = app.main, app.main.query_one(SearchBar)
        await pilot.press("slash")
        await pilot.pause()
        screen.articles_pane.submit_search(Input.Submitted(bar, "petro"))
        screen.feeds_pane.list.move_cursor(6)  # Inter Bellum, as a click does
        await settle(pilot, app)
        assert not bar.display
        assert heading(app).startswith("─ Articles (3) ")
        assert screen.articles_pane.search_source is None


async def test_the_empty_unread_only_list_says_u_shows_the_rest(app: NewsReaderApp):
    async with started(app) as pilot:
        await search(pilot, app, "speaks")  # "Petro speaks" is read
        await pilot.press("u")
        await settle(pilot, app)
        shown = widget_text(app, "#articles")
        assert "No unread articles match this search." in shown
        assert "u shows the read ones too." in shown
        await pilot.press("u")
        await settle(pilot, app)
        assert "Petro speaks" in widget_text(app, "#articles")
