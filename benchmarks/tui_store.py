#!/usr/bin/env python3
"""Build (once) the benchmark store: 100,000 articles in 500 feeds, plus one 50,000-word article.

    python benchmarks/tui_store.py [--out PATH] [--articles 100000] [--feeds 500]

Deterministic (seeded). Titles are ~9 words, bodies 1-4 KB of text in paragraphs with the
same text as HTML beside it, dates spread over two years; a third of the articles are read.
The prose repeats the sample article's sentences, so its words occur in nearly every article;
each body also carries two of 5,000 made-up "topic" words (``topic0`` ... ``topic4999``), so
a search for one of those matches a realistic few dozen articles.
Every article goes through the store's own ``upsert_entries`` (FTS index included), one
transaction per feed. A store already built with the same parameters is reused.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newsreader.models import ParsedEntry  # noqa: E402
from newsreader.store import connect  # noqa: E402
from newsreader.store.articles import upsert_entries  # noqa: E402
from newsreader.store.feeds import add_feed  # noqa: E402
from newsreader.store.state import get_state, set_state  # noqa: E402

SEED_ARTICLE = ROOT.parent / "shared" / "seeds" / "000_a1e41ab944e51419.txt"
DEFAULT_OUT = Path(tempfile.gettempdir()) / "newsreader-bench" / "tui-100k.db"
BIG_KEY = "bench-50k-words"
START = 1_704_067_200.0  # 2024-01-01
SPAN = 2 * 365 * 86_400.0


def _sentences() -> list[str]:
    """Sentences of the sample article (a fixed list if it is not beside the checkout)."""
    if SEED_ARTICLE.exists():
        text = " ".join(SEED_ARTICLE.read_text(encoding="utf-8").split())
        found = [s for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) > 4]
        if found:
            return found
    return [
        "Trump and Petro spoke by phone this week about security and migration.",
        "Petro argued those operations harmed civilian fishermen in Colombian waters.",
        "Machado vowed to return to Venezuela before the end of the year.",
    ]


def big_text(sentences: list[str], words: int = 50_000) -> str:
    """A ~``words``-word article: paragraphs of 5-9 sentences, blank-line separated."""
    rng = random.Random(7)
    paragraphs, count = [], 0
    while count < words:
        paragraph = " ".join(rng.choice(sentences) for _ in range(rng.randint(5, 9)))
        paragraphs.append(paragraph)
        count += len(paragraph.split())
    return "\n\n".join(paragraphs)


def _entries(
    rng: random.Random, vocabulary: list[str], sentences: list[str], feed: int, count: int
) -> list[ParsedEntry]:
    entries = []
    for n in range(count):
        title = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(6, 12))).capitalize()
        paragraphs, size = [], rng.randint(1000, 4000)
        while sum(map(len, paragraphs)) < size:
            paragraphs.append(" ".join(rng.choice(sentences) for _ in range(rng.randint(2, 5))))
        paragraphs[-1] += f" See topic{rng.randrange(5000)} and topic{rng.randrange(5000)}."
        key = f"f{feed}-a{n}"
        entries.append(
            ParsedEntry(
                key=key,
                guid=key,
                url=f"https://feed{feed}.example/{n}",
                title=title,
                author=rng.choice(["", "Ana Reporter", "FRANZ AG", "Staff"]),
                published=START + rng.random() * SPAN,
                text="\n\n".join(paragraphs),
                html="".join(f"<p>{p}</p>" for p in paragraphs),
            )
        )
    return entries


def build(out: Path, articles: int, feeds: int) -> Path:
    """Build the store at ``out`` unless one with these parameters is there."""
    signature = f"{articles}/{feeds}/v2"
    if out.exists():
        conn = connect(out)
        done = get_state(conn, "bench.signature") == signature
        conn.close()
        if done:
            return out
        out.unlink()
    out.parent.mkdir(parents=True, exist_ok=True)
    sentences = _sentences()
    vocabulary = sorted({w.strip(".,“”\"'()") for s in sentences for w in s.split()} - {""})
    rng = random.Random(1)
    conn = connect(out)
    started = time.perf_counter()
    per_feed = articles // feeds
    for feed in range(feeds):
        folder = f"Region {feed % 7}" if feed % 3 else ""
        feed_id, _ = add_feed(
            conn, f"https://feed{feed}.example/rss", f"Bench feed {feed}", folder=folder
        )
        upsert_entries(conn, feed_id, _entries(rng, vocabulary, sentences, feed, per_feed))
        if feed % 50 == 49:
            print(
                f"  {feed + 1}/{feeds} feeds, {time.perf_counter() - started:.0f} s",
                file=sys.stderr,
            )
    upsert_entries(
        conn,
        1,
        [
            ParsedEntry(
                key=BIG_KEY,
                guid=BIG_KEY,
                title="A 50,000-word article",
                published=START + SPAN,
                text=big_text(sentences),
                url="https://feed0.example/big",
            )
        ],
    )
    conn.execute("UPDATE articles SET is_read = 1 WHERE id % 3 = 0 AND key != ?", (BIG_KEY,))
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    set_state(conn, "bench.signature", signature)
    conn.close()
    return out


def main() -> int:
    """Build the store and print its path."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--feeds", type=int, default=500)
    args = parser.parse_args()
    started = time.perf_counter()
    path = build(args.out, args.articles, args.feeds)
    print(
        f"store: {path} ({path.stat().st_size / 1e6:.0f} MB, {time.perf_counter() - started:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
