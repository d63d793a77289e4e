"""Playing an article's podcast or video (``P``) with ``[reader] player``.

One enclosure plays at once; several are offered in a picker. With no player configured
the enclosure opens in the browser, like any link. The player is started in a thread
worker by :mod:`newsreader.player` (detached: no terminal, not waited for); a line says
it started, another only when it failed.
"""

from __future__ import annotations

from newsreader.models import Article, Enclosure
from newsreader.pipes import Command, CommandError
from newsreader.player import describe, play, player_command
from newsreader.safety import clean_line
from newsreader.store import articles as article_store
from newsreader.store.enclosures import enclosures_of
from newsreader.tui.panes.base import Pane
from newsreader.tui.screens.media import MediaScreen

NO_MEDIA = "No media in this article."


class MediaPlayer:
    """Picks an article's enclosure and plays it, for the pane that owns it."""

    def __init__(self, host: Pane) -> None:
        self.host = host

    def pick(self, article_id: int | None) -> None:
        """P: play the article's one enclosure, or pick one of several."""
        if article_id is None:
            return
        article = article_store.get_article(self.host.news.conn, article_id)
        media = enclosures_of(self.host.news.conn, article_id) if article else ()
        if article is None or not media:
            self.host.say(NO_MEDIA, "warning")
            return
        if len(media) == 1:
            self.play(article, media[0])
            return
        screen = MediaScreen(clean_line(article.title) or "(untitled)", media)
        self.host.app.push_screen(
            screen, lambda index: self.play(article, media[index]) if index is not None else None
        )

    def play(self, article: Article, enclosure: Enclosure) -> None:
        """Hand ``enclosure`` to the player (a worker), or to the browser without one."""
        line = self.host.news.settings.reader.player
        if not line.strip():
            self.host.news.open_link(enclosure.url)
            return
        try:
            command = player_command(line)
        except CommandError as exc:  # checked when the config was read; never expected
            self.host.say(f"[reader] {exc}", "error")
            return
        self.host.say(f"Playing {describe(enclosure).removeprefix('▶ ')}")
        self.host.run_worker(
            lambda: self._work(command, article, enclosure),
            thread=True,
            group="play",
            exit_on_error=False,
            description="Starting the player",
        )

    def _work(self, command: Command, article: Article, enclosure: Enclosure) -> None:
        """The worker: start the player; say so only if it failed (plain text)."""
        result = play(command, article, enclosure)
        if not result.ok:
            self.host.say(f"player: {result.message}", "error")
