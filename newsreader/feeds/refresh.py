"""Refresh many feeds: fetch, parse and store them as a pipeline; one bad feed stops nothing.

Used by the CLI (with a progress bar) and by the TUI (in a thread worker). Three stages run
at once:

- **fetch**: ``max_connections`` threads take feeds host by host (at most ``max_per_host``
  at once per host) and fetch them; a body goes straight to the parsers;
- **parse**: worker processes (so parsing uses every core, and a parser that hangs or
  crashes is killed without taking the refresh down), see :class:`ParsePool`;
- **store**: the calling thread is the only writer: it opens its own SQLite connection and
  stores each outcome in one short transaction as soon as it arrives.

No new fetch starts while more than ``BACKLOG_BYTES`` of bodies wait to be parsed and
stored, which bounds memory. The writer polls ``cancelled()`` every ``POLL_SECONDS`` and
then returns at once: fetches still in flight end (or time out) in the background.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from newsreader.config import FetchSettings
from newsreader.feeds.fetch import Fetcher, HostQueue
from newsreader.feeds.parse import FeedParseError, parse_feed
from newsreader.models import Feed, FetchResult, ParsedFeed, RefreshProgress
from newsreader.safety import clean_line, clean_url
from newsreader.store import connect, transaction
from newsreader.store.articles import upsert_entries
from newsreader.store.feeds import feeds_by_ids, move_feed, record_fetch, set_feed_title

POLL_SECONDS = 0.05
"""How often the writer checks ``cancelled()`` while it waits."""
BACKLOG_BYTES = 8 * 1024 * 1024
"""Bodies fetched but not yet stored beyond which no new fetch starts."""
PARSE_TIMEOUT = 20.0
"""Seconds a parser process may spend on one feed before it is killed."""


@dataclass
class RefreshSummary:
    """What a refresh did, for the CLI's last line and the TUI's notification."""

    feeds: int = 0
    """Feeds considered (skipped ones included)."""
    new_articles: int = 0
    updated: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)
    """(feed id, url, one-line message) for every feed that failed."""
    not_modified: int = 0
    skipped: int = 0
    """Feeds not fetched: Retry-After still running, or dead (410)."""
    cancelled: bool = False
    ok: int = 0
    """Feeds fetched, parsed and stored."""


def refresh(
    db_path: str | Path,
    feed_ids: list[int] | None = None,
    *,
    settings: FetchSettings,
    on_progress: Callable[[RefreshProgress], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    now: float | None = None,
) -> RefreshSummary:
    """Fetch, parse and store ``feed_ids`` (every feed when None).

    Feeds whose next allowed fetch is in the future are skipped, and dead (410) feeds too
    unless named in ``feed_ids``. ``on_progress`` is called on this thread after each feed.
    Returns promptly (within ~``POLL_SECONDS``) once ``cancelled()`` is true.
    """
    conn = connect(db_path)
    named = feed_ids is not None
    try:
        if feed_ids is None:  # every feed, without list_feeds' per-feed article counts
            feed_ids = [row[0] for row in conn.execute("SELECT id FROM feeds ORDER BY id")]
        feeds = feeds_by_ids(conn, feed_ids)
        run = _Run(conn, settings, on_progress, now, total=len(feeds))
        todo = run.skip_unready(feeds, named=named)
        if todo and not cancelled():
            run.pipeline(todo, cancelled)
        run.summary.cancelled = cancelled()
        return run.summary
    finally:
        conn.close()


@dataclass
class _Outcome:
    """One feed through the fetch (and parse) stages, waiting for the writer."""

    feed: Feed
    fetched: FetchResult
    """Without its body once that went to a parser."""
    parsing: Future | None = None
    size: int = 0
    """Bytes of body held against the backlog until stored."""


class _Run:
    """One refresh: counts, progress, and the per-feed store steps (on the writer thread)."""

    def __init__(self, conn: sqlite3.Connection, settings: FetchSettings,
                 on_progress: Callable[[RefreshProgress], None] | None,
                 now: float | None, total: int) -> None:
        self.conn = conn
        self.settings = settings
        self.on_progress = on_progress
        self.now = now
        self.summary = RefreshSummary(feeds=total)
        self.done = 0
        if on_progress:
            on_progress(RefreshProgress(0, total, 0, 0))

    def report(self, feed: Feed, status: str, error: str = "") -> None:
        """Count one finished feed and tell the caller."""
        self.done += 1
        if error and status in ("error", "dead"):
            self.summary.errors.append((feed.id, feed.url, error))
        if self.on_progress:
            self.on_progress(RefreshProgress(
                done=self.done, total=self.summary.feeds,
                new_articles=self.summary.new_articles, errors=len(self.summary.errors),
                feed_id=feed.id, feed_status=status, feed_error=error,
            ))

    def skip_unready(self, feeds: list[Feed], *, named: bool) -> list[Feed]:
        """Report the feeds that must wait (Retry-After) or are dead; return the rest."""
        now = time.time() if self.now is None else self.now
        todo = []
        for feed in feeds:
            if feed.next_fetch_after and feed.next_fetch_after > now:
                reason = f"waiting {feed.next_fetch_after - now:.0f} s more (Retry-After)"
            elif feed.last_status == "dead" and not named:
                reason = "gone (HTTP 410): refresh it by name to retry"
            else:
                todo.append(feed)
                continue
            self.summary.skipped += 1
            self.report(feed, "skipped", reason)
        return todo

    def pipeline(self, feeds: list[Feed], cancelled: Callable[[], bool]) -> None:
        """Run the fetch and parse stages and store their outcomes as they arrive."""
        with Fetcher(self.settings) as fetcher, \
                ParsePool(parse_processes(self.settings, len(feeds))) as pool:
            stage = _FetchStage(feeds, self.settings, fetcher, pool)
            remaining = len(feeds)
            while remaining and not cancelled():
                try:
                    outcome = stage.outcomes.get(timeout=POLL_SECONDS)
                except queue.Empty:
                    continue
                self.store(outcome)
                stage.stored(outcome)
                remaining -= 1
            if remaining:
                stage.stop()
                pool.kill()

    def store(self, outcome: _Outcome) -> None:
        """Store one feed's outcome; a failure here is that feed's error, nothing more."""
        feed, fetched = outcome.feed, outcome.fetched
        if outcome.parsing is None:
            self.store_unparsed(feed, fetched)
            return
        try:
            parsed = outcome.parsing.result()
        except (FeedParseError, ParseFailed) as exc:
            self.store_error(feed, clean_line(exc)[:300] or "not a feed", fetched.status)
            return
        except Exception as exc:  # a bug in the parser, run in this process (parse_workers 1)
            self.store_error(feed, f"parser failed: {_describe(exc)}", fetched.status)
            return
        try:
            self.store_parsed(feed, fetched, parsed)
        except (sqlite3.Error, ValueError) as exc:  # e.g. text SQLite cannot take
            self.store_error(feed, f"cannot store: {_describe(exc)}", fetched.status)

    def store_unparsed(self, feed: Feed, result: FetchResult) -> None:
        """Store a fetch that has no body to parse: 304, 410, or an error."""
        if result.status == 304:
            with transaction(self.conn):
                record_fetch(self.conn, feed.id, status="not-modified", http_status=304,
                             now=self.now)
                self._move(feed, result)
            self.summary.not_modified += 1
            self.report(feed, "not-modified")
        elif result.status == 410:
            self.store_error(feed, result.error or "HTTP 410 Gone", 410, status="dead")
        else:
            self.store_error(feed, result.error or f"HTTP {result.status}", result.status,
                             retry_after=result.retry_after)

    def store_error(self, feed: Feed, error: str, http_status: int, *, status: str = "error",
                    retry_after: float | None = None) -> None:
        """Give the feed an error status; its articles stay as they were."""
        record_fetch(self.conn, feed.id, status=status, error=error,
                     http_status=http_status or None, retry_after=retry_after, now=self.now)
        self.report(feed, status, error)

    def store_parsed(self, feed: Feed, result: FetchResult, parsed: ParsedFeed) -> None:
        """Store a parsed feed in one transaction: articles, title, validators, new URL."""
        with transaction(self.conn):
            stored = upsert_entries(self.conn, feed.id, parsed.entries, now=self.now)
            set_feed_title(self.conn, feed.id, clean_line(parsed.title),
                           clean_url(parsed.site_url))
            record_fetch(self.conn, feed.id, status="ok", http_status=result.status,
                         etag=result.etag, last_modified=result.last_modified, now=self.now)
            self._move(feed, result)
        self.summary.ok += 1
        self.summary.new_articles += stored.new
        self.summary.updated += stored.updated
        self.report(feed, "ok")

    def _move(self, feed: Feed, result: FetchResult) -> None:
        if result.permanent_redirect and result.permanent_redirect != feed.url:
            move_feed(self.conn, feed.id, result.permanent_redirect)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {clean_line(exc)[:200]}"


class _FetchStage:
    """Daemon threads that fetch feeds host by host and hand each outcome to the writer.

    A body is sent to the parse pool at once; the outcome reaches ``outcomes`` when its
    parse is done. Nothing new is fetched while ``BACKLOG_BYTES`` of bodies are unstored.
    """

    def __init__(self, feeds: list[Feed], settings: FetchSettings, fetcher: Fetcher,
                 pool: ParsePool) -> None:
        self.outcomes: queue.SimpleQueue[_Outcome] = queue.SimpleQueue()
        self._hosts = HostQueue(feeds, settings.max_per_host)
        self._fetcher, self._pool = fetcher, pool
        self._ready = threading.Condition()
        self._backlog = 0
        self._stopped = False
        for _ in range(max(1, min(settings.max_connections, len(feeds)))):
            threading.Thread(target=self._work, name="newsreader-fetch", daemon=True).start()

    def stop(self) -> None:
        """Start no more fetches."""
        with self._ready:
            self._stopped = True
            self._ready.notify_all()

    def stored(self, outcome: _Outcome) -> None:
        """The writer is done with ``outcome``: its bytes leave the backlog."""
        outcome.parsing = None  # break the future -> callback -> outcome cycle: free it now
        if outcome.size:
            with self._ready:
                self._backlog -= outcome.size
                self._ready.notify_all()

    def _work(self) -> None:
        while (feed := self._take()) is not None:
            try:
                fetched = self._fetcher.fetch(feed.url, feed.etag, feed.last_modified)
            except Exception as exc:  # fetch() reports network problems; this is a bug
                fetched = FetchResult(feed.url, 0, error=f"fetch failed: {_describe(exc)}")
            with self._ready:
                self._hosts.release(feed)
                self._ready.notify_all()
            self._hand_on(feed, fetched)

    def _take(self) -> Feed | None:
        """The next feed whose host has a free slot; None when all are taken or stopped."""
        with self._ready:
            while not self._stopped and self._hosts.queues:
                if self._backlog < BACKLOG_BYTES and (feed := self._hosts.pop()) is not None:
                    return feed
                self._ready.wait()
            return None

    def _hand_on(self, feed: Feed, fetched: FetchResult) -> None:
        if not (200 <= fetched.status < 300 and not fetched.error) or self._stopped:
            self.outcomes.put(_Outcome(feed, fetched))
            return
        outcome = _Outcome(feed, replace(fetched, body=b""), size=len(fetched.body))
        with self._ready:
            self._backlog += outcome.size
        outcome.parsing = self._pool.submit(fetched.body, fetched.url, fetched.content_type)
        outcome.parsing.add_done_callback(lambda _: self.outcomes.put(outcome))


def parse_processes(settings: FetchSettings, feeds: int) -> int:
    """Parser processes for ``feeds`` feeds: the setting (0 = one per core), at most one a feed.

    0 when ``parse_workers`` is 1: parse in a thread of this process (no parse deadline).
    """
    if settings.parse_workers == 1:
        return 0
    wanted = settings.parse_workers or os.cpu_count() or 1
    return max(1, min(wanted, feeds))


class ParseFailed(Exception):
    """The parser process hung past the deadline, died, or hit a bug; only this feed fails."""


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection


class ParsePool:
    """Parses bodies in ``processes`` worker processes, or in one thread of this process (0).

    Each process is driven by a daemon thread and started on first use, so a refresh where
    everything answers 304 starts none. A process that spends more than ``timeout`` seconds
    on one feed is killed, one that dies is replaced: either way only that feed fails.
    ``target(body, url, content_type)`` must be importable by name in a child process.
    """

    def __init__(self, processes: int, *, timeout: float | None = None,
                 target: Callable[[bytes, str, str], ParsedFeed] = parse_feed) -> None:
        self.processes = max(0, processes)
        self.timeout = PARSE_TIMEOUT if timeout is None else timeout
        self.target = target
        self._tasks: queue.SimpleQueue = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._processes: set[BaseProcess] = set()
        self._lock = threading.Lock()
        self._killed = False

    def __enter__(self) -> ParsePool:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is not None:
            self.kill()
        self.close()

    def submit(self, body: bytes, url: str, content_type: str) -> Future:
        """Queue one body; the Future gives a ParsedFeed or raises FeedParseError/ParseFailed."""
        future: Future = Future()
        self._tasks.put((future, (body, url, content_type)))
        if len(self._threads) < max(1, self.processes):
            thread = threading.Thread(target=self._slot, name="newsreader-parse", daemon=True)
            self._threads.append(thread)
            thread.start()
        return future

    def close(self) -> None:
        """Let the workers finish what they hold, then stop them (at once after kill())."""
        for _ in self._threads:
            self._tasks.put(None)
        if not self._killed:
            for thread in self._threads:
                thread.join(timeout=self.timeout)

    def kill(self) -> None:
        """Stop now: kill every process; queued bodies are dropped."""
        with self._lock:
            self._killed = True
            processes = list(self._processes)
        for process in processes:
            process.kill()

    def _slot(self) -> None:
        worker: _Worker | None = None
        while (item := self._tasks.get()) is not None:
            future, task = item
            if self._killed or not future.set_running_or_notify_cancel():
                future.cancel()
                continue
            try:
                if not self.processes:
                    result = self.target(*task)
                else:
                    worker = worker or self._start()
                    result = self._ask(worker, task)
            except ParseFailed as exc:
                self._stop(worker)
                worker = None
                future.set_exception(exc)
            except BaseException as exc:
                future.set_exception(exc)
            else:
                future.set_result(result)
        self._stop(worker)

    def _start(self) -> _Worker:
        context = _context()
        ours, theirs = context.Pipe()
        process = context.Process(target=_worker_main, args=(theirs, self.target),
                                  name="newsreader-parse", daemon=True)
        with self._lock:
            if self._killed:
                raise ParseFailed("refresh cancelled")
            process.start()
            self._processes.add(process)
        theirs.close()
        return _Worker(process, ours)

    def _ask(self, worker: _Worker, task: tuple[bytes, str, str]) -> ParsedFeed:
        try:
            worker.conn.send(task)
            if not worker.conn.poll(self.timeout):
                raise ParseFailed(f"parsing took longer than {self.timeout:g} s")
            kind, value = worker.conn.recv()
        except (EOFError, OSError) as exc:
            raise ParseFailed("the parser process crashed") from exc
        if kind == "feed-error":
            raise FeedParseError(value)
        if kind != "ok":
            raise ParseFailed(f"parser failed: {value}")
        return value

    def _stop(self, worker: _Worker | None) -> None:
        if worker is None:
            return
        with self._lock:
            self._processes.discard(worker.process)
        worker.process.kill()
        worker.process.join(timeout=5)
        worker.conn.close()


def _context() -> multiprocessing.context.BaseContext:
    """forkserver where there is one (no fork of a threaded process; children start fast)."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        return context
    return multiprocessing.get_context("spawn")


def _worker_main(conn: Connection, target: Callable[[bytes, str, str], ParsedFeed]) -> None:
    """A parser process: parse every body it receives, send back the result or the error."""
    _silence()
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        try:
            reply: tuple[str, object] = ("ok", target(*task))
        except FeedParseError as exc:
            reply = ("feed-error", str(exc))
        except Exception as exc:
            reply = ("bug", _describe(exc))
        conn.send(reply)


def _silence() -> None:
    """Nothing a parser process prints may reach the terminal: the TUI may be drawing on it."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)
