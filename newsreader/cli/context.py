"""What every command needs: resolved paths, settings, and a store connection on demand."""

from __future__ import annotations

import argparse
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from newsreader import paths
from newsreader.config import ConfigError, Settings, load_settings


class CliError(Exception):
    """A failure the user must act on: printed as one line, exit status 1."""


@dataclass
class Context:
    """Resolved options shared by the commands."""

    db_path: Path
    config_path: Path
    settings: Settings
    _conn: sqlite3.Connection | None = field(default=None, repr=False)
    read_only: str = ""
    """Why the store was opened for reading only ("" when it is writable): a command that
    only reads works; one that writes fails with this reason (:meth:`store_error`)."""

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Context:
        """Resolve --db / --config (and their environment variables) and read the config."""
        config_path = paths.config_path(getattr(args, "config", None))
        try:
            settings = load_settings(config_path)
        except ConfigError as exc:
            raise CliError(str(exc)) from exc
        return cls(paths.db_path(getattr(args, "db", None)), config_path, settings)

    @property
    def conn(self) -> sqlite3.Connection:
        """The store, opened (and migrated) on first use; read-only when it cannot be
        written (a read-only file system, no permission, a full disk)."""
        if self._conn is None:
            self._conn = self._open()
        return self._conn

    def _open(self) -> sqlite3.Connection:
        from newsreader.store.db import (
            connect,
            connect_read_only,
            disk_full,
            store_fault,
            writable,
        )

        try:
            return connect(self.db_path)
        except (sqlite3.Error, OSError, RuntimeError) as exc:
            failure: BaseException = exc
        unwritable = self.db_path.is_file() and (
            not writable(self.db_path) or disk_full(self.db_path)
        )
        if unwritable and store_fault(failure):
            reason = self._unwritable_reason()
            try:
                conn = connect_read_only(self.db_path)
            except sqlite3.Error as exc:
                failure = exc
            else:
                self.read_only = reason
                return conn
        raise CliError(
            self.store_error(failure) or f"cannot open the store {self.db_path}: {failure}"
        ) from failure

    def _unwritable_reason(self) -> str:
        from newsreader.store.db import FULL, disk_full

        if disk_full(self.db_path):
            return FULL
        try:
            read_only_fs = bool(os.statvfs(self.db_path).f_flag & os.ST_RDONLY)
        except (OSError, AttributeError):
            read_only_fs = False
        return _READ_ONLY_FS if read_only_fs else _NO_PERMISSION

    def store_error(self, exc: BaseException) -> str | None:
        """One line for a fault of the store itself (full, read-only, I/O), else None."""
        from newsreader.store.db import FULL, READ_ONLY, disk_full, store_fault

        fault = store_fault(exc)
        if fault is None:
            return None
        if fault == READ_ONLY:
            fault = self.read_only or self._unwritable_reason()
        elif fault != FULL and disk_full(self.db_path):
            fault = FULL  # e.g. no room for the -shm file: SQLite says "disk I/O error"
        store = f"the store {self.db_path}"
        if fault == FULL:
            return f"cannot write to {store}: {FULL}; the unfinished change was not stored"
        if fault in (_READ_ONLY_FS, _NO_PERMISSION):
            return f"cannot write to {store}: {fault}"
        return f"{store}: {fault}"


_READ_ONLY_FS = "it is on a read-only file system"
_NO_PERMISSION = "it is read-only (no permission to write it or its folder)"
