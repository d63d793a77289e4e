"""Pipes (|) driven with real keys: the picker lists [commands], enter runs the chosen one
on the article (a real child process writing its argv and stdin to a file), and the
result or the failure is said in a notification."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tui_helpers import flat, make_app, screen_text, started, wait_for

from newsreader.config import Settings
from newsreader.pipes import parse_commands
from newsreader.tui.screens.pipes import PipeScreen


def dump(out: Path, then: str = "print('saved it')") -> str:
    """A command line running this Python: it writes its argv and stdin to ``out``."""
    script = (
        "import json, sys; "
        f"open({str(out)!r}, 'w').write(json.dumps([sys.argv[1:], sys.stdin.read()])); " + then
    )
    return f"{sys.executable} -c {json.dumps(script)}"


def settings_with(**commands: object) -> Settings:
    settings = Settings()
    settings.commands = parse_commands(commands)
    return settings


async def test_pipe_runs_the_picked_command_on_the_article(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "piped.json"
    app = make_app(store, tmp_path, settings_with(keep=dump(out) + " {title} {url}"))
    async with started(app) as pilot:
        await pilot.press("j")  # wd2, "Colombia braces"
        await pilot.press("vertical_line")
        assert isinstance(app.screen, PipeScreen)
        assert "keep" in flat(screen_text(app))
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: "keep: saved it" in flat(screen_text(app)))
    argv, stdin = json.loads(out.read_text())
    assert argv == ["Colombia braces", "https://news.example/wd2"]
    assert stdin == ""


async def test_pipe_from_the_reader_sends_the_text(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "piped.json"
    app = make_app(
        store,
        tmp_path,
        settings_with(
            other={"run": "true", "input": "none"},
            say=dump(out, "sys.exit(4)"),
        ),
    )
    async with started(app) as pilot:
        await pilot.press("enter")  # open the first article in the reader
        await pilot.pause()
        opened = app.main.reader_pane.article
        assert opened is not None
        await pilot.press("vertical_line", "down", "enter")  # the second command: say
        assert await wait_for(pilot, lambda: "say: exit 4" in flat(screen_text(app)))
    argv, stdin = json.loads(out.read_text())
    assert argv == []
    assert stdin.startswith(opened.title + "\n\n")
    assert opened.text.split("\n")[0] in stdin


async def test_escape_cancels_and_nothing_runs(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "piped.json"
    app = make_app(store, tmp_path, settings_with(keep=dump(out)))
    async with started(app) as pilot:
        await pilot.press("vertical_line", "escape")
        await pilot.pause()
        assert not isinstance(app.screen, PipeScreen)
        await app.workers.wait_for_complete()
    assert not out.exists()


async def test_a_missing_program_is_said_in_one_line(store: Path, tmp_path: Path) -> None:
    app = make_app(store, tmp_path, settings_with(wallabag="wallabag-not-here add {url}"))
    async with started(app) as pilot:
        await pilot.press("vertical_line", "enter")
        assert await wait_for(
            pilot,
            lambda: "wallabag: wallabag-not-here: command not found" in flat(screen_text(app)),
        )
        assert "Traceback" not in screen_text(app)


async def test_no_commands_says_how_to_add_one(store: Path, tmp_path: Path) -> None:
    app = make_app(store, tmp_path)
    async with started(app) as pilot:
        await pilot.press("vertical_line")
        await pilot.pause()
        assert not isinstance(app.screen, PipeScreen)
        assert "[commands]" in flat(screen_text(app))


async def test_the_palette_offers_pipe_to_each_command(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "piped.json"
    app = make_app(store, tmp_path, settings_with(keep=dump(out) + " {id}"))
    async with started(app) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"Pipe to keep")
        assert await wait_for(pilot, lambda: "Pipe to keep" in flat(screen_text(app)))
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: "keep: saved it" in flat(screen_text(app)))
    argv, _ = json.loads(out.read_text())
    assert argv[0].isdigit()
