"""A claim or tag dialog left open while the article's text changes (a refresh): what the
user saw is what gets annotated, wherever it moved, and a claim whose quote is gone is kept
as an orphan with its note, never put on other words."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import entry, started

from newsreader.store import connect
from newsreader.store.articles import upsert_entries
from newsreader.tui.app import NewsReaderApp
from newsreader.tui.screens.annotate import ClaimForm, ClaimScreen, TagForm, TagScreen

SENTENCE = "Trump and Petro spoke [1] by phone."
LINKS = ["https://interbellum.example/call", "javascript:alert(1)"]


def rewrite(store: Path, text: str) -> None:
    """The refresh's effect: the open article (ib3) stored with a new text."""
    conn = connect(store)
    feed = conn.execute("SELECT feed_id FROM articles WHERE key = 'ib3'").fetchone()[0]
    upsert_entries(conn, feed, [entry("ib3", "Trump and Petro talk", 3, text=text, links=LINKS)])
    conn.close()


def stored(store: Path) -> list[tuple[str, str, int, str, str]]:
    """(kind, exact, orphaned, the article's text there, note) of every annotation."""
    conn = connect(store)
    try:
        return [
            (r[0], r[1], r[2], r[3], r[4])
            for r in conn.execute(
                "SELECT n.kind, n.exact, n.orphaned, substr(a.text, n.start + 1, n.end - n.start),"
                " n.note FROM annotations n JOIN articles a ON a.id = n.article_id"
            )
        ]
    finally:
        conn.close()


async def open_dialog(pilot, app: NewsReaderApp, key: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("enter")  # ib3, the newest, opens; the cursor is on its first word
    await pilot.pause()
    await pilot.press(*key)
    while not isinstance(app.screen, ClaimScreen | TagScreen):
        await pilot.pause()


async def test_a_claim_follows_its_sentence_when_the_text_moves(
    app: NewsReaderApp, store: Path
) -> None:
    async with started(app) as pilot:
        await open_dialog(pilot, app, "Sc")  # the first sentence, as a claim
        rewrite(store, f"BREAKING: a new lead paragraph.\n\n{SENTENCE}\n\nMachado reacted [2].")
        app.screen.dismiss(ClaimForm(None, (), "disputed", "my note"))
        await pilot.pause()
    assert stored(store) == [("claim", SENTENCE, 0, SENTENCE, "my note")]


async def test_a_claim_whose_sentence_is_gone_is_kept_as_an_orphan(
    app: NewsReaderApp, store: Path
) -> None:
    async with started(app) as pilot:
        await open_dialog(pilot, app, "Sc")
        rewrite(store, "An entirely different story.\n\nMachado reacted [2].")
        app.screen.dismiss(ClaimForm(None, (), "unverified", "keep me"))
        await pilot.pause()
        assert "kept as orphaned" in " ".join(n.message for n in app._notifications)
    [(kind, exact, orphaned, _, note)] = stored(store)
    assert (kind, exact, orphaned, note) == ("claim", SENTENCE, 1, "keep me")


async def test_a_tag_is_refused_rather_than_put_on_other_words(
    app: NewsReaderApp, store: Path
) -> None:
    async with started(app) as pilot:
        await open_dialog(pilot, app, "t")  # "Trump", the name under the cursor
        rewrite(store, "Machado reacted [2].")
        app.screen.dismiss(TagForm("Donald Trump", "person"))
        await pilot.pause()
        assert "no longer in it" in " ".join(n.message for n in app._notifications)
    assert stored(store) == []
    conn = connect(store)
    assert conn.execute("SELECT count(*) FROM actor_aliases").fetchone()[0] == 0
    conn.close()
