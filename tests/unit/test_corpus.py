"""Every corpus document through the real ingest path: parse_feed, then upsert into a store.

Nothing may raise but FeedParseError; a good share must produce articles; a second ingest
of the same documents adds nothing (stable keys, deterministic content); and what is
stored is clean (no control characters, only http(s) links, no active HTML).
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from newsreader.feeds.parse import FeedParseError, parse_feed
from newsreader.store import connect
from newsreader.store.articles import upsert_entries
from newsreader.store.feeds import add_feed

TESTS = Path(__file__).resolve().parents[1]
SHARED = TESTS.parents[1] / "shared"
CORPUS = next((p for p in (TESTS / "fixtures" / "corpus", SHARED / "corpus") if p.is_dir()), None)
_CONTENT_TYPE = re.compile(rb"Header:\s*Content-type:\s*([^\r\n]*)", re.IGNORECASE)
_UNCLEAN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass
class Ingest:
    """What ingesting the corpus (twice) did."""

    conn: sqlite3.Connection
    files: int = 0
    refused: dict[str, str] = field(default_factory=dict)
    with_articles: int = 0
    articles: int = 0
    parsers: dict[str, int] = field(default_factory=dict)
    second_pass_changes: list[str] = field(default_factory=list)
    seconds: float = 0.0


def corpus_files() -> list[Path]:
    if CORPUS is None:
        pytest.skip("the feed corpus is not available")
    return sorted(
        p for p in CORPUS.rglob("*") if p.is_file() and p.name not in ("LICENSE", "README.md")
    )


def content_type(body: bytes) -> str:
    """The Content-Type a corpus case says it was served with (feedparser's "Header:")."""
    match = _CONTENT_TYPE.search(body[:2000])
    return match.group(1).decode("latin-1").strip() if match else ""


@pytest.fixture(scope="module")
def ingest(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ingest]:
    conn = connect(tmp_path_factory.mktemp("corpus") / "store.db")
    result = Ingest(conn)
    started = time.monotonic()
    files = corpus_files()
    for rnd in (1, 2):
        for path in files:
            _ingest_one(result, path, second=rnd == 2)
    result.files = len(files)
    result.seconds = time.monotonic() - started
    yield result
    conn.close()


def _ingest_one(result: Ingest, path: Path, *, second: bool) -> None:
    body = path.read_bytes()
    url = "http://127.0.0.1:8097/" + path.relative_to(CORPUS).as_posix()
    feed_id, _ = add_feed(result.conn, url)
    try:
        feed = parse_feed(body, url, content_type(body))
    except FeedParseError as exc:
        result.refused[path.name] = str(exc)
        return
    stored = upsert_entries(result.conn, feed_id, feed.entries)
    if second:
        if stored.new or stored.updated:
            result.second_pass_changes.append(path.name)
        return
    result.parsers[feed.parser] = result.parsers.get(feed.parser, 0) + 1
    if stored.new:
        result.with_articles += 1
        result.articles += stored.new


def test_every_document_parses_or_is_refused_cleanly(ingest: Ingest) -> None:
    print(
        f"\ncorpus: {ingest.files} documents, {ingest.with_articles} produced "
        f"{ingest.articles} articles; parsers {ingest.parsers}; {len(ingest.refused)} "
        f"refused with FeedParseError; two passes in {ingest.seconds:.1f} s"
    )
    assert ingest.files > 2000
    assert ingest.with_articles >= 900
    assert len(ingest.refused) < 40
    assert all(message and "\n" not in message for message in ingest.refused.values())
    assert ingest.seconds < 60


def test_non_feeds_in_the_corpus_are_refused(ingest: Ingest) -> None:
    assert ingest.refused["empty.xml"] == "empty document"
    assert "no RSS, Atom or JSON Feed" in ingest.refused["example.opml"]


def test_ingesting_again_changes_nothing(ingest: Ingest) -> None:
    assert ingest.second_pass_changes == []


def test_stored_articles_are_clean(ingest: Ingest) -> None:
    rows = ingest.conn.execute(
        "SELECT key, url, title, author, text, html, links FROM articles"
    ).fetchall()
    assert len(rows) == ingest.articles
    for key, url, title, author, text, html, links in rows:
        assert key.startswith(("guid:", "link:", "hash:")), key
        assert url == "" or url.startswith(("http://", "https://")), url
        for value in (key, title, author):
            assert not _UNCLEAN.search(value) and "\n" not in value, value
        assert not _UNCLEAN.search(text.replace("\n", "").replace("\t", "")), text
        lowered = html.lower()
        for active in ("<script", "<iframe", "<object", "<embed", "javascript:", "<style"):
            assert active not in lowered, html
        assert not re.search(r"<[^>]+\son\w+\s*=", lowered), html
        assert "javascript:" not in links and "data:" not in links
