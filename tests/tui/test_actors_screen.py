"""The actors screen over a real store: counts, cross-article activity, jumping, filtering.

The store holds the bundled sample article (Inter Bellum News, 2026-01-08) with a claim by
Donald Trump and a mention of Gustavo Petro, and a second article from World Desk
(2026-02-01) with a claim about Petro. A small app pushes the screen and keeps what it is
dismissed with, the way the main screen will.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from textual.app import App
from tui_helpers import BASE, DAY, entry, flat, screen_text, wait_for, widget_text

from newsreader.annotations import service
from newsreader.resources import data_dir
from newsreader.store import connect
from newsreader.store.actors import add_actor
from newsreader.store.articles import upsert_entries
from newsreader.store.feeds import add_feed
from newsreader.tui.app import style_paths
from newsreader.tui.screens.actors import ActorsScreen

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from export_sample import CLAIM, drop_sentence, store_demo_feed  # noqa: E402

SIZE = (140, 36)
SECOND_TEXT = "Petro rejected the new tariffs on Colombian coffee, an aide said on Sunday."
SECOND_CLAIM = "Petro rejected the new tariffs on Colombian coffee"
ORPHAN_QUOTE = "both sides were now working toward an in-person meeting"
MARKUP = "[bold]x[/]"
CLICK = "[@click=app.quit]z"
UNBALANCED = "oops [/] tail"


@dataclass(frozen=True)
class Ids:
    """What the store holds, for the assertions."""

    sample_id: int
    second_id: int
    mention_start: int
    second_start: int


class Harness(App[None]):
    """Pushes the actors screen and records what it was dismissed with."""

    def __init__(self, db_path: Path) -> None:
        super().__init__(css_path=[*style_paths(), data_dir("styles") / "actors.tcss"])
        self.db_path = db_path
        self.results: list[tuple[int, int] | None] = []

    def on_mount(self) -> None:
        """Open the screen at once."""
        self.push_screen(ActorsScreen(self.db_path), self.results.append)


def build_store(db_path: Path) -> Ids:
    """The sample article and a second article, annotated (see the module notes)."""
    conn = connect(db_path)
    sample_id = store_demo_feed(conn)
    trump = add_actor(conn, "Donald Trump", "person", ["Trump", "POTUS"])
    petro = add_actor(conn, "Gustavo Petro", "person", ["Petro"], "President of Colombia.")
    add_actor(conn, "Nicolás Maduro", "person")
    service.create_from_quote(conn, sample_id, CLAIM, "claim", speaker_id=trump.id)
    mention = service.create_from_quote(
        conn, sample_id, "Gustavo Petro", "mention", actor_id=petro.id
    )
    feed_id, _ = add_feed(conn, "https://world.example/feed", "World Desk")
    upsert_entries(conn, feed_id, [entry("wd1", "Coffee row deepens", 0, text=SECOND_TEXT)])
    second_id = conn.execute("SELECT id FROM articles WHERE key = 'wd1'").fetchone()[0]
    conn.execute("UPDATE articles SET published = ? WHERE id = ?", (BASE + 31 * DAY, second_id))
    claim = service.create_from_quote(conn, second_id, SECOND_CLAIM, "claim", about_ids=[petro.id])
    conn.close()
    return Ids(sample_id, second_id, mention.start, claim.start)


@pytest.fixture
def ids(db_path: Path) -> Ids:
    """The annotated store at ``db_path``."""
    return build_store(db_path)


def rows(app: App, selector: str) -> list[str]:
    """The non-blank lines a list shows."""
    return [line.strip() for line in widget_text(app, selector).splitlines() if line.strip()]


async def opened(pilot, app: Harness) -> None:  # type: ignore[no-untyped-def]
    """Wait until the actors and the first actor's activity are shown."""

    def shown() -> bool:
        text = screen_text(app)
        return (
            isinstance(app.screen, ActorsScreen) and "Actors (" in text and ("Loading" not in text)
        )

    assert await wait_for(pilot, shown)


