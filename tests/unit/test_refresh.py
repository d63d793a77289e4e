"""refresh() end to end: a real HTTP server on 127.0.0.1, real parsing, a real SQLite store."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from httpserver import LoopbackServer
from refresh_helpers import rss, settings, stored, subscribe_all

from newsreader.feeds.ingest import StorableFeed, parse_for_store
from newsreader.feeds.parse import FeedParseError
from newsreader.feeds.refresh import ParseFailed, ParsePool, refresh
from newsreader.models import ParsedFeed, RefreshProgress
from newsreader.store import connect
from newsreader.store.articles import list_articles

T0 = 1_800_000_000.0


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    """A real HTTP server on 127.0.0.1."""
    with LoopbackServer() as running:
        yield running


def test_cold_then_warm_refresh_uses_validators(server: LoopbackServer, db_path: Path) -> None:
    for name in ("a", "b", "c"):
        server.route(f"/{name}.xml", body=rss(f"Feed {name}", prefix=name), etag=f'"{name}1"')
    ids = subscribe_all(db_path, [server.url(f"/{n}.xml") for n in "abc"])

    cold = refresh(db_path, settings=settings())
    assert (cold.feeds, cold.new_articles, cold.ok, cold.errors) == (3, 9, 3, [])
    feed, titles = stored(db_path, ids[0])
    assert feed.title == "Feed a" and feed.last_status == "ok" and feed.etag == '"a1"'
    assert titles == ["a 0", "a 1", "a 2"]

    warm = refresh(db_path, settings=settings())
    assert (warm.not_modified, warm.new_articles, warm.ok) == (3, 0, 0)
    assert server.conditional_count() == 3
    assert all(r.headers.get("if-none-match") == '"a1"' for r in server.seen("/a.xml")[1:])
    feed, titles = stored(db_path, ids[0])
    assert feed.last_status == "not-modified" and titles == ["a 0", "a 1", "a 2"]


def test_changed_feed_updates_articles_in_place(server: LoopbackServer, db_path: Path) -> None:
    route = server.route("/f.xml", body=rss("F", items=2))
    [feed_id] = subscribe_all(db_path, [server.url("/f.xml")])
    refresh(db_path, settings=settings())
    route.body = rss("F", items=3, version=" (edited)")
    summary = refresh(db_path, settings=settings())
    assert (summary.new_articles, summary.updated) == (1, 2)
    assert stored(db_path, feed_id)[1] == ["item 0 (edited)", "item 1 (edited)", "item 2 (edited)"]


def test_permanent_redirect_moves_the_feed_temporary_does_not(
    server: LoopbackServer, db_path: Path
) -> None:
    server.route("/old.xml", status=301, headers={"Location": "/new.xml"})
    server.route("/new.xml", body=rss("Moved"))
    server.route("/tmp.xml", status=302, headers={"Location": "/other.xml"})
    server.route("/other.xml", body=rss("Elsewhere"))
    moved, temporary = subscribe_all(db_path, [server.url("/old.xml"), server.url("/tmp.xml")])
    summary = refresh(db_path, settings=settings())
    assert summary.ok == 2
    assert stored(db_path, moved)[0].url == server.url("/new.xml")
    assert stored(db_path, temporary)[0].url == server.url("/tmp.xml")
    assert len(stored(db_path, temporary)[1]) == 3


def test_gone_feed_is_marked_dead_and_then_skipped(server: LoopbackServer, db_path: Path) -> None:
    server.route("/gone.xml", status=410)
    [feed_id] = subscribe_all(db_path, [server.url("/gone.xml")])
    first = refresh(db_path, settings=settings())
    assert first.errors == [(feed_id, server.url("/gone.xml"), "HTTP 410 Gone")]
    assert stored(db_path, feed_id)[0].last_status == "dead"
    second = refresh(db_path, settings=settings())
    assert (second.skipped, server.count("/gone.xml")) == (1, 1)
    refresh(db_path, [feed_id], settings=settings())  # named explicitly: tried again
    assert server.count("/gone.xml") == 2


def test_retry_after_skips_the_feed_until_then(server: LoopbackServer, db_path: Path) -> None:
    route = server.route("/busy.xml", status=429, headers={"Retry-After": "120"})
    [feed_id] = subscribe_all(db_path, [server.url("/busy.xml")])
    first = refresh(db_path, settings=settings(), now=T0)
    feed = stored(db_path, feed_id)[0]
    assert feed.last_status == "error" and feed.next_fetch_after == T0 + 120
    assert first.errors[0][2] == "HTTP 429 Too Many Requests (retry after 120 s)"

    early = refresh(db_path, settings=settings(), now=T0 + 60)
    assert (early.skipped, server.count("/busy.xml")) == (1, 1)
    assert stored(db_path, feed_id)[0].last_error.startswith("HTTP 429")  # not overwritten

    route.status, route.body, route.headers = 200, rss("Back"), {}
    later = refresh(db_path, settings=settings(), now=T0 + 121)
    assert (later.ok, later.new_articles, server.count("/busy.xml")) == (1, 3, 2)


def test_a_failing_feed_keeps_its_articles(server: LoopbackServer, db_path: Path) -> None:
    route = server.route("/f.xml", body=rss("F"))
    [feed_id] = subscribe_all(db_path, [server.url("/f.xml")])
    refresh(db_path, settings=settings())
    route.body = b"Service temporarily replaced by this text"
    refresh(db_path, settings=settings())
    feed, titles = stored(db_path, feed_id)
    assert feed.last_status == "error" and len(titles) == 3


def test_progress_reports_every_feed(server: LoopbackServer, db_path: Path) -> None:
    for i in range(5):
        server.route(f"/{i}.xml", body=rss(f"F{i}", prefix=f"f{i}"))
    server.route("/bad.xml", status=404)
    subscribe_all(db_path, [server.url(f"/{i}.xml") for i in range(5)] + [server.url("/bad.xml")])
    seen: list[RefreshProgress] = []
    refresh(db_path, settings=settings(), on_progress=seen.append)
    assert [p.done for p in seen] == list(range(7))
    assert {p.total for p in seen} == {6}
    assert (seen[-1].new_articles, seen[-1].errors) == (15, 1)
    assert sorted(p.feed_status for p in seen[1:]) == ["error"] + ["ok"] * 5


def test_cancel_returns_promptly(server: LoopbackServer, db_path: Path) -> None:
    for i in range(40):
        server.route(f"/{i}.xml", body=rss(f"F{i}"), delay=0.3 if i else 0)
    subscribe_all(db_path, [server.url(f"/{i}.xml") for i in range(40)])
    stop = threading.Event()
    progress: list[RefreshProgress] = []

    def on_progress(p: RefreshProgress) -> None:
        progress.append(p)
        if p.done >= 1:
            stop.set()

    start = time.monotonic()
    summary = refresh(
        db_path,
        settings=settings(max_per_host=2, total_timeout=10),
        on_progress=on_progress,
        cancelled=stop.is_set,
    )
    assert time.monotonic() - start < 0.6
    assert summary.cancelled and summary.ok < 40


def test_cancelled_before_start_fetches_nothing(server: LoopbackServer, db_path: Path) -> None:
    server.route("/f.xml", body=rss("F"))
    subscribe_all(db_path, [server.url("/f.xml")])
    summary = refresh(db_path, settings=settings(), cancelled=lambda: True)
    assert summary.cancelled and server.count() == 0


def test_per_host_limit_holds_during_refresh(server: LoopbackServer, db_path: Path) -> None:
    for i in range(8):
        server.route(f"/{i}.xml", body=rss(f"F{i}"), delay=0.1)
    subscribe_all(db_path, [server.url(f"/{i}.xml") for i in range(8)])
    summary = refresh(db_path, settings=settings(max_per_host=3))
    assert summary.ok == 8 and server.max_inflight == 3


def test_parse_in_worker_processes_matches_in_thread(
    server: LoopbackServer, tmp_path: Path
) -> None:
    for i in range(4):
        server.route(f"/{i}.xml", body=rss(f"F{i}", items=5, prefix=f"p{i}"))
    results = []
    for workers in (1, 2):
        db = tmp_path / f"w{workers}.db"
        subscribe_all(db, [server.url(f"/{i}.xml") for i in range(4)])
        summary = refresh(db, settings=settings(parse_workers=workers, total_timeout=10))
        assert summary.ok == 4
        conn = connect(db)
        results.append(sorted((a.title, a.url, a.guid) for a in list_articles(conn, limit=None)))
        conn.close()
    assert results[0] == results[1] and len(results[0]) == 20


def test_local_file_feed_refreshes(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "local.xml"
    path.write_bytes(rss("Local"))
    [feed_id] = subscribe_all(db_path, [str(path)])
    summary = refresh(db_path, settings=settings())
    assert summary.ok == 1 and len(stored(db_path, feed_id)[1]) == 3


# -- the parse pool on its own: hangs, crashes and bugs in a parser process -------------


def parse_or_misbehave(body: bytes, url: str, content_type: str) -> ParsedFeed:
    """A parser that crashes, hangs, fails or raises a bug on demand (runs in the child)."""
    if body == b"crash":
        os._exit(3)
    if body == b"hang":
        time.sleep(60)
    if body == b"bad":
        raise FeedParseError("not a feed: bad")
    if body == b"bug":
        raise KeyError("oops")
    return ParsedFeed(title=body.decode(), parser=str(os.getpid()))


def test_pool_survives_crash_hang_and_bug() -> None:
    with ParsePool(2, timeout=1.0, target=parse_or_misbehave) as pool:
        jobs = {
            name: pool.submit(name.encode(), "u", "")
            for name in ("crash", "hang", "bad", "bug", "fine1", "fine2", "fine3")
        }
        outcomes: dict[str, str] = {}
        for name, job in jobs.items():
            try:
                outcomes[name] = job.result(timeout=15).title
            except (FeedParseError, ParseFailed) as exc:
                outcomes[name] = str(exc)
    assert outcomes == {
        "crash": "the parser process crashed",
        "hang": "parsing took longer than 1 s",
        "bad": "not a feed: bad",
        "bug": "parser failed: KeyError: 'oops'",
        "fine1": "fine1",
        "fine2": "fine2",
        "fine3": "fine3",
    }


def test_pool_parses_in_other_processes() -> None:
    with ParsePool(2, target=parse_or_misbehave) as pool:
        pids = {pool.submit(b"x", "u", "").result(timeout=15).parser for _ in range(4)}
    assert str(os.getpid()) not in pids


def test_parsed_feed_comes_back_from_a_parser_process_whole() -> None:
    """What a parser process sends back (packed as tuples) is exactly what it parsed."""
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T &amp; co</title>'
        b"<item><guid>g1</guid><title>One</title><link>https://example.org/1</link>"
        b"<author>a@example.org (Ann)</author><pubDate>Tue, 10 Jun 2025 04:00:00 GMT"
        b"</pubDate><description>&lt;p&gt;Caf\xc3\xa9 &lt;a href='/x'&gt;link&lt;/a&gt;"
        b"&lt;/p&gt;&lt;ul&gt;&lt;li&gt;i&lt;/li&gt;&lt;/ul&gt;</description></item>"
        b"<item><title>Two</title><link>https://example.org/2</link></item>"
        b"</channel></rss>"
    )
    here = parse_for_store(body, "https://example.org/feed", "")
    with ParsePool(1, target=parse_for_store) as pool:
        there = pool.submit(body, "https://example.org/feed", "").result(timeout=15)
    assert isinstance(there, StorableFeed) and there == here
    assert [e.links for e in there.entries] == [["https://example.org/x"], []]
    assert there.entries[0].text == "Café link [1]\n\n• i" and len(there.digests) == 2


def test_pool_kill_drops_queued_work() -> None:
    pool = ParsePool(2, timeout=30, target=parse_or_misbehave)
    hung = [pool.submit(b"hang", "u", "") for _ in range(2)]
    queued = pool.submit(b"fine", "u", "")
    time.sleep(0.5)
    start = time.monotonic()
    pool.kill()
    for job in hung:
        with pytest.raises(ParseFailed):
            job.result(timeout=5)
    assert queued.cancelled() or isinstance(queued.exception(timeout=5), ParseFailed)
    assert time.monotonic() - start < 5


def test_pool_can_start_its_processes_before_any_body() -> None:
    with ParsePool(2, target=parse_or_misbehave) as pool:
        pool.start_workers()
        deadline = time.monotonic() + 15
        while len(multiprocessing.active_children()) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        started = {child.pid for child in multiprocessing.active_children()}
        assert len(started) >= 2
        pids = {int(pool.submit(b"x", "u", "").result(timeout=15).parser) for _ in range(4)}
    assert pids <= started


class _NoProcesses(ParsePool):
    """A pool on a machine where parser processes cannot start (a broken forkserver ends
    in EOFError; out of memory, OSError): the real failure is impractical to provoke."""

    def _start(self):  # type: ignore[no-untyped-def]
        raise EOFError("the forkserver went away")


def test_a_pool_whose_processes_cannot_start_fails_each_body_instead_of_hanging() -> None:
    began = time.monotonic()
    with _NoProcesses(2, target=parse_or_misbehave) as pool:
        pool.start_workers()  # the warm start fails first
        futures = [pool.submit(b"x", "u", "") for _ in range(3)]
        for future in futures:
            assert isinstance(future.exception(timeout=10), EOFError)
    assert time.monotonic() - began < 10
