"""The store's side of full text: snapshots, the page's text replacing the teaser, the
feed's text kept as the summary, and which articles want their page."""

from __future__ import annotations

import sqlite3

import pytest

from newsreader.models import PageExtraction, PageSnapshot, ParsedEntry
from newsreader.store.articles import ArticleFilter, get_article, list_articles, upsert_entries
from newsreader.store.feeds import add_feed, list_feeds, set_full_text
from newsreader.store.pages import (
    get_page,
    page_fetched,
    pages_wanted,
    record_page_error,
    save_page,
)


def entry(key: str, text: str, url: str = "") -> ParsedEntry:
    return ParsedEntry(
        key=key, title=key, text=text, html=f"<p>{text}</p>", url=url or f"https://ex.org/{key}"
    )


def snapshot(article_id: int, body: bytes = b"<html><p>page</p></html>") -> PageSnapshot:
    return PageSnapshot(
        article_id=article_id,
        url="https://ex.org/a",
        final_url="https://ex.org/a?final",
        status=200,
        content_type="text/html; charset=utf-8",
        fetched=1_700_000_000.0,
        body=body,
        site_name="Example News",
        canonical_url="https://ex.org/a",
        language="en",
    )


def extraction(text: str, author: str = "", published: float | None = None) -> PageExtraction:
    return PageExtraction(
        html=f"<p>{text}</p>", text=text, links=(), author=author, published=published
    )


@pytest.fixture
def article(conn: sqlite3.Connection) -> tuple[int, int]:
    feed_id, _ = add_feed(conn, "http://127.0.0.1:1/feed.xml")
    result = upsert_entries(conn, feed_id, [entry("a", "The teaser…")])
    return feed_id, result.new_ids[0]


def test_page_text_replaces_teaser_and_keeps_summary(
    conn: sqlite3.Connection, article: tuple[int, int]
) -> None:
    _, article_id = article
    changed = save_page(
        conn, article_id, snapshot(article_id), extraction("The whole story.", "Ana Reyes", 5.0)
    )
    stored = get_article(conn, article_id)
    assert changed and stored is not None
    assert (stored.text, stored.summary, stored.text_source) == (
        "The whole story.",
        "The teaser…",
        "page",
    )
    assert stored.author == "Ana Reyes"
    assert stored.published == 5.0
    assert stored.page_fetched == 1_700_000_000.0
    found = list_articles(conn, ArticleFilter(search="whole"))
    assert [a.id for a in found] == [article_id]


def test_feed_update_keeps_page_text_and_updates_summary(
    conn: sqlite3.Connection, article: tuple[int, int]
) -> None:
    feed_id, article_id = article
    save_page(conn, article_id, snapshot(article_id), extraction("The whole story."))
    result = upsert_entries(conn, feed_id, [entry("a", "A reworded teaser…")])
    stored = get_article(conn, article_id)
    assert stored is not None
    assert stored.text == "The whole story."
    assert stored.summary == "A reworded teaser…"
    assert result.changed_ids == ()  # the text annotations anchor to did not change


def test_page_metadata_does_not_overwrite_the_feeds(conn: sqlite3.Connection) -> None:
    feed_id, _ = add_feed(conn, "http://127.0.0.1:1/feed.xml")
    given = ParsedEntry(key="b", title="b", text="t", html="t", author="Feed Author", published=9.0)
    article_id = upsert_entries(conn, feed_id, [given]).new_ids[0]
    save_page(conn, article_id, snapshot(article_id), extraction("Long text.", "Page Author", 1.0))
    stored = get_article(conn, article_id)
    assert stored is not None and (stored.author, stored.published) == ("Feed Author", 9.0)


def test_snapshot_round_trips_byte_identical(
    conn: sqlite3.Connection, article: tuple[int, int]
) -> None:
    _, article_id = article
    body = bytes(range(256)) * 100 + "é…".encode()
    save_page(conn, article_id, snapshot(article_id, body), None, error="no article text found")
    page = get_page(conn, article_id)
    assert page is not None and page.body == body
    assert (page.final_url, page.status, page.language) == ("https://ex.org/a?final", 200, "en")
    assert page_fetched(conn, article_id) == (1_700_000_000.0, "https://ex.org/a?final")
    stored = get_article(conn, article_id)
    assert stored is not None
    assert (stored.text, stored.text_source) == ("The teaser…", "feed")
    assert stored.page_error == "no article text found"


def test_refetch_replaces_the_snapshot(conn: sqlite3.Connection, article: tuple[int, int]) -> None:
    _, article_id = article
    save_page(conn, article_id, snapshot(article_id, b"first"), extraction("One."))
    changed = save_page(conn, article_id, snapshot(article_id, b"second"), extraction("One."))
    page = get_page(conn, article_id)
    stored = get_article(conn, article_id)
    assert not changed
    assert page is not None and page.body == b"second"
    assert stored is not None and stored.summary == "The teaser…"


def test_record_page_error_keeps_text(conn: sqlite3.Connection, article: tuple[int, int]) -> None:
    _, article_id = article
    record_page_error(conn, article_id, "timed out after 30 s", now=42.0)
    stored = get_article(conn, article_id)
    assert stored is not None
    assert (stored.text, stored.page_error, stored.page_fetched) == (
        "The teaser…",
        "timed out after 30 s",
        42.0,
    )
    assert get_page(conn, article_id) is None


def test_pages_wanted_filters(conn: sqlite3.Connection, article: tuple[int, int]) -> None:
    feed_id, first = article
    other_feed, _ = add_feed(conn, "http://127.0.0.1:1/other.xml")
    ids = upsert_entries(
        conn,
        feed_id,
        [entry("b", "second"), entry("c", "no link", url="mailto:x@ex.org")],
    ).new_ids
    elsewhere = upsert_entries(conn, other_feed, [entry("d", "elsewhere")]).new_ids
    save_page(conn, first, snapshot(first), extraction("Full."))
    assert [w.article_id for w in pages_wanted(conn)] == [first, ids[0], elsewhere[0]]
    assert [w.article_id for w in pages_wanted(conn, missing=True)] == [ids[0], elsewhere[0]]
    assert [w.article_id for w in pages_wanted(conn, feed_id=other_feed)] == list(elsewhere)
    wanted = pages_wanted(conn, [first])
    assert len(wanted) == 1
    assert (wanted[0].text, wanted[0].text_source) == ("The teaser…", "page")
    assert wanted[0].feed_url == "http://127.0.0.1:1/feed.xml"


def test_feed_full_text_mode(conn: sqlite3.Connection, article: tuple[int, int]) -> None:
    feed_id, _ = article
    assert set_full_text(conn, feed_id, "always")
    assert [f.full_text for f in list_feeds(conn)] == ["always"]
    assert pages_wanted(conn)[0].mode == "always"
    assert not set_full_text(conn, 999, "never")
    with pytest.raises(sqlite3.IntegrityError):
        set_full_text(conn, feed_id, "sometimes")
