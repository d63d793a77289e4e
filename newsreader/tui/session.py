"""Where the user was, kept in the store between runs: the feed, the article under the
list's cursor, the open article with its top line and cursor, and the focused pane; and
the panes shown that way again at start-up."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from newsreader.store import state as state_store
from newsreader.store import views
from newsreader.store.search import QueryError
from newsreader.tui.panes.articles import ArticlesPane
from newsreader.tui.panes.feeds import FeedsPane
from newsreader.tui.panes.reader import ReaderPane

KEYS = (
    "source",
    "unread_only",
    "article",
    "reader_article",
    "reader_offset",
    "reader_cursor",
    "pane",
)


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
    return Place(
        source=saved["source"] or "all",
        unread_only=saved["unread_only"] == "1",
        article=_int(saved["article"]),
        reader_article=_int(saved["reader_article"]),
        reader_offset=_int(saved["reader_offset"]) or 0,
        reader_cursor=_int(saved["reader_cursor"]),
        pane=saved["pane"] or "articles",
    )


def save(conn: sqlite3.Connection, place: Place) -> None:
    """Keep ``place`` for the next run."""
    values = {
        "source": place.source,
        "unread_only": "1" if place.unread_only else "0",
        "article": _str(place.article),
        "reader_article": _str(place.reader_article),
        "reader_offset": str(place.reader_offset),
        "reader_cursor": _str(place.reader_cursor),
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


def restore(feeds: FeedsPane, articles: ArticlesPane, reader: ReaderPane) -> str:
    """Show the panes as the last run left them; the pane to focus."""
    conn = feeds.news.conn
    place = load(conn)
    feeds.reload_rows(keep_key=place.source)
    articles.know_feeds(feeds.list.rows)
    row = feeds.current
    source = row.source if row else views.Source("all")
    try:
        ids = views.article_ids(conn, source, place.unread_only)
    except QueryError as exc:  # a saved search that no longer reads
        feeds.say(f"Cannot show {row.label if row else source.key}: {exc}", "warning")
        source, ids = views.Source("all"), views.article_ids(conn, views.Source("all"))
    articles.show_now(source, place.unread_only, ids, place.article)
    if place.reader_article is not None:
        reader.open_article(
            place.reader_article, offset=place.reader_offset, cursor=place.reader_cursor
        )
    if place.pane == "reader" and reader.view.article_id is None:
        return "articles"
    return place.pane if place.pane in ("feeds", "articles", "reader") else "articles"


def remember(feeds: FeedsPane, articles: ArticlesPane, reader: ReaderPane, pane: str) -> None:
    """Keep where the user is for the next run."""
    row, view, listed = feeds.current, reader.view, articles.list
    save(
        feeds.news.conn,
        Place(
            row.source.key if row else "all",
            listed.unread_only,
            listed.current_id,
            view.article_id,
            view.top_offset,
            view.cursor,
            pane,
        ),
    )
