"""Enclosures in the TUI with real keys: the reader lists them under "Media", P plays the
one (or the one picked of several) with ``[reader] player`` — a real child process, a
small Python script writing its argv to a file — and says when there is none."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tui_helpers import flat, make_app, screen_text, started, wait_for, widget_text

from newsreader.config import Settings
from newsreader.models import Enclosure, ParsedEntry
from newsreader.store import connect
from newsreader.store.articles import upsert_entries
from newsreader.store.feeds import add_feed
from newsreader.tui.screens.media import MediaScreen

DAY = 86_400.0
MP3 = Enclosure("https://cdn.example/ep1.mp3", "audio/mpeg", 24_123_456)
MP4 = Enclosure("https://cdn.example/ep2.mp4", "video/mp4", None)
OGG = Enclosure("https://cdn.example/ep2.ogg", "audio/ogg", 900)


def add_podcast(store: Path) -> None:
    """A podcast feed whose episodes are the newest articles: ep2 (two media), ep1."""
    conn = connect(store)
    feed, _ = add_feed(conn, "https://pod.example/feed.xml", "Pod")
    upsert_entries(
        conn,
        feed,
        [
            ParsedEntry(
                key="ep2",
                title="Episode two",
                text="Two files.",
                published=1.8e9 + 2 * DAY,
                enclosures=(MP4, OGG),
            ),
            ParsedEntry(
                key="ep1",
                title="Episode one",
                text="Talk.",
                published=1.8e9 + DAY,
                enclosures=(MP3,),
            ),
        ],
    )
    conn.close()


def player(tmp_path: Path) -> tuple[Settings, Path]:
    """Settings whose player writes its arguments to the returned file."""
    out = tmp_path / "played.json"
    script = tmp_path / "player.py"
    script.write_text(
        f"import json, sys\nopen({str(out)!r}, 'w').write(json.dumps(sys.argv[1:]))\n"
    )
    settings = Settings()
    settings.reader.player = f"{sys.executable} {script} --title {{title}}"
    return settings, out


def played(out: Path) -> list[str]:
    return list(json.loads(out.read_text())) if out.exists() and out.read_text() else []


async def test_the_reader_lists_the_media_and_p_plays_it(store: Path, tmp_path: Path) -> None:
    add_podcast(store)
    settings, out = player(tmp_path)
    app = make_app(store, tmp_path, settings)
    async with started(app) as pilot:
        await pilot.press("j", "enter")  # Episode one, in the reader
        assert await wait_for(pilot, lambda: "Episode one" in screen_text(app))
        text = flat(widget_text(app, "#reader"))
        assert text.endswith("Talk. Media ▶ audio/mpeg · 24.1 MB https://cdn.example/ep1.mp3")
        await pilot.press("P")
        assert await wait_for(pilot, lambda: bool(played(out)))
        assert "Playing audio/mpeg" in flat(screen_text(app))
    assert played(out) == ["--title", "Episode one", MP3.url]


async def test_several_media_are_picked_from_a_list(store: Path, tmp_path: Path) -> None:
    add_podcast(store)
    settings, out = player(tmp_path)
    app = make_app(store, tmp_path, settings)
    async with started(app) as pilot:
        await pilot.press("P")  # in the list, on Episode two
        assert await wait_for(pilot, lambda: isinstance(app.screen, MediaScreen))
        shown = flat(screen_text(app))
        assert "video/mp4 https://cdn.example/ep2.mp4" in shown
        assert "audio/ogg · 900 B" in shown
        await pilot.press("down", "enter")
        assert await wait_for(pilot, lambda: bool(played(out)))
    assert played(out) == ["--title", "Episode two", OGG.url]


async def test_escape_in_the_picker_plays_nothing(store: Path, tmp_path: Path) -> None:
    add_podcast(store)
    settings, out = player(tmp_path)
    app = make_app(store, tmp_path, settings)
    async with started(app) as pilot:
        await pilot.press("P")
        assert await wait_for(pilot, lambda: isinstance(app.screen, MediaScreen))
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, MediaScreen)
        await app.workers.wait_for_complete()
    assert not out.exists()


async def test_an_article_without_media_says_so(store: Path, tmp_path: Path) -> None:
    settings, out = player(tmp_path)
    app = make_app(store, tmp_path, settings)
    async with started(app) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert "Media" not in widget_text(app, "#reader")
        await pilot.press("P")
        assert await wait_for(pilot, lambda: "No media in this article." in flat(screen_text(app)))
        await app.workers.wait_for_complete()
    assert not out.exists()


async def test_a_failing_player_is_said_in_one_line(store: Path, tmp_path: Path) -> None:
    add_podcast(store)
    settings = Settings()
    settings.reader.player = f"{sys.executable} -c 'import sys; sys.exit(\"no audio device\")'"
    app = make_app(store, tmp_path, settings)
    async with started(app) as pilot:
        await pilot.press("j", "P")
        assert await wait_for(
            pilot, lambda: "player: exit 1: no audio device" in flat(screen_text(app))
        )
        assert "Traceback" not in screen_text(app)
