"""Linking claims from the keyboard, across two articles: M marks a claim, K on another
asks how they relate; the link shows in the panel (both quotes) and the claim editor, x on
its row removes it and ctrl+z brings it back. The claim editor sets an event date (a bad
one is said in one line) and adds and removes sources. What is asserted is what the
screen shows and what the store holds."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import CLAIM, flat, make_app, open_sample, run, screen_text, settle, wait_for

from newsreader.annotations import service
from newsreader.store import connect
from newsreader.tui.screens.annotate import ClaimScreen
from newsreader.tui.screens.linking import LinkScreen

GUIDE_CLAIM = "Everything here works offline"


def rows(db_path: Path, sql: str, *params: object) -> list[tuple]:
    conn = connect(db_path)
    try:
        return [tuple(r) for r in conn.execute(sql, params).fetchall()]
    finally:
        conn.close()


@pytest.fixture
def two_articles(annotated: Path) -> Path:
    """The annotated demo store plus a claim on the other article (the guide)."""
    conn = connect(annotated)
    try:
        guide = conn.execute(
            "SELECT id FROM articles WHERE title = 'Getting started with newsreader'"
        ).fetchone()[0]
        service.create_from_quote(conn, guide, GUIDE_CLAIM, "claim")
    finally:
        conn.close()
    return annotated


def links(db_path: Path) -> list[tuple]:
    return rows(
        db_path,
        "SELECT s.exact, l.relation, t.exact FROM claim_links l"
        " JOIN annotations s ON s.id = l.source_id JOIN annotations t ON t.id = l.target_id",
    )


async def test_link_two_claims_across_articles_from_the_keyboard(
    two_articles: Path, tmp_path: Path
):
    app = make_app(two_articles, tmp_path)
    async with run(app) as pilot:
        reader = await open_sample(pilot, app)
        await pilot.press("right_square_bracket")  # the first claim
        assert reader.cursor == reader.text.index(CLAIM)
        await pilot.press("M")
        await settle(pilot, app)
        assert "Marked the claim" in flat(screen_text(app))
        await pilot.press("shift+tab", "k", "enter")  # the guide article
        await settle(pilot, app)
        guide = app.main.reader_pane.view
        assert await wait_for(pilot, lambda: len(guide.spans) > 0)
        await pilot.press("right_square_bracket")
        assert guide.text[guide.cursor :].startswith(GUIDE_CLAIM)
        await pilot.press("K")
        await settle(pilot, app)
        assert isinstance(app.screen, LinkScreen)
        shown = flat(screen_text(app))
        assert "The marked claim “Trump described" in shown
        assert "The claim here “Everything here works offline" in shown
        assert "is contradicted by the claim here" in shown
        await pilot.press("down", "enter")  # "contradicts the claim here"
        await settle(pilot, app)
        assert links(two_articles) == [(CLAIM, "contradicts", GUIDE_CLAIM)]
        await pilot.press("a")  # the panel: the link under the guide's claim, both quotes
        panel = app.main.reader_pane.panel
        assert await wait_for(pilot, lambda: any(r.kind == "link" for r in panel.rows))
        assert "↳ contradicted by “Trump described the conv" in screen_text(app)
        [row] = [r for r in panel.rows if r.kind == "link"]
        assert row.text == f"contradicted by “{CLAIM}” · Trump and Petro Open Channel After " + (
            "Diplomatic Standoff"
        )
        await pilot.press("j")
        assert panel.current is not None and panel.current.kind == "link"
        await pilot.press("x")
        await settle(pilot, app)
        assert links(two_articles) == []
        assert (
            rows(two_articles, "SELECT count(*) FROM annotations WHERE deleted IS NULL")[0][0] == 5
        )  # the claims themselves are still there
        await pilot.press("ctrl+z")
        await settle(pilot, app)
        assert links(two_articles) == [(CLAIM, "contradicts", GUIDE_CLAIM)]
        await pilot.press("k", "enter")  # edit the guide's claim: its link, both quotes
        await settle(pilot, app)
        assert isinstance(app.screen, ClaimScreen)
        dialog = app.screen.query_one("#claim-links")
        assert "contradicted by “Trump described" in flat(str(dialog.render()))


async def test_the_claim_editor_sets_the_date_and_the_sources(two_articles: Path, tmp_path: Path):
    app = make_app(two_articles, tmp_path)
    async with run(app) as pilot:
        await open_sample(pilot, app)
        await pilot.press("a", "enter")  # edit the first claim
        await settle(pilot, app)
        assert isinstance(app.screen, ClaimScreen)
        for _ in range(12):
            if app.focused is not None and app.focused.id == "event-date":
                break
            await pilot.press("tab")
        assert app.focused is not None and app.focused.id == "event-date"
        await pilot.press(*"2026-02-30", "ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, ClaimScreen)  # not saved: said in one line
        assert "not a date (YYYY-MM-DD): '2026-02-30'" in flat(screen_text(app))
        await pilot.press("ctrl+u", *"2026-01-05", "tab", *"javascript:x", "enter")
        assert "Not a source" in flat(screen_text(app))
        await pilot.press("ctrl+u", *"https://example.com/readout", "enter")
        await pilot.press(*"https://example.com/other", "enter", "tab", "x")  # drop the last
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert not isinstance(app.screen, ClaimScreen)
    assert rows(two_articles, "SELECT event_date FROM annotations WHERE exact = ?", CLAIM) == [
        ("2026-01-05",)
    ]
    assert rows(two_articles, "SELECT url FROM claim_evidence") == [
        ("https://example.com/readout",)
    ]
