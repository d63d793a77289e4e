"""Feed documents (bytes) -> :class:`ParsedFeed`: RSS, Atom, RSS 1.0 and JSON Feed.

The pipeline, for every document:

1. **Bounds and input safety** (:mod:`newsreader.feeds.xmlinput`): a size cap; the
   encoding is settled once (BOM, then the XML declaration, then the HTTP charset, then
   UTF-8, windows-1252, Latin-1) and the document re-encoded as UTF-8 with a matching
   declaration; DTD internal subsets and ENTITY declarations are removed *before* any
   parser sees the bytes (entity bombs). JSON goes to :mod:`newsreader.feeds.jsonfeed`.
2. **Extraction**: the lxml fast path (:mod:`newsreader.feeds.fastparse`) for well-formed
   RSS 2.0 / Atom 1.0 / RSS 1.0; feedparser for everything it declines — given a stream
   of the bytes (never a URL or a path, so it never fetches or opens anything), with its
   HTML sanitiser and URI resolution off, at most ``MAX_ENTRIES`` entries.
3. **Normalisation**, identical for every path: titles to one line of plain text, links
   kept only when http(s) (enclosures too: each a URL, a one-line type and a length in
   bytes or None), dates bounded (:mod:`newsreader.feeds.dates`), every string
   through :mod:`newsreader.safety`, the body sanitised and turned into canonical text by
   :mod:`newsreader.feeds.text`, both from one lxml parse of the body.
4. **Problems**: a document that had to be repaired still gives its entries, with
   ``ParsedFeed.problem`` saying what was wrong, and the refresh shows it as the feed's
   error: a charset the bytes are not valid in, entity declarations removed (xmlinput),
   damaged XML such as a truncated download (:mod:`newsreader.feeds.wellformed`, which
   also says what merely sloppy XML is not reported).

The stored HTML is sanitised (:mod:`newsreader.feeds.sanitize`, an allowlist walk with
lxml), not stored raw for text.py to tame at display time: it outlives the display
(exports, "open original"), and one cheap pass at ingest makes it inert for every later
reader. The canonical text is walked from the same sanitised tree
(:func:`newsreader.feeds.text.tree_to_text`): one HTML parse per entry, not two.
feedparser's sanitiser is off because it is its slowest part and lets
``javascript:``/``data:`` links and tracking pixels through.

Stable keys: ``guid:<guid>``, else ``link:<url>``, else ``hash:<sha1 of title and date>``
(``hash:`` of the body when there is neither); entries with none of these are dropped.
"""

from __future__ import annotations

import hashlib
import io
import time
from html import escape
from typing import Any

from newsreader import safety
from newsreader.feeds import dates, fastparse, jsonfeed, wellformed, xmlinput
from newsreader.feeds.authors import author_name
from newsreader.feeds.errors import FeedParseError
from newsreader.feeds.raw import RawEntry, RawFeed
from newsreader.feeds.sanitize import sanitize_tree
from newsreader.feeds.schedule import asked_minutes
from newsreader.feeds.text import PLAIN_HTTP_URL, html_to_text, plain_text, tree_to_text
from newsreader.models import Enclosure, ParsedEntry, ParsedFeed

MAX_BODY_BYTES = 32 * 1024 * 1024
"""Documents larger than this are refused (the fetcher's own cap is lower by default)."""
MAX_ENTRIES = 25_000
"""Entries past this many (in document order) are not read; the feed's status says how
many were left out (``ParsedFeed.notice``). Archives of 20,000 entries exist; the fast
path reads 25,000 in about 8 s (0.3 ms an entry)."""
MAX_SLOW_ENTRIES = 5_000
"""The limit on feedparser's path, about ten times slower an entry (5,000 in about 7 s):
the parser process's deadline (``parsepool.PARSE_TIMEOUT``) must not be what stops it."""
NORMALISE_SECONDS = 10.0
"""Normalising entries stops after this long (entries left are reported as not read), so
even a document of the largest size parses well inside the parser process's deadline."""
MAX_TITLE = 1000
MAX_AUTHOR = 300
MAX_URL = 4096
MAX_GUID = 2048
MAX_GUID_KEY = 256
"""GUIDs longer than this are kept in the key as a digest."""
MAX_HTML = 2_000_000
"""Characters of body HTML kept per entry."""
MAX_ENCLOSURES = 20
"""Enclosures kept per entry (the first, in the feed's order; a repeated URL counts once)."""
MAX_ENCLOSURE_TYPE = 100
MAX_ENCLOSURE_LENGTH = 2**53
"""Bytes: a larger claimed length (or one that is not a plain number) is kept as None."""


