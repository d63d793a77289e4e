"""Full text in the TUI against a real loopback server: `F` in the reader, the refresh's
"full text" stage in the bar, and the feed settings dialog (`,`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from httpserver import LoopbackServer
from tui_helpers import flat, make_app, screen_text, settle, started, wait_for, widget_text

from newsreader.config import Settings
from newsreader.store import connect
from newsreader.store.articles import get_article
from newsreader.store.feeds import get_feed
from tests.unit.test_fulltext import page, serve


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    """A loopback server for the feed and its pages."""
    with LoopbackServer() as running:
        yield running


def page_settings(mode: str = "auto") -> Settings:
    settings = Settings()
    settings.fetch.parse_workers = 2
    settings.fetch.page_delay = 0.0
    settings.fetch.full_text = mode
    return settings


async def test_F_fetches_the_open_articles_page(
    db_path: Path, tmp_path: Path, server: LoopbackServer
) -> None:
    from newsreader.feeds.refresh import refresh

    url = serve(server, 1)
    conn = connect(db_path)
    from newsreader.store.feeds import add_feed

    add_feed(conn, url, "Gazette")
    conn.close()
    refresh(db_path, settings=page_settings("never").fetch)
    app = make_app(db_path, tmp_path, page_settings("never"))
    async with started(app) as pilot:
        await pilot.press("enter")
        await settle(pilot, app)
        assert "twenty minutes" not in widget_text(app, "#reader")
        await pilot.press("F")
        assert await wait_for(pilot, lambda: not app.main.refresher.running)
        await settle(pilot, app)
        assert await wait_for(pilot, lambda: "Full text from the page" in flat(screen_text(app)))
        assert "twenty minutes" in flat(widget_text(app, "#reader"))
    assert server.count("/s/0") == 1
    conn = connect(db_path)
    article = get_article(conn, 1)
    conn.close()
    assert article is not None and article.text_source == "page"


async def test_F_on_a_failing_page_says_why_and_keeps_the_text(
    db_path: Path, tmp_path: Path, server: LoopbackServer
) -> None:
    from newsreader.feeds.refresh import refresh
    from newsreader.store.feeds import add_feed

    url = serve(server, 1)
    server.route("/s/0", status=404, body=b"no", content_type="text/html")
    conn = connect(db_path)
    add_feed(conn, url, "Gazette")
    conn.close()
    refresh(db_path, settings=page_settings("never").fetch)
    app = make_app(db_path, tmp_path, page_settings("never"))
    async with started(app) as pilot:
        await pilot.press("enter")
        await settle(pilot, app)
        before = app.main.reader_pane.view.text
        await pilot.press("F")
        assert await wait_for(pilot, lambda: "404" in flat(screen_text(app)))
        assert "The page gave no full text" in flat(screen_text(app))
        assert app.main.reader_pane.view.text == before and before.endswith("…")


async def test_refresh_shows_the_full_text_stage_and_stores_pages(
    db_path: Path, tmp_path: Path, server: LoopbackServer
) -> None:
    from newsreader.store.feeds import add_feed

    url = serve(server, 2)
    for n in range(2):  # slow pages: the stage is on screen long enough to see
        server.route(f"/s/{n}", body=page(n), content_type="text/html", delay=1.0)
    conn = connect(db_path)
    add_feed(conn, url, "Gazette")
    conn.close()
    app = make_app(db_path, tmp_path, page_settings())
    async with started(app) as pilot:
        await pilot.press("R")
        assert await wait_for(pilot, lambda: "full text 0/2" in flat(screen_text(app)))
        assert await wait_for(pilot, lambda: "Bridge story" in widget_text(app, "#articles"))
        assert app.main.refresher.running  # listed while their pages are still coming
        assert await wait_for(pilot, lambda: not app.main.refresher.running)
        assert await wait_for(pilot, lambda: "full text for 2 of 2 pages" in flat(screen_text(app)))


async def test_feed_settings_dialog_sets_full_text_and_interval(
    db_path: Path, tmp_path: Path, server: LoopbackServer
) -> None:
    from newsreader.store.feeds import add_feed

    conn = connect(db_path)
    feed_id, _ = add_feed(conn, serve(server, 1), "Gazette")
    conn.close()
    app = make_app(db_path, tmp_path, page_settings())
    async with started(app) as pilot:
        await pilot.press("shift+tab")
        while app.main.feeds_pane.list.current.label != "Gazette":
            await pilot.press("j")
        await pilot.press("comma")
        await settle(pilot, app)
        shown = flat(screen_text(app))
        assert "Settings of Gazette" in shown and "default: follow config.toml (auto)" in shown
        assert "Refresh every … minutes (empty: the default, 30)" in shown
        await pilot.press("down", "down", "down", "tab", *"15", "enter")  # never, 15 min
        await settle(pilot, app)
        assert "Gazette: full text never, refreshed every 15 min" in flat(screen_text(app))
        await pilot.press("comma")
        await settle(pilot, app)
        await pilot.press("tab", "ctrl+u", *"99999", "enter")
        await settle(pilot, app)
        assert "minutes from 1 to 10080" in flat(screen_text(app))  # the dialog stays
        await pilot.press("ctrl+u", "enter")  # empty: the default again
        await settle(pilot, app)
        assert "Gazette: refreshed every 30 min" in flat(screen_text(app))
    conn = connect(db_path)
    feed = get_feed(conn, feed_id)
    conn.close()
    assert feed is not None and feed.full_text == "never" and feed.interval_minutes is None


async def test_escape_cancels_the_full_text_stage(
    db_path: Path, tmp_path: Path, server: LoopbackServer
) -> None:
    import time

    from newsreader.store.feeds import add_feed

    url = serve(server, 2)
    for n in range(2):
        server.route(f"/s/{n}", body=page(n), content_type="text/html", delay=6.0)
    conn = connect(db_path)
    add_feed(conn, url, "Gazette")
    conn.close()
    app = make_app(db_path, tmp_path, page_settings())
    async with started(app) as pilot:
        await pilot.press("R")
        assert await wait_for(pilot, lambda: "full text 0/2" in flat(screen_text(app)))
        began = time.monotonic()
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: not app.main.refresher.running, timeout=5)
        assert time.monotonic() - began < 3
        assert await wait_for(pilot, lambda: "Refresh cancelled" in flat(screen_text(app)))
        assert "Bridge story" in widget_text(app, "#articles")  # the items stay stored
    conn = connect(db_path)
    article = get_article(conn, 1)
    conn.close()
    assert article is not None and article.text_source == "feed"
