"""The annotation commands through the real entry point (`python -m newsreader`)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from newsreader.feeds.text import html_to_text
from newsreader.models import ParsedEntry
from newsreader.resources import data_dir
from newsreader.store import connect
from newsreader.store.articles import upsert_entries
from newsreader.store.feeds import add_feed, set_feed_title

CLAIM = "Trump described the conversation as constructive"


def sample_text() -> str:
    """The canonical text of the bundled sample article (the demo feed's second item)."""
    xml = (data_dir("seeds") / "demo.xml").read_text(encoding="utf-8")
    bodies = re.findall(r"<content:encoded><!\[CDATA\[(.*?)\]\]>", xml, re.S)
    return html_to_text(bodies[1])[0]


@pytest.fixture
def store(db_path: Path) -> Path:
    """A store holding the sample article (id 1)."""
    conn = connect(db_path)
    feed_id, _ = add_feed(conn, "https://interbellumnews.com/feed")
    set_feed_title(conn, feed_id, "Inter Bellum News", "https://interbellumnews.com/")
    text = sample_text()
    upsert_entries(
        conn,
        feed_id,
        [
            ParsedEntry(
                key="sample",
                url="https://interbellumnews.com/news/trump-and-petro",
                title="Trump and Petro Open Channel After Diplomatic Standoff",
                text=text,
                html=f"<p>{text}</p>",
                published=1767882600.0,
            )
        ],
    )
    conn.close()
    return db_path


def run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "newsreader", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


def ok(db: Path, *args: str) -> str:
    done = run(db, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_actor_add_and_list(store: Path) -> None:
    out = ok(
        store,
        "actor",
        "add",
        "Gustavo Petro",
        "--kind",
        "person",
        "--alias",
        "Petro",
        "--alias",
        "President Petro",
    )
    assert "Gustavo Petro" in out and "person" in out
    ok(store, "actor", "add", "Colombia", "--kind", "country")
    duplicate = run(store, "actor", "add", "petro")
    assert duplicate.returncode == 1 and "already" in duplicate.stderr
    actors = json.loads(ok(store, "actors", "--json"))
    assert [a["name"] for a in actors] == ["Colombia", "Gustavo Petro"]
    assert set(actors[1]) == {
        "id",
        "name",
        "kind",
        "aliases",
        "description",
        "claims_by",
        "claims_about",
        "mentions",
        "tagged_mentions",
    }
    assert actors[1]["aliases"] == ["Petro", "President Petro"]
    table = ok(store, "actors")
    assert "Gustavo Petro" in table and "Petro, President Petro" in table


def test_annotate_a_claim_and_list_it(store: Path) -> None:
    ok(store, "actor", "add", "Donald Trump", "--kind", "person", "--alias", "Trump")
    ok(store, "actor", "add", "Gustavo Petro", "--kind", "person", "--alias", "Petro")
    out = ok(
        store,
        "annotate",
        "1",
        "--quote",
        CLAIM,
        "--speaker",
        "trump",
        "--about",
        "Petro",
        "--status",
        "disputed",
        "--note",
        "Readout\x1b]0;pwned\x07 only",
    )
    assert out.startswith("claim 1 on article 1") and CLAIM in out
    [claim] = json.loads(ok(store, "claims", "--json"))
    assert claim == {
        "id": 1,
        "article_id": 1,
        "article_title": "Trump and Petro Open Channel After Diplomatic Standoff",
        "exact": CLAIM,
        "speaker": "Donald Trump",
        "about": ["Gustavo Petro"],
        "status": "disputed",
        "note": "Readout only",
        "orphaned": False,
        "edited_after_marked": False,
        "quote_as_marked": CLAIM,
        "event_date": None,
        "links": [],
        "evidence": [],
    }
    assert json.loads(ok(store, "claims", "--actor", "Petro", "--json"))[0]["id"] == 1
    assert json.loads(ok(store, "claims", "--status", "false", "--json")) == []
    assert CLAIM in ok(store, "claims")
    [trump] = [a for a in json.loads(ok(store, "actors", "--json")) if a["name"] == "Donald Trump"]
    assert (trump["claims_by"], trump["claims_about"]) == (1, 0)


def test_quote_not_found_or_ambiguous_is_an_error(store: Path) -> None:
    missing = run(store, "annotate", "1", "--quote", "Maduro was freed")
    assert missing.returncode == 1 and "not in the article" in missing.stderr
    ambiguous = run(store, "annotate", "1", "--quote", "Petro", "--kind", "highlight")
    assert ambiguous.returncode == 1 and "--occurrence" not in ambiguous.stdout
    assert "occurs 12 times" in ambiguous.stderr
    beyond = run(
        store, "annotate", "1", "--quote", "Petro", "--kind", "highlight", "--occurrence", "13"
    )
    assert beyond.returncode == 1
    no_article = run(store, "annotate", "7", "--quote", "Petro")
    assert no_article.returncode == 1 and "no article" in no_article.stderr
    assert json.loads(ok(store, "claims", "--json")) == []


def test_mentions_and_option_errors(store: Path) -> None:
    ok(store, "actor", "add", "Gustavo Petro", "--kind", "person", "--alias", "Petro")
    out = ok(store, "annotate", "1", "--quote", "Petro", "--kind", "mention", "--occurrence", "3")
    assert out.startswith("mention 1 on article 1")
    unknown = run(store, "annotate", "1", "--quote", "Cilia Flores", "--kind", "mention")
    assert unknown.returncode == 1 and "no actor named 'Cilia Flores'" in unknown.stderr
    wrong = run(
        store, "annotate", "1", "--quote", CLAIM, "--kind", "highlight", "--speaker", "Petro"
    )
    assert wrong.returncode == 1 and "claims only" in wrong.stderr
    stranger = run(store, "annotate", "1", "--quote", CLAIM, "--speaker", "Nobody")
    assert stranger.returncode == 1 and "no actor named 'Nobody'" in stranger.stderr
    unknown_actor = run(store, "claims", "--actor", "Nobody")
    assert unknown_actor.returncode == 1
    [petro] = json.loads(ok(store, "actors", "--json"))
    # every place Petro is marked, as the reader marks them: the tag is one of them
    assert (petro["mentions"], petro["tagged_mentions"], petro["claims_by"]) == (12, 1, 0)


def test_actor_show_lists_activity(store: Path) -> None:
    ok(store, "actor", "add", "Gustavo Petro", "--kind", "person", "--alias", "Petro")
    ok(
        store,
        "annotate",
        "1",
        "--quote",
        "Petro argued those operations harmed civilian fishermen",
        "--speaker",
        "Gustavo Petro",
    )
    ok(store, "annotate", "1", "--quote", "Petro", "--kind", "mention", "--occurrence", "2")
    activity = json.loads(ok(store, "actor", "show", "petro", "--json"))
    # in one article its claims come first, then one item for its mentions (12 places:
    # the tag and every other "Petro" or "Gustavo Petro")
    assert [(a["role"], a["feed_title"], a["published"], a["count"]) for a in activity] == [
        ("speaker", "Inter Bellum News", "2026-01-08T14:30:00Z", 1),
        ("mention", "Inter Bellum News", "2026-01-08T14:30:00Z", 12),
    ]
    assert "Inter Bellum News" in ok(store, "actor", "show", "Gustavo Petro")
    assert run(store, "actor", "show", "Nobody").returncode == 1


def test_claim_edit_changes_what_the_tui_dialog_changes(store: Path, db_path: Path) -> None:
    ok(store, "actor", "add", "Gustavo Petro", "--kind", "person", "--alias", "Petro")
    ok(store, "annotate", "1", "--quote", CLAIM)
    out = ok(
        store,
        "claim",
        "edit",
        "1",
        "--status",
        "disputed",
        "--note",
        "See *readout*.",
        "--speaker",
        "Donald Trump",
        "--about",
        "petro",
        "--about",
        "Colombia",
    )
    assert "new actor 2: Donald Trump, person" in out
    assert "new actor 3: Colombia, person" in out
    assert out.splitlines()[-1].startswith(
        "claim 1 on article 1: disputed, speaker Donald Trump, about Colombia, Gustavo Petro"
    )
    [claim] = json.loads(ok(store, "claims", "--json"))
    assert (claim["speaker"], claim["about"], claim["status"], claim["note"]) == (
        "Donald Trump",
        ["Colombia", "Gustavo Petro"],
        "disputed",
        "See *readout*.",
    )
    # options not given stay as they are; the status history keeps every change
    ok(store, "claim", "edit", "1", "--status", "false", "--no-speaker")
    [claim] = json.loads(ok(store, "claims", "--json"))
    assert (claim["speaker"], claim["about"], claim["status"], claim["note"]) == (
        None,
        ["Colombia", "Gustavo Petro"],
        "false",
        "See *readout*.",
    )
    conn = connect(db_path)
    history = [
        r[0]
        for r in conn.execute(
            "SELECT status FROM claim_status_history WHERE annotation_id = 1 ORDER BY id"
        )
    ]
    conn.close()
    assert history == ["unverified", "disputed", "false"]
    ok(store, "claim", "edit", "1", "--no-about", "--note", "")
    [claim] = json.loads(ok(store, "claims", "--json"))
    assert (claim["about"], claim["note"]) == ([], "")


def test_claim_edit_errors_change_nothing(store: Path) -> None:
    ok(store, "annotate", "1", "--quote", "Petro", "--kind", "highlight", "--occurrence", "1")
    ok(store, "annotate", "1", "--quote", CLAIM)
    before = ok(store, "claims", "--json")
    nothing = run(store, "claim", "edit", "2")
    assert nothing.returncode == 1 and "nothing to change" in nothing.stderr
    highlight = run(store, "claim", "edit", "1", "--status", "false")
    assert highlight.returncode == 1 and "not a claim" in highlight.stderr
    missing = run(store, "claim", "edit", "9", "--status", "false")
    assert missing.returncode == 1 and "no annotation with id 9" in missing.stderr
    both = run(store, "claim", "edit", "2", "--speaker", "A", "--no-speaker")
    assert both.returncode == 1 and "exclude each other" in both.stderr
    status = run(store, "claim", "edit", "2", "--status", "maybe")
    assert status.returncode == 2 and "invalid choice" in status.stderr
    assert ok(store, "claims", "--json") == before
    assert json.loads(ok(store, "actors", "--json")) == []


def test_note_on_an_article(store: Path) -> None:
    out = ok(store, "note", "1", "Compare with the *Bogotá* readout.\x1b[2J")
    assert out == "note 1 on article 1: Compare with the *Bogotá* readout.\n"
    assert "Compare with the *Bogotá* readout." in ok(store, "export", "--article", "1")
    assert json.loads(ok(store, "articles", "--annotated", "--json"))[0]["id"] == 1
    empty = run(store, "note", "1", "   ")
    assert empty.returncode == 1 and "the note is empty" in empty.stderr
    no_article = run(store, "note", "7", "text")
    assert no_article.returncode == 1 and "no article with id 7" in no_article.stderr


def test_claim_edit_and_note_have_help(store: Path) -> None:
    assert "--about NAME" in ok(store, "claim", "edit", "--help")
    assert "ARTICLE TEXT" in ok(store, "note", "--help")
    top = ok(store, "--help")
    assert "claim" in top and "write a note on a whole article" in top