def parse_feed(body: bytes, url: str, content_type: str = "") -> ParsedFeed:
    """Parse a fetched feed document.

    Args:
        body: the document exactly as received (after transfer decoding).
        url: the URL it was fetched from (relative links resolve against it).
        content_type: the HTTP Content-Type header, for its charset when the document
            declares none; JSON is also recognised by its first character.

    Raises:
        FeedParseError: the document is not a readable feed.
    """
    return _parse(body, url, content_type, allow_fast=True)


def parse_feed_reference(body: bytes, url: str, content_type: str = "") -> ParsedFeed:
    """:func:`parse_feed` with the fast path off: what the fast path must agree with."""
    return _parse(body, url, content_type, allow_fast=False)


def _parse(body: bytes, url: str, content_type: str, *, allow_fast: bool) -> ParsedFeed:
    if len(body) > MAX_BODY_BYTES:
        raise FeedParseError(f"document too large ({len(body) // 1_000_000} MB)")
    if xmlinput.is_blank(body):
        raise FeedParseError("empty document")
    if xmlinput.looks_like_json(body, content_type):
        try:
            raw = jsonfeed.parse_json_feed(body)
        except ValueError as exc:
            raise FeedParseError(f"not a JSON Feed: {exc}") from None
        return _normalise(raw, "json", url)
    problems: list[str] = []
    try:
        data = xmlinput.prepare(body, content_type, problems)
    except ValueError as exc:
        raise FeedParseError(str(exc)) from None
    fast = fastparse.parse_fast(data, url, MAX_ENTRIES) if allow_fast else None
    if fast is not None:
        return _with_problems(_normalise(fast, "fast", url), problems)
    # The reference parse (tests) reads as far as the fast path does.
    raw = _feedparser(data, url, MAX_SLOW_ENTRIES if allow_fast else MAX_ENTRIES)
    if not raw.is_feed and not raw.entries:
        raise FeedParseError(_not_a_feed(data))
    parsed = _normalise(raw, "feedparser", url)
    broken = wellformed.damage(data)
    if broken:
        count = len(parsed.entries)
        entries = "1 entry" if count == 1 else f"{count} entries"
        problems.append(f"damaged XML, {entries} recovered: {broken}")
    return _with_problems(parsed, problems)


def _with_problems(parsed: ParsedFeed, problems: list[str]) -> ParsedFeed:
    parsed.problem = safety.clean_line("; ".join(problems))[:300]
    return parsed


def _not_a_feed(data: bytes) -> str:
    head = data[:2048].lower()
    if b"<html" in head or b"<!doctype html" in head:
        return "not a feed: the document is an HTML page"
    if not data.lstrip().startswith(b"<"):
        return "not a feed: the document is not XML"
    return "not a feed: no RSS, Atom or JSON Feed content found"


# -- feedparser -------------------------------------------------------------------------
def _feedparser(data: bytes, url: str, limit: int) -> RawFeed:
    """Run feedparser on prepared bytes (at most ``limit`` entries); a :class:`RawFeed`."""
    import feedparser  # imported on first use: most feeds never need it

    head = xmlinput.truncate_entries(data, limit)
    dropped = max(0, xmlinput.count_entries(data) - limit) if len(head) < len(data) else 0
    try:
        result = feedparser.parse(
            # A stream, never bytes: feedparser opens a bytes value that names a file.
            io.BytesIO(xmlinput.scrub_char_refs(head)),
            # The bytes are UTF-8 now (xmlinput.prepare); without a Content-Type feedparser
            # would decode a document that has no XML declaration as ISO-8859-1.
            response_headers={
                "content-location": url,
                "content-type": "application/xml; charset=utf-8",
            },
            sanitize_html=False,
            resolve_relative_uris=False,
        )
        raw = _from_feedparser(result, url, limit)
    except Exception as exc:  # noqa: BLE001 - feedparser raises many things on odd input
        raise FeedParseError(f"unreadable feed ({type(exc).__name__})") from None
    raw.dropped = max(raw.dropped, dropped)
    return raw


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _from_feedparser(result: dict[str, Any], url: str, limit: int) -> RawFeed:
    version = _text(result.get("version"))
    feed = result.get("feed") or {}
    title, title_html = _fp_title(feed, version)
    raw = RawFeed(
        title=title,
        title_html=title_html,
        site_url=_text(feed.get("link")),
        is_feed=bool(version),
        ttl=_text(feed.get("ttl")).strip(),
        update_period=_text(feed.get("sy_updateperiod")).strip(),
        update_frequency=_text(feed.get("sy_updatefrequency")).strip(),
    )
    entries = result.get("entries") or []
    for entry in entries[:limit]:
        raw.entries.append(_fp_entry(entry, version, url))
    raw.dropped = max(0, len(entries) - limit)
    return raw


