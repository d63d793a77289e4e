"""Full text: fetch the pages of articles whose feed gives only a teaser, extract the
article from each, and make it the article's text (the feed's kept as its summary).

Runs as a stage of a refresh (the new articles, after the feeds' items are stored: the
list shows them at once) and on demand (:func:`fetch_full_text`: the reader's ``F``, the
CLI's ``fulltext``). Three steps, as in a refresh:

- **plan** (the writer thread): which articles want their page, by the feed's mode
  (``auto``, ``always``, ``never``; "" follows ``[fetch] full_text``). In ``auto`` a feed
  text that is short or cut off is a teaser; a long one is the article; one in between is
  "unsure": the first such article of a feed is fetched as a probe, and its feed's others
  follow only if its feed text was a prefix of its page's (:mod:`newsreader.feeds.teaser`);
- **fetch and extract**: threads fetch the pages (:meth:`Fetcher.fetch_page`: the address
  rules, limits, per-host slots and delay), and the parse processes extract the articles
  (:func:`extract_for_store`), so no extraction runs on the caller's thread;
- **store** (the writer thread): each page in one transaction: the snapshot kept, the
  text replaced, annotations re-anchored onto it. A page that fails leaves the article's
  text as it was, with the error on the article; it stops nothing else.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from itertools import zip_longest
from pathlib import Path
from urllib.parse import urlsplit

from newsreader.config import FetchSettings
from newsreader.feeds.boilerplate import boilerplate_lines
from newsreader.feeds.errors import FeedParseError
from newsreader.feeds.fetch import Fetcher
from newsreader.feeds.ingest import parse_for_store
from newsreader.feeds.parsepool import ParseFailed, ParsePool, describe, parse_processes
from newsreader.feeds.teaser import Kind, feed_text_kind, page_extends, page_is_fuller
from newsreader.models import FetchResult, PageExtraction, PageSnapshot, RefreshProgress
from newsreader.safety import clean_line
from newsreader.store import connect, transaction
from newsreader.store.pages import PageWanted, pages_wanted, record_page_error, save_page
from newsreader.store.pages import site_texts as store_site_texts
from newsreader.wording import plural

POLL_SECONDS = 0.05
"""How often the writer checks ``cancelled()`` while it waits."""
PLAN_CHUNK = 500
"""Articles read from the store at a time while planning (bounds memory)."""
MAX_HINT = 2000
"""Characters of the feed's text given to the extractor as its hint."""


@dataclass
class FullTextSummary:
    """What a full-text run did, for the CLI's last line and the TUI's notification."""

    articles: int = 0
    """Articles considered."""
    fetched: int = 0
    """Articles whose text is now their page's."""
    whole: int = 0
    """Pages fetched that had no more than the feed's text: the feed's text kept."""
    skipped: int = 0
    """Not fetched: the feed's mode is "never", or its text is the whole article."""
    errors: list[tuple[int, str, str]] = field(default_factory=list)
    """(article id, url, one-line message) for every page that failed."""
    cancelled: bool = False

    @property
    def not_done(self) -> int:
        """Articles left when the run was cancelled (0 otherwise)."""
        return self.articles - self.fetched - self.whole - self.skipped - len(self.errors)

    @property
    def attempted(self) -> int:
        """Pages asked for (fetched, whole, failed or left)."""
        return self.articles - self.skipped

    def line(self) -> str:
        """The summary in one line; every article is counted once."""
        left = f", {self.not_done} not done (cancelled)" if self.not_done else ""
        return (
            f"full text for {plural(self.articles, 'article')}: {self.fetched} fetched, "
            f"{self.whole} already whole in the feed, {self.skipped} skipped, "
            f"{len(self.errors)} failed{left}"
        )


class Take(Enum):
    """When a fetched page's text replaces the feed's."""

    ALWAYS = "always"
    """Asked for by name, or the feed's mode is "always": whenever there is text."""
    FULLER = "fuller"
    """The feed's text is a teaser: when the page has more to read."""
    EXTENDS = "extends"
    """Unsure: when the feed's text opens the page's (it was a teaser of it)."""


