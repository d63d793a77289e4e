"""`newsreader revisions` and the "edited after you marked it" flag of `claims --json`,
through the real entry point, on a store whose article a feed update reworded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsreader.feeds.ingest import follow_annotations
from newsreader.models import ParsedEntry
from newsreader.store import connect
from newsreader.store.articles import upsert_entries
from newsreader.store.feeds import add_feed

FIRST = "Talks resumed on Monday.\n\nThe minister said the ceasefire holds for now."
SECOND = FIRST.replace("holds for now", "holds for the moment")
QUOTE = "the ceasefire holds for now"


def run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsreader", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "200"},
    )


def ok(db: Path, *args: str) -> str:
    done = run(db, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def store_text(db: Path, text: str, now: float) -> None:
    conn = connect(db)
    try:
        feed_id, _ = add_feed(conn, "https://news.example/feed")  # the feed, if known
        entry = ParsedEntry(key="talks", title="Talks", text=text, html=f"<p>{text}</p>")
        follow_annotations(conn, upsert_entries(conn, feed_id, [entry], now=now))
    finally:
        conn.close()


@pytest.fixture
def store(db_path: Path) -> Path:
    """Article 1 with a claim on QUOTE, then reworded by a feed update."""
    store_text(db_path, FIRST, now=1_767_000_000.0)
    ok(db_path, "annotate", "1", "--quote", QUOTE, "--kind", "claim")
    ok(db_path, "annotate", "1", "--quote", "Talks resumed", "--kind", "claim")
    [before] = [c for c in json.loads(ok(db_path, "claims", "--json")) if c["exact"] == QUOTE]
    assert before["edited_after_marked"] is False
    store_text(db_path, SECOND, now=1_767_000_600.0)
    return db_path


def test_revisions_lists_the_earlier_text_and_the_current(store: Path) -> None:
    listed = json.loads(ok(store, "revisions", "1", "--json"))
    assert listed == [
        {
            "number": 1,
            "saved": "2025-12-29T09:30:00Z",
            "source": "feed",
            "size": len(FIRST),
            "current": False,
        },
        {
            "number": 2,
            "saved": "2025-12-29T09:30:00Z",  # when the article was last fetched
            "source": "feed",
            "size": len(SECOND),
            "current": True,
        },
    ]
    table = ok(store, "revisions", "1")
    assert "current" in table.splitlines()[-1] and "2025-12-29 09:30" in table


def test_revisions_diff_shows_the_reworded_words(store: Path) -> None:
    out = ok(store, "revisions", "1", "--diff", "1", "0")
    assert "the ceasefire holds for [-now.-]{+the moment.+}" in out
    assert "1 word deleted, 2 inserted" in out
    data = json.loads(ok(store, "revisions", "1", "--diff", "1", "2", "--json"))
    assert (data["from"], data["to"], data["deleted_words"], data["inserted_words"]) == (1, 2, 1, 2)
    assert "".join(p["text"] for p in data["pieces"] if p["op"] != "insert") == FIRST
    assert "".join(p["text"] for p in data["pieces"] if p["op"] != "delete") == SECOND


def test_claims_json_flags_only_the_reworded_claim(store: Path) -> None:
    claims = {c["quote_as_marked"]: c for c in json.loads(ok(store, "claims", "--json"))}
    assert claims[QUOTE]["edited_after_marked"] is True
    assert claims["Talks resumed"]["edited_after_marked"] is False
    assert "edited after you marked it" in ok(store, "claims")


def test_revisions_refuses_what_is_not_there(store: Path) -> None:
    missing = run(store, "revisions", "9")
    assert missing.returncode != 0 and "no article with id 9" in missing.stderr
    beyond = run(store, "revisions", "1", "--diff", "1", "3")
    assert beyond.returncode != 0 and "revisions 1 to 2" in beyond.stderr
