"""The journeys that matter, driven as a user drives them: the real ``newsreader`` command
on a pseudo-terminal, keys typed, the emulated screen read, the store checked on disk.

Nothing here reaches into the app: no Pilot, no patched settings. Parser processes,
terminal set-up and the way Textual holds stdin/stdout/stderr are all the real ones.
"""

from __future__ import annotations

from pathlib import Path

from conftest import Launch, cli, query
from httpserver import LoopbackServer
from terminal import Terminal

DEMO = "Trump and Petro"
QUOTE = "US President Donald Trump and Colombian President Gustavo Petro spoke by phone"


def wire(*titles: str, pages: str = "https://wire.example") -> bytes:
    """An RSS feed with one item per title, newest first, linking to ``pages``/N."""
    items = "".join(
        f"<item><guid>wire-{n}</guid><title>{title}</title><link>{pages}/{n}"
        f"</link><pubDate>Mon, {10 + n:02d} Nov 2026 10:00:00 +0000</pubDate>"
        f"<description>{title}: the full story.</description></item>"
        for n, title in enumerate(reversed(titles))
    )
    return (
        f"<?xml version='1.0'?><rss version='2.0'><channel><title>Loopback Wire</title>"
        f"<link>https://wire.example/</link>{items}</channel></rss>"
    ).encode()


def open_demo_article(term: Terminal) -> None:
    """From the first screen: the sample article in the reader, the text cursor at its top."""
    assert term.wait_for(DEMO, timeout=30), term.text()
    term.settle()
    term.press("j", "enter")
    assert term.wait_for(lambda s: "Phone call signals" in s and "c Claim" in s), term.text()


def reader_rows(term: Terminal) -> list[str]:
    """The top 14 rows of the reader pane (the right part of the wide layout; below them
    toasts may cover it), without the scroll bar's thumb."""
    start = term.row(0).index("╭─ Reader")
    rows = term.text().splitlines()[1:15]
    return [row[start:].translate(_NO_THUMB) for row in rows]


_NO_THUMB = str.maketrans("▁▂▃▄▅▆▇█", " " * 8)


def test_first_run_shows_the_demo_and_q_quits(launch: Launch, db: Path) -> None:
    with launch() as term:
        assert term.wait_for(DEMO, timeout=30), term.text()
        screen = term.settle()
        assert "Feeds" in screen and "Articles (2)" in screen and "Inter Bellum" in screen
        assert "? Help" in term.row(term.screen.lines - 1)  # the key bar, on the last row
        assert term.quit() == 0
    titles = [row[0] for row in query(db, "SELECT title FROM articles")]
    assert any(str(title).startswith(DEMO) for title in titles)


def test_R_stores_new_articles_from_the_server_and_lists_them(
    launch: Launch, home: Path, db: Path, http_server: LoopbackServer
) -> None:
    from tests.unit.test_fulltext import page

    site = http_server.url("/story")
    for n in range(3):  # the items are teasers: their pages are fetched for the full text
        http_server.route(f"/story/{n}", body=page(n), content_type="text/html")
    (home / "config.toml").write_text("[fetch]\npage_delay = 0\n", encoding="utf-8")
    http_server.route("/wire.xml", body=wire("Morning brief", pages=site))
    added = cli(home, db, "add", http_server.url("/wire.xml"))
    assert added.returncode == 0, added.stderr
    with launch() as term:
        assert term.wait_for("Morning brief", timeout=30), term.text()
        term.settle()
        http_server.route(
            "/wire.xml",
            body=wire("Morning brief", "Evening exclusive", "Late correction", pages=site),
        )
        term.press("R")
        assert term.wait_for("Evening exclusive"), term.text()
        assert term.wait_for("2 new articles"), term.text()  # the toast (and "full text…")
        screen = term.text()
        assert "failed" not in screen and "!" not in screen.split("Loopback Wire")[0][-3:]
        assert term.quit() == 0
    stored = {
        row[0]: row[1]
        for row in query(
            db,
            "SELECT a.title, f.last_status || ' ' || a.text_source FROM articles a"
            " JOIN feeds f ON f.id = a.feed_id WHERE f.url = ?",
            http_server.url("/wire.xml"),
        )
    }
    assert stored == {
        "Morning brief": "ok page",  # its page fetched when the feed was added
        "Evening exclusive": "ok page",
        "Late correction": "ok page",
    }


