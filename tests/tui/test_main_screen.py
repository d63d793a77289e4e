"""The three-pane screen driven with real keys over a real seeded store."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import (
    article_flags,
    article_key,
    count_of,
    flat,
    line_of,
    make_app,
    screen_text,
    settle,
    started,
    wait_for,
    widget_text,
)

from newsreader.config import Settings
from newsreader.store import connect
from newsreader.tui.app import NewsReaderApp


async def test_first_screen_shows_feeds_articles_and_failed_mark(app: NewsReaderApp):
    async with started(app):
        feeds = widget_text(app, "#feeds")
        assert [line.split()[0] for line in feeds.splitlines()[:4]] == [
            "All",
            "Unread",
            "Starred",
            "Annotated",
        ]
        assert count_of(feeds, "All") == "4"
        assert "! Broken Feed" in feeds
        assert count_of(feeds, "Inter Bellum") == "2"
        assert "▾ World" in feeds and "  World Desk" in feeds
        listed = widget_text(app, "#articles").splitlines()
        assert "Trump and Petro talk" in listed[0] and "2026-01-04" in listed[0]
        assert "Colombia braces" in listed[1]
        assert listed[3].startswith("   Petro speaks")  # read: no ● mark
        assert listed[0].startswith("●")
        assert app.main.current_pane == "articles"


async def test_enter_opens_the_article_and_marks_it_read(app: NewsReaderApp, store: Path):
    async with started(app) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        header = widget_text(app, "#reader-header")
        assert "Trump and Petro talk" in header
        assert "Inter Bellum · Ana Reporter · 2026-01-04 00:00" in header
        body = widget_text(app, "#reader")
        assert "Trump and Petro spoke [1] by phone." in body
        assert "References" in body
        assert "[1] https://interbellum.example/call" in body
        assert app.main.current_pane == "reader"
        assert article_flags(store, "ib3") == (1, 0)
        assert widget_text(app, "#articles").splitlines()[0].startswith(" ")
        assert count_of(widget_text(app, "#feeds"), "Inter Bellum") == "1"


async def test_opening_keeps_unread_when_configured(store: Path, tmp_path: Path):
    settings = Settings()
    settings.reader.mark_read_on_open = False
    app = make_app(store, tmp_path, settings)
    async with started(app) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert "Trump and Petro talk" in widget_text(app, "#reader-header")
        assert article_flags(store, "ib3") == (0, 0)


async def test_m_and_s_toggle_read_and_star_in_the_store(app: NewsReaderApp, store: Path):
    async with started(app) as pilot:
        await pilot.press("j", "m", "s")
        await pilot.pause()
        assert article_flags(store, "wd2") == (1, 1)
        row = widget_text(app, "#articles").splitlines()[1]
        assert row.startswith(" ★ Colombia braces")
        assert count_of(widget_text(app, "#feeds"), "Starred") == "1"
        await pilot.press("m", "s")
        await pilot.pause()
        assert article_flags(store, "wd2") == (0, 0)
        assert widget_text(app, "#articles").splitlines()[1].startswith("●  Colombia")


async def test_next_unread_continues_in_the_next_feed(app: NewsReaderApp, store: Path):
    async with started(app) as pilot:
        await pilot.press("shift+tab", "j", "j", "j", "j", "j", "j")  # feeds: Inter Bellum
        await settle(pilot, app)
        assert "Inter Bellum" in widget_text(app, "#feeds").splitlines()[6]
        await pilot.press("enter", "n")  # to the articles; ib3 -> ib2
        await settle(pilot, app)
        assert article_key(store, app.main.articles_pane.list.current_id) == "ib2"
        await pilot.press("n")  # ib1 is read: Inter Bellum is done, World Desk next
        await settle(pilot, app)
        assert article_key(store, app.main.articles_pane.list.current_id) == "wd2"
        assert app.main.feeds_pane.list.current.label == "World Desk"
        await pilot.press("enter")
        await pilot.pause()
        assert "Colombia braces" in widget_text(app, "#reader-header")
        await pilot.press("n")  # in the reader, n opens the next unread
        await settle(pilot, app)
        assert "Border tension" in widget_text(app, "#reader-header")
        assert article_flags(store, "wd1") == (1, 0)


async def test_unread_only_filter(app: NewsReaderApp):
    async with started(app) as pilot:
        await pilot.press("u")
        await settle(pilot, app)
        shown = widget_text(app, "#articles")
        assert "Petro speaks" not in shown and "Maduro responds" in shown
        assert "Articles (4) · unread only" in screen_text(app)
        await pilot.press("u")
        await settle(pilot, app)
        assert "Petro speaks" in widget_text(app, "#articles")


async def test_failed_feed_shows_its_error_when_selected(app: NewsReaderApp):
    async with started(app) as pilot:
        assert "Last refresh failed" not in screen_text(app)
        await pilot.press("shift+tab", "j", "j", "j", "j", "j")
        await settle(pilot, app)
        assert "Last refresh failed: HTTP 500 from server" in flat(screen_text(app))
        assert "No articles here." in widget_text(app, "#articles")


async def test_mark_feed_read_from_the_feeds_pane(app: NewsReaderApp, store: Path):
    async with started(app) as pilot:
        await pilot.press("shift+tab", "j", "j", "j", "j", "j", "j", "A")
        await settle(pilot, app)
        assert article_flags(store, "ib2") == (1, 0)
        assert article_flags(store, "ib3") == (1, 0)
        assert article_flags(store, "wd2") == (0, 0)
        feeds = widget_text(app, "#feeds")
        assert count_of(feeds, "All") == "2"
        assert "Marked 2 articles read: Inter Bellum" in flat(screen_text(app))


async def test_position_is_restored_on_the_next_start(
    app: NewsReaderApp, store: Path, tmp_path: Path
):
    async with started(app) as pilot:
        await pilot.press("j", "j", "enter")  # ib2 in the reader
        await pilot.pause()
        await pilot.press("q")  # back to the list
        await pilot.pause()
        assert app.main.current_pane == "articles"
        await pilot.press("q")  # and quit
        await pilot.pause()
    assert app.return_code == 0
    again = make_app(store, tmp_path)
    async with started(again) as pilot:
        assert "Maduro responds" in widget_text(again, "#reader-header")
        assert article_key(store, again.main.articles_pane.list.current_id) == "ib2"
        assert again.main.current_pane == "articles"


def browser_script(tmp_path: Path, body: str) -> Path:
    """A real browser command for $BROWSER: a shell script that runs ``body``."""
    script = tmp_path / "browser.sh"
    script.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    script.chmod(0o755)
    return script


async def test_open_in_browser_only_follows_http_links(
    app: NewsReaderApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    opened = tmp_path / "opened.txt"
    monkeypatch.setenv("BROWSER", str(browser_script(tmp_path, f'echo "$1" >> {opened}')))
    async with started(app) as pilot:
        await pilot.press("o")
        assert await wait_for(pilot, lambda: opened.exists())
        assert opened.read_text().split() == ["https://news.example/ib3"]
        await pilot.press("enter", "1", "2")
        warning = "Not opened (only http and https links open): javascript:alert(1)"
        assert await wait_for(pilot, lambda: warning in flat(screen_text(app)))
        assert await wait_for(pilot, lambda: len(opened.read_text().split()) == 2)
        assert opened.read_text().split() == [
            "https://news.example/ib3",
            "https://interbellum.example/call",
        ]


async def test_a_failing_browser_is_reported_in_one_line(
    app: NewsReaderApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv(
        "BROWSER",
        str(
            browser_script(
                tmp_path, 'echo "Error: no DISPLAY environment variable specified" >&2; exit 1'
            )
        ),
    )
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("PATH", "/nonexistent")  # no other browser to fall back on
    async with started(app) as pilot:
        await pilot.press("o")
        expected = (
            "Could not open https://news.example/ib3: no browser opened it (Error: no "
            "DISPLAY environment variable specified); set $BROWSER"
        )
        assert await wait_for(pilot, lambda: expected in flat(screen_text(app)), timeout=10)


async def test_add_a_local_feed_file(app: NewsReaderApp, tmp_path: Path):
    feed = tmp_path / "local.xml"
    feed.write_text(
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Local Wire</title>"
        "<link>https://local.example/</link><item><title>Offline story</title>"
        "<guid>l1</guid><pubDate>Mon, 05 Jan 2026 10:00:00 +0000</pubDate>"
        "<description>Hello.</description></item></channel></rss>",
        encoding="utf-8",
    )
    async with started(app) as pilot:
        await pilot.press("shift+tab", "a")
        await pilot.pause()
        await pilot.press(*str(feed), "enter")
        await settle(pilot, app)
        await settle(pilot, app)
        assert "Local Wire" in widget_text(app, "#feeds")
        assert app.main.feeds_pane.list.current.label == "Local Wire"
        assert "Offline story" in widget_text(app, "#articles")


async def test_remove_a_feed_after_confirming(app: NewsReaderApp, store: Path):
    async with started(app) as pilot:
        await pilot.press("j", "enter")  # read "Colombia braces" from World Desk
        await pilot.pause()
        assert "Colombia braces" in widget_text(app, "#reader-header")
        await pilot.press("shift+tab", "shift+tab", "G", "d")  # World Desk is the last row
        await pilot.pause()
        assert "Remove the feed “World Desk” and its articles?" in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert "World Desk" in widget_text(app, "#feeds")
        await pilot.press("d", "y")
        await settle(pilot, app)
        assert "World Desk" not in widget_text(app, "#feeds")
        assert "Select an article" in widget_text(app, "#reader-header")  # it left with it
        conn = connect(store)
        assert (
            conn.execute("SELECT count(*) FROM feeds WHERE title = 'World Desk'").fetchone()[0] == 0
        )
        conn.close()


async def test_the_palette_writes_keys_as_the_key_bar_does(app: NewsReaderApp):
    async with started(app) as pilot:
        await pilot.press("ctrl+p", *"actors")
        assert await wait_for(pilot, lambda: "Actors: every claim" in screen_text(app))
        shown = flat(screen_text(app))
        assert "@ · Everywhere" in shown and "at · Everywhere" not in shown
        await pilot.press(*"\b" * 6, *"save this search")
        await pilot.press("escape")


async def test_feeds_sharing_a_title_read_apart(store: Path, tmp_path: Path):
    """Two "Daily News": the feeds pane and the article list say whose each is."""
    from tui_helpers import entry

    from newsreader.store.articles import upsert_entries
    from newsreader.store.feeds import add_feed

    conn = connect(store)
    for url in ("https://www.nytimes.example/rss", "https://feeds.dailynews.example/feed"):
        feed, _ = add_feed(conn, url, "Daily News")
        upsert_entries(conn, feed, [entry(url[-3:], f"Story from {url[8:20]}", 9)])
    conn.close()
    app = make_app(store, tmp_path)
    async with started(app, size=(200, 40)):
        feeds = widget_text(app, "#feeds")
        assert "Daily News · dailynews" in feeds and "Daily News · nytimes" in feeds
        listed = widget_text(app, "#articles")  # the feed column: the title gives way
        assert "Daily News dailynews" in line_of(listed, "Story from feeds.dailyn")
        assert "Daily News · nytimes" in line_of(listed, "Story from www.nytimes")
    narrow = make_app(store, tmp_path)
    async with started(narrow, size=(100, 30)):  # a narrow feeds pane cuts the title first
        feeds = widget_text(narrow, "#feeds")
        assert "Dai… dailynews 1" in feeds and "Daily… nytimes 1" in feeds


async def test_the_feeds_pane_gives_way_on_a_100_column_terminal(
    app: NewsReaderApp, store: Path, tmp_path: Path
):
    """The feeds pane is a fifth of the width (22 to 32 columns): at 100 columns the
    article titles get the rest."""
    async with started(app, size=(100, 30)):
        assert app.main.query_one("#feeds-pane").outer_size.width == 22
        assert "Trump and Petro talk" in widget_text(app, "#articles")
    wide = make_app(store, tmp_path)
    async with started(wide, size=(200, 40)):
        assert wide.main.query_one("#feeds-pane").outer_size.width == 32


async def test_an_add_error_names_the_address_once(app: NewsReaderApp, tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    missing = "./missing.xml"
    async with started(app) as pilot:
        await pilot.press("shift+tab", "a")
        await pilot.pause()
        await pilot.press(*missing, "enter")
        assert await wait_for(pilot, lambda: "Could not add" in flat(screen_text(app)))
        await settle(pilot, app)
        shown = flat(screen_text(app))
        assert f"Could not add the feed: no such file: {missing}" in shown
        assert shown.count("missing.xml") == 2  # this one and "Subscribing to …"


async def test_counts_in_messages_agree_in_number(app: NewsReaderApp):
    async with started(app) as pilot:
        await pilot.press("shift+tab", "G", "A")  # World Desk, 2 unread
        await settle(pilot, app)
        assert "Marked 2 articles read: World Desk" in flat(screen_text(app))
        await pilot.press("k", "k", "A")  # Inter Bellum: ib2 and ib3
        await settle(pilot, app)
        await pilot.press("tab", "j", "m", "shift+tab", "A")  # ib2 unread again: one
        await settle(pilot, app)
        assert "Marked 1 article read: Inter Bellum" in flat(screen_text(app))
