"""Revisions: every change of an article's text keeps the text it replaced (feed updates
and pages), and an annotation whose quote was reworded afterwards is "edited after you
marked it" (one whose quote still stands is not)."""

from __future__ import annotations

import sqlite3

import pytest

from newsreader.annotations import service
from newsreader.feeds.ingest import follow_annotations
from newsreader.models import PageExtraction, PageSnapshot, ParsedEntry
from newsreader.store.articles import upsert_entries
from newsreader.store.feeds import add_feed
from newsreader.store.pages import save_page
from newsreader.store.revisions import edited_annotations, revision_text, revisions_of
from newsreader.store.views import Source, article_ids, count_articles, feed_rows

FIRST = "Talks resumed on Monday.\n\nThe minister said the ceasefire holds for now."


def entry(text: str, key: str = "a") -> ParsedEntry:
    return ParsedEntry(
        key=key, title="Talks", text=text, html=f"<p>{text}</p>", url=f"https://ex.org/{key}"
    )


def store(conn: sqlite3.Connection, feed_id: int, text: str, now: float) -> None:
    """A refresh's storing step: upsert, then annotations follow the text."""
    follow_annotations(conn, upsert_entries(conn, feed_id, [entry(text)], now=now))


@pytest.fixture
def feed(conn: sqlite3.Connection) -> int:
    feed_id, _ = add_feed(conn, "http://127.0.0.1:1/feed.xml")
    return feed_id


def only_article(conn: sqlite3.Connection) -> int:
    [article_id] = [r[0] for r in conn.execute("SELECT id FROM articles")]
    return int(article_id)


def test_an_article_edited_50_times_keeps_every_earlier_text(
    conn: sqlite3.Connection, feed: int
) -> None:
    texts = [f"Version {i}: the text as it stood, word {i * 7}." for i in range(51)]
    for i, text in enumerate(texts):
        store(conn, feed, text, now=1000.0 + i)
    article_id = only_article(conn)
    revisions = revisions_of(conn, article_id)
    assert [r.number for r in revisions] == list(range(1, 52))
    assert [r.current for r in revisions] == [False] * 50 + [True]
    assert [r.saved for r in revisions[:-1]] == [1001.0 + i for i in range(50)]
    assert {r.source for r in revisions} == {"feed"}
    assert [r.size for r in revisions] == [len(t) for t in texts]
    assert [revision_text(conn, article_id, n) for n in range(1, 52)] == texts
    assert revision_text(conn, article_id, 0) == texts[-1]
    with pytest.raises(LookupError):
        revision_text(conn, article_id, 52)
    stored = conn.execute("SELECT text FROM revisions WHERE number = 1").fetchone()[0]
    assert isinstance(stored, bytes) and texts[0].encode() not in stored  # compressed


def test_an_unchanged_text_keeps_no_revision(conn: sqlite3.Connection, feed: int) -> None:
    store(conn, feed, FIRST, now=1.0)
    store(conn, feed, FIRST, now=2.0)
    article_id = only_article(conn)
    conn.execute("UPDATE articles SET content_hash = 'other' WHERE id = ?", (article_id,))
    store(conn, feed, FIRST, now=3.0)  # the entry changed (its digest), not its text
    assert [r.number for r in revisions_of(conn, article_id)] == [1]


def test_a_page_replacing_the_text_keeps_the_feed_text(conn: sqlite3.Connection, feed: int) -> None:
    store(conn, feed, "The teaser.", now=1.0)
    article_id = only_article(conn)

    def page(text: str, when: float) -> None:
        snapshot = PageSnapshot(
            article_id=article_id,
            url="https://ex.org/a",
            final_url="https://ex.org/a",
            status=200,
            content_type="text/html",
            fetched=when,
            body=b"<p>x</p>",
        )
        extraction = PageExtraction(html=f"<p>{text}</p>", text=text, links=())
        save_page(conn, article_id, snapshot, extraction)

    page("The whole story.", 50.0)
    page("The whole story, corrected.", 60.0)
    page("The whole story, corrected.", 70.0)  # the same text again: no revision
    revisions = revisions_of(conn, article_id)
    assert [(r.number, r.saved, r.source) for r in revisions[:-1]] == [
        (1, 50.0, "feed"),
        (2, 60.0, "page"),
    ]
    assert revisions[-1].source == "page" and revisions[-1].current
    assert revision_text(conn, article_id, 1) == "The teaser."
    assert revision_text(conn, article_id, 2) == "The whole story."
    assert revision_text(conn, article_id, 3) == "The whole story, corrected."


def test_a_claim_whose_quote_was_reworded_is_flagged(conn: sqlite3.Connection, feed: int) -> None:
    store(conn, feed, FIRST, now=1.0)
    article_id = only_article(conn)
    claim = service.create_from_quote(conn, article_id, "the ceasefire holds for now", kind="claim")
    other = service.create_from_quote(conn, article_id, "Talks resumed", kind="claim")
    assert edited_annotations(conn) == {}

    store(conn, feed, FIRST.replace("holds for now", "holds for the moment"), now=2.0)
    assert edited_annotations(conn) == {claim.id: "the ceasefire holds for now"}
    assert edited_annotations(conn, article_id) == {claim.id: "the ceasefire holds for now"}
    assert other.id not in edited_annotations(conn)


