"""The main screen's exports (Markdown notes) and the actors screen."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work

from newsreader import paths
from newsreader.store import connect
from newsreader.tui.screens.pickers import ActorPickScreen, FolderScreen
from newsreader.tui.widgets.wrap import fit

if TYPE_CHECKING:
    from newsreader.tui.screens.main import MainScreen

    _Base = MainScreen
else:
    _Base = object


def notes_dir(configured: str) -> Path:
    """Where notes go: the configured folder, else "notes" in the user data dir."""
    return Path(configured).expanduser() if configured.strip() else paths.data_dir() / "notes"


SHOWN_NAME = 32
"""Most characters of a file name a notification shows (the clipboard has it whole)."""


class ExportMixin(_Base):
    """Exporting notes as Markdown, and the cross-article actors screen."""

    article_folder: Path | None = None
    """The folder the last ``e`` of this session exported to (offered by the next one)."""

    # --- exports ------------------------------------------------------------------------------
    def action_export_article(self) -> None:
        """e: ask for the folder (the last one used, else the notes folder), showing the
        file the page goes to; enter writes it."""
        article = self.reader_article
        if self.reader.article_id is None or article is None:
            return
        from newsreader.export.vault import article_file_name

        name = article_file_name(article.url, article.feed_title, article.title)
        folder = self.article_folder or self._notes_dir()
        folder_part, _, file_name = name.rpartition("/")
        title = (f"Export this article's notes into {folder_part}/ in this folder, as\n"
                 f"{file_name}")
        self.app.push_screen(FolderScreen(title, str(folder)),
                             partial(self._export_article_to, article.id))

    def _export_article_to(self, article_id: int, folder: str | None) -> None:
        if folder:
            self.article_folder = Path(folder).expanduser()
            self._export_worker("article", article_id, self.article_folder)

    def action_export_all(self) -> None:
        """Palette: export every annotated article and actor into a folder (asked)."""
        self.app.push_screen(FolderScreen("Export all notes to this folder",
                                          str(self._notes_dir())), self._export_all_to)

    def _export_all_to(self, folder: str | None) -> None:
        if folder:
            self.app.notify_text(f"Exporting all notes to {folder}…")
            self._export_worker("all", None, Path(folder).expanduser())

    def action_export_dossier(self) -> None:
        """Palette: export one actor's dossier into the notes folder."""
        actors = self.app.actor_cache.rows(self.app.conn)
        if not actors:
            self.app.notify_text("No actors yet: tag one with t in the reader.", "warning")
            return
        self.app.push_screen(ActorPickScreen("Export the dossier of…", actors),
                             self._export_dossier_of)

    def _export_dossier_of(self, actor_id: int | None) -> None:
        if actor_id is not None:
            self._export_worker("actor", actor_id, self._notes_dir())

    def _notes_dir(self) -> Path:
        return notes_dir(self.app.settings.export.notes_dir)

    @work(thread=True, group="export", exit_on_error=False, description="Exporting notes")
    def _export_worker(self, what: str, item_id: int | None, root: Path) -> None:
        from newsreader.export import vault

        wiki = self.app.settings.export.wiki_links
        conn = connect(self.app.db_path, migrate_schema=False)
        try:
            if what == "all":
                report = vault.export_tree(conn, root, wiki_links=wiki)
                path = report.root
                message = (f"Exported {report.files} notes pages ({len(report.written)} "
                           "written, the rest unchanged; folder path copied to the "
                           "clipboard)")
            else:
                assert item_id is not None
                export = vault.export_article_file if what == "article" \
                    else vault.export_actor_file
                path, changed = export(conn, item_id, root, wiki_links=wiki)
                shown = fit(path.name, SHOWN_NAME)
                message = (f"{'Exported' if changed else 'Up to date:'} {shown} "
                           "(path copied to the clipboard)")
        except (OSError, ValueError) as exc:
            self.app.notify_text(f"Export failed: {exc}", "error")
            return
        finally:
            conn.close()
        self.app.call_from_thread(self.app.copy_to_clipboard, str(path))
        self.app.notify_text(message)

    # --- the actors screen --------------------------------------------------------------------
    def action_actors(self) -> None:
        """@: every actor with counts; enter on a claim or mention opens it here."""
        try:
            from newsreader.tui.screens.actors import ActorsScreen
        except ImportError:
            self.app.notify_text("The actors screen is not available.", "warning")
            return
        self.app.push_screen(ActorsScreen(self.app.db_path), self._jump_from_actors)

    def _jump_from_actors(self, result: tuple[int, int] | None) -> None:
        self.app.actor_cache.invalidate()
        if result is None:
            self.load_marks(keep=True)
            return
        article_id, offset = result
        self.open_article(article_id, offset=offset, cursor=offset)
