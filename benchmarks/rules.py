#!/usr/bin/env python3
"""Rules on a 100,000-article store: 20 rules applied to 1,000 new articles (the newest).

    python benchmarks/rules.py [--store PATH] [--repeat 5]

The store is benchmarks/tui_store.py's (built once, then reused). The rules mix what users
write: rare and common words, title: and feed: filters, is:unread, a label, an actor
(name or alias in the text) and has:claims; their actions label, star, mark read and hide,
so every action's statement runs. Each run is rolled back, so every repeat sees the same
store. Prints the median and the worst time. Target (issue 13): at most 100 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from tui_store import DEFAULT_OUT, build  # noqa: E402

from newsreader.feeds.rules import apply_rules, compile_rules  # noqa: E402
from newsreader.rulespec import parse_rules  # noqa: E402
from newsreader.store import connect  # noqa: E402
from newsreader.store.actors import add_actor, find_actor  # noqa: E402

QUERIES = [
    ("topic17", ["label:topic"]),
    ("topic4242 topic99", ["star"]),
    ("petro", ["label:petro"]),
    ('"white house"', ["read"]),
    ("title:trump", ["label:trump"]),
    ("title:colombia -venezuela", ["read"]),
    ("feed:feed-1 ", ["label:one"]),
    ("feed:feed-42 is:unread", ["hide"]),
    ("machado is:unread", ["label:machado"]),
    ("sanctions title:petro", ["star"]),
    ("actor:Petro", ["label:actor"]),
    ("has:claims", ["label:claims"]),
    ("label:petro title:talks", ["read"]),
    ("drug*", ["label:drugs"]),
    ("author:reporter", ["label:byline"]),
    ("url:example", ["label:url"]),
    ("topic1 OR", ["read"]),
    ("bogota", ["label:bogota"]),
    ("is:starred", ["label:starred"]),
    ("fishermen -trump", ["hide"]),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    path = build(args.store, 100_000, 500)
    conn = connect(path)
    if find_actor(conn, "Gustavo Petro") is None:
        add_actor(conn, "Gustavo Petro", "person", ["Petro"])
    tables = [{"name": f"rule {n}", "query": q, "actions": a} for n, (q, a) in enumerate(QUERIES)]
    rules, warnings = parse_rules(tables, "bench:")
    assert not warnings, warnings
    ids = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY id DESC LIMIT 1000")]
    times, report = [], None
    for _ in range(args.repeat):
        conn.execute("BEGIN IMMEDIATE")
        start = time.perf_counter()
        compiled, problems = compile_rules(rules)
        report = apply_rules(conn, compiled, ids)
        times.append(time.perf_counter() - start)
        conn.execute("ROLLBACK")
        assert not problems, problems
    assert report is not None
    matched = sum(report.matched.values())
    print(f"{len(rules)} rules on {len(ids)} new articles of a 100,000-article store")
    print(f"  matched {matched} times; {report.line()}")
    print(f"  median {statistics.median(times) * 1000:.1f} ms, worst {max(times) * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
