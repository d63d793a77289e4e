"""Subscribe to a feed given as a feed URL, a web page URL (autodiscovery) or a local file.

The document fetched to find the feed is parsed and stored at once, so a new subscription
shows its articles without waiting for the next refresh. A damaged document is stored with
what could be recovered; the feed's status says what was wrong (``SubscribeResult.problem``).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from newsreader.feeds.discover import (
    candidate_paths,
    find_feed_links,
    looks_like_feed,
    looks_like_html,
)
from newsreader.feeds.fetch import Fetcher, is_local, local_path
from newsreader.feeds.ingest import store_feed
from newsreader.feeds.parse import FeedParseError, parse_feed
from newsreader.models import FetchResult, ParsedFeed
from newsreader.safety import clean_line, clean_url
from newsreader.store import transaction
from newsreader.store.feeds import add_feed, get_feed

MAX_CANDIDATES = 12
"""Most feed URLs tried for one web page (its advertised links first, then common paths)."""
_BARE_HOST = re.compile(r"^[\w-]+(\.[\w-]+)+(:\d+)?(/|$)", re.ASCII)


class SubscribeError(Exception):
    """Nothing to subscribe to: the message says why, in one line."""


@dataclass(frozen=True)
class SubscribeResult:
    """The subscription made (or found already there)."""

    feed_id: int
    url: str
    title: str
    created: bool
    """False when the feed was already subscribed."""
    alternatives: list[str] = field(default_factory=list)
    """Other feeds the page advertised, not subscribed."""
    problem: str = ""
    """Set when the document was damaged (see ``ParsedFeed.problem``): its entries were
    stored and the feed's status is "error" with this message."""


@dataclass(frozen=True)
class _Found:
    url: str
    fetched: FetchResult
    parsed: ParsedFeed


def subscribe(
    conn: sqlite3.Connection, target: str, fetcher: Fetcher, folder: str = ""
) -> SubscribeResult:
    """Subscribe to ``target`` and store its current articles.

    Args:
        target: a feed URL, a web page announcing feeds, or a local feed file path.
        fetcher: the Fetcher to download with (its limits apply).
        folder: the folder to put a new subscription in.

    Raises:
        SubscribeError: no feed was found, or it could not be fetched or parsed.
    """
    address = normalise_target(target)
    if is_local(address):
        found, alternatives = _local_feed(address, fetcher), []
    else:
        found, alternatives = _discover(address, fetcher)
    with transaction(conn):
        feed_id, created = add_feed(conn, found.url, "", folder)
        store_feed(conn, feed_id, found.parsed, replace(found.fetched, permanent_redirect=None))
    feed = get_feed(conn, feed_id)
    title = feed.title if feed else ""
    return SubscribeResult(feed_id, found.url, title, created, alternatives,
                           found.parsed.problem)


def normalise_target(target: str) -> str:
    """An http(s) URL, or the absolute path of an existing file; SubscribeError otherwise."""
    target = target.strip()
    if not target:
        raise SubscribeError("nothing to subscribe to: give a feed URL, page URL or file")
    scheme = urlsplit(target).scheme.lower() if "://" in target else ""
    if scheme in ("http", "https"):
        return clean_url(target)
    if scheme == "file" or not scheme:
        path = (local_path(target) if scheme else Path(target)).expanduser()
        if path.is_file():
            return str(path.resolve())
        if not scheme and _BARE_HOST.match(target):
            return "https://" + clean_url(target)
        raise SubscribeError(f"no such file: {clean_line(target)}")
    raise SubscribeError(f"unsupported address {clean_line(target)!r}: use http(s) or a file")


def _local_feed(path: str, fetcher: Fetcher) -> _Found:
    fetched = fetcher.fetch(path)
    if fetched.error:
        raise SubscribeError(fetched.error)
    return _Found(path, fetched, _parse(path, fetched))


def _parse(url: str, fetched: FetchResult) -> ParsedFeed:
    try:
        return parse_feed(fetched.body, fetched.url, fetched.content_type)
    except FeedParseError as exc:
        raise SubscribeError(f"{url} is not a feed: {clean_line(exc)}") from exc


def _discover(url: str, fetcher: Fetcher) -> tuple[_Found, list[str]]:
    """The feed at ``url``, or the first working feed the page at ``url`` leads to."""
    page = fetcher.fetch(url)
    if page.error:
        raise SubscribeError(f"{url}: {page.error}")
    if looks_like_feed(page.body, page.content_type) or not looks_like_html(
        page.body, page.content_type
    ):
        return _Found(page.permanent_redirect or url, page, _parse(url, page)), []
    links = find_feed_links(page.body, page.url)
    guesses = [c for c in candidate_paths(page.url) if c not in links]
    for candidate in (links + guesses)[:MAX_CANDIDATES]:
        found = _try_feed(candidate, fetcher)
        if found is not None:
            later = links[links.index(candidate) + 1:] if candidate in links else []
            return found, later
    lists = "the feed link it lists does" if len(links) == 1 else \
        f"the {len(links)} feed links it lists do"
    advertised = f"; {lists} not work" if links else ""
    raise SubscribeError(f"no feed found at {url}{advertised}")


def _try_feed(url: str, fetcher: Fetcher) -> _Found | None:
    """``url`` as a subscription if it answers with a parseable feed, else None."""
    fetched = fetcher.fetch(url)
    if fetched.error or not looks_like_feed(fetched.body, fetched.content_type):
        return None
    try:
        parsed = parse_feed(fetched.body, fetched.url, fetched.content_type)
    except FeedParseError:
        return None
    return _Found(fetched.permanent_redirect or url, fetched, parsed)
