"""Annotating the sample article from the keyboard: a claim, a tagged actor, a note.

Everything runs on the bundled demo store (the sample article "Trump and Petro Open
Channel After Diplomatic Standoff"), through the real app; what is asserted is what the
user sees (screen text, the style a character is drawn with) and what the store holds.
"""

from __future__ import annotations

import re
from pathlib import Path

from tui_helpers import (
    CLAIM,
    char_style,
    component_style,
    count_of,
    flat,
    make_app,
    open_sample,
    run,
    sample_id,
    screen_text,
    settle,
    wait_for,
    widget_text,
)

from newsreader.store import connect

QUOTE = CLAIM
NOTE = "Check the readout against the White House statement."
ARTICLE_NOTE = "Follow up on the planned visit."


def selected(reader) -> str:  # type: ignore[no-untyped-def]
    """The selected text."""
    assert reader.selection is not None
    return reader.text[slice(*reader.selection)]


def stored(db_path: Path, sql: str, *params: object) -> list[tuple]:
    """Rows from the store itself (a fresh connection)."""
    conn = connect(db_path)
    try:
        return [tuple(row) for row in conn.execute(sql, params).fetchall()]
    finally:
        conn.close()


def claim_rows(db_path: Path) -> list[tuple]:
    """(exact, status, note, speaker, deleted) of every claim."""
    return stored(
        db_path,
        "SELECT n.exact, n.status, n.note, s.name, n.deleted IS NOT NULL"
        " FROM annotations n LEFT JOIN actors s ON s.id = n.speaker_id"
        " WHERE n.kind = 'claim' ORDER BY n.id",
    )


def claim_background(app):  # type: ignore[no-untyped-def]
    """The background the reader gives an unverified claim."""
    return component_style(app.main.reader_pane.view, "article-view--claim-unverified").bgcolor


async def make_claim(pilot, app) -> None:  # type: ignore[no-untyped-def]
    """Select QUOTE with paragraph and word-end motions, press c, pick Trump, add NOTE."""
    reader = app.main.reader_pane.view
    await pilot.press("right_curly_bracket", "right_curly_bracket")
    assert reader.text[reader.cursor :].startswith("Trump described")
    await pilot.press("v", *["E"] * 6)
    assert selected(reader) == QUOTE
    await pilot.press("c")
    await settle(pilot, app)
    speakers = widget_text(app, "#speaker-list").splitlines()
    assert speakers[0].strip() == "▸ (no speaker)"  # a new actor is never the default
    assert "＋ new: Donald Trump (alias Trump)" in speakers[1]  # suggested, first
    assert "Status" in screen_text(app) and "(•) unverified" in screen_text(app)
    await pilot.press("down")  # from the name box: pick the suggestion
    assert "Speaker: Donald Trump (new actor)" in screen_text(app)
    await pilot.press("tab", "tab", "tab", "tab")  # about, status, kind, note
    assert app.focused.id == "claim-note"
    await pilot.press(*NOTE, "ctrl+s")
    await settle(pilot, app)


async def tag_petro(pilot, app) -> None:  # type: ignore[no-untyped-def]
    """Move onto "Petro" with w and tag it: the dialog offers Gustavo Petro, a person."""
    reader = app.main.reader_pane.view
    await pilot.press("w", "w")
    assert reader.text[reader.cursor :].startswith("Petro reached out")
    await pilot.press("t")
    await settle(pilot, app)
    dialog = flat(widget_text(app, "#tag-dialog"))
    assert "Tag “Petro” as an actor" in dialog and "person" in dialog
    assert app.screen.query_one("#tag-name").value == "Gustavo Petro"
    await pilot.press("enter")
    await settle(pilot, app)