def test_mark_up_the_demo_then_find_everything_again(launch: Launch, home: Path, db: Path) -> None:
    with launch() as term:
        open_demo_article(term)
        term.press("}", "S", "c")  # the first sentence of the first paragraph, as a claim
        assert term.wait_for("ctrl+s saves"), term.text()
        term.type("Donald Trump")
        term.press("ctrl+s")
        assert term.wait_for("Claim saved (Donald Trump"), term.text()

        term.press("g", "}", *"wwwwwww", "v", "w", "E", "t")  # select "Gustavo Petro", tag
        assert term.wait_for("Tag “Gustavo Petro” as an actor"), term.text()
        term.press("enter")
        assert term.wait_for("Tagged “Gustavo Petro”"), term.text()

        term.press("escape", "G", "N")  # at the end, on no annotation: a note on the article
        assert term.wait_for("Note on the article"), term.text()
        term.type("Check the call date with the ministry.")
        term.press("ctrl+s")
        assert term.wait_for("Note saved"), term.text()

        term.press("e")  # asks for the folder (the notes folder), enter writes
        assert term.wait_for("Export this article's notes into"), term.text()
        term.press("enter")
        assert term.wait_for("Exported"), term.text()
        term.press("j", "j", "j")
        before = reader_rows(term)
        assert term.quit() == 0

    claims = query(
        db,
        "SELECT a.exact, s.name FROM annotations a JOIN actors s "
        "ON s.id = a.speaker_id WHERE a.kind = 'claim'",
    )
    assert len(claims) == 1 and str(claims[0][0]).startswith(QUOTE)
    assert claims[0][1] == "Donald Trump"
    mentions = query(
        db,
        "SELECT a.exact, r.name FROM annotations a JOIN actors r "
        "ON r.id = a.actor_id WHERE a.kind = 'mention'",
    )
    assert mentions == [("Gustavo Petro", "Gustavo Petro")]
    assert query(db, "SELECT body FROM notes") == [("Check the call date with the ministry.",)]
    pages = list((home / "data" / "newsreader" / "notes").rglob("*.md"))
    assert len(pages) == 1, pages
    page = pages[0].read_text(encoding="utf-8")
    assert QUOTE in page and "Donald Trump" in page and "Check the call date" in page

    with launch() as term:  # the next morning: the same place, the marks still there
        assert term.wait_for("Trump and Petro Open Channel After", timeout=30), term.text()
        assert term.wait_for(lambda _s: reader_rows(term) == before), (
            "\n".join(reader_rows(term)) + "\n----\n" + "\n".join(before)
        )
        term.press("tab", "a")  # into the reader; its annotations panel lists what was made
        assert term.wait_for("Gustavo Petro"), term.text()
        assert term.wait_for("Donald Trump"), term.text()
        assert term.quit() == 0


def test_the_narrow_layout_at_80x24(launch: Launch) -> None:
    with launch(size=(80, 24)) as term:
        assert term.wait_for(DEMO, timeout=30), term.text()
        screen = term.settle()
        assert "Reader" not in screen and "Feeds ─" not in screen  # one pane at a time
        bar = term.row(23)
        assert "? Help" in bar and "palette" in bar, bar  # the key bar fits
        term.press("j", "enter")
        assert term.wait_for("Phone call signals"), term.text()
        assert "Articles (" not in term.text()  # the reader has the whole width
        term.press("}", "j", "j")
        opened = term.settle()
        term.press("q")  # back to the list, then the same article again
        assert term.wait_for("Articles ("), term.text()
        term.press("enter")
        assert term.wait_for("Phone call signals"), term.text()
        assert term.wait_for(lambda screen: screen == opened), term.text()  # its place kept
        assert term.quit() == 0


