"""Where the user was, kept in the store between runs: the feed, the article under the
list's cursor, the open article with its top line and cursor, and the focused pane."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from newsreader.store import state as state_store

KEYS = ("source", "unread_only", "article", "reader_article", "reader_offset",
        "reader_cursor", "pane")


@dataclass(frozen=True, slots=True)
class Place:
    """The saved place (every field as stored; "" when unknown)."""

    source: str = "all"
    unread_only: bool = False
    article: int | None = None
    reader_article: int | None = None
    reader_offset: int = 0
    reader_cursor: int | None = None
    pane: str = "articles"


def load(conn: sqlite3.Connection) -> Place:
    """The place saved by the last run (defaults for a new store)."""
    saved = {key: state_store.get_state(conn, f"tui.{key}") for key in KEYS}
    return Place(source=saved["source"] or "all", unread_only=saved["unread_only"] == "1",
                 article=_int(saved["article"]), reader_article=_int(saved["reader_article"]),
                 reader_offset=_int(saved["reader_offset"]) or 0,
                 reader_cursor=_int(saved["reader_cursor"]), pane=saved["pane"] or "articles")


def save(conn: sqlite3.Connection, place: Place) -> None:
    """Keep ``place`` for the next run."""
    values = {
        "source": place.source, "unread_only": "1" if place.unread_only else "0",
        "article": _str(place.article), "reader_article": _str(place.reader_article),
        "reader_offset": str(place.reader_offset), "reader_cursor": _str(place.reader_cursor),
        "pane": place.pane,
    }
    for key, value in values.items():
        state_store.set_state(conn, f"tui.{key}", value)


def _int(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None


def _str(value: int | None) -> str:
    return "" if value is None else str(value)
