"""Tagging an actor from the reader: the name guessed leaves titles and adjectives of
place out, the surname the article uses is offered as an alias, and only the aliases the
user leaves in the dialog are stored (issue 9, item 3). Driven with keys on the demo."""

from __future__ import annotations

import re
from pathlib import Path

from tui_helpers import flat, make_app, open_sample, run, settle, wait_for, widget_text

from newsreader.store import connect

LEAD = "US President Donald Trump and Colombian President Gustavo Petro spoke"


def aliases_of(db_path: Path, name: str) -> list[str]:
    """The stored aliases of the actor called ``name`` (a fresh connection)."""
    conn = connect(db_path)
    try:
        return [
            r[0]
            for r in conn.execute(
                "SELECT l.alias FROM actor_aliases l JOIN actors a ON a.id = l.actor_id"
                " WHERE a.name = ? ORDER BY l.alias",
                (name,),
            )
        ]
    finally:
        conn.close()


def mentions(db_path: Path) -> list[tuple[str, str]]:
    conn = connect(db_path)
    try:
        return [
            tuple(r)
            for r in conn.execute(
                "SELECT n.exact, a.name FROM annotations n JOIN actors a ON a.id = n.actor_id"
                " WHERE n.kind = 'mention' ORDER BY n.id"
            )
        ]
    finally:
        conn.close()


async def to_lead_word(pilot, app, words: int):  # type: ignore[no-untyped-def]
    """Move to the lead paragraph with ``}``, then ``words`` words on with ``w``."""
    reader = app.main.reader_pane.view
    for _ in range(20):
        if reader.text[reader.cursor :].startswith(LEAD):
            break
        await pilot.press("right_curly_bracket")
    assert reader.text[reader.cursor :].startswith(LEAD)
    await pilot.press(*["w"] * words)
    return reader


async def test_t_on_a_title_tags_the_name_and_offers_the_surname(
    demo_store: Path, tmp_path: Path
) -> None:
    app = make_app(demo_store, tmp_path)
    async with run(app) as pilot:
        await open_sample(pilot, app, marked=False)
        reader = await to_lead_word(pilot, app, 6)  # the second "President"
        assert reader.text[reader.cursor :].startswith("President Gustavo")
        await pilot.press("t")
        await settle(pilot, app)
        dialog = flat(widget_text(app, "#tag-dialog"))
        assert "Tag “Gustavo Petro” as an actor" in dialog
        assert app.screen.query_one("#tag-name").value == "Gustavo Petro"
        assert app.screen.query_one("#tag-aliases").value == "Petro"
        await pilot.press("enter")
        await settle(pilot, app)
        assert aliases_of(demo_store, "Gustavo Petro") == ["Petro"]
        assert mentions(demo_store) == [("Gustavo Petro", "Gustavo Petro")]
        petros = [m.start() for m in re.finditer(r"\bPetro\b", reader.text)]
        assert len(petros) >= 10
        assert await wait_for(
            pilot,
            lambda: all(
                any(
                    s.start <= p < s.end
                    for s in reader.spans.spans
                    if s.kind in ("actor", "mention")
                )
                for p in petros
            ),
        )


async def test_only_the_aliases_left_in_the_dialog_are_stored(
    demo_store: Path, tmp_path: Path
) -> None:
    app = make_app(demo_store, tmp_path)
    async with run(app) as pilot:
        await open_sample(pilot, app, marked=False)
        await to_lead_word(pilot, app, 5)  # "Colombian"
        await pilot.press("v", *["E"] * 4)  # select "Colombian President Gustavo Petro"
        await pilot.press("t")
        await settle(pilot, app)
        assert "Tag “Colombian President Gustavo Petro”" in flat(widget_text(app, "#tag-dialog"))
        name = app.screen.query_one("#tag-name")
        assert name.value == "Gustavo Petro"  # the title phrase is not the name
        assert app.screen.query_one("#tag-aliases").value == "Petro"
        await pilot.press("ctrl+u", *"Gustavo Petro Urrego", "tab", "tab")
        assert app.focused.id == "tag-aliases"
        await pilot.press("ctrl+u", *"Petro, Presidente", "enter")
        await settle(pilot, app)
        assert aliases_of(demo_store, "Gustavo Petro Urrego") == ["Petro", "Presidente"]
        assert mentions(demo_store) == [
            ("Colombian President Gustavo Petro", "Gustavo Petro Urrego")
        ]
