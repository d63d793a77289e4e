"""Annotations follow their article through refreshes: re-anchored when its text changes
(moved with their quote, or orphaned and still listed: never lost), and re-attached when an
article comes back at the URL they remember."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from httpserver import LoopbackServer
from refresh_helpers import settings, subscribe_all

from newsreader.annotations import service
from newsreader.feeds.refresh import refresh
from newsreader.store import connect
from newsreader.store.annotations import list_claims
from newsreader.store.feeds import remove_feed

QUOTE = "the ceasefire holds"
ARTICLE_URL = "https://example.org/news/1"


def feed(*paragraphs: str) -> bytes:
    """An RSS document with one article whose body is these paragraphs."""
    body = "".join(f"&lt;p&gt;{p}&lt;/p&gt;" for p in paragraphs)
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>'
        f"<item><guid>n1</guid><title>Talks</title><link>{ARTICLE_URL}</link>"
        f"<description>{body}</description></item></channel></rss>"
    ).encode()


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    """A real HTTP server on 127.0.0.1."""
    with LoopbackServer() as running:
        yield running


def claim_on_quote(db_path: Path) -> tuple[int, int]:
    """(article id, claim id) of a claim made on QUOTE in the only article."""
    conn = connect(db_path)
    try:
        [article_id] = [row[0] for row in conn.execute("SELECT id FROM articles")]
        claim = service.create_from_quote(conn, article_id, QUOTE, kind="claim")
        return article_id, claim.id
    finally:
        conn.close()


def claim_state(db_path: Path, claim_id: int) -> tuple[int | None, bool, str, str]:
    """(article id, orphaned, the quote, the text at the claim's offsets) as listed."""
    conn = connect(db_path)
    try:
        [claim] = [c for c in list_claims(conn) if c.id == claim_id]
        row = conn.execute("SELECT text FROM articles WHERE id = ?", (claim.article_id,)).fetchone()
        text = row[0] if row else ""
        return claim.article_id, claim.orphaned, claim.exact, text[claim.start : claim.end]
    finally:
        conn.close()


def test_claim_follows_its_quote_when_the_text_changes(
    server: LoopbackServer, db_path: Path
) -> None:
    route = server.route("/f.xml", body=feed(f"Officials say {QUOTE} for now."))
    subscribe_all(db_path, [server.url("/f.xml")])
    refresh(db_path, settings=settings())
    article_id, claim_id = claim_on_quote(db_path)
    before = connect(db_path)
    start = before.execute("SELECT start FROM annotations WHERE id = ?", (claim_id,)).fetchone()
    before.close()

    route.body = feed(
        "A new first paragraph pushes everything down.", f"Officials say {QUOTE} for now."
    )
    summary = refresh(db_path, settings=settings())
    assert summary.updated == 1
    assert claim_state(db_path, claim_id) == (article_id, False, QUOTE, QUOTE)
    after = connect(db_path)
    moved = after.execute("SELECT start FROM annotations WHERE id = ?", (claim_id,)).fetchone()
    after.close()
    assert moved[0] == start[0] + len("A new first paragraph pushes everything down.\n\n")


def test_claim_whose_quote_disappears_is_orphaned_and_still_listed(
    server: LoopbackServer, db_path: Path
) -> None:
    route = server.route("/f.xml", body=feed(f"Officials say {QUOTE} for now."))
    subscribe_all(db_path, [server.url("/f.xml")])
    refresh(db_path, settings=settings())
    article_id, claim_id = claim_on_quote(db_path)

    route.body = feed("Officials now say the talks have collapsed entirely.")
    refresh(db_path, settings=settings())
    found_article, orphaned, exact, _ = claim_state(db_path, claim_id)
    assert (found_article, orphaned, exact) == (article_id, True, QUOTE)


def test_orphans_reattach_when_their_article_comes_back(
    server: LoopbackServer, db_path: Path
) -> None:
    server.route("/f.xml", body=feed("Intro.", f"Officials say {QUOTE} for now."))
    [feed_id] = subscribe_all(db_path, [server.url("/f.xml")])
    refresh(db_path, settings=settings())
    _, claim_id = claim_on_quote(db_path)
    conn = connect(db_path)
    remove_feed(conn, feed_id)  # the article goes; the claim waits, remembering its URL
    conn.close()
    assert claim_state(db_path, claim_id)[0] is None

    subscribe_all(db_path, [server.url("/f.xml")])
    refresh(db_path, settings=settings())
    article_id, orphaned, exact, at_offsets = claim_state(db_path, claim_id)
    assert article_id is not None and not orphaned and exact == at_offsets == QUOTE
