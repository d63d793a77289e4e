"""Annotation benchmarks: open a big annotated article, create a claim, re-anchor after edits.

Run: ``python benchmarks/annotations.py`` (prints results; asserts nothing).
Scenario from issue 4: a 50,000-word article with 2,000 annotations and 5,000 registered
actors. Budgets: open <= 150 ms, creating a claim <= 50 ms, re-anchoring 10,000
annotations after edits <= 1 s. The article repeats the sample article's paragraphs, so
most quotes occur many times: the worst case for picking the right occurrence.
"""

from __future__ import annotations

import random
import re
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from newsreader.annotations import service
from newsreader.annotations.actors import ActorMatcher, suggestions
from newsreader.annotations.anchoring import make_anchor, reanchor_all
from newsreader.annotations.sentences import sentence_spans
from newsreader.feeds.text import html_to_text
from newsreader.models import ParsedEntry
from newsreader.resources import data_dir
from newsreader.store import connect, transaction
from newsreader.store.actors import actor_names
from newsreader.store.annotations import list_annotations
from newsreader.store.articles import get_article, upsert_entries
from newsreader.store.feeds import add_feed

SYLLABLES = "ka lo mi ra ne to su vi da pe ri go ma lu se ba no ti fe ze".split()


def sample_text() -> str:
    xml = (data_dir("seeds") / "demo.xml").read_text(encoding="utf-8")
    bodies = re.findall(r"<content:encoded><!\[CDATA\[(.*?)\]\]>", xml, re.S)
    return html_to_text(bodies[1])[0]


def big_text(words: int = 50_000) -> str:
    """The sample's paragraphs repeated, each copy numbered, to about ``words`` words."""
    paragraphs = sample_text().split("\n\n")
    out, count, n = [], 0, 0
    while count < words:
        para = f"({n}) {paragraphs[n % len(paragraphs)]}"
        out.append(para)
        count += len(para.split())
        n += 1
    return "\n\n".join(out)


def names(rng: random.Random, count: int) -> list[tuple[str, list[str]]]:
    """``count`` made-up people (name, aliases) plus the sample's real actors."""
    real = [
        ("Donald Trump", ["Trump"]),
        ("Gustavo Petro", ["Petro", "President Petro"]),
        ("Nicolás Maduro", ["Maduro"]),
        ("Cilia Flores", []),
        ("Colombia", []),
        ("Venezuela", []),
        ("Washington", []),
        ("Bogotá", []),
        ("United States", ["US"]),
    ]
    made, seen = [], set()
    while len(made) < count - len(real):
        first = "".join(rng.choices(SYLLABLES, k=2)).title()
        last = "".join(rng.choices(SYLLABLES, k=3)).title()
        if f"{first} {last}" not in seen and last not in seen:
            seen.update((f"{first} {last}", last))
            made.append((f"{first} {last}", [last]))
    return real + made


