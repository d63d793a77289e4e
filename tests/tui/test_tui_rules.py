"""The rules screen (ctrl+r) driven with real keys over a real seeded store: each rule with
its matches, a bad rule named, enter lists a rule's matches, A applies them all."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import flat, make_app, screen_text, settle, started, wait_for, widget_text

from newsreader.config import Settings
from newsreader.rulespec import parse_rules
from newsreader.store import connect
from newsreader.store.labels import labels_of
from newsreader.tui.screens.rules import RulesScreen


def with_rules() -> Settings:
    settings = Settings()
    settings.rules, warnings = parse_rules(
        [
            {"name": "petro", "query": "title:petro", "actions": ["label:petro", "star"]},
            {"name": "broken", "query": "after:2026-13-01", "actions": ["read"]},
        ],
        "config.toml:",
    )
    assert not warnings
    return settings


async def test_the_rules_screen_counts_lists_and_applies(store: Path, tmp_path: Path) -> None:
    app = make_app(store, tmp_path, with_rules())
    async with started(app) as pilot:
        await pilot.press("ctrl+r")
        assert await wait_for(pilot, lambda: isinstance(app.screen, RulesScreen))
        assert await wait_for(pilot, lambda: "(2 matches)" in flat(screen_text(app)))
        shown = flat(screen_text(app))
        assert "petro title:petro → label:petro, star (2 matches)" in shown
        assert "broken after:2026-13-01 → read (not used)" in shown
        assert "rule 'broken': not a date" in shown
        await pilot.press("enter")  # the first rule's matches
        await settle(pilot, app)
        listed = widget_text(app, "#articles")
        assert "Petro speaks" in listed and "Trump and Petro talk" in listed
        assert "Maduro responds" not in listed
        await pilot.press("ctrl+r")
        assert await wait_for(pilot, lambda: isinstance(app.screen, RulesScreen))
        await pilot.press("A")
        assert await wait_for(
            pilot, lambda: "Rules: 2 starred, 2 labelled" in flat(screen_text(app))
        )
        await settle(pilot, app)
        assert "# petro" in widget_text(app, "#feeds")
    conn = connect(store)
    try:
        ids = [r[0] for r in conn.execute("SELECT id FROM articles WHERE title LIKE '%Petro%'")]
        assert [labels_of(conn, i) for i in ids] == [["petro"], ["petro"]]
        assert {
            r[0] for r in conn.execute("SELECT is_starred FROM articles WHERE id IN (?, ?)", ids)
        } == {1}
    finally:
        conn.close()


async def test_without_rules_the_screen_says_how_to_write_one(app) -> None:  # type: ignore[no-untyped-def]
    async with started(app) as pilot:
        await pilot.press("ctrl+r")
        assert await wait_for(pilot, lambda: isinstance(app.screen, RulesScreen))
        assert "Add [[rules]] tables to config.toml" in flat(screen_text(app))
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, RulesScreen)


async def test_a_hidden_article_is_shown_again_from_the_palette(
    store: Path, tmp_path: Path
) -> None:
    from newsreader.store.rules import hidden_by, hide

    conn = connect(store)
    (hidden,) = [r[0] for r in conn.execute("SELECT id FROM articles WHERE key = 'ib2'")]
    hide(conn, [hidden], "test")
    conn.close()
    app = make_app(store, tmp_path)
    async with started(app) as pilot:
        assert "Maduro responds" not in widget_text(app, "#articles")
        await pilot.press("slash", *"is:hidden", "enter")
        assert await wait_for(pilot, lambda: "Maduro responds" in widget_text(app, "#articles"))
        await pilot.press("ctrl+p", *"show a hidden")
        await settle(pilot, app)
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: "Shown in the lists again." in flat(screen_text(app)))
    conn = connect(store)
    try:
        assert hidden_by(conn, hidden) is None
    finally:
        conn.close()
