#!/usr/bin/env python3
"""Duplicate detection: precision and recall on a generated set, and the time for 10,000
new articles against a store of recent ones.

    python benchmarks/duplicates.py [--old 20000] [--new 10000] [--feeds 200] [--seed 13]
        [--repeat 5]

The set (seeded, so every run sees the same one): stories of a made-up vocabulary (a title
of 6–10 words, a text of 80–160), published over the last week in ``--feeds`` feeds. A
story is carried by one to four feeds; each copy is edited the way syndication edits it:
its link with tracking parameters (``utm_*``, ``fbclid``…) or a link of its own site, the
title with the site's name after it, a label before it ("Update:"), another case, a word
changed; the text with a byline in front, a word or two changed, the last sentence cut.
Near-misses: articles under the exact title of another story (and under titles such as
"Morning briefing" shared by many) with a text of their own. The store holds ``--old``
articles (grouped as they arrived, one feed's batch at a time, not timed); then ``--new``
articles, a third of them copies of stored stories, arrive and are timed two ways: as one
batch, and one feed's batch at a time as a refresh stores them (each run rolled back;
the best and the median of ``--repeat`` runs). Precision and recall count
pairs of articles: a pair is a duplicate when both are copies of one story.
Targets (issue 13): precision and recall ≥ 0.95; 10,000 new articles ≤ 1 s.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newsreader.feeds.duplicates import detect  # noqa: E402
from newsreader.models import ParsedEntry  # noqa: E402
from newsreader.store import connect, transaction  # noqa: E402
from newsreader.store.articles import upsert_entries  # noqa: E402
from newsreader.store.feeds import add_feed  # noqa: E402

NOW = 1_800_000_000.0
DAY = 86400.0
SHARED_TITLES = ("Morning briefing", "Live updates", "What we know so far", "Letters")


class Generator:
    """Stories and their copies, from one seeded random source."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        syllables = ["ka", "lo", "mi", "ter", "sa", "von", "dri", "pe", "nu", "ax", "ol", "ben"]
        self.vocab = sorted(
            {"".join(self.rng.choices(syllables, k=self.rng.randint(2, 4))) for _ in range(9000)}
        )
        self.common = ["the", "a", "of", "in", "and", "to", "said", "on", "for", "with"]

    def words(self, n: int) -> list[str]:
        rng = self.rng
        return [rng.choice(self.common) if rng.random() < 0.3 else rng.choice(self.vocab)
                for _ in range(n)]  # fmt: skip

    def story(self) -> tuple[str, str]:
        title = " ".join(self.words(self.rng.randint(6, 10))).capitalize()
        sentences = [" ".join(self.words(self.rng.randint(10, 20))).capitalize() + "."
                     for _ in range(self.rng.randint(6, 10))]  # fmt: skip
        return title, " ".join(sentences)

    def edit_title(self, title: str, feed: str) -> str:
        rng = self.rng
        words = title.split()
        if rng.random() < 0.3:
            words[rng.randrange(len(words))] = rng.choice(self.vocab)
        title = " ".join(words)
        roll = rng.random()
        if roll < 0.3:
            title = f"{title} - {feed}"
        elif roll < 0.45:
            title = f"Update: {title}"
        elif roll < 0.6:
            title = title.upper()
        elif roll < 0.7:
            title = title.replace(" ", ", ", 1) + "!"
        return title

    def edit_text(self, text: str) -> str:
        rng = self.rng
        words = text.split()
        for _ in range(rng.randint(0, 2)):
            words[rng.randrange(len(words))] = rng.choice(self.vocab)
        if rng.random() < 0.3:
            words = ["By", "staff", "and", "agencies."] + words
        text = " ".join(words)
        if rng.random() < 0.4:
            text = text.rsplit(".", 2)[0] + "."
        return text

    def link(self, story: int, feed: int, original: bool) -> str:
        rng = self.rng
        if original or rng.random() < 0.5:
            tracking = rng.choice(
                ["", "?utm_source=rss&utm_medium=feed", "?fbclid=x1", "?utm_campaign=a&ref=tw"]
            )
            return f"https://wire.example/story/{story}{tracking}"
        return f"https://site{feed}.example/{rng.randrange(10**9)}.html"


Told = dict[int, tuple[str, str, float]]
"""The stories told: (title, text, when) by story number."""


