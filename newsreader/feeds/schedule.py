"""When each feed is next refreshed: auto-refresh in the TUI and ``refresh --due``.

A feed is refreshed every ``interval_minutes`` (its own, else ``[fetch]
interval_minutes``), never sooner than it asks (its ``<ttl>``, ``sy:updatePeriod`` /
``sy:updateFrequency``, or its server's Cache-Control ``max-age``: the longest of them, at
most a week) nor before a Retry-After has run out. A feed that keeps failing waits longer
each time: the interval doubled per failure after the first, at most a day. A feed that
answered 410 Gone is not refreshed again until the user refreshes it by name.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from newsreader.models import Feed

MAX_BACKOFF = 86_400.0
"""The longest a failing feed waits between two attempts (a day)."""
MAX_TTL_MINUTES = 7 * 24 * 60
_PERIODS = {"hourly": 60, "daily": 1440, "weekly": 10080, "monthly": 43200, "yearly": 525600}


def asked_minutes(
    max_age: float | None, ttl: int | None = None, period: str = "", frequency: int = 1
) -> int | None:
    """The interval a feed asks for, in whole minutes (None: it asks for none): the longest
    of Cache-Control ``max-age`` (seconds), ``<ttl>`` (minutes) and ``sy:updatePeriod``
    divided by ``sy:updateFrequency``; at most a week."""
    asked = []
    if max_age:
        asked.append(math.ceil(max_age / 60))
    if ttl and ttl > 0:
        asked.append(ttl)
    if period.strip().lower() in _PERIODS:
        asked.append(_PERIODS[period.strip().lower()] // max(1, frequency))
    return min(max(asked), MAX_TTL_MINUTES) if asked else None


def interval(feed: Feed, default_minutes: float) -> float:
    """Seconds between two refreshes of ``feed`` while it works."""
    minutes = feed.interval_minutes or default_minutes
    return max(minutes, feed.ttl_minutes or 0) * 60.0


def next_attempt(feed: Feed, default_minutes: float) -> float | None:
    """When ``feed`` is next due (a unix time; 0 when it never was fetched), or None when
    it is gone (410) and waits for the user."""
    if feed.last_status == "dead":
        return None
    if feed.last_fetched is None:
        return 0.0
    wait = interval(feed, default_minutes)
    if feed.failures > 1:
        wait = min(wait * 2 ** (feed.failures - 1), max(MAX_BACKOFF, wait))
    due = feed.last_fetched + wait
    return max(due, feed.next_fetch_after or 0.0)


def due_feeds(feeds: Iterable[Feed], default_minutes: float, now: float) -> list[int]:
    """The ids of the feeds due at ``now``, the longest waiting first."""
    due = [
        (when, feed.id)
        for feed in feeds
        if (when := next_attempt(feed, default_minutes)) is not None and when <= now
    ]
    return [feed_id for _, feed_id in sorted(due)]