def test_F_reads_a_teaser_feed_in_full_and_a_claim_follows(
    launch: Launch, home: Path, db: Path, http_server: LoopbackServer
) -> None:
    from tests.unit.test_fulltext import serve

    (home / "config.toml").write_text("[fetch]\npage_delay = 0\n", encoding="utf-8")
    added = cli(home, db, "add", serve(http_server, 1), "--full-text", "never")
    assert added.returncode == 0, added.stderr
    marked = cli(home, db, "annotate", "1", "--quote", "voted on Tuesday night")
    assert marked.returncode == 0, marked.stderr
    with launch() as term:
        assert term.wait_for("Bridge story 0", timeout=30), term.text()
        term.settle()
        term.press("enter")
        assert term.wait_for(lambda s: "c Claim" in s and "Engineers" not in s), term.text()
        term.press("F")
        assert term.wait_for("Engineers had warned"), term.text()  # the page's text, shown
        assert term.wait_for("Full text from the page"), term.text()
        assert term.quit() == 0
    assert query(db, "SELECT text_source FROM articles") == [("page",)]
    ((start, end, exact, orphaned),) = query(
        db, "SELECT start, end, exact, orphaned FROM annotations"
    )
    text = query(db, "SELECT text FROM articles")[0][0]
    assert exact == "voted on Tuesday night" and not orphaned
    assert text[start:end] == exact  # type: ignore[index]


def test_triage_rules_labels_and_later(
    launch: Launch, home: Path, db: Path, http_server: LoopbackServer
) -> None:
    """A rule in config.toml sorts a new feed as it is added (one story hidden, one
    labelled); in the TUI `#` labels the open article with completion, `L` queues it, and
    the feeds pane has the Later queue and a feed per label."""
    (home / "config.toml").write_text(
        "[fetch]\nfull_text = 'never'\n\n"
        "[[rules]]\nname = 'corrections'\nquery = 'title:correction'\nactions = ['hide']\n\n"
        "[[rules]]\nname = 'briefs'\nquery = 'title:brief'\nactions = ['label:briefing']\n",
        encoding="utf-8",
    )
    http_server.route(
        "/wire.xml", body=wire("Morning brief", "Evening exclusive", "Late correction")
    )
    added = cli(home, db, "add", http_server.url("/wire.xml"))
    assert added.returncode == 0, added.stderr
    assert "rules: 1 hidden, 1 labelled" in added.stderr
    with launch() as term:
        assert term.wait_for("Evening exclusive", timeout=30), term.text()
        screen = term.settle()
        assert "Late correction" not in screen and "# briefing" in screen
        term.press("j", "enter")  # "Evening exclusive", under "Morning brief", in the reader
        assert term.wait_for("the full story"), term.text()
        term.press("#")
        assert term.wait_for("in use: briefing"), term.text()
        term.type("br")
        term.press("right")  # completes "briefing"
        term.type(", exclusive")
        term.press("enter")
        assert term.wait_for("labels: briefing, exclusive"), term.text()
        term.press("L")
        assert term.wait_for("in Later · labels: briefing, exclusive"), term.text()
        screen = term.settle()
        assert "# exclusive" in screen
        assert term.quit() == 0
    labelled = query(
        db,
        "SELECT a.title, l.name FROM article_labels al JOIN articles a ON a.id = al.article_id"
        " JOIN labels l ON l.id = al.label_id ORDER BY a.title, l.name",
    )
    assert [tuple(r) for r in labelled] == [
        ("Evening exclusive", "briefing"),
        ("Evening exclusive", "exclusive"),
        ("Morning brief", "briefing"),
    ]
    later = query(db, "SELECT a.title FROM later q JOIN articles a ON a.id = q.article_id")
    assert [r[0] for r in later] == ["Evening exclusive"]
    hidden = query(db, "SELECT a.title FROM hidden h JOIN articles a ON a.id = h.article_id")
    assert [r[0] for r in hidden] == ["Late correction"]
