"""The Textual application: styles, theme, keymap, palette; the screens do the work."""

from __future__ import annotations

import gc
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import Any, cast

from textual import work
from textual.actions import parse as parse_action
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode
from textual.markup import escape
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme

from newsreader.browser import open_in_browser
from newsreader.config import Settings, save_theme
from newsreader.feeds.parsepool import start_helpers
from newsreader.resources import data_dir
from newsreader.safety import clean_line, clean_text, is_safe_link
from newsreader.store import connect
from newsreader.tui import commands
from newsreader.tui.actor_cache import ActorCache
from newsreader.tui.main_screen import MainScreen

STYLE_FILES = ("app.tcss", "reader.tcss", "dialogs.tcss", "actors.tcss")
_PANE_SCOPES = ("feeds", "articles", "reader")


def style_paths() -> list[Path]:
    """The .tcss files, from the source checkout or the installed wheel."""
    folder = data_dir("styles")
    return [folder / name for name in STYLE_FILES]


class NewsReaderApp(App[None]):
    """newsreader's TUI over the store at ``db_path``."""

    TITLE = "newsreader"

    def __init__(self, db_path: Path, settings: Settings, config_path: Path) -> None:
        super().__init__(css_path=[*style_paths()])  # a list of Textual's (invariant) type
        start_helpers()  # before run() hands sys.stderr to Textual: see its docstring
        self.db_path = Path(db_path)
        self.settings = settings
        self.config_path = config_path
        self.conn = connect(self.db_path)
        """The UI thread's connection; workers open their own."""
        self.actor_cache = ActorCache()
        """The actor matcher and list, shared by every article until actors change."""
        if settings.ui.theme in self.available_themes:
            self.theme = settings.ui.theme
        else:
            settings.warnings.append(f"unknown theme {settings.ui.theme!r}; using {self.theme}")

    def get_default_screen(self) -> Screen[None]:
        """The three-pane screen."""
        return MainScreen()

    @property
    def main(self) -> MainScreen:
        """The main screen (always at the bottom of the stack)."""
        return cast(MainScreen, self.screen_stack[0])

    def on_mount(self) -> None:
        """Apply the keymap, report config problems, start saving theme changes."""
        unknown = sorted(set(self.settings.keymap) - commands.known_ids())
        if unknown:
            self.settings.warnings.append(
                "unknown key binding ids in [keymap]: " + ", ".join(unknown)
            )
        self.set_keymap(self.settings.keymap)
        for warning in self.settings.warnings:
            self.notify_text(warning, "warning")
        self.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, theme: Theme) -> None:
        if theme.name == self.settings.ui.theme:
            return
        self.settings.ui.theme = theme.name
        try:
            save_theme(self.config_path, theme.name)
        except OSError as exc:
            self.notify_text(f"Could not save the theme: {exc}", "error")

    def notify_text(self, message: str, severity: SeverityLevel = "information") -> None:
        """Notify with plain text: markup off and control characters removed (thread-safe)."""
        self.notify(clean_text(message, multiline=True), markup=False, severity=severity)

    def open_link(self, url: str) -> None:
        """Open ``url`` in the browser if it is an http(s) link; say so otherwise."""
        if is_safe_link(url):
            self.notify_text(f"Opening {url}")
            self._browser_worker(url)
        else:
            self.notify_text(f"Not opened (only http and https links open): {url}", "warning")

    @work(thread=True, group="browser", exit_on_error=False, description="Opening the link")
    def _browser_worker(self, url: str) -> None:
        """Start the browser away from the event loop and the terminal (see browser.py)."""
        problem = open_in_browser(url)
        if problem is not None:
            self.notify_text(f"Could not open {url}: {problem}", "error")

    async def action_quit(self) -> None:
        """Remember where the user was, then quit."""
        try:
            self.main.save_state()
        except Exception as exc:  # never block quitting
            self.log.error(f"could not save the UI state: {exc}")
        self.exit()

    def on_unmount(self) -> None:
        """Close the UI thread's connection; hand what start-up froze back to the collector
        (see ``warm_actor_cache``), so an app run inside a longer process is collectable."""
        self.conn.close()
        gc.unfreeze()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's commands (theme, quit, …) and every newsreader action."""
        yield from super().get_system_commands(screen)
        if not isinstance(screen, MainScreen):
            return
        for command in commands.COMMANDS:
            target = self._palette_target(screen, command)
            if target is None:
                continue
            node, action = target
            _, name, arguments = parse_action(action)
            if node.check_action(name, arguments) is not True:
                continue
            keys = self.key_names(self.settings.keymap.get(command.id, command.keys))
            where = ", ".join(commands.SCOPE_TITLES[s] for s in command.scopes)
            yield SystemCommand(
                escape(command.title),  # the palette reads both as markup
                escape(f"{keys} · {where}" if keys else where),
                partial(self._run_from_palette, node, action),
            )
        yield from self._pipe_commands(screen)

    def _pipe_commands(self, screen: MainScreen) -> Iterable[SystemCommand]:
        """The palette's "Pipe to NAME", one per ``[commands]`` entry, on the article in the
        reader (when it has the focus) or under the list's cursor; none without one."""
        reader, articles = screen.reader_pane, screen.articles_pane
        article_id = reader.view.article_id if reader.has_focus_within else None
        if article_id is None:
            article_id = articles.list.current_id
        if article_id is None:
            return
        keys = self.key_names(self.settings.keymap.get("pipe", commands.command("pipe").keys))
        for command in self.settings.commands:
            yield SystemCommand(
                f"Pipe to {command.name}",
                escape(f"{keys} picks · {clean_line(command.run)}"),
                partial(articles.piper.run, command.name, article_id),
            )

    @staticmethod
    def _palette_target(
        screen: MainScreen, command: commands.Command
    ) -> tuple[DOMNode, str] | None:
        """Where the palette runs ``command``: the screen, or the pane of its first scope
        (None: not a palette command)."""
        if not command.palette:
            return None
        if command.action.startswith("screen."):
            return screen, command.action.removeprefix("screen.")
        if command.action.startswith(commands.PANE):
            return screen.pane(command.scopes[0]), command.action.removeprefix(commands.PANE)
        return None

    def key_names(self, keys: str) -> str:
        """Comma-separated Textual key names ("at,ctrl+s") as the key bar writes them
        ("@, ^s")."""
        return ", ".join(
            self.get_key_display(Binding(key.strip(), "")) for key in keys.split(",") if key.strip()
        )

    def _run_from_palette(self, node: DOMNode, action: str) -> None:
        self.call_later(self.run_action, action, node)


def make_app(db_path: Path, settings: Settings, config_path: Path) -> App[None]:
    """Build the TUI (the CLI calls ``make_app(...).run()``)."""
    return NewsReaderApp(db_path, settings, config_path)
