"""Items the server brings, stored as articles here.

A page of the server's items is regrouped by feed and written out as a JSON Feed
document, which goes through the same parser as any fetched feed: every bound, the
sanitising and the canonical text apply to it as to a feed read directly. An item whose
url is already an article of its feed is that article (no second copy, its text kept).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from newsreader.models import FetchResult, ParsedFeed
from newsreader.store import transaction
from newsreader.store.sync import article_ids_by_key, articles_by_url, match_items
from newsreader.sync.client import item_id

if TYPE_CHECKING:  # the parser is imported when items new here arrive, not before
    from newsreader.feeds.rules import CompiledRule


@dataclass(slots=True)
class ItemsStored:
    """What storing the server's items did."""

    new_articles: int = 0
    new_ids: list[int] = field(default_factory=list)
    """The articles stored new (their pages are fetched by their feeds' full-text modes)."""
    matched: int = 0
    """Items that were an article here already."""
    skipped: int = 0
    """Items of a feed not (yet) known here, or that no parser could read."""
    lines: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Destination:
    """The feed here a server stream's items go to."""

    feed_id: int
    url: str


def store_items(
    conn: sqlite3.Connection,
    items: Sequence[dict[str, Any]],
    feeds: dict[str, Destination],
    rules: Sequence[CompiledRule],
    *,
    deliver: bool,
    result: ItemsStored,
) -> None:
    """Store one page of items (``deliver``: as new articles; else only matched to the
    articles this machine fetched), feed by feed, each feed in one transaction."""
    by_stream: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        origin = item.get("origin")
        stream = str(origin.get("streamId", "")) if isinstance(origin, dict) else ""
        by_stream.setdefault(stream, []).append(item)
    for stream, group in by_stream.items():
        feed = feeds.get(stream)
        if feed is None:
            result.skipped += len(group)
            continue
        _store_group(conn, stream, feed, group, rules, deliver, result)


def _store_group(
    conn: sqlite3.Connection,
    stream: str,
    feed: Destination,
    items: list[dict[str, Any]],
    rules: Sequence[CompiledRule],
    deliver: bool,
    result: ItemsStored,
) -> None:
    urls = {item_id(str(i.get("id", ""))): _url(i) for i in items}
    with transaction(conn):
        existing = articles_by_url(conn, feed.feed_id, (u for u in urls.values() if u))
        keys = {rid: existing[url] for rid, url in urls.items() if url in existing}
        fresh = [i for i in items if item_id(str(i.get("id", ""))) not in keys]
        if deliver and fresh:
            keys.update(_store_new(conn, feed, fresh, rules, result))
        ids = article_ids_by_key(conn, feed.feed_id, keys.values())
        rows = [(rid, ids.get(keys.get(rid, "")), stream, url) for rid, url in urls.items()]
        match_items(conn, rows)
    result.matched += len(existing)


def _store_new(
    conn: sqlite3.Connection,
    feed: Destination,
    items: list[dict[str, Any]],
    rules: Sequence[CompiledRule],
    result: ItemsStored,
) -> dict[str, str]:
    """Parse and store items new here (in the caller's transaction); their keys by id."""
    from newsreader.feeds.duplicates import detect
    from newsreader.feeds.errors import FeedParseError
    from newsreader.feeds.ingest import store_feed
    from newsreader.feeds.parse import parse_feed
    from newsreader.feeds.rules import apply_rules

    document = json.dumps(_json_feed(feed, items)).encode("utf-8")
    try:
        parsed = parse_feed(document, feed.url, "application/feed+json")
    except FeedParseError as exc:
        result.skipped += len(items)
        result.lines.append(f"{feed.url}: items from the server not read: {exc}")
        return {}
    keys = _own_keys(parsed)
    stored = store_feed(conn, feed.feed_id, parsed, FetchResult(url=feed.url, status=200))
    detect(conn, stored.new_ids)
    if rules:
        apply_rules(conn, rules, stored.new_ids)
    result.new_articles += stored.new
    result.new_ids.extend(stored.new_ids)
    return keys


def _own_keys(parsed: ParsedFeed) -> dict[str, str]:
    """Give each entry its key as an article here (by url, as a directly fetched entry
    without a guid has it; by server id when it has no url); the keys by server id."""
    keys: dict[str, str] = {}
    for entry in parsed.entries:
        remote_id, entry.guid = entry.guid, ""
        entry.key = f"link:{entry.url}" if entry.url else f"greader:{remote_id}"
        keys[remote_id] = entry.key
    return keys


def _json_feed(feed: Destination, items: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Server items as a JSON Feed 1.1 document (each item's id: its server id)."""
    return {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "",  # the feed keeps the title it has (the subscription's)
        "items": [_json_item(i) for i in items],
    }


def _json_item(item: dict[str, Any]) -> dict[str, Any]:
    body = item.get("content") or item.get("summary") or {}
    out: dict[str, Any] = {
        "id": item_id(str(item.get("id", ""))),
        "url": _url(item),
        "title": str(item.get("title") or ""),
        "content_html": str(body.get("content") or "") if isinstance(body, dict) else "",
    }
    published = item.get("published")
    if isinstance(published, int | float) and 0 < published < 1e11:
        out["date_published"] = datetime.fromtimestamp(published, UTC).isoformat()
    if item.get("author"):
        out["authors"] = [{"name": str(item["author"])}]
    attachments = [_attachment(e) for e in item.get("enclosure") or () if isinstance(e, dict)]
    if attachments:
        out["attachments"] = attachments
    return out


def _attachment(enclosure: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {
        "url": str(enclosure.get("href") or ""),
        "mime_type": str(enclosure.get("type") or ""),
    }
    if isinstance(enclosure.get("length"), int):
        found["size_in_bytes"] = enclosure["length"]
    return found


def _url(item: dict[str, Any]) -> str:
    """The item's link: canonical, else alternate."""
    for key in ("canonical", "alternate"):
        links = item.get(key)
        if isinstance(links, list) and links and isinstance(links[0], dict):
            href = links[0].get("href")
            if isinstance(href, str) and href:
                return href
    return ""
