"""Exporting notes as Markdown from the TUI: the open article's page (``e``), every page,
or an actor's dossier (the palette). The folder is asked for; the writing runs in a
worker; the written path goes on the clipboard and a short line says what happened.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Protocol

from textual.app import App
from textual.notifications import SeverityLevel
from textual.worker import Worker

from newsreader import paths
from newsreader.models import Article
from newsreader.store import connect
from newsreader.tui.context import NewsApp
from newsreader.tui.screens.pickers import ActorPickScreen, FolderScreen
from newsreader.tui.widgets.wrap import fit

SHOWN_NAME = 32
"""Most characters of a file name a notification shows (the clipboard has it whole)."""


def notes_dir(configured: str) -> Path:
    """Where notes go: the configured folder, else "notes" in the user data dir."""
    return Path(configured).expanduser() if configured.strip() else paths.data_dir() / "notes"


class Host(Protocol):
    """What the exporter needs of the pane that owns it."""

    article: Article | None

    @property
    def app(self) -> App[object]:
        """The running app (dialogs, clipboard)."""

    @property
    def news(self) -> NewsApp:
        """The store and settings."""

    def say(self, message: str, severity: SeverityLevel = "information") -> None:
        """One line for the user."""

    def run_worker(
        self,
        work: Callable[[], None],
        *,
        thread: bool = ...,
        group: str = ...,
        exit_on_error: bool = ...,
        description: str = ...,
    ) -> Worker[None]:
        """Textual's worker start."""


class Exporter:
    """The export actions of one pane."""

    def __init__(self, host: Host) -> None:
        self.host = host
        self.article_folder: Path | None = None
        """The folder the last ``e`` of this session exported to (offered by the next)."""

    def _notes_dir(self) -> Path:
        return notes_dir(self.host.news.settings.export.notes_dir)

    def export_article(self) -> None:
        """Ask for the folder (the last one used, else the notes folder), showing the file
        the page goes to; enter writes it."""
        article = self.host.article
        if article is None:
            return
        from newsreader.export.vault import article_file_name

        name = article_file_name(article.url, article.feed_title, article.title)
        folder = self.article_folder or self._notes_dir()
        folder_part, _, file_name = name.rpartition("/")
        title = f"Export this article's notes into {folder_part}/ in this folder, as\n{file_name}"
        self.host.app.push_screen(
            FolderScreen(title, str(folder)), partial(self._export_article_to, article.id)
        )

    def _export_article_to(self, article_id: int, folder: str | None) -> None:
        if folder:
            self.article_folder = Path(folder).expanduser()
            self._start("article", article_id, self.article_folder)

    def export_all(self) -> None:
        """Every annotated article and actor, into a folder (asked)."""
        self.host.app.push_screen(
            FolderScreen("Export all notes to this folder", str(self._notes_dir())),
            self._export_all_to,
        )

    def _export_all_to(self, folder: str | None) -> None:
        if folder:
            self.host.say(f"Exporting all notes to {folder}…")
            self._start("all", None, Path(folder).expanduser())

    def export_dossier(self) -> None:
        """One actor's dossier (the actor asked for), into the notes folder."""
        news = self.host.news
        actors = news.actor_cache.rows(news.conn)
        if not actors:
            self.host.say("No actors yet: tag one with t in the reader.", "warning")
            return
        self.host.app.push_screen(
            ActorPickScreen("Export the dossier of…", actors), self._export_dossier_of
        )

    def _export_dossier_of(self, actor_id: int | None) -> None:
        if actor_id is not None:
            self._start("actor", actor_id, self._notes_dir())

    def _start(self, what: str, item_id: int | None, root: Path) -> None:
        self.host.run_worker(
            partial(self._export, what, item_id, root),
            thread=True,
            group="export",
            exit_on_error=False,
            description="Exporting notes",
        )

    def _export(self, what: str, item_id: int | None, root: Path) -> None:
        """The worker: write the page(s), then copy the path and say what was done."""
        from newsreader.export import vault
        from newsreader.export.templating import Templates

        news = self.host.news
        wiki = news.settings.export.wiki_links
        config = getattr(self.host.app, "config_path", None)  # the app's, as --config gave it
        templates = Templates.for_config(config) if config is not None else None
        conn = connect(news.db_path, migrate_schema=False)
        try:
            if what == "all":
                report = vault.export_tree(conn, root, wiki_links=wiki, templates=templates)
                path = report.root
                message = (
                    f"Exported {report.files} notes pages ({len(report.written)} "
                    "written, the rest unchanged; folder path copied to the "
                    "clipboard)"
                )
            else:
                assert item_id is not None
                export = vault.export_article_file if what == "article" else vault.export_actor_file
                path, changed = export(conn, item_id, root, wiki_links=wiki, templates=templates)
                shown = fit(path.name, SHOWN_NAME)
                message = (
                    f"{'Exported' if changed else 'Up to date:'} {shown} "
                    "(path copied to the clipboard)"
                )
        except (OSError, ValueError) as exc:
            self.host.say(f"Export failed: {exc}", "error")
            return
        finally:
            conn.close()
        self.host.app.call_from_thread(self.host.app.copy_to_clipboard, str(path))
        self.host.say(message)