def _fp_title(context: dict[str, Any], version: str) -> tuple[str, bool]:
    """A title and whether it is HTML: always for RSS, by its declared type for Atom."""
    kind = (context.get("title_detail") or {}).get("type", "text/html")
    return _text(context.get("title")), not version.startswith("atom") or kind != "text/plain"


def _fp_entry(entry: dict[str, Any], version: str, url: str) -> RawEntry:
    raw = RawEntry(base=url, guid=_text(entry.get("id")), link=_text(entry.get("link")))
    raw.link_is_id = _link_is_id(entry, raw.link)
    raw.title, raw.title_html = _fp_title(entry, version)
    raw.author = _fp_author(entry, version)
    raw.published = _fp_date(entry, "published")
    raw.updated = _fp_date(entry, "updated")
    contents = entry.get("content") or [{}]
    for part in (contents[0], entry.get("summary_detail") or {}):
        value = _text(part.get("value")).strip()
        if value:
            raw.body = value
            raw.body_html = part.get("type", "text/html") in fastparse.HTML_TYPES
            raw.base = _text(part.get("base")) or url
            break
    # feedparser's "enclosures" are its links with rel="enclosure" (RSS <enclosure> too).
    for item in entry.get("enclosures") or []:
        if isinstance(item, dict):
            raw.enclosures.append(
                (_text(item.get("href")), _text(item.get("type")), _text(item.get("length")))
            )
    return raw


def _link_is_id(entry: dict[str, Any], link: str) -> bool:
    """Whether feedparser took the entry's link from its id (guid): no link element has it.

    (feedparser's own ``guidislink`` stays true when a ``<link>`` follows the ``<id>``.)
    """
    if not link or link != entry.get("id"):
        return False
    links = entry.get("links") or []
    return not any(
        isinstance(item, dict) and item.get("href") == link and _is_page_link(item)
        for item in links
    )


def _is_page_link(link: dict[str, Any]) -> bool:
    """A link feedparser takes as the entry's own: rel alternate, of an HTML type (an
    enclosure-like ``type="audio/mpeg"`` alternate is not; fastparse's ``_alternate``)."""
    kind = str(link.get("type") or "text/html").lower()
    return link.get("rel", "alternate") == "alternate" and kind in fastparse.HTML_TYPES


def _fp_author(entry: dict[str, Any], version: str) -> str:
    """The author's name (else e-mail address) of a feedparser entry.

    Atom's name and email are elements of their own; an RSS author is one string, split
    by :func:`author_name` (feedparser's split garbles long top-level domains and mailto).
    """
    if version.startswith("atom"):
        detail = entry.get("author_detail") or {}
        return _text(detail.get("name")) or _text(detail.get("email"))
    return author_name(_text(dict.get(entry, "author")))


def _fp_date(entry: dict[str, Any], key: str) -> float | None:
    """A date of a feedparser entry, parsed from its text by :func:`dates.parse_lenient`
    (12-hour clocks and localized names, which feedparser misreads or drops)."""
    value = dict.get(entry, key)
    if isinstance(value, str) and value.strip():
        return dates.parse_lenient(value)
    return dates.from_struct(dict.get(entry, f"{key}_parsed"), value)


# -- normalisation ----------------------------------------------------------------------
def _normalise(raw: RawFeed, parser: str, url: str) -> ParsedFeed:
    now = time.time()
    site_url = _link(raw.site_url)
    not_links = {_bare(site_url), _bare(url)} - {""}
    deadline = time.monotonic() + NORMALISE_SECONDS
    entries: list[ParsedEntry] = []
    items = raw.entries[:MAX_ENTRIES]
    timed_out = 0
    for index, item in enumerate(items):
        if index % 256 == 255 and time.monotonic() > deadline:
            timed_out = len(items) - index
            break
        entry = _entry(item, now, not_links)
        if entry is not None:
            entries.append(entry)
    return ParsedFeed(
        title=_title(raw.title, raw.title_html),
        site_url=site_url,
        entries=entries,
        parser=parser,
        notice=_dropped_notice(len(items) + raw.dropped, raw.dropped, timed_out),
        ttl_minutes=_asked(raw),
    )


def _asked(raw: RawFeed) -> int | None:
    """The interval the document asks for, in minutes (a number it does not spell as one,
    or one over a week, is bounded or ignored)."""
    ttl = int(raw.ttl) if raw.ttl.isdigit() and len(raw.ttl) <= 7 else None
    frequency = raw.update_frequency
    times = int(frequency) if frequency.isdigit() and len(frequency) <= 7 else 1
    return asked_minutes(None, ttl, raw.update_period, times)


def _dropped_notice(total: int, dropped: int, timed_out: int) -> str:
    """What the feed's status says about entries left out ("" when none were)."""
    if timed_out:
        return (
            f"{timed_out + dropped:,} of {total:,} entries not read: reading stopped "
            f"at the {NORMALISE_SECONDS:.0f}-second limit"
        )
    if dropped:
        return (
            f"{dropped:,} of {total:,} entries not read: a feed is read up to its "
            f"first {total - dropped:,} entries"
        )
    return ""


