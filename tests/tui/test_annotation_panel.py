"""The annotations panel, jumping between annotations, editing, delete and undo."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import (
    CLAIM,
    DISPUTED,
    HIGHLIGHT,
    char_style,
    component_style,
    flat,
    make_app,
    open_sample,
    run,
    screen_text,
    settle,
    wait_for,
    widget_text,
)

from newsreader.store import connect


def rows(db_path: Path, sql: str, *params: object) -> list[tuple]:
    """Rows read from the store itself."""
    conn = connect(db_path)
    try:
        return [tuple(r) for r in conn.execute(sql, params).fetchall()]
    finally:
        conn.close()


async def test_brackets_jump_between_annotations(annotated: Path, tmp_path: Path):
    app = make_app(annotated, tmp_path)
    async with run(app) as pilot:
        reader = await open_sample(pilot, app)
        text = reader.text
        await pilot.press("right_square_bracket")
        assert reader.cursor == text.index(CLAIM)
        await pilot.press("right_square_bracket")
        assert reader.cursor == text.index(DISPUTED)
        await pilot.press("right_square_bracket")
        assert reader.cursor == text.index(HIGHLIGHT)
        assert reader.line_of(reader.cursor) >= reader.scroll_offset.y  # scrolled to it
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert reader.cursor == text.index(CLAIM)


async def test_brackets_move_the_panels_row_and_wrap_around_saying_so(
    annotated: Path, tmp_path: Path
):
    app = make_app(annotated, tmp_path)
    async with run(app) as pilot:
        reader = await open_sample(pilot, app)
        text, panel = reader.text, app.main.reader_pane.panel
        ids = dict(rows(annotated, "SELECT exact, id FROM annotations"))
        await pilot.press("a")  # the panel has the focus: ] and [ work there too
        await pilot.pause()
        assert panel.has_focus
        await pilot.press("right_square_bracket", "right_square_bracket")
        await pilot.pause()
        assert reader.cursor == text.index(DISPUTED)
        assert panel.current.annotation_id == ids[DISPUTED]
        await pilot.press("right_square_bracket")
        assert panel.current.annotation_id == ids[HIGHLIGHT]
        await pilot.press("right_square_bracket")  # past the last: the first, and it says so
        await pilot.pause()
        assert reader.cursor == text.index(CLAIM) and panel.current.annotation_id == ids[CLAIM]
        assert await wait_for(
            pilot,
            lambda: "That was the last annotation: back to the first." in flat(screen_text(app)),
        )
        await pilot.press("escape")  # back to the text; the panel stays and still follows
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert reader.has_focus and reader.cursor == text.index(HIGHLIGHT)
        assert panel.current.annotation_id == ids[HIGHLIGHT]
        assert await wait_for(
            pilot,
            lambda: "That was the first annotation: on to the last." in flat(screen_text(app)),
        )


async def test_brackets_without_annotations_say_so(annotated: Path, tmp_path: Path):
    app = make_app(annotated, tmp_path)
    async with run(app) as pilot:
        await settle(pilot, app)
        await pilot.press("enter")  # "Getting started": nothing marked in it
        await settle(pilot, app)
        await pilot.press("right_square_bracket")
        assert await wait_for(
            pilot, lambda: "No annotations in this article yet" in flat(screen_text(app))
        )
        assert app.main.reader_pane.view.cursor == 0


async def test_a_is_the_panel_in_the_reader_and_add_feed_in_the_lists(
    annotated: Path, tmp_path: Path
):
    app = make_app(annotated, tmp_path)
    async with run(app) as pilot:
        await open_sample(pilot, app)
        pane = app.main.query_one("#reader-pane")
        assert "a Annotations" in flat(widget_text(app, "KeyBar"))
        await pilot.press("a")
        await pilot.pause()
        assert pane.border_title == "Reader · annotations (a hides)"
        assert "Reader · annotations (a hides)" in screen_text(app)
        assert await wait_for(
            pilot,
            lambda: "Annotations panel: the feeds and articles make room" in flat(screen_text(app)),
        )
        await pilot.press("a")
        await pilot.pause()
        assert pane.border_title == "Reader" and app.main.query_one("#articles-pane").display
        await pilot.press("q", "a")  # the article list: a adds a feed there
        await settle(pilot, app)
        assert type(app.screen).__name__ == "AddFeedScreen"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main


async def test_x_deletes_the_annotation_under_the_cursor_and_ctrl_z_restores_it(
    annotated: Path, tmp_path: Path
):
    app = make_app(annotated, tmp_path)
    async with run(app) as pilot:
        reader = await open_sample(pilot, app)
        claim_bg = component_style(reader, "article-view--claim-unverified").bgcolor
        start = reader.text.index(CLAIM)
        await pilot.press("right_square_bracket", "w", "w")  # inside the claim
        assert char_style(reader, start + 3).bgcolor == claim_bg
        await pilot.press("x")
        await pilot.pause()
        assert rows(
            annotated, "SELECT deleted IS NOT NULL FROM annotations WHERE exact = ?", CLAIM
        ) == [(1,)]
        assert char_style(reader, start + 3).bgcolor != claim_bg
        assert "Deleted the claim “Trump described" in flat(screen_text(app))
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert rows(annotated, "SELECT deleted FROM annotations WHERE exact = ?", CLAIM) == [
            (None,)
        ]
        assert char_style(reader, start + 3).bgcolor == claim_bg
        await pilot.press("g", "x")  # nothing here
        assert await wait_for(
            pilot, lambda: "No annotation here to delete" in flat(screen_text(app))
        )


async def test_the_panel_lists_everything_and_follows_the_cursor(annotated: Path, tmp_path: Path):
    app = make_app(annotated, tmp_path)
    async with run(app) as pilot:
        reader = await open_sample(pilot, app)
        assert not app.main.reader_pane.panel.display
        await pilot.press("a")
        await pilot.pause()
        panel = app.main.reader_pane.panel
        assert panel.display and panel.has_focus
        shown = flat(widget_text(app, "#annotation-panel"))
        assert "Claims (2)" in shown
        assert "unverified Donald Trump: “Trump described" in shown
        assert "disputed Gustavo Petro: “Petro argued" in shown
        assert "Highlights (1)" in shown and "“The phone call does not" in shown
        assert "Actors (2)" in shown and "Notes (1)" in shown
        assert "✎ Compare with the Bogotá readout." in shown
        assert "Orphaned (1)" in shown and "? highlight “a sentence now gone”" in shown
        assert not app.main.query_one("#articles-pane").display  # the reader is wider
        await pilot.press("j")  # the second claim: the text follows
        await pilot.pause()
        assert reader.cursor == reader.text.index(DISPUTED)
        await pilot.press("question_mark")  # the panel's own keys
        await pilot.pause()
        shown = screen_text(app)
        assert "Keys for Annotations panel" in shown
        assert "Edit the annotation (or open the note)" in shown
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert not panel.display and reader.has_focus


async def test_enter_in_the_panel_edits_a_claim_and_keeps_its_history(
    annotated: Path, tmp_path: Path
):
    app = make_app(annotated, tmp_path)
    async with run(app) as pilot:
        await open_sample(pilot, app)
        await pilot.press("a", "enter")
        await settle(pilot, app)
        assert "Edit claim" in screen_text(app)
        assert app.screen.speaker.label == "Donald Trump"  # the current speaker, chosen
        await pilot.press("tab", "tab", "right", "enter", "ctrl+s")  # status: supported
        await settle(pilot, app)
        claim_id = rows(annotated, "SELECT id FROM annotations WHERE exact = ?", CLAIM)[0][0]
        assert rows(
            annotated,
            "SELECT status FROM claim_status_history WHERE annotation_id = ? ORDER BY id",
            claim_id,
        ) == [("unverified",), ("supported",)]
        assert rows(
            annotated,
            "SELECT s.name FROM annotations n JOIN actors s ON s.id = n.speaker_id WHERE n.id = ?",
            claim_id,
        ) == [("Donald Trump",)]
        assert "supported Donald Trump: “Trump described" in flat(
            widget_text(app, "#annotation-panel")
        )


async def test_notes_are_edited_deleted_and_restored_from_the_panel(
    annotated: Path, tmp_path: Path
):
    app = make_app(annotated, tmp_path)
    async with run(app) as pilot:
        await open_sample(pilot, app)
        await pilot.press("a", "G")  # the last row: the orphan; the note is above it
        await pilot.press("k", "enter")
        await settle(pilot, app)
        assert "Note on the article" in screen_text(app)
        await pilot.press(*" Done.", "ctrl+s")
        await settle(pilot, app)
        assert rows(annotated, "SELECT body FROM notes") == [
            ("Compare with the Bogotá readout. Done.",)
        ]
        await pilot.press("x")
        await pilot.pause()
        assert rows(annotated, "SELECT count(*) FROM notes") == [(0,)]
        assert "Notes (" not in flat(widget_text(app, "#annotation-panel"))
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert rows(annotated, "SELECT body FROM notes") == [
            ("Compare with the Bogotá readout. Done.",)
        ]
        assert "✎ Compare with the Bogotá readout. Done." in flat(
            widget_text(app, "#annotation-panel")
        )
