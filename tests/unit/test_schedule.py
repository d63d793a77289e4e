"""Each feed's schedule: its interval (own or default), what it asks for (ttl,
sy:update*, Cache-Control max-age, Retry-After), backoff after failures, 410 waiting for the
user; and `refresh --due` against a real loopback server."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from httpserver import LoopbackServer
from refresh_helpers import rss, settings, subscribe_all

from newsreader.feeds.httperrors import max_age
from newsreader.feeds.refresh import refresh
from newsreader.feeds.schedule import MAX_BACKOFF, asked_minutes, due_feeds, next_attempt
from newsreader.models import Feed
from newsreader.store import connect
from newsreader.store.feeds import get_feed

NOW = 1_800_000_000.0
FEED = Feed(id=1, url="https://x.example/feed", title="X", last_fetched=NOW, last_status="ok")


def test_what_a_feed_and_its_server_ask_for() -> None:
    assert max_age("public, max-age=600") == 600 and max_age('max-age="90"') == 90
    assert max_age("no-cache, max-age=600") is None and max_age(None) is None
    assert max_age("max-age=99999999") == 7 * 86_400  # a week at most
    assert asked_minutes(600) == 10 and asked_minutes(61) == 2
    assert asked_minutes(None, ttl=60, period="daily", frequency=4) == 360  # the longest
    assert asked_minutes(None, period="hourly") == 60 and asked_minutes(None) is None


def test_interval_ttl_backoff_retry_after_and_gone() -> None:
    assert next_attempt(FEED, 30) == NOW + 1800
    assert next_attempt(replace(FEED, interval_minutes=5), 30) == NOW + 300
    assert next_attempt(replace(FEED, interval_minutes=5, ttl_minutes=60), 30) == NOW + 3600
    assert next_attempt(replace(FEED, failures=1), 30) == NOW + 1800
    assert next_attempt(replace(FEED, failures=3), 30) == NOW + 4 * 1800
    assert next_attempt(replace(FEED, failures=40), 30) == NOW + MAX_BACKOFF
    assert next_attempt(replace(FEED, next_fetch_after=NOW + 7200), 30) == NOW + 7200
    assert next_attempt(replace(FEED, last_status="dead"), 30) is None
    assert next_attempt(replace(FEED, last_fetched=None), 30) == 0
    feeds = [
        FEED,
        replace(FEED, id=2, last_fetched=NOW - 7200),
        replace(FEED, id=3, last_fetched=None),
    ]
    assert due_feeds(feeds, 30, NOW + 60) == [3, 2]


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as running:
        yield running


def test_cache_control_is_kept_as_the_feeds_ttl(server: LoopbackServer, db_path: Path) -> None:
    server.route("/f.xml", body=rss("F"), headers={"Cache-Control": "max-age=3600"})
    (feed_id,) = subscribe_all(db_path, [server.url("/f.xml")])
    refresh(db_path, settings=settings())
    conn = connect(db_path)
    try:
        feed = get_feed(conn, feed_id)
        assert feed is not None and feed.ttl_minutes == 60
        assert next_attempt(feed, 30) == pytest.approx(feed.last_fetched + 3600)  # type: ignore[operator]
    finally:
        conn.close()


def test_refresh_due_fetches_only_what_is_due(
    server: LoopbackServer, db_path: Path, tmp_path: Path
) -> None:
    server.route("/a.xml", body=rss("A"))
    server.route("/b.xml", body=rss("B"))
    subscribe_all(db_path, [server.url("/a.xml"), server.url("/b.xml")])
    conn = connect(db_path)
    conn.execute("UPDATE feeds SET last_fetched = ?, last_status = 'ok'", (time.time() - 60,))
    conn.execute(
        "UPDATE feeds SET last_fetched = ? WHERE url LIKE '%/a.xml'", (time.time() - 3600,)
    )
    conn.close()
    argv = [sys.executable, "-m", "newsreader", "--db", str(db_path)]
    argv += ["--config", str(tmp_path / "none.toml"), "refresh", "--due", "--quiet"]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60, env={**os.environ})
    assert done.returncode == 0, done.stderr
    assert "refreshed 1 feed" in done.stdout
    assert server.count("/a.xml") == 1 and server.count("/b.xml") == 0
    again = subprocess.run(argv, capture_output=True, text=True, timeout=60, env={**os.environ})
    assert again.stdout.strip() == "no feed is due"


def test_a_feeds_ttl_and_sy_update_period_are_honoured(
    server: LoopbackServer, db_path: Path
) -> None:
    body = rss("F").replace(
        b"<channel>",
        b'<channel xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"><ttl>90</ttl>'
        b"<sy:updatePeriod>hourly</sy:updatePeriod>",
    )
    server.route("/f.xml", body=body, headers={"Cache-Control": "max-age=60"})
    (feed_id,) = subscribe_all(db_path, [server.url("/f.xml")])
    refresh(db_path, settings=settings())
    conn = connect(db_path)
    try:
        feed = get_feed(conn, feed_id)
        assert feed is not None and feed.ttl_minutes == 90  # the longest of 90, 60 and 1
    finally:
        conn.close()
