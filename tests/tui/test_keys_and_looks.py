"""Help from the bindings, the command palette, the keymap, themes and the narrow layout."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import (
    article_flags,
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

from newsreader.config import Settings, load_settings
from newsreader.tui.app import NewsReaderApp


def keys_for(app, description: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The keys the help screen shows for a description (scrolled to or not)."""
    line = line_of(str(app.screen.query_one("#help-text").render()), description)
    return line.split(description)[0].split()


async def test_help_lists_the_focused_pane_and_global_keys(app: NewsReaderApp):
    async with started(app) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        shown = screen_text(app)
        assert "Keys for Articles" in shown
        assert keys_for(app, "Next unread article") == ["n"]
        assert keys_for(app, "Toggle star") == ["s"]
        assert "Everywhere" in shown
        assert keys_for(app, "Search articles") == ["/"]
        assert keys_for(app, "Add a feed") == ["a"]  # in the articles pane too
        await pilot.press("escape")
        await pilot.pause()
        assert "Keys for Articles" not in screen_text(app)
        await pilot.press("enter", "question_mark")
        await pilot.pause()
        shown = screen_text(app)
        assert "Keys for Reader — Trump and Petro talk" in shown
        assert keys_for(app, "Open link reference n") == list("123456789")
        assert keys_for(app, "Show or hide the annotations panel") == ["a"]
        assert "Add a feed" not in shown  # in the reader, a is the panel only


async def test_the_help_scrolls_with_j_and_k(app: NewsReaderApp):
    async with started(app, (80, 24)) as pilot:
        await pilot.press("enter", "question_mark")
        await pilot.pause()
        box = app.screen.query_one("#help-box")
        assert box.scroll_y == 0 and box.max_scroll_y > 10
        first = screen_text(app)
        await pilot.press("j", "j", "j")
        await pilot.pause()
        assert box.scroll_y == 3 and screen_text(app) != first
        await pilot.press("k")
        await pilot.pause()
        assert box.scroll_y == 2
        await pilot.press("G")
        await pilot.pause()
        assert box.scroll_y == box.max_scroll_y
        assert "j/k scroll this help" in screen_text(app)  # the last line, now in sight
        await pilot.press("g")
        await pilot.pause()
        assert box.scroll_y == 0
        await pilot.press("q")
        await pilot.pause()
        assert app.screen is app.main


async def test_keys_are_rebound_by_id_from_the_keymap(store: Path, tmp_path: Path):
    settings = Settings()
    settings.keymap = {"next_unread": "J", "toggle_star": "x", "bogus": "z"}
    app = make_app(store, tmp_path, settings)
    async with started(app) as pilot:
        assert await wait_for(
            pilot, lambda: "unknown key binding ids in [keymap]: bogus" in flat(screen_text(app))
        )
        await pilot.press("n")  # no longer bound
        assert article_key(store, app.main.articles_pane.list.current_id) == "ib3"
        await pilot.press("J", "x")
        await pilot.pause()
        assert article_key(store, app.main.articles_pane.list.current_id) == "wd2"
        assert article_flags(store, "wd2") == (0, 1)
        await pilot.press("question_mark")
        await pilot.pause()
        assert keys_for(app, "Next unread article") == ["J"]


async def test_every_action_is_in_the_palette_when_available(app: NewsReaderApp, store: Path):
    async with started(app) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"toggle star")
        assert await wait_for(pilot, lambda: "Toggle star" in screen_text(app))
        await pilot.press("enter")
        await settle(pilot, app)
        assert article_flags(store, "ib3") == (0, 1)
        await pilot.press("ctrl+p")
        await pilot.press(*"save this search")
        await pilot.pause(0.3)
        assert "Save this search as a smart feed" not in screen_text(app)
        await pilot.press("escape")


async def test_a_chosen_theme_is_saved_and_used_next_time(
    app: NewsReaderApp, store: Path, tmp_path: Path
):
    async with started(app) as pilot:
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press(*"nord", "enter")
        assert await wait_for(pilot, lambda: app.theme == "nord")
    config = tmp_path / "config" / "config.toml"
    assert 'theme = "nord"' in config.read_text(encoding="utf-8")
    again = make_app(store, tmp_path, load_settings(config))
    async with started(again) as pilot:
        assert again.theme == "nord"


async def test_narrow_terminal_shows_one_pane_at_a_time(app: NewsReaderApp):
    async with started(app, size=(80, 30)) as pilot:
        shown = screen_text(app)
        assert "Trump and Petro talk" in shown and "Annotated" not in shown
        await pilot.press("escape")  # back: to the feeds
        await pilot.pause()
        shown = screen_text(app)
        assert "Annotated" in shown and "Colombia braces" not in shown
        await pilot.press("j", "j", "j", "j", "j", "j", "enter")  # Inter Bellum's articles
        await settle(pilot, app)
        shown = screen_text(app)
        assert "Maduro responds" in shown and "Colombia braces" not in shown
        await pilot.press("enter")
        await pilot.pause()
        assert "Trump and Petro spoke [1] by phone." in screen_text(app)
        assert "Maduro responds" not in screen_text(app)
        assert widget_text(app, "#reader-pane").startswith("╭─ Reader")
        await pilot.press("tab")  # round to the feeds
        await pilot.pause()
        assert "Annotated" in screen_text(app)
        await pilot.press("q", "q")  # narrow: articles? no, feeds is the top; q quits
        await pilot.pause()
    assert app.return_code == 0
