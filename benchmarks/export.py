"""Export/import benchmark: 10,000 annotations over 2,000 articles.

Run: ``python benchmarks/export.py`` (prints results; asserts nothing).
Budgets from issue 5: exporting them to Markdown (a notes folder: one page per article,
one per actor, an index) <= 2 s; importing their JSON export <= 3 s. Each figure is run
three times (the first, best and median are shown; the budget is checked on the median):
on a busy machine the first burst of file writes after building the store can stall. Also shown: a
re-export with nothing changed, one article's page (the TUI's ``e``), the JSON export,
an import into a store that has the articles (every annotation re-anchored) and a second
import of the same file (idempotent: nothing written).
"""

from __future__ import annotations

import random
import re
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from newsreader.annotations.anchoring import make_selector
from newsreader.export.collect import Scope
from newsreader.export.importer import import_file
from newsreader.export.vault import article_markdown, export_tree
from newsreader.export.webannotation import export_document, write_json
from newsreader.feeds.text import html_to_text
from newsreader.models import NewAnnotation, ParsedEntry, Snapshot
from newsreader.resources import data_dir
from newsreader.store import connect, transaction
from newsreader.store.actors import add_actor
from newsreader.store.annotations import insert_annotation, insert_note
from newsreader.store.articles import upsert_entries
from newsreader.store.feeds import add_feed, set_feed_title

ARTICLES = 2_000
ANNOTATIONS = 10_000
ACTORS = 300
FEEDS = 20


def sample_paragraphs() -> list[str]:
    xml = (data_dir("seeds") / "demo.xml").read_text(encoding="utf-8")
    bodies = re.findall(r"<content:encoded><!\[CDATA\[(.*?)\]\]>", xml, re.S)
    return html_to_text(bodies[1])[0].split("\n\n")


def entries(rng: random.Random, feed: int) -> list[ParsedEntry]:
    paragraphs = sample_paragraphs()
    made = []
    for n in range(ARTICLES // FEEDS):
        chosen = rng.sample(paragraphs, 6)
        text = "\n\n".join(f"({feed}.{n}.{i}) {p}" for i, p in enumerate(chosen))
        made.append(
            ParsedEntry(
                key=f"{feed}-{n}",
                guid=f"{feed}-{n}",
                url=f"https://news{feed}.example/{n}",
                title=f"Story {n}: {chosen[0][:50]}",
                author="Desk",
                text=text,
                html=f"<p>{text}</p>",
                published=1.7e9 + feed * 1e5 + n * 600,
            )
        )
    return made


def build(db: Path, rng: random.Random) -> None:
    """Store the articles, actors and annotations (bulk, in a few transactions)."""
    conn = connect(db)
    for feed in range(FEEDS):
        feed_id, _ = add_feed(conn, f"https://news{feed}.example/feed.xml")
        set_feed_title(conn, feed_id, f"Outlet {feed}", "")
        upsert_entries(conn, feed_id, entries(rng, feed))
    with transaction(conn):
        actors = [
            add_actor(
                conn, f"Actor {i} Name", rng.choice(["person", "country", "group"]), [f"A{i}"]
            ).id
            for i in range(ACTORS)
        ]
        articles = conn.execute(
            "SELECT a.id, a.text, a.url, a.title, f.title, a.published"
            " FROM articles a JOIN feeds f ON f.id = a.feed_id"
        ).fetchall()
        for n in range(ANNOTATIONS):
            article_id, text, url, title, feed, published = articles[n % len(articles)]
            start = rng.randrange(0, len(text) - 120)
            end = start + rng.randrange(8, 110)
            kind = rng.choice(["claim", "claim", "mention", "highlight"])
            extra: dict = {}
            if kind == "claim":
                extra = {
                    "speaker_id": rng.choice(actors),
                    "status": "unverified",
                    "about_ids": tuple(rng.sample(actors, 2)),
                }
            elif kind == "mention":
                extra = {"actor_id": rng.choice(actors)}
            insert_annotation(
                conn,
                NewAnnotation(
                    article_id,
                    kind,
                    start,
                    end,
                    *make_selector(text, start, end),
                    snapshot=Snapshot(url, title, feed, published),
                    note=f"Note {n}: *check* this" if n % 3 == 0 else "",
                    **extra,
                ),
                now=1.7e9 + n,
            )
        for article_id, _, url, title, feed, _ in articles[::4]:
            insert_note(conn, article_id, "An article note.", Snapshot(url, title, feed), now=1.7e9)
    conn.close()


def timed(
    label: str, action: Callable[[int], object], budget: float | None = None, runs: int = 3
) -> object:
    """Run ``action(run)`` ``runs`` times; print the first, best and median times."""
    times, result = [], None
    for run in range(runs):
        start = time.perf_counter()
        result = action(run)
        times.append(time.perf_counter() - start)
    best, median = min(times), statistics.median(times)
    verdict = (
        "" if budget is None else f"  budget {budget:.1f} s: {'ok' if median <= budget else 'OVER'}"
    )
    print(f"{label:<46} first {times[0]:6.3f}  best {best:6.3f}  median {median:6.3f} s{verdict}")
    return result


def _articles_only(db: Path, copy: Path) -> sqlite3.Connection:
    """A copy of the store with its articles but no annotations, notes or actors."""
    shutil.copy(db, copy)
    conn = connect(copy)
    for table in ("annotations", "notes", "actors"):
        conn.execute(f"DELETE FROM {table}")
    return conn


def main() -> None:
    rng = random.Random(5)
    work = Path(tempfile.mkdtemp(prefix="newsreader-export-bench-"))
    try:
        db = work / "store.db"
        timed(f"build: {ARTICLES} articles, {ANNOTATIONS} annot.", lambda _: build(db, rng), runs=1)
        conn = connect(db)
        report = timed(
            "Markdown: export --all, into a new folder",
            lambda run: export_tree(conn, work / f"notes{run}"),
            2.0,
        )
        size = sum(p.stat().st_size for p in (work / "notes0").rglob("*.md"))
        print(f"{'':<46} {report.files} files, {size / 1e6:.1f} MB")  # type: ignore[attr-defined]
        timed(
            "Markdown: re-export, nothing changed",
            lambda _: export_tree(conn, work / "notes0"),
            2.0,
        )
        timed("Markdown: one article's page (TUI 'e')", lambda _: article_markdown(conn, 1))
        backup = work / "backup.json"
        timed(
            "JSON: export --all --format json",
            lambda run: write_json(work / f"backup{run}.json", export_document(conn, Scope())),
        )
        shutil.copy(work / "backup0.json", backup)
        print(f"{'':<46} {backup.stat().st_size / 1e6:.1f} MB")
        timed(
            "JSON: import into an empty store",
            lambda run: import_file(connect(work / f"empty{run}.db"), backup),
            3.0,
        )
        timed(
            "JSON: import the same file again (no change)",
            lambda _: import_file(connect(work / "empty0.db"), backup),
            3.0,
        )
        timed(
            "JSON: import into a store with the articles",
            lambda run: import_file(_articles_only(db, work / f"articles{run}.db"), backup),
            3.0,
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
