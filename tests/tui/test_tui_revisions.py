"""Revisions in the TUI with real keys: D in the reader lists an article's earlier texts
and shows what changed from the one picked to the current text (struck red, green), the
panel says a claim was edited after you marked it, and the feeds pane lists Changed."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static
from tui_helpers import flat, make_app, screen_text, started, wait_for, widget_text

from newsreader.annotations import service
from newsreader.feeds.ingest import follow_annotations
from newsreader.models import ParsedEntry
from newsreader.store import connect
from newsreader.store.articles import upsert_entries
from newsreader.store.feeds import add_feed
from newsreader.tui.screens.revisions import RevisionsScreen

FIRST = "Talks resumed on Monday.\n\nThe minister said the ceasefire holds for now."
SECOND = FIRST.replace("holds for now", "holds for the moment")
QUOTE = "the ceasefire holds for now"


def reworded_store(store: Path) -> None:
    """One article with a claim on QUOTE, then reworded by a feed update."""
    conn = connect(store)
    feed, _ = add_feed(conn, "https://desk.example/feed.xml", "Desk")
    for when, text in ((1.8e9, FIRST), (1.8e9 + 600, SECOND)):
        entry = ParsedEntry(key="talks", title="Talks", text=text, published=1.8e9)
        follow_annotations(conn, upsert_entries(conn, feed, [entry], now=when))
        if text == FIRST:
            [article_id] = [r[0] for r in conn.execute("SELECT id FROM articles")]
            service.create_from_quote(conn, article_id, QUOTE, kind="claim")
    conn.close()


async def test_d_shows_the_revisions_and_the_panel_flags_the_claim(
    db_path: Path, tmp_path: Path
) -> None:
    reworded_store(db_path)
    app = make_app(db_path, tmp_path)
    async with started(app) as pilot:
        assert "Changed" in flat(widget_text(app, "#feeds"))
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: "minister said" in screen_text(app))
        await pilot.press("a")
        assert await wait_for(pilot, lambda: "edited after you marked it" in flat(screen_text(app)))
        await pilot.press("D")
        assert await wait_for(pilot, lambda: isinstance(app.screen, RevisionsScreen))
        diff = app.screen.query_one("#revision-diff-text", Static)
        assert await wait_for(pilot, lambda: "moment" in str(diff.render()))
        rendered = flat(screen_text(app))
        assert "1 word taken out, 2 put in" in rendered
        assert "from the feed" in rendered
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, RevisionsScreen))


def test_the_diff_is_styled_text() -> None:
    from newsreader.annotations.revdiff import word_diff
    from newsreader.tui.screens.revisions import diff_text

    text = diff_text(word_diff(FIRST, SECOND))
    assert text.plain == FIRST.replace("now.", "[-now.-]{+the moment.+}")  # reads uncoloured
    styles = {text.plain[s.start : s.end]: str(s.style) for s in text.spans}
    assert styles == {
        "now.": "strike red",
        "the moment.": "bold green",
        "[-": "dim",
        "-]": "dim",
        "{+": "dim",
        "+}": "dim",
    }


def test_the_panel_row_keeps_the_quote_as_marked(db_path: Path) -> None:
    from newsreader.store.annotations import list_annotations
    from newsreader.store.revisions import edited_annotations
    from newsreader.tui.marks import ArticleMarks, panel_rows

    reworded_store(db_path)
    conn = connect(db_path)
    try:
        annotations = list_annotations(conn, 1)
        marks = ArticleMarks(1, annotations, [], edited=edited_annotations(conn, 1))
    finally:
        conn.close()
    [row] = [r for r in panel_rows(marks) if r.kind == "claim"]
    assert row.text.startswith("edited after you marked it · “")
    assert row.text.endswith(f"· was “{QUOTE}”")
    assert "edited" not in panel_rows(ArticleMarks(1, annotations, []))[1].text
