"""Piping an article to a configured command (``|``, and "Pipe to NAME" in the palette).

The command is picked in a dialog, then run in a thread worker by :mod:`newsreader.pipes`
(no shell, no terminal, bounded output); a line says it started and another how it
ended: its first lines of output, or the exit code and its last line of errors.
"""

from __future__ import annotations

from newsreader.models import Article
from newsreader.pipes import Command, run_command
from newsreader.safety import clean_line
from newsreader.store import articles as article_store
from newsreader.tui.panes.base import Pane
from newsreader.tui.screens.pipes import PipeScreen

NO_COMMANDS = (
    "No commands to pipe to: add one to config.toml, "
    'e.g. [commands] wallabag = "wallabag add {url}"'
)


class Piper:
    """Picks a command and runs it on an article, for the pane that owns it."""

    def __init__(self, host: Pane) -> None:
        self.host = host

    @property
    def commands(self) -> list[Command]:
        """The configured commands, in the file's order."""
        return self.host.news.settings.commands

    def pick(self, article_id: int | None) -> None:
        """|: the picker of commands for the article (or how to configure one)."""
        if article_id is None:
            return
        if not self.commands:
            self.host.say(NO_COMMANDS, "warning")
            return
        article = article_store.get_article(self.host.news.conn, article_id)
        if article is None:
            return
        screen = PipeScreen(clean_line(article.title) or "(untitled)", self.commands)
        self.host.app.push_screen(screen, lambda name: self.run(name, article_id))

    def run(self, name: str | None, article_id: int | None) -> None:
        """Run the command called ``name`` on the article, in a worker."""
        command = next((c for c in self.commands if c.name == name), None)
        if command is None or article_id is None:
            return
        article = article_store.get_article(self.host.news.conn, article_id)
        if article is None:
            self.host.say("That article is no longer in the store.", "warning")
            return
        self.host.say(f"Running {command.name}…")
        self.host.run_worker(
            lambda: self._work(command, article),
            thread=True,
            group="pipe",
            exit_on_error=False,
            description=f"Running {command.name}",
        )

    def _work(self, command: Command, article: Article) -> None:
        """The worker: run it, then say how it went (plain text, from this thread)."""
        result = run_command(command, article)
        self.host.say(result.message(command.name), "information" if result.ok else "error")