async def test_actor_list_shows_counts_busiest_first(ids: Ids, db_path: Path):
    app = Harness(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        listed = rows(app, "#actors")
        assert [line.split()[3] for line in listed] == ["Gustavo", "Donald", "Nicolás"]
        # mentions are places marked in the text, as the reader's panel counts them:
        # Petro's tag plus his 11 other names in the sample and 1 in the second article;
        # Trump and Maduro are never tagged but named 5 times and once
        assert listed[0].split() == ["0", "1", "13", "Gustavo", "Petro", "person"]
        assert listed[1].split() == ["1", "0", "5", "Donald", "Trump", "person"]
        assert listed[2].split()[:3] == ["0", "0", "1"]
        text = screen_text(app)
        assert "Actors (3)" in text and "by about  ment  actor" in text


async def test_petro_shows_claim_and_mention_newest_first(ids: Ids, db_path: Path):
    app = Harness(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        header = flat(widget_text(app, "#actor-header"))
        assert "Gustavo Petro person · 13 mentions, 1 tagged" in header
        assert "also: Petro" in header and "President of Colombia." in header
        first, quote1, second, quote2, third, quote3 = rows(app, "#activity")
        assert first.split()[:3] == ["2026-02-01", "about", "unverified"]
        assert "World Desk · Coffee row deepens" in first
        assert f"“{SECOND_CLAIM}”" in quote1
        assert second.split()[:3] == ["2026-02-01", "mentioned", "×1"]  # named, not tagged
        assert quote2 == "“Petro”"
        assert third.split()[:3] == ["2026-01-08", "mentioned", "×12"]  # one item an article
        assert "Inter Bellum News · Trump and Petro Open Chan" in third
        assert quote3 == "“Gustavo Petro”"
        assert "Claims and mentions (3)" in screen_text(app)
        await pilot.press("j")  # Donald Trump
        assert await wait_for(pilot, lambda: "said" in widget_text(app, "#activity"))
        line, quote, named, named_quote = rows(app, "#activity")
        assert line.split()[:3] == ["2026-01-08", "said", "unverified"]
        assert quote == f"“{CLAIM}”"
        assert named.split()[:3] == ["2026-01-08", "mentioned", "×5"]
        assert named_quote == "“Donald Trump”"


async def test_enter_on_an_item_dismisses_with_its_article_and_offset(ids: Ids, db_path: Path):
    app = Harness(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        await pilot.press("enter")  # into Petro's activity
        assert app.screen.focused is app.screen.query_one("#activity")
        await pilot.press("j", "j", "enter")  # the mentions in the sample article
        assert await wait_for(pilot, lambda: app.results != [])
        assert app.results == [(ids.sample_id, ids.mention_start)]
    text = (
        connect(db_path)
        .execute("SELECT text FROM articles WHERE id = ?", (ids.sample_id,))
        .fetchone()[0]
    )
    assert text[ids.mention_start :].startswith("Gustavo Petro")


async def test_tab_switches_lists_and_the_first_item_opens(ids: Ids, db_path: Path):
    app = Harness(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        await pilot.press("tab")
        assert app.screen.focused is app.screen.query_one("#activity")
        await pilot.press("tab")
        assert app.screen.focused is app.screen.query_one("#actors")
        await pilot.press("tab", "down", "up", "enter")
        assert await wait_for(pilot, lambda: app.results != [])
        assert app.results == [(ids.second_id, ids.second_start)]


async def test_double_click_on_an_items_quote_line_opens_that_item(ids: Ids, db_path: Path):
    app = Harness(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        await pilot.click("#activity", offset=(10, 3))  # the mention's quote line
        assert app.screen.query_one("#activity").cursor == 1  # type: ignore[attr-defined]
        await pilot.click("#activity", offset=(10, 1), times=2)  # the claim's quote line
        assert await wait_for(pilot, lambda: app.results != [])
        assert app.results == [(ids.second_id, ids.second_start)]


async def test_narrow_terminal_shows_one_list_at_a_time(ids: Ids, db_path: Path):
    app = Harness(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, app)
        text = screen_text(app)
        assert "Gustavo Petro" in text and "Claims and mentions" not in text
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "Claims and mentions (3)" in text and "Actors (3)" not in text
        assert "World Desk" in text
        await pilot.press("escape")
        await pilot.pause()
        assert "Actors (3)" in screen_text(app)


async def test_help_lists_this_screens_keys(ids: Ids, db_path: Path):
    app = Harness(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        assert "Keys for Actors" in text
        assert any("j" in line and "Down" in line for line in text.splitlines())
        assert any("/" in line and "Filter the actors" in line for line in text.splitlines())


async def test_escape_steps_back_then_leaves_with_nothing(ids: Ids, db_path: Path):
    app = Harness(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        await pilot.press("tab", "escape")
        assert isinstance(app.screen, ActorsScreen)
        assert app.screen.focused is app.screen.query_one("#actors")
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: app.results == [None])
        assert not isinstance(app.screen, ActorsScreen)


async def test_q_leaves_from_either_list(ids: Ids, db_path: Path):
    app = Harness(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        await pilot.press("tab", "q")
        assert await wait_for(pilot, lambda: app.results == [None])


async def test_typing_or_slash_filters_by_name_or_alias(ids: Ids, db_path: Path):
    app = Harness(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        await pilot.press("p", "o", "t", "u", "s")  # Donald Trump's alias
        assert await wait_for(pilot, lambda: len(rows(app, "#actors")) == 1)
        assert "Donald Trump" in rows(app, "#actors")[0]
        assert "Actors (1 of 3)" in screen_text(app)
        assert await wait_for(pilot, lambda: "said" in widget_text(app, "#activity"))
        await pilot.press("enter")  # back to the filtered list
        assert app.screen.focused is app.screen.query_one("#actors")
        await pilot.press("escape")  # clears the filter
        assert await wait_for(pilot, lambda: len(rows(app, "#actors")) == 3)
        await pilot.press("slash", "m", "a", "d", "u")
        assert await wait_for(pilot, lambda: len(rows(app, "#actors")) == 1)
        assert "Nicolás Maduro" in rows(app, "#actors")[0]
        assert await wait_for(pilot, lambda: "mentioned" in widget_text(app, "#activity"))
        await pilot.press("x", "y", "z")
        assert await wait_for(
            pilot, lambda: "No actor matches the filter." in widget_text(app, "#actors")
        )
        await pilot.press("escape", "escape")  # clear, then leave
        assert await wait_for(pilot, lambda: app.results == [None])


async def test_orphaned_claim_is_listed_and_enter_only_explains(ids: Ids, db_path: Path):
    conn = connect(db_path)
    petro = conn.execute("SELECT id FROM actors WHERE name = 'Gustavo Petro'").fetchone()[0]
    orphan = service.create_from_quote(conn, ids.sample_id, ORPHAN_QUOTE, "claim", speaker_id=petro)
    drop_sentence(
        conn,
        ids.sample_id,
        "He indicated that both sides were now working toward"
        " an in-person meeting, with preliminary discussions underway for Petro"
        " to visit the White House.",
    )
    assert (
        conn.execute("SELECT orphaned FROM annotations WHERE id = ?", (orphan.id,)).fetchone()[0]
        == 1
    )
    conn.close()
    app = Harness(db_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await opened(pilot, app)
        listed = rows(app, "#activity")
        orphan_line = next(i for i, line in enumerate(listed) if "said" in line)
        assert listed[orphan_line + 1] == f"orphaned “{ORPHAN_QUOTE}”"
        await pilot.press("enter", "j", "j", "enter")  # the sample's claims come first
        assert await wait_for(pilot, lambda: "is orphaned" in flat(screen_text(app)))
        assert app.results == [] and isinstance(app.screen, ActorsScreen)


async def test_claim_whose_article_left_the_store_stays_listed(ids: Ids, db_path: Path):
    conn = connect(db_path)
    conn.execute("DELETE FROM articles WHERE id = ?", (ids.second_id,))
    conn.close()
    app = Harness(db_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await opened(pilot, app)
        first = rows(app, "#activity")[0]
        assert "World Desk · Coffee row deepens" in first  # from the annotation's snapshot
        await pilot.press("enter", "enter")
        assert await wait_for(pilot, lambda: "no longer in the store" in flat(screen_text(app)))
        assert app.results == [] and isinstance(app.screen, ActorsScreen)


def _hostile_store(db_path: Path) -> None:
    """An actor, feed, title and quote full of markup, written past the sanitisers."""
    conn = connect(db_path)
    conn.execute(
        "INSERT INTO feeds (id, url, title) VALUES (1, 'https://h.example/', ?)",
        (f"{CLICK} Feed\x1b]52;c;cHduZWQ=\x07",),
    )
    conn.execute(
        "INSERT INTO articles (id, feed_id, key, title, text, sort_time, published)"
        " VALUES (1, 1, 'h1', ?, ?, ?, ?)",
        (UNBALANCED, f"{MARKUP} said it.", BASE, BASE),
    )
    conn.execute(
        "INSERT INTO actors (id, name, kind) VALUES (1, ?, 'group')", (f"{MARKUP} {CLICK}\x1b[2J",)
    )
    conn.execute(
        "INSERT INTO annotations (article_id, kind, start, end, exact, speaker_id, status,"
        " article_title, feed_title, article_published, uid) VALUES"
        " (1, 'claim', 0, 10, ?, 1, 'false', ?, ?, ?, 'u1')",
        (
            f"{MARKUP}\x1b]8;;http://evil.example/\x1b\\",
            f"{UNBALANCED}\u202e",
            f"{CLICK} Feed",
            BASE,
        ),
    )
    conn.close()


async def test_hostile_names_titles_and_quotes_render_literally(db_path: Path):
    _hostile_store(db_path)
    app = Harness(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        assert rows(app, "#actors")[0].startswith(f"1     0     0  {MARKUP} [@click=app.")
        assert f"{MARKUP} {CLICK}" in widget_text(app, "#actor-header")
        line, quote = rows(app, "#activity")
        assert f"{CLICK} Feed · {UNBALANCED}" in line and "false" in line
        assert quote.startswith(f"“{MARKUP}")
        from tui_helpers import terminal_output

        raw = terminal_output(app)[1]  # type: ignore[arg-type]
        for sequence in ("\x1b]52", "\x1b]8;", "\x1b[2J", "\u202e", "\x07"):
            assert sequence not in raw, repr(sequence)
        await pilot.click("#actors", offset=(20, 0))  # a live @click would quit
        await pilot.click("#activity", offset=(30, 0))
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, ActorsScreen)


def _big_store(db_path: Path, actors: int = 5_000, annotations: int = 10_000) -> None:
    """Many actors and annotations, written in bulk."""
    conn = connect(db_path)
    sample_id = store_demo_feed(conn)
    conn.executemany(
        "INSERT INTO actors (id, name, kind) VALUES (?, ?, 'person')",
        [(i, f"Actor {i:05d}") for i in range(1, actors + 1)],
    )
    conn.executemany(
        "INSERT INTO annotations (article_id, kind, start, end, exact, actor_id, speaker_id,"
        " status, article_title, feed_title, article_published, uid) VALUES"
        " (?, ?, 0, 5, 'quote', ?, ?, ?, 'Title', 'Feed', ?, ?)",
        [
            (
                sample_id,
                "mention" if n % 2 else "claim",
                n % actors + 1 if n % 2 else None,
                None if n % 2 else n % 97 + 1,
                None if n % 2 else "unverified",
                BASE + n,
                f"u{n}",
            )
            for n in range(annotations)
        ],
    )
    conn.close()


async def test_opens_fast_with_5000_actors_and_10000_annotations(db_path: Path):
    _big_store(db_path)
    app = Harness(db_path)
    async with app.run_test(size=SIZE) as pilot:
        started = time.perf_counter()
        await opened(pilot, app)
        elapsed = time.perf_counter() - started
        print(f"actors screen open with 5,000 actors: {elapsed * 1000:.0f} ms")
        assert "Actors (5000)" in screen_text(app)
        assert elapsed < 3.0
        await pilot.press("end")
        assert await wait_for(
            pilot,
            lambda: (
                "Actor 05000" in widget_text(app, "#actors")
                or "Actor 04999" in widget_text(app, "#actors")
            ),
        )


def test_sort_is_busiest_then_name() -> None:
    from newsreader.models import Actor
    from newsreader.store.actors import ActorSummary
    from newsreader.tui.screens.actors import sort_actors

    quiet_b = ActorSummary(Actor(1, "b", "person"), 0, 0, 0)
    quiet_a = ActorSummary(Actor(2, "A", "person"), 0, 0, 0)
    busy = ActorSummary(Actor(3, "z", "person"), 0, 0, 1)
    assert sort_actors([quiet_b, quiet_a, busy]) == [busy, quiet_a, quiet_b]


async def test_timeline_orders_claims_by_event_date_and_shows_links(ids: Ids, db_path: Path):
    """T on Petro's claims: the claim about him said on 2025-12-15 (an event date) comes
    before his own claim in the 2026-01-08 article (no event date: the article's date);
    a link shows under both of its claims, with the other claim's quote."""
    from newsreader.annotations import claimlinks
    from newsreader.store.actors import find_actor

    conn = connect(db_path)
    petro = find_actor(conn, "Petro")
    assert petro is not None
    own = service.create_from_quote(
        conn, ids.sample_id, "Petro argued", "claim", speaker_id=petro.id
    )
    about = conn.execute("SELECT id FROM annotations WHERE exact = ?", (SECOND_CLAIM,))
    about_id = about.fetchone()[0]
    claimlinks.set_event_date(conn, about_id, "2025-12-15")
    claimlinks.link_claims(conn, own.id, "contradicts", about_id)
    conn.close()
    app = Harness(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        await pilot.press("enter", "T")  # the claims list, then its timeline
        assert await wait_for(pilot, lambda: "Timeline: claims" in screen_text(app))
        first, quote1, link1, second, quote2, link2 = rows(app, "#activity")
        assert first.split()[:4] == ["2025-12-15", "event", "about", "unverified"]
        assert f"“{SECOND_CLAIM}”" in quote1
        assert link1.startswith("↳ contradicted by “Petro argued”")
        assert second.split()[:4] == ["2026-01-08", "article", "said", "unverified"]
        assert quote2 == "“Petro argued”"
        assert link2.startswith(f"↳ contradicts “{SECOND_CLAIM}”")
        assert "Timeline: claims by when said (2)" in screen_text(app)
        await pilot.press("T")  # back to claims and mentions
        assert await wait_for(pilot, lambda: "Claims and mentions (4)" in screen_text(app))
