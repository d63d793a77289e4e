"""Import of a JSON export: idempotent, all-or-nothing, merges actors, restores status
history, keeps annotations whose article is missing and re-attaches them when it arrives,
and refuses hostile files with a clear message."""

from __future__ import annotations

import copy
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from export_sample import CLAIM, ORPHANED, T0, build_sample, drop_sentence, store_demo_feed

from newsreader.annotations import service
from newsreader.annotations.reattach import reattach_orphans
from newsreader.export import jsonread
from newsreader.export.backup import parse_backup
from newsreader.export.importer import import_backup, import_file
from newsreader.export.jsonread import ImportFormatError
from newsreader.export.webannotation import dumps, export_document
from newsreader.models import ParsedEntry
from newsreader.store import connect
from newsreader.store.actors import add_actor, find_actor, list_actors
from newsreader.store.annotations import list_annotations, status_history
from newsreader.store.articles import upsert_entries
from newsreader.store.feeds import add_feed
from newsreader.store.schema import MIGRATIONS, migrate

TABLES = ("actors", "actor_aliases", "annotations", "claim_about", "claim_status_history", "notes")


@pytest.fixture
def backup(conn: sqlite3.Connection, tmp_path: Path) -> Path:
    """The sample, exported to a JSON file."""
    build_sample(conn)
    path = tmp_path / "backup.json"
    path.write_text(dumps(export_document(conn)), encoding="utf-8")
    return path


@pytest.fixture
def empty(tmp_path: Path) -> sqlite3.Connection:
    other = connect(tmp_path / "other.db")
    yield other
    other.close()


