"""The SQLite store: one file, WAL, numbered migrations, FTS5 search."""

from newsreader.store.db import connect, transaction

__all__ = ["connect", "transaction"]