def build(gen: Generator, count: int, feeds: int, stories_from: int, told: Told):  # type: ignore[no-untyped-def]
    """``count`` articles: (feed, story, entry) triples, and the next story's number.
    ``told``: the stories told so far (copies of them are made too), added to."""
    rng = gen.rng
    out: list[tuple[int, int, ParsedEntry]] = []
    texts = told
    reuse, reused = list(told), set(told)
    story = stories_from
    while len(out) < count:
        if reuse and rng.random() < 0.35:
            sid = rng.choice(reuse)
            copies = 1
        else:
            sid = story
            story += 1
            copies = rng.choices([1, 2, 3, 4], weights=[60, 25, 10, 5])[0]
        if sid not in texts:
            title, text = gen.story()
            texts[sid] = (title, text, NOW - rng.random() * 6 * DAY)
        title, text, when = texts[sid]
        for n, feed in enumerate(rng.sample(range(feeds), copies)):
            copy = n > 0 or sid in reused
            out.append(
                (
                    feed,
                    sid,
                    ParsedEntry(
                        key=f"s{sid}-f{feed}-{rng.randrange(10**9)}",
                        title=gen.edit_title(title, f"Feed {feed}") if copy else title,
                        text=gen.edit_text(text) if copy else text,
                        url=gen.link(sid, feed, not copy),
                        published=when + (rng.random() * DAY if copy else 0.0),
                    ),
                )
            )
        if rng.random() < 0.05:  # a near-miss: this story's title over another text
            _t, other = gen.story()
            feed = rng.randrange(feeds)
            out.append((feed, -len(out) - 1, ParsedEntry(
                key=f"miss-{len(out)}", title=title, text=other, published=when,
                url=f"https://site{feed}.example/miss/{len(out)}")))  # fmt: skip
        if rng.random() < 0.03:  # a shared title ("Live updates") over a text of its own
            _t, other = gen.story()
            feed = rng.randrange(feeds)
            out.append((feed, -len(out) - 1, ParsedEntry(
                key=f"shared-{len(out)}", title=rng.choice(SHARED_TITLES), text=other,
                published=NOW - rng.random() * 6 * DAY,
                url=f"https://site{feed}.example/s/{len(out)}")))  # fmt: skip
    return out[:count], story


def store(conn, feed_ids, articles, *, detect_each: bool):  # type: ignore[no-untyped-def]
    """Store articles one feed's batch at a time; their ids and stories."""
    by_feed: dict[int, list[tuple[int, ParsedEntry]]] = defaultdict(list)
    for feed, sid, entry in articles:
        by_feed[feed].append((sid, entry))
    story_of: dict[int, int] = {}
    batches: list[list[int]] = []
    with transaction(conn):
        for feed, items in by_feed.items():
            ids = upsert_entries(conn, feed_ids[feed], [e for _, e in items], now=NOW).new_ids
            story_of.update(zip(ids, (sid for sid, _ in items), strict=True))
            batches.append(list(ids))
            if detect_each:
                detect(conn, ids)
    return story_of, batches


def pairs(groups: dict[int, list[int]]) -> set[tuple[int, int]]:
    return {pair for members in groups.values() for pair in combinations(sorted(members), 2)}


def score(conn, story_of, feed_of) -> tuple[float, float, int, int]:  # type: ignore[no-untyped-def]
    truth: dict[int, list[int]] = defaultdict(list)
    for article_id, sid in story_of.items():
        if sid >= 0:
            truth[sid].append(article_id)
    found: dict[int, list[int]] = defaultdict(list)
    for article_id, group in conn.execute("SELECT article_id, group_id FROM articles_dup"):
        found[group].append(article_id)
    true_pairs = {p for p in pairs(truth) if feed_of[p[0]] != feed_of[p[1]]}
    found_pairs = pairs(found)
    hit = len(true_pairs & found_pairs)
    return (
        hit / max(1, len(found_pairs)),
        hit / max(1, len(true_pairs)),
        len(true_pairs),
        len(found_pairs),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", type=int, default=20_000)
    parser.add_argument("--new", type=int, default=10_000)
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    gen = Generator(args.seed)
    told: Told = {}
    old, next_story = build(gen, args.old, args.feeds, 0, told)
    new, _ = build(gen, args.new, args.feeds, next_story, told)
    with tempfile.TemporaryDirectory() as tmp:
        conn = connect(Path(tmp) / "dups.db")
        feed_ids = [add_feed(conn, f"https://feed{i}.example/rss", f"Feed {i}")[0]
                    for i in range(args.feeds)]  # fmt: skip
        story_of, _ = store(conn, feed_ids, old, detect_each=True)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        new_story, batches = store(conn, feed_ids, new, detect_each=False)
        story_of.update(new_story)
        new_ids = [i for batch in batches for i in batch]
        feed_of = dict(conn.execute("SELECT id, feed_id FROM articles").fetchall())
        one_batch, per_feed = [], []
        for _ in range(args.repeat):  # each run rolled back: every one sees the same store
            conn.execute("SAVEPOINT once")
            start = time.perf_counter()
            joined = detect(conn, new_ids)
            one_batch.append(time.perf_counter() - start)
            precision, recall, truth, found = score(conn, story_of, feed_of)
            conn.execute("ROLLBACK TO once")
            conn.execute("SAVEPOINT once")
            start = time.perf_counter()
            for batch in batches:
                detect(conn, batch)
            per_feed.append(time.perf_counter() - start)
            p2, r2, _, _ = score(conn, story_of, feed_of)
            conn.execute("ROLLBACK TO once")
            conn.execute("RELEASE once")
        conn.close()
    print(f"store: {args.old:,} articles, {args.feeds} feeds; new: {len(new_ids):,} articles")
    print(
        f"duplicate pairs: {truth:,} true, {found:,} found, {joined:,} new articles joined a group"
    )
    print(f"precision {precision:.4f}  recall {recall:.4f}  (per-feed batches: {p2:.4f} {r2:.4f})")
    for name, times in ((f"one batch of {len(new_ids):,}", one_batch),
                        (f"{len(batches)} feed batches", per_feed)):  # fmt: skip
        print(
            f"detect, {name}: best {min(times) * 1000:.0f} ms,"
            f" median {statistics.median(times) * 1000:.0f} ms ({len(times)} runs:"
            f" {', '.join(f'{t * 1000:.0f}' for t in times)})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