def test_a_change_elsewhere_does_not_flag_a_claim(conn: sqlite3.Connection, feed: int) -> None:
    store(conn, feed, FIRST, now=1.0)
    article_id = only_article(conn)
    claim = service.create_from_quote(conn, article_id, "the ceasefire holds", kind="claim")
    moved = "Talks resumed on Monday in Geneva, after a week.\n\n" + FIRST.split("\n\n")[1]
    store(conn, feed, moved, now=2.0)
    assert len(revisions_of(conn, article_id)) == 2
    assert edited_annotations(conn) == {}
    [row] = conn.execute("SELECT start FROM annotations WHERE id = ?", (claim.id,))
    assert moved[row[0] :].startswith("the ceasefire holds")  # it moved with its quote


def test_a_claim_made_on_the_newest_text_is_not_flagged(
    conn: sqlite3.Connection, feed: int
) -> None:
    store(conn, feed, FIRST, now=1.0)
    store(conn, feed, FIRST.replace("holds for now", "holds for the moment"), now=2.0)
    article_id = only_article(conn)
    service.create_from_quote(conn, article_id, "holds for the moment", kind="claim")
    assert edited_annotations(conn) == {}


def test_a_claim_whose_quote_is_gone_is_flagged(conn: sqlite3.Connection, feed: int) -> None:
    store(conn, feed, FIRST, now=1.0)
    article_id = only_article(conn)
    claim = service.create_from_quote(conn, article_id, "the ceasefire holds", kind="claim")
    store(conn, feed, "Talks resumed on Monday.\n\nNothing else was said.", now=2.0)
    assert edited_annotations(conn) == {claim.id: "the ceasefire holds"}


def test_the_changed_feed_lists_articles_with_an_edited_annotation(
    conn: sqlite3.Connection, feed: int
) -> None:
    store(conn, feed, FIRST, now=1.0)
    follow_annotations(conn, upsert_entries(conn, feed, [entry("Another story.", "b")], now=1.0))
    article_id, other_id = (r[0] for r in conn.execute("SELECT id FROM articles ORDER BY id"))
    service.create_from_quote(conn, article_id, "the ceasefire holds for now", kind="claim")
    service.create_from_quote(conn, other_id, "Another story", kind="claim")
    labels = [row.label for row in feed_rows(conn)]
    assert "Changed" not in labels  # listed only when it has articles

    store(conn, feed, FIRST.replace("holds for now", "holds for the moment"), now=2.0)
    rows = feed_rows(conn)
    virtual = [row.label for row in rows if row.source.kind in ("later", "changed")]
    assert virtual == ["Later", "Changed"]
    [changed] = [row for row in rows if row.source.kind == "changed"]
    assert changed.count == 1
    assert list(article_ids(conn, Source("changed"))) == [article_id]
    assert count_articles(conn, Source("changed")) == 1
    assert list(article_ids(conn, Source("search", query="is:changed"))) == [article_id]
    assert list(article_ids(conn, Source("search", query="is:revised"))) == [article_id]
    assert list(article_ids(conn, Source("search", query="another is:changed"))) == []


def test_offsets_past_wide_characters_are_compared_alike(
    conn: sqlite3.Connection, feed: int
) -> None:
    """Annotation offsets count code points, as SQLite's substr does on text: a quote
    after accents and an emoji is found in place, not flagged."""
    text = "Café ☕ 🇨🇴 Bogotá.\n\nThe minister said the ceasefire holds for now."
    store(conn, feed, text, now=1.0)
    article_id = only_article(conn)
    claim = service.create_from_quote(conn, article_id, "the ceasefire holds", kind="claim")
    store(conn, feed, text.replace("Bogotá", "Bogotá, Colombia"), now=2.0)
    assert edited_annotations(conn) == {}
    store(conn, feed, text.replace("holds", "held"), now=3.0)
    assert edited_annotations(conn) == {claim.id: "the ceasefire holds"}


def test_the_quote_as_marked_survives_the_json_backup(
    conn: sqlite3.Connection, feed: int, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    import json

    from newsreader.export.backup import parse_backup
    from newsreader.export.importer import import_backup
    from newsreader.export.webannotation import dumps, export_document, uid_to_id
    from newsreader.store import connect

    store(conn, feed, FIRST, now=1.0)
    claim = service.create_from_quote(
        conn, only_article(conn), "the ceasefire holds for now", kind="claim"
    )
    store(conn, feed, FIRST.replace("holds for now", "holds for the moment"), now=2.0)
    first = dumps(export_document(conn))
    [item] = [i for i in json.loads(first)["first"]["items"] if i["id"] == uid_to_id(claim.uid)]
    assert item["newsreader:data"]["quote_as_marked"] == "the ceasefire holds for now"
    other = connect(tmp_path / "other.db")
    try:
        other_feed, _ = add_feed(other, "http://127.0.0.1:1/feed.xml")
        upsert_entries(other, other_feed, [entry(FIRST.replace("for now", "for the moment"))])
        import_backup(other, parse_backup(json.loads(first)))
        assert dumps(export_document(other)) == first  # nothing lost, byte for byte
    finally:
        other.close()