def _bare(url: str) -> str:
    """A URL compared loosely: no scheme, no trailing slash, host in lower case."""
    rest = url.partition("://")[2]
    host, slash, path = rest.partition("/")
    return (host.lower() + slash + path).rstrip("/")


def _id_link(url: str, not_links: set[str]) -> str:
    """An id used as the link, unless it is a site's address rather than an article's:
    a bare origin ("https://example.com/"), the feed's site URL or the feed's own URL.
    No link is better than a wrong one (the reader's "open" would go to the home page)."""
    if not url:
        return ""
    bare = _bare(url)
    if "/" not in bare or bare in not_links:
        return ""
    return url


def _title(value: str, is_html: bool) -> str:
    value = value[: MAX_TITLE * 20]  # room for markup; bounds the work on hostile titles
    title = plain_text(value) if is_html else safety.clean_line(value)
    return title[:MAX_TITLE]


def _line(value: str, limit: int) -> str:
    return safety.clean_line(value[: limit * 4])[:limit]


def _link(value: str) -> str:
    if len(value) > MAX_URL * 2:
        return ""
    url = safety.clean_url(value)
    if len(url) > MAX_URL:
        return ""
    # A plain absolute http(s) URL (the common case) is safe without splitting it.
    return url if PLAIN_HTTP_URL.fullmatch(url) or safety.is_safe_link(url) else ""


def _entry(raw: RawEntry, now: float, not_links: set[str]) -> ParsedEntry | None:
    url = _link(raw.link)
    published = dates.bounded(raw.published, now)
    updated = dates.bounded(raw.updated, now)
    kind = "published" if published is not None else "updated" if updated is not None else ""
    entry = ParsedEntry(
        key="",
        guid=_line(raw.guid, MAX_GUID),
        url=_id_link(url, not_links) if raw.link_is_id else url,
        title=_title(raw.title, raw.title_html),
        author=_line(raw.author, MAX_AUTHOR),
        published=published if published is not None else updated,
        updated=updated,
        date_kind=kind,
        enclosures=_enclosures(raw.enclosures) if raw.enclosures else (),
    )
    entry.html, entry.text, entry.links = _body(raw, entry.url)
    entry.key = _key(entry)
    return entry if entry.key else None


def _enclosures(found: list[tuple[str, str, str]]) -> tuple[Enclosure, ...]:
    """An entry's enclosures, cleaned: http(s) URLs only, each once, a one-line type in
    lower case, a believable length or None; at most :data:`MAX_ENCLOSURES`."""
    kept: dict[str, Enclosure] = {}
    for url, kind, length in found[: MAX_ENCLOSURES * 10]:
        link = _link(url)
        if link and link not in kept:
            kept[link] = Enclosure(link, _line(kind, MAX_ENCLOSURE_TYPE).lower(), _length(length))
            if len(kept) == MAX_ENCLOSURES:
                break
    return tuple(kept.values())


def _length(value: str) -> int | None:
    """A length in bytes from its text ("12345"); None for anything else or too large."""
    text = value.strip()
    if not (0 < len(text) <= 16 and text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if number <= MAX_ENCLOSURE_LENGTH else None


def _body(raw: RawEntry, url: str) -> tuple[str, str, list[str]]:
    """(sanitised HTML, canonical text, link targets) of an entry's body."""
    body = raw.body[:MAX_HTML]
    if not body.strip():
        return "", "", []
    if raw.body_html:
        html, tree = sanitize_tree(body, raw.base)  # one HTML parse for both
        if tree is None:
            return html, *html_to_text(html, url or raw.base)
        return html, *tree_to_text(tree, html, url or raw.base)
    escaped = escape(body, quote=False)
    paragraphs = [p.strip() for p in escaped.replace("\r\n", "\n").split("\n\n") if p.strip()]
    html = "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paragraphs)
    text, links = html_to_text(escaped, url or raw.base)
    return safety.clean_text(html, multiline=True), text, links


def _key(entry: ParsedEntry) -> str:
    """The entry's stable key ("" when it has nothing to be known by)."""
    if entry.guid:
        guid = entry.guid
        return "guid:" + (guid if len(guid) <= MAX_GUID_KEY else _digest(guid))
    if entry.url:
        return "link:" + entry.url
    when = entry.published or entry.updated
    if entry.title or when is not None:
        return "hash:" + _digest(f"{entry.title}\x1f{when}")
    if entry.html:
        return "hash:" + _digest(entry.html)
    return ""


def _digest(value: str) -> str:
    return hashlib.sha1(value.encode("utf-8", "surrogatepass")).hexdigest()
