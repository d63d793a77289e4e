"""Refresh many feeds: fetch, parse and store them as a pipeline; one bad feed stops nothing.

Used by the CLI (with a progress bar) and by the TUI (in a thread worker). Three stages run
at once:

- **fetch**: ``max_connections`` threads take feeds host by host (at most ``max_per_host``
  at once per host) and fetch them; a body goes straight to the parsers;
- **parse**: worker processes (so parsing uses every core, and a parser that hangs or
  crashes is killed without taking the refresh down), see
  :class:`newsreader.feeds.parsepool.ParsePool`;
- **store**: the calling thread is the only writer: it opens its own SQLite connection and
  stores each outcome in one short transaction as soon as it arrives
  (:func:`newsreader.feeds.ingest.store_feed`: annotations follow their article's text).

A document that had to be repaired (truncated, wrong charset, entity declarations) is
stored with what could be recovered, and the feed shows the problem as its error.

No new fetch starts while more than ``BACKLOG_BYTES`` of bodies wait to be parsed and
stored, which bounds memory. The writer polls ``cancelled()`` every ``POLL_SECONDS`` and
then returns at once: fetches still in flight end (or time out) in the background.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from pathlib import Path

from newsreader.config import FetchSettings
from newsreader.feeds.duplicates import detect
from newsreader.feeds.errors import FeedParseError
from newsreader.feeds.fetch import Fetcher
from newsreader.feeds.fulltext import FullTextSummary, PageStage
from newsreader.feeds.ingest import merge_into, parse_for_store, store_feed
from newsreader.feeds.limits import HostQueue
from newsreader.feeds.parsepool import ParseFailed, ParsePool, describe, parse_processes
from newsreader.feeds.rules import CompiledRule, RulesReport, apply_rules, compile_rules
from newsreader.feeds.schedule import asked_minutes
from newsreader.models import Feed, FetchResult, ParsedFeed, RefreshProgress
from newsreader.rulespec import Rule
from newsreader.safety import clean_line
from newsreader.store import connect, transaction
from newsreader.store.db import store_fault
from newsreader.store.feeds import (
    all_feed_ids,
    feeds_by_ids,
    find_feed_id,
    move_feed,
    record_fetch,
)
from newsreader.urls import normalise_url, same_url
from newsreader.wording import plural

__all__ = ["ParseFailed", "ParsePool", "RefreshSummary", "refresh"]

POLL_SECONDS = 0.05
"""How often the writer checks ``cancelled()`` while it waits."""
BACKLOG_BYTES = 8 * 1024 * 1024
"""Bodies fetched but not yet stored beyond which no new fetch starts."""


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
    recovered: int = 0
    """Feeds whose damaged document still gave entries, stored; also in ``errors``."""
    feeds_with_new: int = 0
    """Feeds stored ("ok") that brought at least one new article."""
    feeds_updated: int = 0
    """Feeds stored ("ok") with no new article but some changed ones."""
    partial: list[tuple[int, str, str]] = field(default_factory=list)
    """(feed id, url, message) for feeds stored "ok" that were not read whole (entries
    past the limit: ``ParsedFeed.notice``)."""
    full_text: FullTextSummary | None = None
    """The full-text stage over the new articles, when it ran."""
    rules: RulesReport = field(default_factory=RulesReport)
    """What the rules did to the new articles (and which rules could not be used)."""
    merged: list[tuple[int, int, str, int, int]] = field(default_factory=list)
    """(feed id, id of the subscription it moved to, its url, articles moved, duplicates
    joined) for each feed that moved permanently to a url already subscribed: it was
    merged into that subscription (:func:`newsreader.feeds.ingest.merge_into`)."""

    def notices(self) -> list[str]:
        """One line for each thing the user should know besides the counts (merges, feeds
        not read whole)."""
        return [
            f"feed {source} moved permanently to <{url}>, already subscribed as feed "
            f"{target}: merged into it ({plural(moved, 'article')} moved, "
            f"{plural(joined, 'duplicate')} joined; annotations and notes kept)"
            for source, target, url, moved, joined in self.merged
        ] + [f"feed {feed_id} <{url}>: {message}" for feed_id, url, message in self.partial]

    @property
    def unchanged(self) -> int:
        """Feeds with nothing new: answered 304, or fetched (a local file too) and the same."""
        return self.not_modified + self.ok - self.feeds_with_new - self.feeds_updated

    @property
    def not_done(self) -> int:
        """Feeds left when the refresh was cancelled (0 otherwise)."""
        return (
            self.feeds
            - self.feeds_with_new
            - self.feeds_updated
            - self.unchanged
            - self.skipped
            - len(self.errors)
        )

    def line(self) -> str:
        """The summary in one line, where every feed is counted once:
        with new articles + updated + unchanged + skipped + failed (+ not done) = feeds."""
        recovered = f" ({self.recovered} stored what it could)" if self.recovered else ""
        left = f", {self.not_done} not refreshed (cancelled)" if self.not_done else ""
        return (
            f"refreshed {plural(self.feeds, 'feed')}: {self.feeds_with_new} with new "
            f"articles, {self.feeds_updated} updated, {self.unchanged} unchanged, "
            f"{self.skipped} skipped, {len(self.errors)} failed{recovered}{left}; "
            f"{plural(self.new_articles, 'new article')}, "
            f"{plural(self.updated, 'article')} updated{self._pages()}"
        )

    def _pages(self) -> str:
        """ "; full text: 9 of 12 pages, 3 failed" when pages were fetched."""
        pages = self.full_text
        if pages is None or not pages.attempted:
            return ""
        failed = f", {len(pages.errors)} failed" if pages.errors else ""
        left = f", {pages.not_done} not done" if pages.not_done else ""
        return (
            f"; full text from {pages.fetched} of {plural(pages.attempted, 'page')}{failed}{left}"
        )


def refresh(
    db_path: str | Path,
    feed_ids: list[int] | None = None,
    *,
    settings: FetchSettings,
    on_progress: Callable[[RefreshProgress], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    now: float | None = None,
    rules: Sequence[Rule] = (),
    but_delivered: bool = False,
) -> RefreshSummary:
    """Fetch, parse and store ``feed_ids`` (every feed when None, but those a sync
    server brings when ``but_delivered``); ``rules`` are applied to each feed's new
    articles as it is stored.

    Feeds whose next allowed fetch is in the future are skipped, and dead (410) feeds too
    unless named in ``feed_ids``. ``on_progress`` is called on this thread after each feed.
    Returns promptly (within ~``POLL_SECONDS``) once ``cancelled()`` is true.
    """
    conn = connect(db_path)
    named = feed_ids is not None
    try:
        if feed_ids is None:  # every feed, without list_feeds' per-feed article counts
            feed_ids = all_feed_ids(conn, but_delivered=but_delivered)
        elif but_delivered:  # the sync brings those (fetched here, they would be twice)
            fetchable = set(all_feed_ids(conn, but_delivered=True))
            feed_ids = [i for i in feed_ids if i in fetchable]
        feeds = feeds_by_ids(conn, feed_ids)
        run = _Run(conn, settings, on_progress, now, total=len(feeds))
        run.rules, run.summary.rules.problems = compile_rules(rules)
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
    parsing: Future[ParsedFeed] | None = None
    size: int = 0
    """Bytes of body held against the backlog until stored."""


class _Run:
    """One refresh: counts, progress, and the per-feed store steps (on the writer thread)."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        settings: FetchSettings,
        on_progress: Callable[[RefreshProgress], None] | None,
        now: float | None,
        total: int,
    ) -> None:
        self.conn = conn
        self.settings = settings
        self.on_progress = on_progress
        self.now = now
        self.summary = RefreshSummary(feeds=total)
        self.done = 0
        self.new_ids: list[int] = []
        """Articles this refresh brought: their pages are the full-text stage's work."""
        self.rules: list[CompiledRule] = []
        if on_progress:
            on_progress(RefreshProgress(0, total, 0, 0))

    def report(self, feed: Feed, status: str, error: str = "") -> None:
        """Count one finished feed and tell the caller."""
        self.done += 1
        if error and status in ("error", "dead"):
            self.summary.errors.append((feed.id, feed.url, error))
        if self.on_progress:
            self.on_progress(
                RefreshProgress(
                    done=self.done,
                    total=self.summary.feeds,
                    new_articles=self.summary.new_articles,
                    errors=len(self.summary.errors),
                    feed_id=feed.id,
                    feed_status=status,
                    feed_error=error,
                )
            )

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
        processes = parse_processes(self.settings, len(feeds))
        with (
            Fetcher(self.settings) as fetcher,
            ParsePool(processes, target=parse_for_store) as pool,
        ):
            if any(not (feed.etag or feed.last_modified) for feed in feeds):
                pool.start_workers()  # bodies will come: have the parsers ready for them
            stage = _FetchStage(feeds, self.settings, fetcher, pool)
            remaining = len(feeds)
            try:
                while remaining and not cancelled():
                    try:
                        outcome = stage.outcomes.get(timeout=POLL_SECONDS)
                    except queue.Empty:
                        continue
                    self.store(outcome)
                    stage.stored(outcome)
                    remaining -= 1
            finally:  # cancelled, or the store failed (disk full): start nothing more
                if remaining:
                    stage.stop()
                    pool.kill()
            if self.new_ids and not cancelled():
                self.full_text(fetcher, pool, cancelled)

    def full_text(self, fetcher: Fetcher, pool: ParsePool, cancelled: Callable[[], bool]) -> None:
        """The pages of the new articles, by their feeds' modes (the feeds' items are all
        stored by now: the list shows them while their pages come)."""
        pages = PageStage(
            self.conn,
            fetcher,
            pool,
            self.settings,
            on_progress=self.on_progress,
            new_articles=self.summary.new_articles,
        )
        self.summary.full_text = pages.summary
        pages.run_ids(self.new_ids, cancelled)

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
            self.store_error(feed, f"parser failed: {describe(exc)}", fetched.status)
            return
        try:
            self.store_parsed(feed, fetched, parsed)
        except Exception as exc:  # e.g. text SQLite cannot take; rolled back, feed by feed
            if store_fault(exc):  # the store itself (disk full, read-only): stop here;
                raise  # recording it on the feed would fail the same way
            self.store_error(feed, f"cannot store: {describe(exc)}", fetched.status)

    def store_unparsed(self, feed: Feed, result: FetchResult) -> None:
        """Store a fetch that has no body to parse: 304, 410, or an error."""
        if result.status == 304:
            with transaction(self.conn):
                feed_id = self._move(feed, result)
                record_fetch(
                    self.conn,
                    feed_id,
                    status="not-modified",
                    http_status=304,
                    ttl_minutes=asked_minutes(result.max_age),
                    now=self.now,
                )
            self.summary.not_modified += 1
            self.report(feed, "not-modified")
        elif result.status == 410:
            self.store_error(feed, result.error or "HTTP 410 Gone", 410, status="dead")
        else:
            self.store_error(
                feed,
                result.error or f"HTTP {result.status}",
                result.status,
                retry_after=result.retry_after,
            )

    def store_error(
        self,
        feed: Feed,
        error: str,
        http_status: int,
        *,
        status: str = "error",
        retry_after: float | None = None,
    ) -> None:
        """Give the feed an error status; its articles stay as they were."""
        record_fetch(
            self.conn,
            feed.id,
            status=status,
            error=error,
            http_status=http_status or None,
            retry_after=retry_after,
            now=self.now,
        )
        self.report(feed, status, error)

    def store_parsed(self, feed: Feed, result: FetchResult, parsed: ParsedFeed) -> None:
        """Store a parsed feed in one transaction; a damaged document's problem is its error."""
        with transaction(self.conn):
            feed_id = self._move(feed, result)
            stored = store_feed(
                self.conn, feed_id, parsed, replace(result, permanent_redirect=None), now=self.now
            )
            detect(self.conn, stored.new_ids)
            ruled = apply_rules(self.conn, self.rules, stored.new_ids) if self.rules else None
        deleted = set(ruled.deleted) if ruled is not None else set()
        if ruled is not None:
            self.summary.rules.add(ruled)
        self.summary.new_articles += stored.new
        self.summary.updated += stored.updated
        self.new_ids.extend(i for i in stored.new_ids if i not in deleted)
        if parsed.problem:
            self.summary.recovered += bool(parsed.entries)
            self.report(feed, "error", parsed.problem)
            return
        self.summary.ok += 1
        if parsed.notice:
            self.summary.partial.append((feed.id, feed.url, parsed.notice))
        if stored.new:
            self.summary.feeds_with_new += 1
        elif stored.updated:
            self.summary.feeds_updated += 1
        self.report(feed, "ok")

    def _move(self, feed: Feed, result: FetchResult) -> int:
        """Follow a permanent redirect (in the caller's transaction); the id of the feed
        to store into: this one, or the subscription it moved to (merged into it)."""
        url = result.permanent_redirect
        if not url or same_url(url, feed.url):
            return feed.id
        target = find_feed_id(self.conn, url)
        if target is None or target == feed.id:
            move_feed(self.conn, feed.id, url)
            return feed.id
        merged = merge_into(self.conn, feed.id, target)
        self.summary.merged.append(
            (feed.id, target, normalise_url(url), merged.moved, len(merged.joined))
        )
        return target


class _FetchStage:
    """Daemon threads that fetch feeds host by host and hand each outcome to the writer.

    A body is sent to the parse pool at once; the outcome reaches ``outcomes`` when its
    parse is done. Nothing new is fetched while ``BACKLOG_BYTES`` of bodies are unstored.
    """

    def __init__(
        self, feeds: list[Feed], settings: FetchSettings, fetcher: Fetcher, pool: ParsePool
    ) -> None:
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
                fetched = FetchResult(feed.url, 0, error=f"fetch failed: {describe(exc)}")
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
