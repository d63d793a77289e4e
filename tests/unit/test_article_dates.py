"""An article's date is the date it has (issue 12, item 10): stored, migrated, shown by
`articles --json` and `show`; and a feed past the entry limit says so (item 12)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from newsreader.feeds.ingest import store_feed
from newsreader.feeds.parse import parse_feed
from newsreader.models import FetchResult
from newsreader.store import connect
from newsreader.store.articles import ArticleFilter, list_articles
from newsreader.store.feeds import add_feed, get_feed
from newsreader.store.schema import MIGRATIONS, _statements, schema_version

ATOM = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Desk</title>
<link href="https://desk.example/"/><id>urn:desk</id><updated>2026-01-03T00:00:00Z</updated>
<entry><id>urn:desk:1</id><title>Only updated</title><link href="https://desk.example/1"/>
<updated>2026-01-02T10:00:00Z</updated><content>One.</content></entry>
<entry><id>urn:desk:2</id><title>Published too</title><link href="https://desk.example/2"/>
<published>2026-01-01T09:00:00Z</published><updated>2026-01-02T11:00:00Z</updated>
<content>Two.</content></entry>
</feed>"""


def test_migration_6_gives_old_articles_and_snapshots_their_date(tmp_path: Path) -> None:
    path = tmp_path / "v5.db"
    raw = sqlite3.connect(path, isolation_level=None)
    for script in MIGRATIONS[:5]:
        for statement in _statements(script):
            raw.execute(statement)
    raw.execute("PRAGMA user_version = 5")
    raw.execute("INSERT INTO feeds (url) VALUES ('https://desk.example/feed')")
    raw.executemany(
        "INSERT INTO articles (id, feed_id, key, title, published, updated, sort_time)"
        " VALUES (?, 1, ?, ?, ?, ?, 1)",
        [
            (1, "a", "only updated", None, 1000.0),
            (2, "b", "both", 500.0, 1000.0),
            (3, "c", "none", None, None),
        ],
    )
    raw.execute(
        "INSERT INTO annotations (article_id, kind, start, end, exact, uid)"
        " VALUES (1, 'highlight', 0, 4, 'only', 'u1')"
    )
    raw.execute("INSERT INTO notes (article_id, body, uid) VALUES (1, 'n', 'u2')")
    raw.close()

    conn = connect(path)
    assert schema_version(conn) == len(MIGRATIONS) >= 6
    rows = conn.execute("SELECT id, published, updated, date_kind FROM articles ORDER BY id")
    assert [tuple(r) for r in rows] == [
        (1, 1000.0, 1000.0, "updated"),
        (2, 500.0, 1000.0, "published"),
        (3, None, None, ""),
    ]
    assert conn.execute("SELECT article_published FROM annotations").fetchone()[0] == 1000.0
    assert conn.execute("SELECT article_published FROM notes").fetchone()[0] == 1000.0
    conn.close()


def test_an_updated_only_entry_is_stored_and_listed_with_its_date(tmp_path: Path) -> None:
    conn = connect(tmp_path / "s.db")
    feed_id = add_feed(conn, "https://desk.example/feed", "", "")[0]
    store_feed(
        conn,
        feed_id,
        parse_feed(ATOM, "https://desk.example/feed"),
        FetchResult(url="https://desk.example/feed", status=200),
    )
    listed = {
        a.title: (a.published, a.date_kind) for a in list_articles(conn, ArticleFilter(), None)
    }
    assert listed == {
        "Only updated": (1767348000.0, "updated"),
        "Published too": (1767258000.0, "published"),
    }
    conn.close()


def run(db: Path, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "newsreader", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_articles_json_and_show_say_which_date_it_is(tmp_path: Path) -> None:
    feed = tmp_path / "desk.xml"
    feed.write_bytes(ATOM)
    db = tmp_path / "cli.db"
    run(db, "add", str(feed))
    listed = {a["title"]: a for a in json.loads(run(db, "articles", "--json"))}
    assert (listed["Only updated"]["published"], listed["Only updated"]["date_kind"]) == (
        "2026-01-02T10:00:00Z",
        "updated",
    )
    assert (listed["Published too"]["published"], listed["Published too"]["date_kind"]) == (
        "2026-01-01T09:00:00Z",
        "published",
    )
    shown = run(db, "show", str(listed["Only updated"]["id"])).splitlines()[1]
    assert shown.startswith("Desk · updated 2026-01-02")
    assert "updated" not in run(db, "show", str(listed["Published too"]["id"])).splitlines()[1]


def test_a_feed_past_the_entry_limit_is_ok_and_says_what_was_left_out(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from newsreader.feeds import parse

    monkeypatch.setattr(parse, "MAX_ENTRIES", 2)
    items = "".join(f"<item><guid>g{i}</guid><title>t{i}</title></item>" for i in range(5))
    body = f'<rss version="2.0"><channel><title>Big</title>{items}</channel></rss>'.encode()
    conn = connect(tmp_path / "s.db")
    feed_id = add_feed(conn, "https://big.example/feed", "", "")[0]
    parsed = parse_feed(body, "https://big.example/feed")
    store_feed(
        conn, feed_id, parsed, FetchResult(url="https://big.example/feed", status=200, etag='"v1"')
    )
    feed = get_feed(conn, feed_id)
    assert (feed.last_status, feed.etag) == ("ok", '"v1"')
    assert sorted(a.title for a in list_articles(conn, ArticleFilter(feed_id=feed_id), None)) == [
        "t0",
        "t1",
    ]
    assert feed.last_error == "3 of 5 entries not read: a feed is read up to its first 2 entries"
    conn.close()


def test_the_refresh_summary_names_a_feed_that_was_not_read_whole(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from newsreader.config import FetchSettings
    from newsreader.feeds import parse
    from newsreader.feeds.refresh import refresh

    monkeypatch.setattr(parse, "MAX_ENTRIES", 2)  # parse in this process: parse_workers = 1
    items = "".join(f"<item><guid>g{i}</guid><title>t{i}</title></item>" for i in range(3))
    path = tmp_path / "big.xml"
    path.write_text(f'<rss version="2.0"><channel><title>Big</title>{items}</channel></rss>')
    db = tmp_path / "r.db"
    conn = connect(db)
    feed_id = add_feed(conn, str(path), "", "")[0]
    conn.close()
    summary = refresh(db, settings=FetchSettings(parse_workers=1))
    assert (summary.ok, summary.errors) == (1, [])
    assert summary.notices() == [
        f"feed {feed_id} <{path}>: 1 of 3 entries not read: a feed "
        "is read up to its first 2 entries"
    ]
