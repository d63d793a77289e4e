"""An opened article shows its marks at once: the screens around the cursor are marked
before the first paint, the whole article when the loading worker answers."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import entry, make_app, sample_id, settle, started

from newsreader.annotations import service
from newsreader.annotations.actors import ActorMatcher
from newsreader.store import connect
from newsreader.store.actors import add_actor
from newsreader.store.articles import upsert_entries
from newsreader.store.feeds import add_feed
from newsreader.tui.marks import WINDOW_AFTER, text_window

PARAGRAPH = (
    "Gustavo Petro spoke with Donald Trump by phone on Monday, officials in Bogotá "
    "said, and both described the call as a first step."
)


def drawn(app) -> set[tuple[int, int, str, str]]:  # type: ignore[no-untyped-def]
    """The spans the reader styles: (start, end, kind, style)."""
    return {(s.start, s.end, s.kind, s.style) for s in app.main.reader_pane.view.spans.spans}


def long_store(db_path: Path) -> tuple[int, int, int]:
    """A ~80,000-character article with a claim at its top and a highlight at its end;
    returns (article id, claim start, highlight start)."""
    conn = connect(db_path)
    try:
        feed, _ = add_feed(conn, "https://long.example/feed", "Long Reads")
        text = "\n\n".join(f"({n}) {PARAGRAPH}" for n in range(600))
        upsert_entries(conn, feed, [entry("long", "A long read", 1, text=text)])
        article = int(conn.execute("SELECT id FROM articles").fetchone()[0])
        add_actor(conn, "Gustavo Petro", "person", ["Petro"])
        add_actor(conn, "Bogotá", "place")
        stored = conn.execute("SELECT text FROM articles").fetchone()[0]
        claim = stored.index("Gustavo Petro spoke")
        last = stored.rindex("both described")
        service.create_claim(conn, article, claim, claim + 40)
        service.create_highlight(conn, article, last, last + 14)
    finally:
        conn.close()
    return article, claim, last


async def test_a_short_article_is_fully_marked_before_the_worker_answers(
    annotated: Path, tmp_path: Path
) -> None:
    app = make_app(annotated, tmp_path)
    async with started(app) as pilot:
        app.main.open_article(sample_id(annotated))  # no await: no worker answer yet
        first = drawn(app)
        assert app.main.reader_pane.marks is None  # the worker's full set has not arrived
        await settle(pilot, app)
        assert app.main.reader_pane.marks is not None
        assert first == drawn(app)
        assert {"claim", "highlight", "actor"} <= {kind for _, _, kind, _ in first}


async def test_a_long_article_marks_the_screens_around_the_cursor_first(
    db_path: Path, tmp_path: Path
) -> None:
    article, claim, last = long_store(db_path)
    app = make_app(db_path, tmp_path)
    async with started(app) as pilot:
        await settle(pilot, app)  # the actor matcher is built
        app.main.open_article(article)
        first = drawn(app)
        await settle(pilot, app)
        every = drawn(app)
        start, end = text_window(app.main.reader_pane.view.text, 0)
    assert 0 < end < last
    assert (claim, claim + 40, "claim", "claim-unverified") in first
    assert not any(s >= end for s, *_ in first)
    assert (last, last + 14, "highlight", "highlight") in every
    assert first == {span for span in every if span[0] < end}
    assert len(every) > len(first) > 100


def test_the_window_is_whole_lines_and_finds_what_a_full_scan_finds() -> None:
    text = "\n\n".join(f"({n}) {PARAGRAPH}" for n in range(900))
    matcher = ActorMatcher([(1, "Gustavo Petro"), (2, "Petro"), (3, "Bogotá"), (4, "Donald Trump")])
    every = matcher.find(text)
    for offset in (0, 50_000, len(text) - 10):
        start, end = text_window(text, offset)
        assert start == 0 or text[start - 1] == "\n"
        assert end == len(text) or text[end] == "\n"
        assert end - offset >= min(WINDOW_AFTER, len(text) - offset)
        assert matcher.find_within(text, start, end) == [
            m for m in every if start <= m.start and m.end <= end
        ]


def test_the_window_stays_small_in_a_text_without_line_breaks() -> None:
    """One 2-million-character paragraph (the most a feed may bring): the window is cut
    at spaces near its ends, not widened to the whole text."""
    text = " ".join(f"word{n} Gustavo Petro" for n in range(120_000))
    matcher = ActorMatcher([(1, "Gustavo Petro")])
    for offset in (0, 1_000_000, len(text) - 1):
        start, end = text_window(text, offset)
        assert end - start <= WINDOW_AFTER + 4_000 + 2 * 2_000
        assert start == 0 or text[start - 1] == " "
        assert end == len(text) or text[end] == " "
        assert all(
            text[m.start : m.end] == "Gustavo Petro" for m in matcher.find_within(text, start, end)
        )