def dump(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    """Every row of the annotation tables (ids included), to compare whole stores."""
    return {
        t: [tuple(r) for r in conn.execute(f"SELECT * FROM {t} ORDER BY rowid")] for t in TABLES
    }


def test_import_into_an_empty_store_keeps_annotations_waiting(
    backup: Path, empty: sqlite3.Connection
) -> None:
    report = import_file(empty, backup)
    assert (report.annotations, report.notes, report.actors_added) == (4, 1, 3)
    assert report.waiting == 5 and report.present == 0
    rows = empty.execute(
        "SELECT article_id, exact, article_url, article_title, orphaned"
        " FROM annotations ORDER BY start"
    ).fetchall()
    assert all(r[0] is None for r in rows)
    assert {r[2] for r in rows} == {
        "https://interbellumnews.com/news/trump-and-petro-open-channel-after-diplomatic-standoff"
    }
    assert {r[3] for r in rows} == {"Trump and Petro Open Channel After Diplomatic Standoff"}
    claim_id = empty.execute(
        "SELECT id FROM annotations WHERE exact LIKE 'Petro argued%'"
    ).fetchone()[0]
    assert status_history(empty, claim_id) == [("unverified", T0 + 60), ("disputed", T0 + 3600)]
    petro = find_actor(empty, "petro")
    assert petro is not None and petro.name == "Gustavo Petro" and petro.kind == "person"
    assert petro.description == "President of Colombia."


def front_matter(page: str) -> dict[str, str]:
    """The top-level ``key: value`` lines of a Markdown page's front matter."""
    lines = page.split("\n")
    end = lines.index("---", 1)
    return {k: v for k, _, v in (line.partition(": ") for line in lines[1:end]) if v}


def test_the_author_survives_export_import_export(backup: Path, empty: sqlite3.Connection) -> None:
    """The article is not in the new store: its page is made from the snapshots, and the
    snapshot carries the author through the JSON file (it used to come back as "")."""
    import_file(empty, backup)
    assert {r[0] for r in empty.execute("SELECT article_author FROM annotations")} == {"FRANZ AG"}
    assert [r[0] for r in empty.execute("SELECT article_author FROM notes")] == ["FRANZ AG"]
    page = article_markdown_of_snapshots(empty)
    assert front_matter(page)["author"] == '"FRANZ AG"'
    assert front_matter(page)["published"] == "2026-01-08T14:30:00Z"
    assert "Inter Bellum News · FRANZ AG ·" in page
    assert dumps(export_document(empty)) == backup.read_text(encoding="utf-8")


def article_markdown_of_snapshots(conn: sqlite3.Connection) -> str:
    """The Markdown page of the only (snapshot-only) article of an export folder."""
    from newsreader.export.collect import load
    from newsreader.export.markdown import Style, article_page

    data = load(conn)
    [bundle] = data.bundles
    assert bundle.info.article_id is None
    return article_page(bundle, data, Style(True, {}), now=T0)


def test_an_older_store_gets_the_author_from_its_articles(conn: sqlite3.Connection) -> None:
    """A store made before the snapshot kept the author: the migration fills it in (and
    the date of article notes, which were never stored with one)."""
    build_sample(conn)
    for table in ("annotations", "notes"):
        conn.execute(f"ALTER TABLE {table} DROP COLUMN article_author")
    conn.execute("UPDATE notes SET article_published = NULL")
    for later in (
        "TRIGGER name_scans_text_changed",
        "TABLE name_matches",
        "TABLE name_scans",
        "TABLE name_changes",
    ):  # migration 5's
        conn.execute(f"DROP {later}")
    conn.execute("ALTER TABLE articles DROP COLUMN date_kind")  # migration 6's
    conn.execute("DROP INDEX annotations_by_article_key")  # migration 7's
    for table in ("annotations", "notes"):
        for column in ("feed_url", "article_key", "article_date_kind"):  # 7's and 8's
            conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    conn.execute("DROP TABLE pages")  # migration 9's
    conn.execute("ALTER TABLE feeds DROP COLUMN full_text")
    for column in ("text_source", "summary", "page_fetched", "page_error"):
        conn.execute(f"ALTER TABLE articles DROP COLUMN {column}")
    for table in ("later", "article_labels", "labels"):  # migration 10's
        conn.execute(f"DROP TABLE {table}")
    conn.execute("DROP TABLE pruned")  # migration 11's
    conn.execute("DROP TABLE hidden")  # migration 12's
    conn.execute("DROP TABLE enclosures")  # migration 13's
    for column in ("interval_minutes", "ttl_minutes"):
        conn.execute(f"ALTER TABLE feeds DROP COLUMN {column}")
    for table in ("articles_dup", "dup_keys", "dup_prints"):  # migration 14's
        conn.execute(f"DROP TABLE {table}")
    conn.execute("DROP TABLE revisions")  # migration 15's
    for column in ("made_on_revision", "made_quote"):
        conn.execute(f"ALTER TABLE annotations DROP COLUMN {column}")
    for table in ("claim_links", "claim_evidence"):  # migration 16's
        conn.execute(f"DROP TABLE {table}")
    conn.execute("ALTER TABLE annotations DROP COLUMN event_date")
    for table in ("sync_feeds", "sync_items", "sync_log"):  # migration 17's
        conn.execute(f"DROP TABLE {table}")
    conn.execute("PRAGMA user_version = 3")
    assert migrate(conn) == len(MIGRATIONS)
    assert {r[0] for r in conn.execute("SELECT article_author FROM annotations")} == {"FRANZ AG"}
    keys = conn.execute(
        "SELECT DISTINCT feed_url != '', article_key != '' FROM annotations"
        " WHERE article_id IS NOT NULL"
    )
    assert [tuple(r) for r in keys] == [(1, 1)]  # migration 7 keeps each article's key
    kinds = conn.execute(
        "SELECT DISTINCT article_date_kind FROM annotations WHERE article_id IS NOT NULL"
    )
    assert [r[0] for r in kinds] == ["published"]  # and 8 what its date is
    notes = conn.execute("SELECT article_author, article_published FROM notes")
    assert [tuple(r) for r in notes] == [("FRANZ AG", 1767882600.0)]


def test_a_file_without_authors_still_imports(backup: Path, empty: sqlite3.Connection) -> None:
    """Exports written before the snapshot kept the author have no "author" key."""
    document = json.loads(backup.read_text(encoding="utf-8"))
    for item in document["first"]["items"]:
        del item["newsreader:data"]["snapshot"]["author"]
    report = import_backup(empty, parse_backup(document))
    assert report.annotations == 4
    assert {r[0] for r in empty.execute("SELECT article_author FROM annotations")} == {""}


def test_importing_twice_changes_nothing(backup: Path, empty: sqlite3.Connection) -> None:
    import_file(empty, backup)
    before = dump(empty)
    again = import_file(empty, backup)
    assert (again.annotations, again.notes, again.actors_added) == (0, 0, 0)
    assert again.present == 5 and not again.changed
    assert dump(empty) == before


def test_waiting_annotations_reattach_when_the_article_arrives(
    backup: Path, empty: sqlite3.Connection
) -> None:
    import_file(empty, backup)
    assert reattach_orphans(empty, []) == 0
    article_id = store_demo_feed(empty)
    assert reattach_orphans(empty, [article_id]) == 5
    placed = {a.exact: a for a in list_annotations(empty, article_id)}
    assert set(placed) == {
        CLAIM,
        "Petro argued those operations harmed civilian fishermen",
        "Gustavo Petro",
        ORPHANED,
    }
    text = empty.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()[0]
    assert all(text[a.start : a.end] == a.exact and not a.orphaned for a in placed.values())
    assert placed[CLAIM].speaker_name == "Donald Trump"
    assert [n for _, n in placed[CLAIM].about] == ["Gustavo Petro"]
    notes = empty.execute("SELECT article_id FROM notes").fetchall()
    assert [n[0] for n in notes] == [article_id]
    assert reattach_orphans(empty) == 0  # nothing waits any more


NO_URL_TEXT = "The minister said the talks were constructive. Nobody else said so."


def store_article_without_url(conn: sqlite3.Connection, text: str = NO_URL_TEXT) -> int:
    """A feed item that has a guid but no link; returns its id."""
    feed_id, _ = add_feed(conn, "https://example.org/wire.xml")
    upsert_entries(
        conn,
        feed_id,
        [ParsedEntry(key="wire-17", guid="wire-17", url="", title="Wire item", text=text)],
    )
    return conn.execute("SELECT id FROM articles WHERE key = 'wire-17'").fetchone()[0]


def test_annotations_of_an_article_without_a_url_find_it_by_feed_and_key(
    conn: sqlite3.Connection, empty: sqlite3.Connection, tmp_path: Path
) -> None:
    article_id = store_article_without_url(conn)
    service.create_from_quote(conn, article_id, "the talks were constructive", "claim")
    service.add_note(conn, article_id, "Single-sourced.")
    document = parse_backup(json.loads(dumps(export_document(conn))))
    assert import_backup(empty, document).waiting == 2  # the article is not there yet
    arrived = store_article_without_url(empty, "Updated: " + NO_URL_TEXT)
    assert reattach_orphans(empty, [arrived]) == 2
    [claim] = list_annotations(empty, arrived)
    assert (claim.exact, claim.orphaned) == ("the talks were constructive", False)
    assert claim.start == len("Updated: ") + NO_URL_TEXT.index("the talks")
    assert [n.body for n in service.list_for_article(empty, arrived).notes] == ["Single-sourced."]
    # into a store that has the article already: attached at once
    third = connect(tmp_path / "third.db")
    has_it = store_article_without_url(third)
    assert import_backup(third, document).waiting == 0
    assert [a.exact for a in list_annotations(third, has_it)] == ["the talks were constructive"]
    third.close()


def test_reattach_orphans_without_ids_and_with_a_changed_text(
    backup: Path, empty: sqlite3.Connection
) -> None:
    import_file(empty, backup)
    article_id = store_demo_feed(empty)
    drop_sentence(empty, article_id, ORPHANED)  # this copy of the article lacks it too
    assert reattach_orphans(empty) == 5
    rows = empty.execute("SELECT exact, orphaned, article_id FROM annotations").fetchall()
    assert {(r[0], r[1], r[2]) for r in rows if r[0] == ORPHANED} == {(ORPHANED, 1, article_id)}
    assert all(r[1] == 0 for r in rows if r[0] != ORPHANED)


def test_import_onto_the_article_places_and_orphans(
    backup: Path, empty: sqlite3.Connection
) -> None:
    article_id = store_demo_feed(empty)
    report = import_file(empty, backup)
    assert report.waiting == 0 and report.orphaned == 0  # the sentence is back: recovered
    assert all(a.article_id == article_id for a in list_annotations(empty, article_id))
    assert len(list_annotations(empty, article_id)) == 4


def test_actors_merge_by_name_and_alias(backup: Path, empty: sqlite3.Connection) -> None:
    mine = add_actor(empty, "President Petro", "other", ["Petro"])
    add_actor(empty, "Trump", "person", [], "Known here by one name.")
    report = import_file(empty, backup)
    assert (report.actors_added, report.actors_merged) == (1, 2)  # Colombia is new
    names = sorted(s.actor.name for s in list_actors(empty))
    assert names == ["Colombia", "President Petro", "Trump"]
    petro = find_actor(empty, "Gustavo Petro")
    assert petro is not None and petro.id == mine.id
    assert set(petro.aliases) == {"Petro", "Gustavo Petro"} and petro.kind == "person"
    trump = find_actor(empty, "Donald Trump")
    assert trump is not None and trump.description == "Known here by one name."
    speakers = {
        r[0] for r in empty.execute("SELECT speaker_id FROM annotations WHERE kind = 'claim'")
    }
    assert speakers == {petro.id, trump.id}


def test_a_failure_inside_the_transaction_writes_nothing(
    backup: Path, empty: sqlite3.Connection
) -> None:
    empty.execute(
        "CREATE TRIGGER refuse BEFORE INSERT ON notes BEGIN"
        " SELECT RAISE(ABORT, 'disk on fire'); END"
    )
    before = dump(empty)
    with pytest.raises(sqlite3.IntegrityError, match="disk on fire"):
        import_file(empty, backup)
    assert dump(empty) == before  # actors and annotations, stored before the note, are gone


# --- hostile files --------------------------------------------------------------------------


def _document(backup: Path) -> dict[str, Any]:
    return json.loads(backup.read_text(encoding="utf-8"))


def _claim(document: dict[str, Any]) -> dict[str, Any]:
    return next(i for i in document["first"]["items"] if i["newsreader:data"]["kind"] == "claim")


BREAKAGES = [
    (
        "start is text",
        lambda d: _claim(d)["target"]["selector"][1].update(start="5"),
        "selector[1].start: expected an integer",
    ),
    (
        "end before start",
        lambda d: _claim(d)["target"]["selector"][1].update(start=9, end=3),
        "selector[1].end: must be between 9",
    ),
    (
        "negative start",
        lambda d: _claim(d)["target"]["selector"][1].update(start=-1),
        "start: must be between 0",
    ),
    (
        "bool as int",
        lambda d: _claim(d)["target"]["selector"][1].update(end=True),
        "expected an integer",
    ),
    (
        "unknown kind",
        lambda d: _claim(d)["newsreader:data"].update(kind="rumour"),
        "kind: must be one of",
    ),
    (
        "unknown status",
        lambda d: _claim(d)["newsreader:data"].update(status="true-ish"),
        "status: must be one of",
    ),
    (
        "not a uuid",
        lambda d: _claim(d).update(id="https://evil.example/a/1"),
        "id: expected urn:uuid",
    ),
    ("bad date", lambda d: _claim(d).update(created="yesterday"), "created: not an ISO"),
    ("no quote", lambda d: _claim(d)["target"].update(selector=[]), "needs a TextQuoteSelector"),
    ("empty name", lambda d: d["newsreader:actors"][0].update(name="  "), "cannot be empty"),
    ("long name", lambda d: _claim(d)["newsreader:data"].update(speaker="x" * 300), "at most 200"),
    ("list as object", lambda d: d["first"].update(items={"a": 1}), "items: expected a list"),
    (
        "foreign annotation",
        lambda d: _claim(d).pop("newsreader:data"),
        "only newsreader's own exports",
    ),
    (
        "duplicate id",
        lambda d: d["first"]["items"].append(copy.deepcopy(_claim(d))),
        "the same id appears twice",
    ),
    ("newer format", lambda d: d.update({"newsreader:format": 99}), "upgrade newsreader"),
    (
        "mention without actor",
        lambda d: next(i for i in d["first"]["items"] if i["newsreader:data"]["kind"] == "mention")[
            "newsreader:data"
        ].update(actor=None),
        "a mention needs the actor",
    ),
    ("huge note", lambda d: _claim(d)["body"][0].update(value="x" * 100_001), "longer than 100000"),
    ("not a collection", lambda d: d.update(type="Something"), "expected an AnnotationCollection"),
]


@pytest.mark.parametrize(("label", "breakage", "message"), BREAKAGES, ids=[b[0] for b in BREAKAGES])
def test_malformed_files_are_refused_and_nothing_is_written(
    backup: Path, empty: sqlite3.Connection, label: str, breakage: Any, message: str
) -> None:
    document = _document(backup)
    breakage(document)
    bad = backup.with_name("bad.json")
    bad.write_text(json.dumps(document), encoding="utf-8")
    before = dump(empty)
    with pytest.raises(ImportFormatError) as caught:
        import_file(empty, bad)
    assert message in str(caught.value)
    assert dump(empty) == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfe not utf-8", "not UTF-8"),
        (b'{"a": NaN}', "NaN is not a number"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"type": "AnnotationCollection", "first": ', "not valid JSON"),
        (b'"just a string"', "document: expected an object"),
    ],
)
def test_unreadable_json_is_refused(
    tmp_path: Path, empty: sqlite3.Connection, data: bytes, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(data)
    with pytest.raises(ImportFormatError, match=message):
        import_file(empty, path)


def test_size_is_bounded(
    backup: Path, empty: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jsonread, "MAX_BYTES", backup.stat().st_size - 1)
    with pytest.raises(ImportFormatError, match="larger than"):
        import_file(empty, backup)
    assert dump(empty)["annotations"] == []


def test_hostile_strings_are_stored_clean(backup: Path, empty: sqlite3.Connection) -> None:
    document = _document(backup)
    claim = _claim(document)
    claim["body"][0]["value"] = "note\x1b]52;c;ZXZpbA==\x07 with \ud800 surrogate"
    claim["newsreader:data"]["snapshot"]["title"] = "Title\x1b[2J\u202e\nwith breaks"
    document["newsreader:actors"][0]["description"] = "desc\x9b31m"
    import_backup(empty, parse_backup(json.loads(json.dumps(document))))
    note, title = empty.execute(
        "SELECT note, article_title FROM annotations WHERE exact = ?", (CLAIM,)
    ).fetchone()
    assert note == "note with \ufffd surrogate"
    assert title == "Title with breaks"
    assert find_actor(empty, "Colombia").description == "desc"


def test_a_plain_list_of_annotations_is_accepted(backup: Path, empty: sqlite3.Connection) -> None:
    items = _document(backup)["first"]["items"]
    report = import_backup(empty, parse_backup(items))
    assert report.annotations == 4 and report.actors_added == 2  # the actors named
    assert find_actor(empty, "Gustavo Petro").kind == "other"
