"""Subscribe to a feed given as a feed URL, a web page URL (autodiscovery) or a local file.

The document fetched to find the feed is parsed and stored at once, so a new subscription
shows its articles without waiting for the next refresh. A damaged document is stored with
what could be recovered; the feed's status says what was wrong (``SubscribeResult.problem``).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from newsreader.feeds.discover import (
    candidate_paths,
    find_feed_links,
    looks_like_feed,
    looks_like_html,
)
from newsreader.feeds.duplicates import detect
from newsreader.feeds.errors import FeedParseError
from newsreader.feeds.fetch import Fetcher, is_local, local_path
from newsreader.feeds.ingest import store_feed
from newsreader.feeds.parse import parse_feed
from newsreader.feeds.rules import RulesReport, apply_rules, compile_rules
from newsreader.models import FetchResult, ParsedFeed
from newsreader.rulespec import Rule
from newsreader.safety import clean_line, clean_url
from newsreader.store import transaction
from newsreader.store.feeds import add_feed, get_feed
from newsreader.urls import normalise_url

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
    guessed: bool = False
    """The page declared no working feed: ``url`` is a common feed address on the same
    site (``/feed``, ``/atom.xml``...) that answered with a feed — a guess, maybe not the
    page's own feed."""
    failed_links: list[tuple[str, str]] = field(default_factory=list)
    """Feeds the page declared that did not work, each with why (HTTP 404, a DNS error,
    not a feed...)."""
    notice: str = ""
    """See ``ParsedFeed.notice`` (entries past the limit, not read)."""
    ruled: tuple[str, ...] = ()
    """What the rules did to its articles, and the rules that could not be used."""

    def notes(self) -> list[str]:
        """What the user should be told besides "subscribed": one line each."""
        lines = [
            f"the page's feed link {url} does not work: {why}" for url, why in self.failed_links
        ]
        if self.guessed:
            declared = (
                "none of the feeds it declares works"
                if self.failed_links
                else "the page declares no feed"
            )
            lines.append(
                f"{self.url} is a guess ({declared}): a common feed address on "
                "that site, which answered with a feed"
            )
        if self.notice:
            lines.append(self.notice)
        return lines + list(self.ruled)


@dataclass(frozen=True)
class _Found:
    url: str
    fetched: FetchResult
    parsed: ParsedFeed
    guessed: bool = False
    failed_links: tuple[tuple[str, str], ...] = ()


def subscribe(
    conn: sqlite3.Connection,
    target: str,
    fetcher: Fetcher,
    folder: str = "",
    rules: Sequence[Rule] = (),
) -> SubscribeResult:
    """Subscribe to ``target`` and store its current articles, ``rules`` applied to them.

    Args:
        target: a feed URL, a web page announcing feeds, or a local feed file path.
        fetcher: the Fetcher to download with (its limits apply).
        folder: the folder to put a new subscription in.

    Raises:
        SubscribeError: no feed was found, or it could not be fetched or parsed.
    """
    address = normalise_target(target)
    alternatives: list[str] = []
    if is_local(address):
        found = _local_feed(address, fetcher)
    else:
        found, alternatives = _discover(address, fetcher)
    compiled, problems = compile_rules(rules)
    with transaction(conn):
        feed_id, created = add_feed(conn, found.url, "", folder)
        stored = store_feed(
            conn, feed_id, found.parsed, replace(found.fetched, permanent_redirect=None)
        )
        detect(conn, stored.new_ids)
        report = apply_rules(conn, compiled, stored.new_ids) if compiled else RulesReport()
    feed = get_feed(conn, feed_id)
    title = feed.title if feed else ""
    return SubscribeResult(
        feed_id,
        found.url,
        title,
        created,
        alternatives,
        found.parsed.problem,
        found.guessed,
        list(found.failed_links),
        found.parsed.notice,
        tuple(problems) + ((report.line(),) if report.line() else ()),
    )


def normalise_target(target: str) -> str:
    """An http(s) URL, or the absolute path of an existing file; SubscribeError otherwise."""
    target = target.strip()
    if not target:
        raise SubscribeError("nothing to subscribe to: give a feed URL, page URL or file")
    scheme = urlsplit(target).scheme.lower() if "://" in target else ""
    if scheme in ("http", "https"):
        return normalise_url(clean_url(target))
    if scheme == "file" or not scheme:
        path = (local_path(target) if scheme else Path(target)).expanduser()
        if path.is_file():
            return str(path.resolve())
        if not scheme and _BARE_HOST.match(target):
            return normalise_url("https://" + clean_url(target))
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
    links = find_feed_links(page.body, page.url)[:MAX_CANDIDATES]
    failed: list[tuple[str, str]] = []
    for link in links:
        found = _try_feed(link, fetcher)
        if isinstance(found, _Found):
            later = links[links.index(link) + 1 :]
            return replace(found, failed_links=tuple(failed)), later
        failed.append((link, found))
    guesses = [c for c in candidate_paths(page.url) if c not in links]
    for guess in guesses[: max(0, MAX_CANDIDATES - len(links))]:
        found = _try_feed(guess, fetcher)
        if isinstance(found, _Found):
            return replace(found, guessed=True, failed_links=tuple(failed)), []
    raise SubscribeError(f"no feed found at {url}{_declared_failures(failed)}")


def _declared_failures(failed: list[tuple[str, str]]) -> str:
    """ "; the feed link it declares does not work (URL: why)", or "" when none."""
    if not failed:
        return "; it declares no feed and no common feed address answered"
    lists = (
        "the feed link it declares does"
        if len(failed) == 1
        else f"the {len(failed)} feed links it declares do"
    )
    reasons = "; ".join(f"{link}: {why}" for link, why in failed)
    return f"; {lists} not work ({reasons})"


def _try_feed(url: str, fetcher: Fetcher) -> _Found | str:
    """``url`` as a subscription if it answers with a parseable feed, else why not."""
    fetched = fetcher.fetch(url)
    if fetched.error:
        return clean_line(fetched.error)
    if not looks_like_feed(fetched.body, fetched.content_type):
        kind = (
            "an HTML page"
            if looks_like_html(fetched.body, fetched.content_type)
            else clean_line(fetched.content_type.split(";")[0]) or "no content type"
        )
        return f"not a feed ({kind})"
    try:
        parsed = parse_feed(fetched.body, fetched.url, fetched.content_type)
    except FeedParseError as exc:
        return clean_line(exc)
    return _Found(fetched.permanent_redirect or url, fetched, parsed)
