"""Small key/value state (UI position restored on the next start, and the like)."""

from __future__ import annotations

import sqlite3


def get_state(conn: sqlite3.Connection, key: str, default: str = "") -> str:
    """The stored value for ``key``, or ``default``."""
    row = conn.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
    return row[0] if row else default


def set_state(conn: sqlite3.Connection, key: str, value: str) -> None:
    """Store ``value`` under ``key``."""
    conn.execute(
        "INSERT INTO state (key, value) VALUES (?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )
