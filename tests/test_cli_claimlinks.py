"""link, evidence, claim-date and timeline through the real entry point, and what
``claims --json`` says of them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_cli_annotations import CLAIM, ok, run, sample_text

from newsreader.models import ParsedEntry
from newsreader.store import connect
from newsreader.store.articles import upsert_entries
from newsreader.store.feeds import add_feed, set_feed_title

OTHER = "Petro argued those operations harmed civilian fishermen"


@pytest.fixture
def store(db_path: Path) -> Path:
    """Two articles (ids 1 and 2) of two feeds, each holding the sample text."""
    conn = connect(db_path)
    for n, (feed, published) in enumerate(
        (("Inter Bellum News", 1767882600.0), ("Other News", 1767000000.0)), 1
    ):
        feed_id, _ = add_feed(conn, f"https://example.org/feed{n}")
        set_feed_title(conn, feed_id, feed, "https://example.org/")
        text = sample_text()
        upsert_entries(
            conn,
            feed_id,
            [
                ParsedEntry(
                    key=f"a{n}",
                    url=f"https://example.org/story{n}",
                    title=f"Story {n}",
                    text=text,
                    html=f"<p>{text}</p>",
                    published=published,
                )
            ],
        )
    conn.close()
    return db_path


def claims(db: Path) -> dict[int, dict]:
    return {c["id"]: c for c in json.loads(ok(db, "claims", "--json"))}


def two_claims(db: Path) -> None:
    ok(db, "actor", "add", "Gustavo Petro", "--kind", "person", "--alias", "Petro")
    ok(db, "annotate", "1", "--quote", CLAIM)  # claim 1, article 1
    ok(db, "annotate", "2", "--quote", OTHER, "--speaker", "Petro")  # claim 2, article 2


def test_link_across_articles_is_listed_from_both_sides_and_removed(store: Path) -> None:
    two_claims(store)
    out = ok(store, "link", "2", "contradicts", "1")
    assert out.startswith("claim 2 contradicts claim 1: «Petro argued")
    assert "(already linked)" in ok(store, "link", "2", "contradicts", "1")
    listed = claims(store)
    assert listed[2]["links"] == [
        {
            "id": 1,
            "relation": "contradicts",
            "direction": "outgoing",
            "target_id": 1,
            "target_uid": listed[2]["links"][0]["target_uid"],
            "target_article_id": 1,
            "target_quote": CLAIM,
        }
    ]
    assert len(listed[2]["links"][0]["target_uid"]) == 32
    assert listed[1]["links"][0]["direction"] == "incoming"
    assert listed[1]["links"][0]["target_quote"] == OTHER
    assert "no longer contradicts" in ok(store, "link", "2", "contradicts", "1", "--remove")
    assert claims(store)[1]["links"] == []


def test_bad_links_fail_in_one_line(store: Path) -> None:
    two_claims(store)
    for args, message in (
        (("link", "1", "supports", "1"), "cannot be linked to itself"),
        (("link", "1", "supports", "9"), "no claim with id 9"),
        (("link", "1", "supports", "2", "--remove"), "has no link 'supports'"),
    ):
        done = run(store, *args)
        assert done.returncode == 1 and done.stderr.count("\n") == 1, done.stderr
        assert message in done.stderr
    assert run(store, "link", "1", "agrees", "2").returncode == 2  # argparse's own choices


def test_evidence_add_list_remove(store: Path) -> None:
    two_claims(store)
    ok(store, "evidence", "1", "--add", "https://example.com/readout")
    out = ok(store, "evidence", "1", "--add-article", "2")
    assert out == "1. https://example.com/readout\n2. https://example.org/story2  (Story 2)\n"
    assert json.loads(ok(store, "evidence", "1", "--json"))[1] == {
        "url": "https://example.org/story2",
        "title": "Story 2",
    }
    assert claims(store)[1]["evidence"][0]["url"] == "https://example.com/readout"
    assert ok(store, "evidence", "1", "--remove", "1").startswith("removed source 1: https://")
    done = run(store, "evidence", "1", "--add", "file:///etc/passwd")
    assert done.returncode == 1 and "not an http(s) address" in done.stderr
    assert run(store, "evidence", "7").stderr == "newsreader: no claim with id 7\n"


def test_claim_date_and_timeline(store: Path) -> None:
    two_claims(store)
    ok(store, "annotate", "1", "--quote", "Petro", "--occurrence", "1", "--speaker", "Petro")
    assert ok(store, "claim-date", "3", "2025-11-02") == "claim 3: 2025-11-02\n"
    done = run(store, "claim-date", "3", "2025-13-01")
    assert done.returncode == 1 and done.stderr == (
        "newsreader: not a date (YYYY-MM-DD): '2025-13-01'\n"
    )
    assert claims(store)[3]["event_date"] == "2025-11-02"
    line = json.loads(ok(store, "timeline", "gustavo PETRO", "--json"))
    assert [(e["claim_id"], e["date"], e["dated_by"]) for e in line] == [
        (3, "2025-11-02", "event"),
        (2, "2025-12-29", "article"),
    ]
    table = ok(store, "timeline", "petro")
    assert table.index("2025-11-02") < table.index("2025-12-29") and "article" in table
    ok(store, "claim-date", "3", "--clear")
    assert claims(store)[3]["event_date"] is None
    unknown = run(store, "timeline", "Nobody")
    assert (unknown.returncode, unknown.stderr) == (1, "newsreader: no actor named 'Nobody'\n")


def test_import_says_how_many_links_lost_their_other_claim(store: Path, tmp_path: Path) -> None:
    two_claims(store)
    ok(store, "link", "2", "contradicts", "1")
    ok(store, "evidence", "2", "--add", "https://example.com/source")
    ok(store, "claim-date", "2", "2025-12-20")
    one = tmp_path / "one.json"
    ok(store, "export", "--article", "2", "--format", "json", "--out", str(one))
    fresh = tmp_path / "fresh.db"
    out = ok(fresh, "import", str(one))
    assert "1 claim link not added: the other claim is neither in the file nor in the store" in out
    [claim] = json.loads(ok(fresh, "claims", "--json"))
    assert claim["links"] == [] and claim["event_date"] == "2025-12-20"
    assert claim["evidence"] == [{"url": "https://example.com/source", "title": ""}]
    everything = tmp_path / "all.json"
    ok(store, "export", "--all", "--format", "json", "--out", str(everything))
    assert "1 claim link added" in ok(fresh, "import", str(everything))
    assert [len(c["links"]) for c in claims(fresh).values()] == [1, 1]
