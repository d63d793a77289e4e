"""Shared by the refresh tests: feed documents, settings and store helpers."""

from __future__ import annotations

from pathlib import Path

from newsreader.config import FetchSettings
from newsreader.models import Feed
from newsreader.store import connect
from newsreader.store.articles import ArticleFilter, list_articles
from newsreader.store.feeds import add_feed, get_feed, list_feeds


def rss(title: str, items: int = 3, prefix: str = "item", version: str = "") -> bytes:
    """A small RSS 2.0 document with ``items`` items."""
    body = "".join(
        f"<item><guid>{prefix}-{i}</guid><title>{prefix} {i}{version}</title>"
        f"<link>https://example.org/{prefix}/{i}</link>"
        f"<description>&lt;p&gt;Body {i}{version}&lt;/p&gt;</description></item>"
        for i in range(items)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>https://example.org/</link>{body}</channel></rss>"
    ).encode()


ENTITY_BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
]>
<rss version="2.0"><channel><title>&e;</title><item><guid>bomb-1</guid><title>&e;</title>
</item></channel></rss>
"""


def settings(**overrides: object) -> FetchSettings:
    """Small timeouts so slow cases end fast; parse in-thread unless a test asks otherwise;
    no full text (the pages of these feeds' links are not served) unless asked for."""
    values = {
        "connect_timeout": 1.0,
        "total_timeout": 1.0,
        "parse_workers": 1,
        "full_text": "never",
        **overrides,
    }
    return FetchSettings(**values)  # type: ignore[arg-type]


def subscribe_all(db_path: Path, urls: list[str]) -> list[int]:
    """Add these feeds to a fresh store; their ids in order."""
    conn = connect(db_path)
    try:
        return [add_feed(conn, url)[0] for url in urls]
    finally:
        conn.close()


def stored(db_path: Path, feed_id: int) -> tuple[Feed | None, list[str]]:
    """(the feed row, its article titles sorted)."""
    conn = connect(db_path)
    try:
        feed = get_feed(conn, feed_id)
        titles = sorted(a.title for a in list_articles(conn, ArticleFilter(feed_id=feed_id), None))
        return feed, titles
    finally:
        conn.close()


def feeds_listed(db_path: Path) -> dict[int, Feed]:
    """Every feed as ``newsreader feeds`` lists it (status, error, counts), by id."""
    conn = connect(db_path)
    try:
        return {feed.id: feed for feed in list_feeds(conn)}
    finally:
        conn.close()
