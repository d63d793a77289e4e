"""Store a parsed feed document: its articles, what the fetch learned, and the annotations
that follow their article's text. The one write step of both refresh and subscribe."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any

from newsreader.feeds.schedule import asked_minutes
from newsreader.models import FetchResult, ParsedEntry, ParsedFeed
from newsreader.safety import clean_line, clean_url
from newsreader.store import transaction
from newsreader.store.articles import UpsertResult, content_hash, upsert_entries
from newsreader.store.feeds import (
    MergeResult,
    merge_feeds,
    move_feed,
    record_fetch,
    set_feed_title,
)


@dataclass(slots=True)
class StorableFeed(ParsedFeed):
    """A parsed feed with each entry's content digest already computed.

    Made in a parser process (:func:`parse_for_store`), so hashing ~11 KB of HTML and text
    per entry happens on every core instead of on the one writer thread.
    """

    digests: list[str] = field(default_factory=list)

    def __reduce__(self) -> tuple[Callable[[dict[str, Any]], StorableFeed], tuple[dict[str, Any]]]:
        """Pickled as plain tuples, not through a slots dataclass's Python
        ``__getstate__``/``__setstate__`` per entry: a quarter cheaper to pickle in the
        parser process, an eighth cheaper to unpickle in the refresh's process."""
        values = {name: getattr(self, name) for name in _FEED_FIELDS}
        values["entries"] = [_entry_row(entry) for entry in self.entries]
        return (_unpickle, (values,))


_ENTRY_FIELDS = tuple(f.name for f in fields(ParsedEntry))
_entry_row = attrgetter(*_ENTRY_FIELDS)
"""An entry's field values in declaration order: ``ParsedEntry(*row)`` rebuilds it."""


_FEED_FIELDS = tuple(f.name for f in fields(StorableFeed))
"""Every field, so one added to ParsedFeed later still crosses between processes."""


def _unpickle(values: dict[str, Any]) -> StorableFeed:
    values["entries"] = [ParsedEntry(*row) for row in values["entries"]]
    return StorableFeed(**values)


def parse_for_store(body: bytes, url: str, content_type: str = "") -> StorableFeed:
    """:func:`newsreader.feeds.parse.parse_feed`, plus the entries' content digests.

    (Imported on first use: parser processes have it preloaded, and a refresh where every
    feed answers 304 never parses.)
    """
    from newsreader.feeds.parse import parse_feed

    parsed = parse_feed(body, url, content_type)
    values = {f.name: getattr(parsed, f.name) for f in fields(ParsedFeed)}
    return StorableFeed(**values, digests=[content_hash(e) for e in parsed.entries])


def store_feed(
    conn: sqlite3.Connection,
    feed_id: int,
    parsed: ParsedFeed,
    fetched: FetchResult,
    *,
    now: float | None = None,
) -> UpsertResult:
    """Store one fetched and parsed feed document in one transaction.

    Articles are inserted or updated; annotations follow (:func:`follow_annotations`); the
    feed gets the document's title and site and the fetch outcome: "ok" with the new
    validators, or "error" with ``parsed.problem`` when the document was damaged (its
    entries are stored all the same; the validators are not, so the next refresh looks
    again); a permanent redirect moves the feed. ``parsed.notice`` (entries past the
    limit, not read) is kept as the status text of an "ok" feed.
    """
    digests = parsed.digests if isinstance(parsed, StorableFeed) else None
    with transaction(conn):
        stored = upsert_entries(conn, feed_id, parsed.entries, now=now, digests=digests)
        follow_annotations(conn, stored)
        set_feed_title(conn, feed_id, clean_line(parsed.title), clean_url(parsed.site_url))
        if parsed.problem:
            error = "; ".join(p for p in (parsed.problem, parsed.notice) if p)
            record_fetch(
                conn,
                feed_id,
                status="error",
                error=error,
                http_status=fetched.status or None,
                now=now,
            )
        else:
            record_fetch(
                conn,
                feed_id,
                status="ok",
                error=parsed.notice,
                http_status=fetched.status or None,
                etag=fetched.etag,
                last_modified=fetched.last_modified,
                ttl_minutes=_longest(asked_minutes(fetched.max_age), parsed.ttl_minutes),
                now=now,
            )
        if fetched.permanent_redirect:
            move_feed(conn, feed_id, fetched.permanent_redirect)
    return stored


def _longest(*minutes: int | None) -> int | None:
    """The longest of the intervals asked for (None when none is)."""
    asked = [m for m in minutes if m]
    return max(asked) if asked else None


def merge_into(conn: sqlite3.Connection, source_id: int, target_id: int) -> MergeResult:
    """Fold feed ``source_id`` into ``target_id`` (it moved there permanently, and that url
    was subscribed already), in the caller's transaction: articles, annotations and notes
    are kept (:func:`newsreader.store.feeds.merge_feeds`); annotations that changed article
    are re-anchored to its text."""
    merged = merge_feeds(conn, source_id, target_id)
    if merged.joined:
        from newsreader.annotations.service import reanchor_article

        for article_id in merged.joined:
            reanchor_article(conn, article_id)
    return merged


def follow_annotations(conn: sqlite3.Connection, stored: UpsertResult) -> None:
    """Keep annotations with their articles after an upsert, in the caller's transaction.

    Articles whose canonical text changed have their annotations re-anchored (moved to
    where their quote now is, or flagged orphaned: never dropped); annotations and notes
    waiting for an article's URL (imported before it existed) attach to new articles.
    """
    if stored.changed_ids:
        from newsreader.annotations.service import reanchor_article

        for article_id in stored.changed_ids:
            reanchor_article(conn, article_id)
    if stored.new_ids:
        from newsreader.annotations.reattach import reattach_orphans

        reattach_orphans(conn, stored.new_ids)
