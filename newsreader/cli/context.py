"""What every command needs: resolved paths, settings, and a store connection on demand."""

from __future__ import annotations

import argparse
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
        """The store, opened (and migrated) on first use."""
        if self._conn is None:
            from newsreader.store import connect

            try:
                self._conn = connect(self.db_path)
            except (sqlite3.Error, OSError, RuntimeError) as exc:
                raise CliError(f"cannot open the store {self.db_path}: {exc}") from exc
        return self._conn
