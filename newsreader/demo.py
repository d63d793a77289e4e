"""Seed a new store with the bundled demo feed, so the first screen has articles offline."""

from __future__ import annotations

import sqlite3

from newsreader.resources import data_dir
from newsreader.store.db import transaction
from newsreader.store.feeds import has_feeds
from newsreader.store.state import get_state, set_state

SEEDED_KEY = "demo_seeded"


def demo_feed_path() -> str:
    """The absolute path of the bundled demo feed."""
    return str(data_dir("seeds") / "demo.xml")


def seed_if_new(conn: sqlite3.Connection) -> bool:
    """Subscribe a never-seeded store with no feeds to the demo feed; True if it did.

    A store is seeded once: a user who removes the demo feed does not get it back.
    """
    if get_state(conn, SEEDED_KEY) or has_feeds(conn):
        return False
    from newsreader.feeds.parse import parse_feed
    from newsreader.store.articles import upsert_entries
    from newsreader.store.feeds import add_feed, record_fetch, set_feed_title

    path = demo_feed_path()
    with open(path, "rb") as handle:
        parsed = parse_feed(handle.read(), path, "application/rss+xml")
    with transaction(conn):
        feed_id, _ = add_feed(conn, path, parsed.title)
        set_feed_title(conn, feed_id, parsed.title, parsed.site_url)
        upsert_entries(conn, feed_id, parsed.entries)
        record_fetch(conn, feed_id, status="ok", http_status=200)
        set_state(conn, SEEDED_KEY, "1")
    return True