async def test_claim_tag_and_note_from_the_keyboard_survive_a_restart(
    demo_store: Path, tmp_path: Path
):
    app = make_app(demo_store, tmp_path)
    async with run(app) as pilot:
        reader = await open_sample(pilot, app, marked=False)
        await make_claim(pilot, app)
        assert claim_rows(demo_store) == [(QUOTE, "unverified", NOTE, "Donald Trump", 0)]
        assert stored(
            demo_store,
            "SELECT a.alias FROM actor_aliases a JOIN actors r"
            " ON r.id = a.actor_id WHERE r.name = 'Donald Trump'",
        ) == [("Trump",)]
        start = reader.text.index(QUOTE)
        assert reader.selection is None
        assert char_style(reader, start + 10).bgcolor == claim_background(app)
        assert "Claim saved (Donald Trump, unverified)" in flat(screen_text(app))

        await tag_petro(pilot, app)
        assert stored(demo_store, "SELECT kind FROM actors WHERE name = 'Gustavo Petro'") == [
            ("person",)
        ]
        assert stored(demo_store, "SELECT alias FROM actor_aliases WHERE alias = 'Petro'") == [
            ("Petro",)
        ]
        assert stored(demo_store, "SELECT exact FROM annotations WHERE kind = 'mention'") == [
            ("Petro",)
        ]
        await settle(pilot, app)
        petros = [m.start() for m in re.finditer(r"\bPetro\b", reader.text)]
        assert len(petros) >= 10
        marked = {s.start for s in reader.spans.spans if s.kind in ("actor", "mention")}
        assert all(any(s <= p < s + 14 for s in marked) for p in petros)
        on_screen = [
            p
            for p in petros
            if reader.line_of(p) - reader.scroll_offset.y
            in range(reader.scrollable_content_region.height)
        ]
        assert on_screen and all(char_style(reader, p + 1).underline for p in on_screen)

        await pilot.press("g", "N")  # the top line holds no annotation: an article note
        await settle(pilot, app)
        assert "Note on the article Trump and Petro" in flat(screen_text(app))
        await pilot.press(*ARTICLE_NOTE, "ctrl+s")
        await settle(pilot, app)
        assert stored(demo_store, "SELECT body FROM notes") == [(ARTICLE_NOTE,)]
        await pilot.press("ctrl+q")

    again = make_app(demo_store, tmp_path)
    async with run(again) as pilot:
        await settle(pilot, again)
        reader = again.main.reader_pane.view
        assert reader.article_id == sample_id(demo_store)
        assert await wait_for(pilot, lambda: len(reader.spans) > 0)
        reader.scroll_to_offset(reader.text.index(QUOTE))
        await pilot.pause()
        assert char_style(reader, reader.text.index(QUOTE) + 5).bgcolor == claim_background(again)
        assert char_style(reader, reader.text.index("Petro reached")).underline
        await pilot.press("a")
        await pilot.pause()
        panel = flat(widget_text(again, "#annotation-panel"))
        assert "Claims (1)" in panel and "unverified Donald Trump: “Trump described" in panel
        assert "Gustavo Petro ×" in panel and "Donald Trump ×" in panel
        assert "Notes (1)" in panel and "✎ Follow up on the planned visit." in panel
    assert claim_rows(demo_store) == [(QUOTE, "unverified", NOTE, "Donald Trump", 0)]


async def test_the_annotated_feed_and_search_list_the_article(demo_store: Path, tmp_path: Path):
    app = make_app(demo_store, tmp_path)
    async with run(app) as pilot:
        await open_sample(pilot, app, marked=False)
        assert count_of(widget_text(app, "#feeds"), "Annotated") == ""  # none yet
        await pilot.press("S", "H")  # highlight the first sentence
        await settle(pilot, app)
        assert stored(demo_store, "SELECT kind, exact FROM annotations") == [
            (
                "highlight",
                "Phone call signals tentative de-escalation after months of public hostility",
            )
        ]
        assert count_of(widget_text(app, "#feeds"), "Annotated") == "1"
        await pilot.press("shift+tab", "shift+tab", "k", "k", "k", "k", "j", "j", "j")
        await settle(pilot, app)
        assert app.main.feeds_pane.list.current.label == "Annotated"
        listed = widget_text(app, "#articles")
        assert "Trump and Petro" in listed and "Getting started" not in listed
        await pilot.press("slash", *"is:annotated petro", "enter")
        await settle(pilot, app)
        assert "Search results (1)" in screen_text(app)
