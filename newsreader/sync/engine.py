"""One sync with a Google Reader API server: subscriptions and folders, then the items new
since the last sync, then read, starred, labels and Later of every item, both ways.

Each step commits on its own, and what both sides agree on is recorded only after the
server has taken our changes, so a sync stopped at any point (the server gone, a kill)
leaves the store consistent and the next sync sends what is still to send.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from newsreader.config import SyncSettings
from newsreader.rulespec import Rule
from newsreader.store import transaction
from newsreader.store.articles import set_read, set_starred
from newsreader.store.labels import LabelError, change_labels, clean_label, label_names, set_later
from newsreader.store.state import get_state, set_state
from newsreader.store.sync import (
    item_states,
    item_states_of,
    log_lines,
    match_waiting,
    set_base,
    synced_feeds,
)
from newsreader.sync.client import LABEL, READ, READING_LIST, STARRED, GReaderClient, Tag
from newsreader.sync.items import Destination, ItemsStored, store_items
from newsreader.sync.merge import Plan, Remote, plan
from newsreader.sync.subscriptions import FeedChanges, sync_subscriptions

LAST_ITEMS = "sync.items_since"
LAST_SYNC = "sync.last"

Progress = Callable[[str], None]


@dataclass(slots=True)
class SyncSummary:
    """What a sync did."""

    feeds: FeedChanges = field(default_factory=FeedChanges)
    items: ItemsStored = field(default_factory=ItemsStored)
    applied: int = 0
    """Flags changed here from the server."""
    sent: int = 0
    """Flags sent to the server."""
    requests: int = 0
    waited: float = 0.0
    """Seconds spent waiting for the server."""
    lines: list[str] = field(default_factory=list)

    def line(self) -> str:
        """One line for the user."""
        parts = [f"{self.items.new_articles} new articles"]
        f = self.feeds
        if f.added_here or f.added_there:
            parts.append(f"feeds added: {f.added_here} here, {f.added_there} there")
        if f.removed_here or f.removed_there:
            parts.append(f"feeds removed: {f.removed_here} here, {f.removed_there} there")
        parts.append(f"{self.applied} changes from the server, {self.sent} sent")
        waiting = f"{self.requests} requests, {self.waited:.2f} s waiting for the server"
        return "synced: " + "; ".join(parts) + f" ({waiting})"


def run_sync(
    conn: sqlite3.Connection,
    client: GReaderClient,
    settings: SyncSettings,
    *,
    rules: Sequence[Rule] = (),
    full: bool = False,
    progress: Progress | None = None,
    now: float | None = None,
) -> SyncSummary:
    """Sync once (``full``: read every item again, not only those since the last sync).

    Raises:
        SyncError: the server refused or failed; what was done so far is kept.
    """
    say = progress or (lambda _line: None)
    started = time.time() if now is None else now
    summary = SyncSummary()
    deliver = settings.articles == "server"
    say("subscriptions")
    summary.feeds = sync_subscriptions(conn, client, deliver)
    say("new items")
    newest = _pull_items(conn, client, deliver, rules, None if full else _since(conn), summary, say)
    if newest is not None:
        with transaction(conn):
            set_state(conn, LAST_ITEMS, str(newest))
    match_waiting(conn)
    say("read, starred and labels")
    _sync_state(conn, client, settings, summary)
    with transaction(conn):
        set_state(conn, LAST_SYNC, str(started))
    summary.requests = client.stats.requests
    summary.waited = client.stats.waited
    summary.lines = summary.feeds.lines + summary.items.lines + summary.lines
    log_lines(conn, summary.lines, started)
    return summary


def _since(conn: sqlite3.Connection) -> float | None:
    """When the newest item seen was added on the server (its clock, not ours): the next
    sync asks for the items added since that second."""
    last = get_state(conn, LAST_ITEMS)
    return float(last) if last else None


def _pull_items(
    conn: sqlite3.Connection,
    client: GReaderClient,
    deliver: bool,
    rules: Sequence[Rule],
    since: float | None,
    summary: SyncSummary,
    say: Progress,
) -> float | None:
    """Store the items added since ``since``; returns when the newest was added (server
    time, seconds), None when there were none."""
    compiled: list[Any] = []
    if rules:
        from newsreader.feeds.rules import compile_rules

        compiled, problems = compile_rules(rules)
        summary.lines += problems
    feeds = {
        f.stream_id: Destination(f.feed_id, f.url)
        for f in synced_feeds(conn)
        if f.feed_id is not None
    }
    newest: float | None = None
    for page in client.items(since):
        store_items(conn, page, feeds, compiled, deliver=deliver, result=summary.items)
        say(f"new items: {summary.items.new_articles}")
        for item in page:
            added = _added(item)
            if added is not None and (newest is None or added > newest):
                newest = added
    return newest


def _added(item: dict[str, Any]) -> float | None:
    """When the server added an item (``crawlTimeMsec``), in seconds."""
    value = item.get("crawlTimeMsec") or item.get("timestampUsec")
    try:
        number = float(str(value))
    except ValueError:
        return None
    return number / (1e6 if "crawlTimeMsec" not in item else 1e3)


def _sync_state(
    conn: sqlite3.Connection, client: GReaderClient, settings: SyncSettings, summary: SyncSummary
) -> None:
    tags = client.tags()
    labels = _synced_labels(conn, tags, settings.later_label, summary)
    on_server = {t.name.casefold() for t in tags if t.kind != "folder"} & {
        n.casefold() for n in labels
    }
    remote = Remote(
        unread=client.item_ids(READING_LIST, exclude=READ),
        starred=client.item_ids(STARRED),
        labels={n: client.item_ids(LABEL + n) for n in labels if n.casefold() in on_server},
    )
    merged = plan(item_states(conn), remote, labels, settings.later_label)
    _send(client, merged)
    summary.sent += merged.sent
    summary.applied += _apply(conn, merged, settings.later_label)
    summary.lines += merged.lines


def _synced_labels(
    conn: sqlite3.Connection, tags: Sequence[Tag], later_label: str, summary: SyncSummary
) -> list[str]:
    """Labels synced: the server's (not its folders) and ours, Later's among them; a
    label here named like a server folder stays here (the API could not tell them apart)."""
    folders = {t.name.casefold() for t in tags if t.kind == "folder"}
    folders |= {f.folder.casefold() for f in synced_feeds(conn) if f.folder}
    names = {}
    for tag in tags:
        if tag.kind == "folder":
            continue
        try:
            usable = clean_label(tag.name) == tag.name
        except LabelError:
            usable = False
        if usable:
            names[tag.name.casefold()] = tag.name
        else:
            summary.lines.append(f"server label {tag.name[:40]!r} is not a usable label name here")
    for name in label_names(conn):
        if name.casefold() in folders:
            summary.lines.append(
                f"label {name!r} has the name of a folder on the server: kept here only"
            )
            continue
        names.setdefault(name.casefold(), name)
    names.setdefault(later_label.casefold(), later_label)
    return [n for key, n in names.items() if key not in folders]


def _send(client: GReaderClient, merged: Plan) -> None:
    """Send our changes, a request per flag and direction (in batches)."""
    for (name, add), ids in merged.send.items():
        stream = {"read": READ, "starred": STARRED}.get(name, LABEL + name)
        client.edit_tag(sorted(ids), add=stream if add else "", remove="" if add else stream)


def _apply(conn: sqlite3.Connection, merged: Plan, later_label: str) -> int:
    """The server's changes here and the new bases, in one transaction; an article the
    user changed meanwhile keeps its change and its old base (the next sync sees it)."""
    with transaction(conn):
        now = item_states_of(conn, merged.expected)
        moved = {i for i, was in merged.expected.items() if now.get(i) != was}
        applied = 0
        for value, ids in merged.read_here.items():
            keep = [i for i in ids if i not in moved]
            if keep:
                set_read(conn, keep, value)
            applied += len(keep)
        for value, ids in merged.star_here.items():
            for i in ids:
                if i not in moved:
                    set_starred(conn, i, value)
                    applied += 1
        for (name, value), ids in merged.label_here.items():
            applied += _label(conn, [i for i in ids if i not in moved], name, value, later_label)
        set_base(
            conn,
            [(rid, r, s, labels) for aid, rid, r, s, labels in merged.bases if aid not in moved],
        )
    return applied


def _label(conn: sqlite3.Connection, ids: list[int], name: str, value: bool, later: str) -> int:
    if not ids:
        return 0
    if name.casefold() == later.casefold():
        set_later(conn, ids, value)
    elif value:
        change_labels(conn, ids, add=[name])
    else:
        change_labels(conn, ids, remove=[name])
    return len(ids)
