"""Exports say which date an article has (issue 12, item 10): an annotation's or note's
snapshot keeps the date's kind (migration 8), the JSON export carries it and import reads
it back, and Markdown pages and dossiers write an updated-only date as "updated"."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from newsreader.annotations import service
from newsreader.export.collect import load
from newsreader.export.importer import import_file
from newsreader.export.jsonread import ImportFormatError
from newsreader.export.markdown import Style, article_page
from newsreader.export.vault import actor_markdown, article_markdown
from newsreader.export.webannotation import dumps, export_document
from newsreader.feeds.ingest import store_feed
from newsreader.feeds.parse import parse_feed
from newsreader.models import FetchResult
from newsreader.store import connect
from newsreader.store.actors import add_actor
from newsreader.store.feeds import add_feed
from newsreader.store.schema import MIGRATIONS, _statements, schema_version

FEED_URL = "https://desk.example/feed"
ATOM = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Desk</title>
<link href="https://desk.example/"/><id>urn:desk</id><updated>2026-01-03T00:00:00Z</updated>
<entry><id>urn:desk:1</id><title>Only updated</title><link href="https://desk.example/1"/>
<updated>2026-01-02T10:00:00Z</updated>
<content>Gustavo Petro said the talks went well. Alvaro Uribe disagreed.</content></entry>
<entry><id>urn:desk:2</id><title>Published too</title><link href="https://desk.example/2"/>
<published>2026-01-01T09:00:00Z</published><updated>2026-01-02T11:00:00Z</updated>
<content>Gustavo Petro spoke again.</content></entry>
</feed>"""


def stored(conn: sqlite3.Connection) -> dict[str, int]:
    """Store the feed above; returns article ids by title."""
    feed_id = add_feed(conn, FEED_URL, "", "")[0]
    store_feed(conn, feed_id, parse_feed(ATOM, FEED_URL), FetchResult(url=FEED_URL, status=200))
    return {r[1]: r[0] for r in conn.execute("SELECT id, title FROM articles")}


def front_matter(page: str) -> dict[str, str]:
    """The top-level ``key: value`` lines of a Markdown page's front matter."""
    lines = page.split("\n")
    end = lines.index("---", 1)
    return {k: v for k, _, v in (line.partition(": ") for line in lines[1:end]) if v}


def test_migration_8_gives_snapshots_the_kind_of_their_date(tmp_path: Path) -> None:
    path = tmp_path / "v7.db"
    raw = sqlite3.connect(path, isolation_level=None)
    for script in MIGRATIONS[:7]:
        for statement in _statements(script):
            raw.execute(statement)
    raw.execute("PRAGMA user_version = 7")
    raw.execute("INSERT INTO feeds (url) VALUES ('https://desk.example/feed')")
    raw.executemany(
        "INSERT INTO articles (id, feed_id, key, title, published, updated, date_kind,"
        " sort_time) VALUES (?, 1, ?, ?, ?, ?, ?, 1)",
        [
            (1, "a", "only updated", 1000.0, 1000.0, "updated"),
            (2, "b", "both", 500.0, 1000.0, "published"),
            (3, "c", "dated since", 2000.0, 2000.0, "published"),
        ],
    )
    raw.executemany(
        "INSERT INTO annotations (article_id, kind, start, end, exact, uid, article_published)"
        " VALUES (?, 'highlight', 0, 4, 'text', ?, ?)",
        [
            (1, "u1", 1000.0),
            (2, "u2", 500.0),
            (3, "u3", 1000.0),  # the snapshot's date is not the article's any more
            (None, "u4", 1000.0),  # its article is gone
        ],
    )
    raw.execute(
        "INSERT INTO notes (article_id, body, uid, article_published) VALUES (1, 'n', 'n1', 1000)"
    )
    raw.close()

    conn = connect(path)
    assert schema_version(conn) == len(MIGRATIONS) >= 8
    kinds = conn.execute("SELECT uid, article_date_kind FROM annotations ORDER BY uid")
    assert [tuple(r) for r in kinds] == [
        ("u1", "updated"),
        ("u2", "published"),
        ("u3", ""),
        ("u4", ""),
    ]
    assert conn.execute("SELECT article_date_kind FROM notes").fetchone()[0] == "updated"
    conn.close()