@dataclass(frozen=True, slots=True)
class _Job:
    """One page to fetch and what to do with it."""

    wanted: PageWanted
    take: Take
    boilerplate: frozenset[str]
    probe: bool = False
    """The first "unsure" article of its feed: its answer decides the feed's others."""


@dataclass(slots=True)
class _Outcome:
    job: _Job
    fetched: FetchResult
    when: float
    extraction: PageExtraction | None = None
    error: str = ""


def extract_for_store(
    body: bytes, url: str, content_type: str, title: str, hint: str, boilerplate: frozenset[str]
) -> PageExtraction:
    """:func:`newsreader.feeds.extract.extract_page` for the parse processes: positional
    arguments, and a page with no article is an input error (FeedParseError), not a bug."""
    from newsreader.feeds.extract import PageExtractError, extract_page

    try:
        return extract_page(
            body, url, content_type, hint_title=title, hint_text=hint, boilerplate=boilerplate
        )
    except PageExtractError as exc:
        raise FeedParseError(str(exc)) from None


def fetch_full_text(
    db_path: str | Path,
    article_ids: list[int] | None = None,
    *,
    feed_id: int | None = None,
    missing: bool = False,
    by_mode: bool = False,
    settings: FetchSettings,
    on_progress: Callable[[RefreshProgress], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> FullTextSummary:
    """Fetch the pages of these articles, or of a feed's, whatever their feeds' modes;
    with neither (or with ``by_mode``: a feed just subscribed to), of every article the
    modes want whose page was never fetched. ``missing``: only articles whose text is not
    yet their page's (failed ones retried).
    """
    conn = connect(db_path)
    try:
        named = (article_ids is not None or feed_id is not None) and not by_mode
        wanted = pages_wanted(conn, article_ids, feed_id=feed_id, missing=missing)
        if not named and not missing:
            wanted = [w for w in wanted if w.page_fetched is None]
        processes = parse_processes(settings, len(wanted))
        with (
            Fetcher(settings) as fetcher,
            ParsePool(processes, target=parse_for_store) as pool,
        ):
            stage = PageStage(conn, fetcher, pool, settings, on_progress=on_progress)
            stage.run(wanted, cancelled, named=named)
        return stage.summary
    finally:
        conn.close()


class PageStage:
    """One full-text run over given articles, on the caller's thread (the only writer)."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        fetcher: Fetcher,
        pool: ParsePool,
        settings: FetchSettings,
        *,
        on_progress: Callable[[RefreshProgress], None] | None = None,
        new_articles: int = 0,
    ) -> None:
        self.conn, self.fetcher, self.pool, self.settings = conn, fetcher, pool, settings
        self.on_progress = on_progress
        self.new_articles = new_articles
        """Shown in the progress (a refresh's count of new articles)."""
        self.summary = FullTextSummary()
        self._done = 0
        self._results: queue.SimpleQueue[_Outcome] = queue.SimpleQueue()
        self._unsure: dict[int, list[_Job]] = defaultdict(list)
        self._boilerplate: dict[int, frozenset[str]] = {}

    def run_ids(self, article_ids: Sequence[int], cancelled: Callable[[], bool]) -> None:
        """Full text for new articles (a refresh's), by their feeds' modes."""
        wanted: list[PageWanted] = []
        for start in range(0, len(article_ids), PLAN_CHUNK):
            chunk = list(article_ids[start : start + PLAN_CHUNK])
            wanted.extend(self._light(w) for w in pages_wanted(self.conn, chunk))
        self.run(wanted, cancelled, named=False)

    def run(self, wanted: list[PageWanted], cancelled: Callable[[], bool], *, named: bool) -> None:
        """Plan, fetch and extract, store; returns within ~POLL_SECONDS of ``cancelled()``."""
        self.summary.articles += len(wanted)
        jobs = self._plan(wanted, named=named)
        if not jobs:  # nothing to fetch: nothing to show either
            return
        self._progress()
        threads = _PageThreads(self._fetch, max(1, min(self.settings.max_connections, len(jobs))))
        pending = threads.submit(_interleaved(jobs))
        try:
            while pending and not cancelled():
                try:
                    outcome = self._results.get(timeout=POLL_SECONDS)
                except queue.Empty:
                    continue
                pending += self._store(threads, outcome) - 1
                self._done += 1
                self._progress()
        finally:  # cancelled, or the store failed: start nothing more, drop what is held
            threads.stop()
            if pending:
                self.pool.kill()
            self.summary.cancelled = cancelled()

    def _light(self, wanted: PageWanted) -> PageWanted:
        """Drop what the plan does not need (a refresh may bring 10,000 articles)."""
        return replace(wanted, text=wanted.text[:MAX_HINT], html="")

    def _plan(self, wanted: list[PageWanted], *, named: bool) -> list[_Job]:
        """The jobs to start now; "unsure" ones wait for their feed's probe."""
        jobs: list[_Job] = []
        for item in wanted:
            take = Take.ALWAYS if named else self._take(item)
            if take is None:
                self.summary.skipped += 1
                continue
            job = _Job(item, take, self._site_boilerplate(item.feed_id))
            if take is not Take.EXTENDS:
                jobs.append(job)
            elif item.feed_id in self._unsure:
                self._unsure[item.feed_id].append(job)
            else:
                self._unsure[item.feed_id] = []
                jobs.append(_Job(item, take, job.boilerplate, probe=True))
        return jobs

    def _take(self, item: PageWanted) -> Take | None:
        """By the feed's mode: when to take the page's text; None: do not fetch."""
        mode = item.mode or self.settings.full_text
        if mode == "never":
            return None
        if mode == "always":
            return Take.ALWAYS
        kind = feed_text_kind(item.text)
        if kind is Kind.FULL:
            return None
        return Take.FULLER if kind is Kind.TEASER else Take.EXTENDS

    def _site_boilerplate(self, feed_id: int) -> frozenset[str]:
        """Lines repeated across the feed's pages fetched before (learnt once a run)."""
        if feed_id not in self._boilerplate:
            self._boilerplate[feed_id] = boilerplate_lines(store_site_texts(self.conn, feed_id))
        return self._boilerplate[feed_id]

    def _fetch(self, job: _Job) -> None:
        """Fetch one page and have it extracted (a page thread); never raises."""
        wanted = job.wanted
        try:
            fetched = self.fetcher.fetch_page(wanted.url, feed_url=wanted.feed_url)
        except Exception as exc:  # fetch_page reports network problems; this is a bug
            fetched = FetchResult(wanted.url, 0, error=f"fetch failed: {describe(exc)}")
        outcome = _Outcome(job, fetched, time.time())
        if not fetched.error and fetched.body:
            outcome.extraction, outcome.error = self._extract(job, fetched)
        self._results.put(outcome)

    def _extract(self, job: _Job, fetched: FetchResult) -> tuple[PageExtraction | None, str]:
        """The page's article, extracted in a parse process, or why there is none."""
        wanted = job.wanted
        try:
            future = self.pool.call(
                extract_for_store,
                PageExtraction,
                fetched.body,
                fetched.url,
                fetched.content_type,
                wanted.title,
                wanted.text[:MAX_HINT],
                job.boilerplate,
            )
            return future.result(), ""
        except (FeedParseError, ParseFailed) as exc:
            return None, clean_line(exc)[:300] or "no article text found on the page"
        except Exception as exc:  # cancelled, or a bug in the extractor run in-process
            return None, f"extraction failed: {describe(exc)}"

    def _store(self, threads: _PageThreads, outcome: _Outcome) -> int:
        """Store one outcome; returns how many jobs it started (a probe's feed's others)."""
        job, fetched = outcome.job, outcome.fetched
        article_id = job.wanted.article_id
        if fetched.error or not fetched.body:
            error = fetched.error or f"HTTP {fetched.status}: empty page"
            record_page_error(self.conn, article_id, error, now=outcome.when)
            self.summary.errors.append((article_id, job.wanted.url, error))
            return self._after_probe(threads, job, proved=False)
        snapshot = _snapshot(job.wanted, fetched, outcome)
        extraction = outcome.extraction
        if extraction is None:
            save_page(self.conn, article_id, snapshot, None, error=outcome.error)
            self.summary.errors.append((article_id, job.wanted.url, outcome.error))
            return self._after_probe(threads, job, proved=False)
        accepted = _accepts(job, extraction.text)
        with transaction(self.conn):
            changed = save_page(self.conn, article_id, snapshot, extraction if accepted else None)
            if changed:
                from newsreader.annotations.service import reanchor_article

                reanchor_article(self.conn, article_id)
        if accepted:
            self.summary.fetched += 1
        else:
            self.summary.whole += 1
        return self._after_probe(threads, job, proved=accepted)

    def _after_probe(self, threads: _PageThreads, job: _Job, *, proved: bool) -> int:
        """A probe answered: fetch its feed's other "unsure" articles, or skip them."""
        if not job.probe:
            return 0
        others = self._unsure.pop(job.wanted.feed_id, [])
        if not proved:
            self.summary.skipped += len(others)
            return 0
        return threads.submit(_interleaved(others))

    def _progress(self) -> None:
        if self.on_progress is None:
            return
        self.on_progress(
            RefreshProgress(
                done=self._done,
                total=self.summary.attempted,
                new_articles=self.new_articles,
                errors=len(self.summary.errors),
                stage="full text",
            )
        )


def _accepts(job: _Job, page_text: str) -> bool:
    """Does the page's text replace the feed's, by the job's rule?"""
    if not page_text.strip():
        return False
    if job.take is Take.ALWAYS:
        return True
    if job.take is Take.FULLER:
        return page_is_fuller(job.wanted.text, page_text)
    return page_extends(job.wanted.text, page_text)


def _snapshot(wanted: PageWanted, fetched: FetchResult, outcome: _Outcome) -> PageSnapshot:
    extraction = outcome.extraction
    return PageSnapshot(
        article_id=wanted.article_id,
        url=wanted.url,
        final_url=fetched.url,
        status=fetched.status,
        content_type=fetched.content_type,
        fetched=outcome.when,
        body=fetched.body,
        site_name=extraction.site_name if extraction else "",
        canonical_url=extraction.canonical_url if extraction else "",
        language=extraction.language if extraction else "",
    )


def _interleaved(jobs: list[_Job]) -> Iterator[_Job]:
    """The jobs one host at a time in turn: a, b, c, a, b, a …"""
    by_host: dict[str, list[_Job]] = defaultdict(list)
    for job in jobs:
        by_host[(urlsplit(job.wanted.url).hostname or "").lower()].append(job)
    for row in zip_longest(*by_host.values()):
        yield from (job for job in row if job is not None)


class _PageThreads:
    """Daemon threads that run ``work`` on queued jobs (daemons: a cancelled run returns
    at once, and a fetch still in flight ends, or times out, in the background)."""

    def __init__(self, work: Callable[[_Job], None], size: int) -> None:
        self._work, self._size = work, size
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._stopped = False

    def submit(self, jobs: Iterable[_Job]) -> int:
        """Queue the jobs; returns how many."""
        count = 0
        for job in jobs:
            self._jobs.put(job)
            count += 1
            if len(self._threads) < self._size:
                thread = threading.Thread(target=self._run, name="newsreader-page", daemon=True)
                self._threads.append(thread)
                thread.start()
        return count

    def stop(self) -> None:
        """Start no more jobs; the threads end after the one they hold."""
        self._stopped = True
        for _ in self._threads:
            self._jobs.put(None)

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            if not self._stopped:
                self._work(job)
