"""Open the store: WAL, foreign keys, busy timeout, migrations. One connection per thread.

Faults of the store itself (the disk is full, the file or its file system is read-only, an
I/O error) are told apart from errors in the data by :func:`store_fault`, so a front end
can report them in one line instead of a traceback, and a refresh stops at the first one
instead of trying to record it on the feed (which would fail the same way).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from newsreader.store.schema import MIGRATIONS, migrate, schema_version

BUSY_TIMEOUT_MS = 10_000
PAGE_SIZE = 16_384
"""Bytes per page of a new store: an article (~11 KB of HTML and text) fits on one page
instead of spilling onto overflow pages, which cuts the refresh writer's CPU by ~10 %."""

FULL = "database or disk is full"
READ_ONLY = "read-only"
_FAULTS = {
    sqlite3.SQLITE_FULL: FULL,
    sqlite3.SQLITE_READONLY: READ_ONLY,
    sqlite3.SQLITE_IOERR: "disk I/O error",
    sqlite3.SQLITE_CANTOPEN: "unable to open database file",
    sqlite3.SQLITE_CORRUPT: "database disk image is malformed",
    sqlite3.SQLITE_NOTADB: "file is not a database",
    sqlite3.SQLITE_BUSY: "database is locked by another program",
}


class StoreReadOnly(sqlite3.OperationalError):
    """The store can only be read: its file or file system does not allow writing."""


class ReadOnlyConnection(sqlite3.Connection):
    """A connection made by :func:`connect_read_only` (see :func:`is_read_only`)."""


def is_read_only(conn: sqlite3.Connection) -> bool:
    """True for a store opened read-only: a cache that would be refreshed on the way
    (e.g. name matches) is used as it stands instead."""
    return isinstance(conn, ReadOnlyConnection)


def connect(path: str | Path, *, migrate_schema: bool = True) -> sqlite3.Connection:
    """Open (creating if needed) the store at ``path`` and bring its schema up to date.

    The connection is in autocommit mode; group writes with :func:`transaction`.
    Use it only on the thread that opened it.

    Raises:
        StoreReadOnly: the store exists but cannot be written (see :func:`connect_read_only`).
    """
    path = Path(path)
    if path.exists() and not writable(path):
        raise StoreReadOnly(f"{path} is {READ_ONLY}")
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        _configure(conn, migrate_schema)
    except BaseException:
        conn.close()
        raise
    return conn


def _configure(conn: sqlite3.Connection, migrate_schema: bool) -> None:
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if conn.execute("PRAGMA page_count").fetchone()[0] == 0:
        # Only a new (empty) store can choose its page size, and only before WAL mode;
        # its vacuum mode only before the first table (pruning then gives space back).
        conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    if migrate_schema:
        migrate(conn)


def connect_read_only(path: str | Path) -> sqlite3.Connection:
    """Open an existing store for reading only (a read-only file system, a full disk).

    A WAL store needs its ``-shm`` file; where that cannot be created and no ``-wal`` file
    holds unmerged changes, the file is opened as immutable (nothing can change it: it
    cannot be written). Every write on the connection fails with SQLITE_READONLY.

    Raises:
        sqlite3.Error: the file is missing, not a store, or needs a migration.
    """
    path = Path(path)
    if not path.is_file():
        raise sqlite3.OperationalError(f"unable to open database file {path}")
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    try:
        conn = _open_uri(uri)
    except sqlite3.Error:
        wal = path.with_name(path.name + "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            raise
        conn = _open_uri(uri + "&immutable=1")
    if schema_version(conn) != len(MIGRATIONS):
        conn.close()
        raise StoreReadOnly(
            f"{path} is {READ_ONLY} and needs an upgrade this newsreader"
            " would write: make it writable once"
        )
    return conn


def _open_uri(uri: str) -> sqlite3.Connection:
    conn = sqlite3.connect(
        uri,
        uri=True,
        isolation_level=None,
        timeout=BUSY_TIMEOUT_MS / 1000,
        factory=ReadOnlyConnection,
    )
    try:
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()  # reads the header
    except BaseException:
        conn.close()
        raise
    return conn


def writable(path: Path) -> bool:
    """True when the store file and its folder (for ``-wal``/``-shm``) may be written."""
    folder = path.parent if str(path.parent) else Path(".")
    return os.access(path, os.W_OK) and os.access(folder, os.W_OK)


def disk_full(path: Path) -> bool:
    """True when the file system holding ``path`` has no space left for us."""
    try:
        stats = os.statvfs(path.parent if path.parent.exists() else Path("."))
    except (OSError, AttributeError):
        return False
    return stats.f_bavail * stats.f_frsize < PAGE_SIZE * 4


def store_fault(exc: BaseException) -> str | None:
    """What is wrong with the store itself ("database or disk is full", "read-only", ...),
    or None when ``exc`` is not such a fault (a constraint, a bug in a statement)."""
    if isinstance(exc, StoreReadOnly):
        return READ_ONLY
    if not isinstance(exc, sqlite3.Error):
        return None
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        return None
    return _FAULTS.get(code & 0xFF)


@contextmanager
def transaction(conn: sqlite3.Connection, *, immediate: bool = True) -> Iterator[None]:
    """Run the block as one transaction: all of it is stored, or none of it.

    A COMMIT that fails (the disk filled up) is rolled back too; when SQLite has already
    rolled back by itself, the original error is what the caller sees.
    """
    if conn.in_transaction:  # nested: the outer transaction decides
        yield
        return
    conn.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass  # the error that got us here says more
        raise
