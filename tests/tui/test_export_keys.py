"""Exporting notes from the TUI (e, the palette) and jumping in from the actors screen."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import (
    CLAIM,
    DISPUTED,
    flat,
    make_app,
    open_sample,
    run,
    sample_id,
    screen_text,
    settle,
    started,
    wait_for,
    widget_text,
)

from newsreader import paths
from newsreader.config import Settings


def settings_with_notes(folder: Path) -> Settings:
    """Settings whose notes folder is ``folder``."""
    settings = Settings()
    settings.export.notes_dir = str(folder)
    return settings


async def test_e_asks_for_the_folder_exports_and_puts_the_path_on_the_clipboard(
    annotated: Path, tmp_path: Path
):
    notes = tmp_path / "notes"
    app = make_app(annotated, tmp_path, settings_with_notes(notes))
    async with run(app) as pilot:
        await open_sample(pilot, app)
        await pilot.press("e")
        await settle(pilot, app)
        folder = app.screen.query_one("#folder-input")
        assert folder.value == str(notes)  # the notes folder is offered, editable
        name = "Trump-and-Petro-Open-Channel-After-Diplomatic-Standoff-"
        asked = widget_text(app, ".dialog-title")
        assert "Export this article's notes into articles/ in this folder, as" in asked
        assert f"{name}a4cf46ab3bfd.md" in asked  # the file it will write, before writing
        assert not notes.exists()
        await pilot.press("enter")
        await settle(pilot, app)
        pages = list((notes / "articles").glob("*.md"))
        assert len(pages) == 1 and pages[0].name.startswith(name)
        page = pages[0].read_text(encoding="utf-8")
        assert CLAIM in page and "|Donald Trump]]" in page and "Compare with the Bog" in page
        assert app.clipboard == str(pages[0])
        shown = flat(screen_text(app))
        assert "Exported Trump-and-Petro-Open-Channel-" in shown
        assert "(path copied to the clipboard)" in shown
        app.copy_to_clipboard("")
        await pilot.press("e", "enter")  # nothing changed: the same file, left alone
        await settle(pilot, app)
        assert await wait_for(pilot, lambda: "Up to date:" in flat(screen_text(app)))
        assert list((notes / "articles").glob("*.md")) == pages
        assert app.clipboard == str(pages[0])


async def test_e_offers_the_folder_chosen_last_and_escape_writes_nothing(
    annotated: Path, tmp_path: Path
):
    notes, elsewhere = tmp_path / "notes", tmp_path / "elsewhere"
    app = make_app(annotated, tmp_path, settings_with_notes(notes))
    async with run(app) as pilot:
        await open_sample(pilot, app)
        await pilot.press("e")
        await settle(pilot, app)
        app.screen.query_one("#folder-input").value = str(elsewhere)
        await pilot.press("enter")
        await settle(pilot, app)
        assert len(list((elsewhere / "articles").glob("*.md"))) == 1
        await pilot.press("e")
        await settle(pilot, app)
        assert app.screen.query_one("#folder-input").value == str(elsewhere)
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.screen is app.main and not notes.exists()


async def test_the_default_notes_folder_is_in_the_data_dir(annotated: Path, tmp_path: Path):
    app = make_app(annotated, tmp_path)
    async with run(app) as pilot:
        await open_sample(pilot, app)
        await pilot.press("e")
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
    assert len(list((paths.data_dir() / "notes" / "articles").glob("*.md"))) == 1


async def test_the_palette_exports_all_notes_into_a_chosen_folder(annotated: Path, tmp_path: Path):
    out = tmp_path / "vault"
    app = make_app(annotated, tmp_path, settings_with_notes(tmp_path / "unused"))
    async with started(app) as pilot:
        await pilot.press("ctrl+p", *"export all notes")
        assert await wait_for(pilot, lambda: "Export all notes…" in screen_text(app))
        await pilot.press("enter")
        await settle(pilot, app)
        folder = app.screen.query_one("#folder-input")
        assert folder.value == str(tmp_path / "unused")  # the notes folder is offered
        folder.value = str(out)
        await pilot.press("enter")
        await settle(pilot, app)
        assert await wait_for(pilot, lambda: (out / "index.md").exists())
        assert len(list((out / "articles").glob("*.md"))) == 1
        assert (out / "actors" / "Gustavo-Petro.md").exists()
        assert await wait_for(pilot, lambda: "Exported" in screen_text(app))
        assert app.clipboard == str(out.resolve())


async def test_the_palette_exports_an_actor_dossier(annotated: Path, tmp_path: Path):
    notes = tmp_path / "notes"
    app = make_app(annotated, tmp_path, settings_with_notes(notes))
    async with started(app) as pilot:
        await pilot.press("ctrl+p", *"export actor dossier")
        assert await wait_for(pilot, lambda: "Export actor dossier…" in screen_text(app))
        await pilot.press("enter")
        await settle(pilot, app)
        await pilot.press(*"petro", "enter")
        await settle(pilot, app)
        dossier = notes / "actors" / "Gustavo-Petro.md"
        assert await wait_for(pilot, dossier.exists)
        assert DISPUTED in dossier.read_text(encoding="utf-8")


async def test_the_actors_screen_opens_the_chosen_place_in_the_reader(
    annotated: Path, tmp_path: Path
):
    app = make_app(annotated, tmp_path)
    async with started(app) as pilot:
        await pilot.press("at")
        await settle(pilot, app)
        assert type(app.screen).__name__ == "ActorsScreen"
        await pilot.press("enter")  # the busiest actor: their claims and mentions
        await settle(pilot, app)
        await pilot.press("enter")  # the first of them
        await settle(pilot, app)
        reader = app.main.reader_pane.view
        assert app.screen is app.main and reader.article_id == sample_id(annotated)
        assert reader.text[reader.cursor :].startswith((CLAIM, DISPUTED))
        assert reader.has_focus


async def test_e_renders_with_the_templates_beside_the_apps_config(annotated: Path, tmp_path: Path):
    """The app's own config path (as --config gave it) decides the user's templates."""
    templates = tmp_path / "config" / "templates"
    templates.mkdir(parents=True)
    (templates / "article.md.j2").write_text("My own page: {{ article.title | md_line }}\n")
    notes = tmp_path / "notes"
    app = make_app(annotated, tmp_path, settings_with_notes(notes))
    async with run(app) as pilot:
        await open_sample(pilot, app)
        await pilot.press("e")
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        (page,) = (notes / "articles").glob("*.md")
        assert page.read_text(encoding="utf-8").startswith("My own page: Trump and Petro")
