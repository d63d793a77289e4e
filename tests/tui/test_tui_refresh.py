"""Refresh from the TUI against a real HTTP server on 127.0.0.1, while the user works."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

import pytest
from httpserver import LoopbackServer
from tui_helpers import (
    BASE,
    DAY,
    article_key,
    entry,
    flat,
    make_app,
    screen_text,
    settle,
    started,
    wait_for,
    widget_text,
)

from newsreader.config import Settings
from newsreader.store import connect
from newsreader.store.articles import upsert_entries
from newsreader.store.feeds import add_feed


def rss(title: str, items: list[tuple[str, str, float]]) -> bytes:
    """An RSS 2.0 document with (guid, title, day after BASE) items."""
    parts = [
        f"<?xml version='1.0'?><rss version='2.0'><channel><title>{title}</title>"
        "<link>https://site.example/</link>"
    ]
    for guid, item_title, day in items:
        date = format_datetime(datetime.fromtimestamp(BASE + day * DAY, UTC))
        parts.append(
            f"<item><guid>{guid}</guid><title>{item_title}</title>"
            f"<pubDate>{date}</pubDate><description>Text of {item_title}."
            "</description></item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode()


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    """A loopback feed server."""
    with LoopbackServer() as running:
        yield running


def local_settings() -> Settings:
    """Parse in two parser processes, as the CLI and the app do by default."""
    settings = Settings()
    settings.fetch.parse_workers = 2
    settings.fetch.total_timeout = 10.0
    return settings


def seed_served(db_path: Path, server: LoopbackServer, paths: list[str]) -> None:
    """Feeds at ``paths`` on the server; the first already holds articles: "Old three",
    "Old two", "Old one" on top, then 60 older ones (more than a screen)."""
    conn = connect(db_path)
    ids = [add_feed(conn, server.url(path), f"Feed {path}")[0] for path in paths]
    older = [entry(f"older{n}", f"Older {n}", -n) for n in range(60)]
    upsert_entries(
        conn,
        ids[0],
        [
            entry("old1", "Old one", 1),
            entry("old2", "Old two", 2),
            entry("old3", "Old three", 3),
            *older,
        ],
    )
    conn.close()


async def test_refresh_all_brings_articles_while_the_user_keeps_their_place(
    db_path: Path, tmp_path: Path, server: LoopbackServer
):
    server.route(
        "/a.xml", body=rss("Alpha", [("a1", "Alpha fresh", 10), ("a2", "Alpha more", 9)]), delay=1.0
    )
    server.route("/b.xml", body=rss("Beta", [("b1", "Beta fresh", 8)]), delay=1.0)
    seed_served(db_path, server, ["/a.xml", "/b.xml"])
    app = make_app(db_path, tmp_path, local_settings())
    async with started(app) as pilot:
        await pilot.press("j")  # the cursor on "Old two"
        assert article_key(db_path, app.main.articles_pane.list.current_id) == "old2"
        await pilot.press("R")
        await pilot.pause()
        assert app.main.refresher.running
        assert "esc cancels" in screen_text(app)
        assert "0%" in screen_text(app) and "--%" not in screen_text(app)
        await pilot.press("j", "k", "enter")  # the UI answers meanwhile
        await pilot.pause()
        assert "Old two" in widget_text(app, "#reader-header")
        assert app.main.refresher.running  # all of that happened during the refresh
        assert await wait_for(pilot, lambda: not app.main.refresher.running)
        await settle(pilot, app)
        assert article_key(db_path, app.main.articles_pane.list.current_id) == "old2"
        assert "Old two" in widget_text(app, "#articles").splitlines()[1]  # same screen row
        await pilot.press("q", "g")  # back to the list: the arrivals are above
        listed = widget_text(app, "#articles")
        assert "Alpha fresh" in listed and "Beta fresh" in listed
        assert await wait_for(
            pilot, lambda: "Refreshed: 2 feeds, 3 new articles" in flat(screen_text(app))
        )
        assert "esc cancels" not in screen_text(app)
    assert server.count("/a.xml") == 1 and server.count("/b.xml") == 1


async def test_r_refreshes_only_the_selected_feed(
    db_path: Path, tmp_path: Path, server: LoopbackServer
):
    server.route("/a.xml", body=rss("Alpha", [("a1", "Alpha fresh", 10)]))
    server.route("/b.xml", body=rss("Beta", [("b1", "Beta fresh", 8)]))
    seed_served(db_path, server, ["/a.xml", "/b.xml"])
    app = make_app(db_path, tmp_path, local_settings())
    async with started(app) as pilot:
        await pilot.press("shift+tab", "j", "j", "j", "j", "j", "j")  # Feed /b.xml
        await settle(pilot, app)
        assert app.main.feeds_pane.list.current.label == "Feed /b.xml"
        await pilot.press("r")
        assert await wait_for(pilot, lambda: not app.main.refresher.running)
        await settle(pilot, app)
        assert "Beta fresh" in widget_text(app, "#articles")
    assert server.count("/a.xml") == 0 and server.count("/b.xml") == 1


async def test_escape_cancels_a_slow_refresh(db_path: Path, tmp_path: Path, server: LoopbackServer):
    for name in ("s1", "s2", "s3"):
        server.route(f"/{name}.xml", body=rss(name, [(name, f"Slow {name}", 5)]), delay=8.0)
    seed_served(db_path, server, ["/s1.xml", "/s2.xml", "/s3.xml"])
    settings = local_settings()
    settings.fetch.max_per_host = 1
    app = make_app(db_path, tmp_path, settings)
    async with started(app) as pilot:
        began = time.monotonic()
        await pilot.press("R")
        assert await wait_for(pilot, lambda: server.count() >= 1)
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: not app.main.refresher.running, timeout=5)
        assert time.monotonic() - began < 5
        assert await wait_for(pilot, lambda: "Refresh cancelled" in flat(screen_text(app)))
        assert "esc cancels" not in screen_text(app)
        await pilot.press("j")
        assert article_key(db_path, app.main.articles_pane.list.current_id) == "old2"
        listed = widget_text(app, "#articles")
        assert "Slow" not in listed


async def test_a_failing_feed_is_reported_and_marked(
    db_path: Path, tmp_path: Path, server: LoopbackServer
):
    server.route("/a.xml", body=rss("Alpha", [("a1", "Alpha fresh", 10)]))
    server.route("/bad.xml", status=500, body=b"oops")
    seed_served(db_path, server, ["/a.xml", "/bad.xml"])
    app = make_app(db_path, tmp_path, local_settings())
    async with started(app) as pilot:
        await pilot.press("R")
        assert await wait_for(pilot, lambda: not app.main.refresher.running)
        await settle(pilot, app)
        assert await wait_for(pilot, lambda: "1 failed" in flat(screen_text(app)))
        feeds = widget_text(app, "#feeds")
        assert "! Feed /bad.xml" in feeds
        await pilot.press("shift+tab", "G")
        await settle(pilot, app)
        assert "Last refresh failed" in flat(screen_text(app))


def one_item(description: str) -> bytes:
    """A feed whose single item (same guid every time) says ``description``."""
    return (
        f"<?xml version='1.0'?><rss version='2.0'><channel><title>Gamma</title>"
        f"<item><guid>g1</guid><title>Minister denies</title>"
        f"<description>{description}</description></item></channel></rss>"
    ).encode()


async def test_the_open_article_follows_its_new_text_after_a_refresh(
    db_path: Path, tmp_path: Path, server: LoopbackServer
):
    from newsreader.annotations import service
    from newsreader.feeds.refresh import refresh

    quote = "The minister denied the report"
    server.route(
        "/g.xml", body=one_item(f"&lt;p&gt;First words.&lt;/p&gt;&lt;p&gt;{quote}.&lt;/p&gt;")
    )
    conn = connect(db_path)
    add_feed(conn, server.url("/g.xml"), "Gamma")
    conn.close()
    refresh(db_path, settings=local_settings().fetch)
    conn = connect(db_path)
    article = int(conn.execute("SELECT id FROM articles").fetchone()[0])
    service.create_from_quote(conn, article, quote, "claim")
    conn.close()
    server.route(
        "/g.xml",
        body=one_item(
            "&lt;p&gt;A new lead paragraph.&lt;/p&gt;"
            f"&lt;p&gt;First words.&lt;/p&gt;&lt;p&gt;{quote}."
            "&lt;/p&gt;"
        ),
    )
    app = make_app(db_path, tmp_path, local_settings())
    async with started(app) as pilot:
        await pilot.press("enter")
        await settle(pilot, app)
        reader = app.main.reader_pane.view
        assert reader.article_id == article and "A new lead" not in reader.text
        await pilot.press("R")
        assert await wait_for(pilot, lambda: not app.main.refresher.running)
        await settle(pilot, app)
        assert reader.text.startswith("A new lead paragraph.")
        claims = [s for s in reader.spans.spans if s.kind == "claim"]
        assert [reader.text[s.start : s.end] for s in claims] == [quote]
        assert "open article changed" in flat(screen_text(app))


async def test_a_refresh_prunes_by_retention_and_says_so(
    db_path: Path, tmp_path: Path, server: LoopbackServer
):
    """[retention] keep_days: after R, the old read articles that nothing keeps are gone
    from the store and the list; a labelled one stays; a notice says how many went."""
    from newsreader.store.labels import change_labels

    server.route("/a.xml", body=rss("Alpha", [("a1", "Alpha fresh", 10)]))
    seed_served(db_path, server, ["/a.xml"])
    conn = connect(db_path)
    conn.execute("UPDATE articles SET is_read = 1 WHERE key LIKE 'older%'")
    kept = conn.execute("SELECT id FROM articles WHERE key = 'older5'").fetchone()[0]
    change_labels(conn, [kept], add=["keep"])
    conn.close()
    settings = local_settings()
    settings.retention.keep_days = 30  # BASE is 2026-01-01: everything seeded is older
    app = make_app(db_path, tmp_path, settings)
    async with started(app) as pilot:
        await pilot.press("R")
        assert await wait_for(pilot, lambda: not app.main.refresher.running)
        assert await wait_for(
            pilot,
            lambda: "Pruned 59 articles read and older than 30 days" in flat(screen_text(app)),
        )
        await settle(pilot, app)
        assert "Older 7" not in widget_text(app, "#articles")
    conn = connect(db_path)
    left = {r[0] for r in conn.execute("SELECT key FROM articles WHERE key LIKE 'older%'")}
    conn.close()
    assert left == {"older5"}


async def test_auto_refresh_fetches_only_due_feeds_and_keeps_the_place(
    db_path: Path, tmp_path: Path, server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
):
    """While the TUI runs, a feed whose interval has passed is refreshed by itself: its new
    articles come into the list without moving the cursor, and a quiet notice says how
    many; a feed fetched a minute ago is left alone, and so is a gone (410) one."""
    from newsreader.tui.panes import refreshing

    monkeypatch.setattr(refreshing, "CHECK_EVERY", 0.2)
    server.route("/a.xml", body=rss("Alpha", [("a1", "Alpha fresh", 10)]))
    server.route("/b.xml", body=rss("Beta", [("b1", "Beta fresh", 9)]))
    server.route("/c.xml", body=rss("Gamma", [("c1", "Gamma fresh", 8)]))
    seed_served(db_path, server, ["/a.xml", "/b.xml", "/c.xml"])
    conn = connect(db_path)
    now = time.time()
    conn.execute("UPDATE feeds SET last_fetched = ?, last_status = 'ok'", (now - 3600,))
    conn.execute("UPDATE feeds SET last_fetched = ? WHERE url LIKE '%/b.xml'", (now - 60,))
    conn.execute("UPDATE feeds SET last_status = 'dead' WHERE url LIKE '%/c.xml'")
    conn.close()
    app = make_app(db_path, tmp_path, local_settings())
    async with started(app) as pilot:
        await pilot.press("j")  # the cursor on "Old two"
        assert await wait_for(
            pilot, lambda: "Auto-refresh: 1 new article (1 feed)" in flat(screen_text(app))
        )
        await settle(pilot, app)
        shown = app.main.articles_pane.list
        assert article_key(db_path, shown.current_id) == "old2"
        assert str(article_key(db_path, shown.ids[0])).endswith("/a1")  # above the top row
        assert "Old two" in widget_text(app, "#articles").splitlines()[1]  # same screen row
    assert server.count("/a.xml") == 1
    assert server.count("/b.xml") == 0 and server.count("/c.xml") == 0