def test_an_article_page_writes_an_updated_only_date_as_updated(conn: sqlite3.Connection) -> None:
    ids = stored(conn)
    for title in ids:
        service.create_from_quote(conn, ids[title], "Gustavo Petro", "highlight")
    updated = article_markdown(conn, ids["Only updated"])
    meta = front_matter(updated)
    assert meta["updated"] == "2026-01-02T10:00:00Z" and "published" not in meta
    assert "\nDesk · updated 2026-01-02 10:00 UTC · [Open the article]" in updated
    published = article_markdown(conn, ids["Published too"])
    meta = front_matter(published)
    assert meta["published"] == "2026-01-01T09:00:00Z" and "updated" not in meta
    assert "\nDesk · 2026-01-01 09:00 UTC · [Open the article]" in published


def test_a_page_of_an_article_without_annotations_says_updated_too(
    conn: sqlite3.Connection,
) -> None:
    ids = stored(conn)
    page = article_markdown(conn, ids["Only updated"])
    assert front_matter(page)["updated"] == "2026-01-02T10:00:00Z"


def test_a_dossier_dates_updated_only_articles_as_updated(conn: sqlite3.Connection) -> None:
    ids = stored(conn)
    petro = add_actor(conn, "Gustavo Petro", "person")
    uribe = add_actor(conn, "Alvaro Uribe", "person")
    for title in ids:
        service.create_from_quote(conn, ids[title], "Gustavo Petro", "claim", speaker_id=petro.id)
    claims = actor_markdown(conn, petro.id, wiki_links=False).split("\n")
    headings = [line for line in claims if line.startswith("### ")]
    assert headings == [
        "### 2026-01-01 · Published too · Desk",
        "### updated 2026-01-02 · Only updated · Desk",
    ]
    named = actor_markdown(conn, uribe.id, wiki_links=False)  # found by name, no page
    assert "- updated 2026-01-02 · [Only updated](https://desk.example/1) · Desk" in named


def test_the_kind_of_date_survives_export_and_import(
    conn: sqlite3.Connection, tmp_path: Path
) -> None:
    ids = stored(conn)
    service.create_from_quote(conn, ids["Only updated"], "Gustavo Petro", "highlight")
    service.add_note(conn, ids["Only updated"], "A note.")
    document = export_document(conn)
    snapshots = [item["newsreader:data"]["snapshot"] for item in document["first"]["items"]]
    assert [(s["published"], s["date_kind"]) for s in snapshots] == [
        ("2026-01-02T10:00:00Z", "updated")
    ] * 2
    path = tmp_path / "backup.json"
    path.write_text(dumps(document), encoding="utf-8")
    other = connect(tmp_path / "other.db")
    import_file(other, path)
    for table in ("annotations", "notes"):
        assert [r[0] for r in other.execute(f"SELECT article_date_kind FROM {table}")] == [
            "updated"
        ]
    data = load(other)
    [bundle] = data.bundles
    assert bundle.info.article_id is None  # made from the snapshots
    page = article_page(bundle, data, Style(True, {}))
    assert front_matter(page)["updated"] == "2026-01-02T10:00:00Z"
    assert dumps(export_document(other)) == path.read_text(encoding="utf-8")
    other.close()


def test_a_file_without_the_kind_of_date_imports_as_unknown(
    conn: sqlite3.Connection, tmp_path: Path
) -> None:
    ids = stored(conn)
    service.create_from_quote(conn, ids["Only updated"], "Gustavo Petro", "highlight")
    document = export_document(conn)
    for item in document["first"]["items"]:
        del item["newsreader:data"]["snapshot"]["date_kind"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    other = connect(tmp_path / "other.db")
    assert import_file(other, path).annotations == 1
    row = other.execute("SELECT article_published, article_date_kind FROM annotations").fetchone()
    assert tuple(row) == (1767348000.0, "")
    page = article_page(load(other).bundles[0], load(other), Style(True, {}))
    assert front_matter(page)["published"] == "2026-01-02T10:00:00Z"
    other.close()


def test_an_unknown_kind_of_date_is_refused(conn: sqlite3.Connection, tmp_path: Path) -> None:
    ids = stored(conn)
    service.create_from_quote(conn, ids["Only updated"], "Gustavo Petro", "highlight")
    document = export_document(conn)
    document["first"]["items"][0]["newsreader:data"]["snapshot"]["date_kind"] = "modified"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    other = connect(tmp_path / "other.db")
    with pytest.raises(ImportFormatError, match=r"snapshot\.date_kind: must be one of"):
        import_file(other, path)
    other.close()


def test_dossier_rows_of_articles_say_which_date_they_have(conn: sqlite3.Connection) -> None:
    from newsreader.store.mentions import article_rows

    ids = stored(conn)
    rows = article_rows(conn, ids.values())
    assert {rows[i].title: rows[i].date_kind for i in ids.values()} == {
        "Only updated": "updated",
        "Published too": "published",
    }
