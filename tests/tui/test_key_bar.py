"""The key bar (footer): the focused pane's keys, the palette key, clicks press keys."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import SIZE, make_app, screen_text, settle, started

from newsreader.tui.app import NewsReaderApp
from newsreader.tui.screens.help import HelpScreen
from newsreader.tui.widgets.key_bar import KeyBar


def bottom_line(app: NewsReaderApp) -> str:
    """The terminal's last row, as the user sees it."""
    return screen_text(app).rstrip("\n").split("\n")[-1]


async def test_the_bar_shows_the_focused_panes_keys_and_the_palette(app: NewsReaderApp) -> None:
    async with started(app) as pilot:
        line = bottom_line(app)
        assert "Open" in line and "Next unread" in line and "? Help" in line
        assert line.rstrip().endswith("^p palette")
        assert len(line) <= SIZE[0]
        await pilot.press("enter")  # open the article: the reader has the focus
        await settle(pilot, app)
        line = bottom_line(app)
        assert "Open" not in line
        assert "Claim" in line  # the reader's annotation keys
        assert line.rstrip().endswith("^p palette")


async def test_clicking_an_item_presses_its_key(app: NewsReaderApp) -> None:
    async with started(app) as pilot:
        bar = app.screen.query_one(KeyBar)
        column = bottom_line(app).index("? Help")
        assert bar.key_at(column) == "question_mark"
        assert bar.key_at(SIZE[0] - 3) == "ctrl+p"
        await pilot.click(KeyBar, offset=(column + 1, 0))
        await settle(pilot, app)
        assert isinstance(app.screen, HelpScreen)


async def test_a_narrow_bar_drops_its_last_keys_but_never_help_nor_cuts_one(
    app: NewsReaderApp, store: Path, tmp_path: Path
) -> None:
    """Too narrow for every key: the last ones go whole (the focused pane's keys come
    first), `? Help` and the palette key stay; at 80×24 too, in every pane."""
    async with started(app, size=(60, 30)):
        line = bottom_line(app)
        assert len(line) <= 60
        assert line.startswith(" ⏎ Open") and "? Help" in line
        assert line.rstrip().endswith("^p palette")
        assert "Actors" not in line
    for keys in ((), ("enter",), ("shift+tab",)):  # the articles, the reader, the feeds
        narrow = make_app(store, tmp_path)
        async with started(narrow, size=(80, 24)) as pilot:
            await pilot.press(*keys)
            await settle(pilot, narrow)
            line = bottom_line(narrow)
            shown = narrow.screen.query_one(KeyBar).fitting(80)
            assert len(line) <= 80 and "? Help" in line and line.rstrip().endswith("^p palette")
            assert len(shown) >= 3
            for item in shown:  # each shown whole: its key and all of its label
                assert f" {item.display} {item.description} " in line


async def test_an_unavailable_key_is_dimmed_and_clicking_it_rings_the_bell(
    app: NewsReaderApp,
) -> None:
    """With no article under the cursor (a search that finds nothing), s (star) can't run:
    drawn dim, and a click on it rings the bell instead of pressing s."""
    async with started(app) as pilot:
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*"zzzz", "enter")
        await settle(pilot, app)
        bar = app.screen.query_one(KeyBar)
        star = next(item for item in bar.items if item.description == "Star")
        assert not star.enabled
        column = bottom_line(app).index(" s Star") + 1
        assert bar.item_at(column) == star
        assert any(
            segment.style is not None and segment.style.dim
            for segment in bar.render_line(0)
            if "Star" in segment.text
        )
        rung: list[bool] = []
        app.bell = lambda: rung.append(True)  # type: ignore[method-assign]
        pressed: list[str] = []
        app.simulate_key = pressed.append  # type: ignore[method-assign]
        await pilot.click(KeyBar, offset=(column, 0))
        await pilot.pause()
        assert rung == [True] and pressed == []
