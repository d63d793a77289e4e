#!/usr/bin/env python3
"""Revisions: the word diff of two long revisions, and what keeping revisions costs a
refresh's storing step.

    python benchmarks/revisions.py [--words 50000] [--edits 30] [--repeat 5] [--seed 14]

The text (seeded): ``--words`` words of a made-up vocabulary of 3,000 words with common
ones much more frequent (a few "the", "of" everywhere, as in prose), in paragraphs of 40–
120 words. The second revision has ``--edits`` edits spread over it: a word reworded, a
few words inserted or deleted, a sentence added. Printed: the best and median time of
``word_diff`` over ``--repeat`` runs, for the text in paragraphs and for the same words
in one single paragraph (the worst case: no paragraph to match first). Target (issue 14):
≤ 200 ms for two 50,000-word revisions.

Then the store: 2,000 articles upserted into a fresh store (cold: everything new), and a
second upsert where 100 of them changed text (each keeps a revision), the best of
``--repeat`` runs, with the "edited after you marked it" query over 500 claims.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newsreader.annotations.revdiff import side, word_diff  # noqa: E402
from newsreader.models import ParsedEntry  # noqa: E402
from newsreader.store import connect  # noqa: E402
from newsreader.store.articles import upsert_entries  # noqa: E402
from newsreader.store.feeds import add_feed  # noqa: E402
from newsreader.store.revisions import edited_annotations  # noqa: E402

COMMON = ["the", "of", "and", "to", "a", "in", "that", "is", "was", "for", "on", "said"]


def vocabulary(rng: random.Random) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(3, 10))) for _ in range(3000)]


def text_of(rng: random.Random, vocab: list[str], count: int) -> list[list[str]]:
    """Paragraphs of words."""
    paragraphs: list[list[str]] = []
    left = count
    while left > 0:
        size = min(left, rng.randint(40, 120))
        paragraphs.append(
            [rng.choice(COMMON) if rng.random() < 0.35 else rng.choice(vocab) for _ in range(size)]
        )
        left -= size
    return paragraphs


def edited(
    rng: random.Random, vocab: list[str], paras: list[list[str]], edits: int
) -> list[list[str]]:
    copy = [list(p) for p in paras]
    for _ in range(edits):
        p = rng.choice(copy)
        at = rng.randrange(len(p))
        kind = rng.choice(("reword", "insert", "delete", "sentence"))
        if kind == "reword":
            p[at] = rng.choice(vocab)
        elif kind == "insert":
            p[at:at] = [rng.choice(vocab) for _ in range(rng.randint(1, 4))]
        elif kind == "delete":
            del p[at : at + rng.randint(1, 4)]
        else:
            p[at:at] = [rng.choice(vocab) for _ in range(12)]
    return copy


def timed(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        run()
        times.append(time.perf_counter() - began)
    return min(times), statistics.median(times)


def diff_figures(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    vocab = vocabulary(rng)
    paras = text_of(rng, vocab, args.words)
    after = edited(rng, vocab, paras, args.edits)
    for label, sep in (("in paragraphs", "\n\n"), ("one paragraph", " ")):
        a = sep.join(" ".join(p) + "." for p in paras)
        b = sep.join(" ".join(p) + "." for p in after)
        pieces = word_diff(a, b)
        assert side(pieces, "old") == a and side(pieces, "new") == b
        best, median = timed(lambda a=a, b=b: word_diff(a, b), args.repeat)
        changed = sum(1 for op, _ in pieces if op != "equal")
        print(
            f"word_diff, {len(a.split()):,} words, {args.edits} edits, {label}:"
            f" best {best * 1000:.0f} ms, median {median * 1000:.0f} ms"
            f" ({changed} changed pieces)   target ≤ 200 ms"
        )


def store_figures(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    vocab = vocabulary(rng)

    def entry(i: int, version: int) -> ParsedEntry:
        words = " ".join(rng.choice(vocab) for _ in range(150))
        text = f"Story {i}, version {version}. {words}"
        return ParsedEntry(key=f"k{i}", title=f"Story {i}", text=text, html=f"<p>{text}</p>")

    first = [entry(i, 1) for i in range(2000)]
    second = [entry(i, 2) if i % 20 == 0 else first[i] for i in range(2000)]
    cold, update, check = [], [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            conn = connect(Path(tmp) / "bench.db")
            feed_id, _ = add_feed(conn, "http://127.0.0.1:1/feed.xml")
            began = time.perf_counter()
            upsert_entries(conn, feed_id, first, now=1.0)
            cold.append(time.perf_counter() - began)
            conn.executemany(
                "INSERT INTO annotations (article_id, kind, start, end, exact, made_quote, uid)"
                " SELECT id, 'claim', 0, 5, 'Story', 'Story', 'u' || id FROM articles"
                " WHERE id % 4 = 0",
                [()],
            )
            began = time.perf_counter()
            upsert_entries(conn, feed_id, second, now=2.0)
            update.append(time.perf_counter() - began)
            began = time.perf_counter()
            edited_annotations(conn)
            check.append(time.perf_counter() - began)
            kept = conn.execute("SELECT count(*) FROM revisions").fetchone()[0]
            conn.close()
    print(f"upsert 2,000 new articles (cold): best {min(cold) * 1000:.0f} ms (no revision kept)")
    print(
        f"upsert with 100 changed texts: best {min(update) * 1000:.0f} ms ({kept} revisions kept)"
    )
    print(f"edited-after-marked query, 500 claims: best {min(check) * 1000:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=50_000)
    parser.add_argument("--edits", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    diff_figures(args)
    store_figures(args)


if __name__ == "__main__":
    main()