def timed(fn: Callable[[], object], repeat: int = 5) -> tuple[float, object]:
    """Median wall time in ms over ``repeat`` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), result


def edit(text: str, rng: random.Random, edits: int = 30) -> str:
    """Insert, delete and reword sentences at random places, as a refreshed article might."""
    for _ in range(edits):
        at = rng.randrange(len(text))
        kind = rng.choice(("insert", "delete", "reword"))
        if kind == "insert":
            text = text[:at] + " An editor added this sentence." + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + rng.randint(10, 300) :]
        else:
            text = text[:at] + text[at:].replace(" the ", " a ", 1)
    return text


def setup(folder: Path, rng: random.Random) -> tuple[object, int, str]:
    conn = connect(folder / "bench.db")
    text = big_text()
    feed_id, _ = add_feed(conn, "https://example.org/feed.xml")
    upsert_entries(
        conn, feed_id, [ParsedEntry(key="big", title="Big", text=text, html="", published=1.0)]
    )
    article_id = conn.execute("SELECT id FROM articles").fetchone()[0]
    with transaction(conn):
        for name, aliases in names(rng, 5_000):
            conn.execute("INSERT INTO actors (name, kind) VALUES (?, 'person')", (name,))
            actor_id = conn.execute("SELECT last_insert_rowid()").fetchone()[0]
            conn.executemany(
                "INSERT INTO actor_aliases VALUES (?, ?)", [(actor_id, a) for a in aliases]
            )
    return conn, article_id, text


def annotate(conn: object, article_id: int, text: str, rng: random.Random, count: int) -> None:
    sentences = sentence_spans(text)
    with transaction(conn):  # type: ignore[arg-type]
        for _ in range(count):
            start, end = rng.choice(sentences)
            if rng.random() < 0.5:  # a word-sized mention-like span
                end = min(end, start + rng.randint(4, 14))
            service.create_highlight(conn, article_id, start, end)  # type: ignore[arg-type]


def main() -> None:
    rng = random.Random(4)
    with tempfile.TemporaryDirectory() as folder:
        conn, article_id, text = setup(Path(folder), rng)
        annotate(conn, article_id, text, rng, 2_000)
        print(
            f"article: {len(text.split()):,} words, {len(text):,} chars; "
            f"2,000 annotations; {len(actor_names(conn)):,} actor names and aliases"
        )  # type: ignore[arg-type]

        load, article = timed(lambda: get_article(conn, article_id))  # type: ignore[arg-type]
        spans, _ = timed(lambda: list_annotations(conn, article_id))  # type: ignore[arg-type]
        build, matcher = timed(lambda: service.actor_matcher(conn))  # type: ignore[arg-type]
        assert isinstance(matcher, ActorMatcher)
        scan, found = timed(lambda: matcher.find(text))
        sent, _ = timed(lambda: sentence_spans(text))
        print(
            f"open: load article {load:.1f} ms, its annotations {spans:.1f} ms, "
            f"build matcher {build:.1f} ms, match actors {scan:.1f} ms "
            f"({len(found):,} mentions), sentences {sent:.1f} ms "  # type: ignore[arg-type]
            f"-> total {load + spans + build + scan + sent:.1f} ms (budget 150)"
        )
        suggest, _ = timed(lambda: suggestions(text, matcher), repeat=3)
        print(f"suggestions over the article: {suggest:.1f} ms")

        start = text.index("Trump described", len(text) // 2)
        claim, _ = timed(
            lambda: service.create_claim(
                conn, article_id, start, start + 48, speaker_id=1, about_ids=[2]
            ),
            repeat=11,
        )  # type: ignore[arg-type]
        print(f"create a claim: {claim:.1f} ms (budget 50)")

        bench_reanchor(text, rng)
        bench_reanchor_store(conn, article_id, text, rng)


def bench_reanchor(text: str, rng: random.Random) -> None:
    """Re-anchor 10,000 annotations of the big text after 30 random edits (no store)."""
    sentences = sentence_spans(text)
    anchors = []
    for _ in range(10_000):
        start, end = rng.choice(sentences)
        if rng.random() < 0.5:
            end = min(end, start + rng.randint(4, 14))
        anchors.append(make_anchor(text, start, end))
    paragraphs = text.split("\n\n")
    rng.shuffle(paragraphs)
    cases = [
        ("after 30 edits", edit(text, rng)),
        ("after shuffling every paragraph", "\n\n".join(paragraphs)),
        ("after a rewrite of every 'e' (worst case)", text.replace("e", "é")),
    ]
    for label, new in cases:
        elapsed, placed = timed(lambda new=new: reanchor_all(anchors, new), repeat=3)
        how = Counter(p.how if p else "orphaned" for p in placed)  # type: ignore[union-attr]
        print(f"re-anchor 10,000 {label}: {elapsed:.0f} ms (budget 1000) {dict(how)}")


def bench_reanchor_store(conn: object, article_id: int, text: str, rng: random.Random) -> None:
    """The same through the store: 10,000 annotations of one article, text replaced."""
    annotate(conn, article_id, text, rng, 8_000)
    new = edit(text, rng)
    with transaction(conn):  # type: ignore[arg-type]
        conn.execute("UPDATE articles SET text = ? WHERE id = ?", (new, article_id))  # type: ignore[attr-defined]
    began = time.perf_counter()
    report = service.reanchor_article(conn, article_id)  # type: ignore[arg-type]
    elapsed = (time.perf_counter() - began) * 1000
    print(
        f"reanchor_article with {report.total:,} stored annotations: {elapsed:.0f} ms "
        f"(moved {report.moved:,}, fuzzy {report.fuzzy}, orphaned {report.orphaned}, "
        f"unchanged {report.unchanged:,})"
    )


if __name__ == "__main__":
    main()
