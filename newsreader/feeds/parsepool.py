"""Parse feed bodies in worker processes: every core is used, and a parser that hangs or
crashes is killed (or replaced) without taking the refresh down.

Processes come from multiprocessing's forkserver where there is one (no fork of a threaded
process; children start fast, this module preloaded), else spawn. Each is driven by a
daemon thread of the calling process that sends it one body at a time over a pipe and
waits for the answer, at most ``timeout`` seconds.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext, SpawnContext
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

from newsreader.config import FetchSettings
from newsreader.feeds.errors import FeedParseError
from newsreader.models import ParsedFeed
from newsreader.safety import clean_line

T = TypeVar("T")

PARSE_TIMEOUT = 20.0
"""Seconds a parser process may spend on one feed before it is killed."""


def describe(exc: BaseException) -> str:
    """ "KeyError: 'oops'": an unexpected exception as one short line."""
    return f"{type(exc).__name__}: {clean_line(exc)[:200]}"


def parse_processes(settings: FetchSettings, feeds: int) -> int:
    """Parser processes for ``feeds`` feeds: the setting (0 = one per core), at most one a feed.

    0 when ``parse_workers`` is 1: parse in a thread of this process (no parse deadline).
    """
    if settings.parse_workers == 1:
        return 0
    wanted = settings.parse_workers or os.cpu_count() or 1
    return max(1, min(wanted, feeds))


def start_helpers() -> None:
    """Start multiprocessing's resource tracker now, while ``sys.stderr`` is the real one.

    Every forkserver or spawn process needs the tracker, and the tracker hands the file
    descriptor of ``sys.stderr`` on to its own process when it starts. A full-screen UI
    replaces ``sys.stderr`` with an object whose ``fileno()`` is -1 (Textual does), so a
    tracker started under it fails ("bad value(s) in fds_to_keep"), and so does every
    parser process. Started before the UI takes the terminal, the tracker is reused for the
    life of the program. Cheap: one small process that imports none of the parsers, which
    still start on first use. Call it before a UI replaces ``sys.stderr``.
    """
    if os.name != "posix" or not _has_fd(sys.stderr):
        return
    from multiprocessing import resource_tracker

    resource_tracker.ensure_running()


def _has_fd(stream: object) -> bool:
    """Does ``stream`` stand on an open file descriptor (not a capture object's -1)?"""
    fileno = getattr(stream, "fileno", None)
    if not callable(fileno):
        return False
    try:
        os.fstat(fileno())
    except (AttributeError, OSError, TypeError, ValueError):
        return False
    return True


class ParseFailed(Exception):
    """The parser process hung past the deadline, died, or hit a bug; only this feed fails."""


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection


@dataclass(frozen=True, slots=True)
class _Task:
    """One call to run in a worker, and the Future its result goes to."""

    future: Future[Any]
    call: Callable[..., object] | None
    """The function to run (importable by name); None: the pool's ``target``."""
    args: tuple[object, ...]
    result_type: type
    """What the call must answer (a worker answering anything else has a bug)."""


class ParsePool:
    """Parses bodies in ``processes`` worker processes, or in one thread of this process (0).

    Each process is driven by a daemon thread and started on first use, so a refresh where
    everything answers 304 starts none, or at once by :meth:`start_workers` when bodies are
    sure to come. A process that spends more than ``timeout`` seconds on one feed is
    killed, one that dies is replaced: either way only that feed fails.
    ``target(body, url, content_type)`` must be importable by name in a child process;
    :meth:`call` runs any other such function in the same processes (page extraction for
    full text shares the feed parsers' processes and their deadline).
    """

    def __init__(
        self,
        processes: int,
        *,
        timeout: float | None = None,
        target: Callable[[bytes, str, str], ParsedFeed] | None = None,
    ) -> None:
        self.processes = max(0, processes)
        self.timeout = PARSE_TIMEOUT if timeout is None else timeout
        if target is None:  # imported here: a refresh of 304s never needs the parsers
            from newsreader.feeds.parse import parse_feed

            target = parse_feed
        self.target: Callable[[bytes, str, str], ParsedFeed] = target
        self._tasks: queue.SimpleQueue[_Task | None] = queue.SimpleQueue()
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

    def submit(self, body: bytes, url: str, content_type: str) -> Future[ParsedFeed]:
        """Queue one body; the Future gives a ParsedFeed or raises FeedParseError/ParseFailed."""
        future: Future[ParsedFeed] = Future()
        self._queue(_Task(future, None, (body, url, content_type), ParsedFeed))
        return future

    def call(self, function: Callable[..., T], result_type: type[T], *args: object) -> Future[T]:
        """Queue ``function(*args)`` (a top-level function: it is sent by name); the Future
        gives its result, or raises FeedParseError (bad input) or ParseFailed."""
        future: Future[T] = Future()
        self._queue(_Task(future, function, args, result_type))
        return future

    def _queue(self, task: _Task) -> None:
        self._tasks.put(task)
        if len(self._threads) < max(1, self.processes):
            self._add_slot(warm=False)

    def start_workers(self) -> None:
        """Start every worker process now, in the background, instead of on first use.

        For a refresh that will surely get bodies (feeds with no validators yet): starting
        the processes (the forkserver imports the parser first) overlaps the first fetches.
        """
        while len(self._threads) < self.processes:
            self._add_slot(warm=True)

    def _add_slot(self, *, warm: bool) -> None:
        thread = threading.Thread(
            target=self._slot, args=(warm,), name="newsreader-parse", daemon=True
        )
        self._threads.append(thread)
        thread.start()

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

    def _slot(self, warm: bool) -> None:
        worker: _Worker | None = None
        if warm:
            try:
                worker = self._start()
            except Exception:  # whatever it is: tried again on first use, where it fails
                worker = None  # that body's future (a dead slot would hang the refresh)
        while (task := self._tasks.get()) is not None:
            future = task.future
            if self._killed or not future.set_running_or_notify_cancel():
                future.cancel()
                continue
            try:
                if not self.processes:
                    function: Callable[..., object] = task.call or self.target
                    result = function(*task.args)
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
        context = _context(self.target.__module__)
        ours, theirs = context.Pipe()
        process = context.Process(
            target=_worker_main, args=(theirs, self.target), name="newsreader-parse", daemon=True
        )
        with self._lock:
            if self._killed:
                raise ParseFailed("refresh cancelled")
            process.start()
            self._processes.add(process)
        theirs.close()
        return _Worker(process, ours)

    def _ask(self, worker: _Worker, task: _Task) -> object:
        try:
            worker.conn.send((task.call, task.args))
            if not worker.conn.poll(self.timeout):
                raise ParseFailed(f"parsing took longer than {self.timeout:g} s")
            kind, value = worker.conn.recv()
        except (EOFError, OSError) as exc:
            raise ParseFailed("the parser process crashed") from exc
        if kind == "feed-error":
            raise FeedParseError(value)
        if kind != "ok":
            raise ParseFailed(f"parser failed: {value}")
        if not isinstance(value, task.result_type):
            raise ParseFailed(f"the parser process answered {type(value).__name__}")
        return value

    def _stop(self, worker: _Worker | None) -> None:
        if worker is None:
            return
        with self._lock:
            self._processes.discard(worker.process)
        worker.process.kill()
        worker.process.join(timeout=5)
        worker.conn.close()


def _context(target_module: str) -> ForkServerContext | SpawnContext:
    """forkserver where there is one (no fork of a threaded process; children start fast,
    with this module and the target's already imported)."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__, "newsreader.feeds.parse", target_module])
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
        call, args = task
        try:
            reply: tuple[str, object] = ("ok", (call or target)(*args))
        except FeedParseError as exc:
            reply = ("feed-error", str(exc))
        except Exception as exc:
            reply = ("bug", describe(exc))
        conn.send(reply)


def _silence() -> None:
    """Nothing a parser process prints may reach the terminal: the TUI may be drawing on it."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)
