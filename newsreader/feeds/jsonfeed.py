"""JSON Feed 1.0 / 1.1 -> :class:`RawFeed` (feedparser 6 cannot read JSON Feed from bytes).

Every value is checked for its type before use: a hostile document may put numbers,
lists or objects where strings belong, nest arrays thousands deep, or use huge numbers.
Wrong-typed fields are ignored (an item with an object for a title has no title); a
document that is not a JSON object with an ``items`` list is refused.
"""

from __future__ import annotations

import json
from typing import Any

from newsreader.feeds import dates
from newsreader.feeds.raw import RawEntry, RawFeed

MAX_ITEMS = 25_000
"""Items past this many are not read (``RawFeed.dropped`` says how many); as
``parse.MAX_ENTRIES``."""
MAX_ATTACHMENTS = 200
"""An item's attachments looked at, at most (``parse`` keeps the first 20 usable)."""
_VERSION_PREFIX = "https://jsonfeed.org/version/"


def parse_json_feed(body: bytes) -> RawFeed:
    """Read a JSON Feed document.

    Raises:
        ValueError: not JSON, not UTF-8/16/32, nested too deep, or not a JSON Feed.
    """
    if body.startswith(b"\xef\xbb\xbf"):
        body = body[3:]
    try:
        document = json.loads(body)
    except RecursionError:
        raise ValueError("nested too deep") from None
    except UnicodeDecodeError:
        raise ValueError("not UTF-8 text") from None
    except ValueError as exc:
        raise ValueError(f"invalid JSON ({str(exc).split(':')[0]})") from None
    if not isinstance(document, dict):
        raise ValueError("the document is not a JSON object")
    items = document.get("items")
    version = _string(document.get("version"))
    if not isinstance(items, list) or not (version.startswith(_VERSION_PREFIX) or items):
        raise ValueError("no JSON Feed version or items")
    home = _string(document.get("home_page_url"))
    feed = RawFeed(title=_string(document.get("title")), title_html=False, site_url=home)
    base = home or _string(document.get("feed_url"))
    authors = _authors(document)
    feed.entries = [
        _entry(item, base, authors) for item in items[:MAX_ITEMS] if isinstance(item, dict)
    ]
    feed.dropped = max(0, len(items) - MAX_ITEMS)
    return feed


def _string(value: object) -> str:
    """A string field's value; anything that is not a string counts as absent."""
    return value if isinstance(value, str) else ""


def _entry(item: dict[str, Any], base: str, feed_author: str) -> RawEntry:
    item_id = item.get("id")
    if isinstance(item_id, bool) or not isinstance(item_id, str | int):
        item_id = ""
    url = _string(item.get("url")) or _string(item.get("external_url"))
    entry = RawEntry(
        title=_string(item.get("title")),
        title_html=False,
        link=url,
        guid=str(item_id)[:2048],
        author=_authors(item) or feed_author,
        base=url or base,
        published=dates.parse_lenient(item.get("date_published")),
        updated=dates.parse_lenient(item.get("date_modified")),
    )
    html, text = _string(item.get("content_html")), _string(item.get("content_text"))
    summary = _string(item.get("summary"))
    if html.strip():
        entry.body, entry.body_html = html, True
    else:
        entry.body, entry.body_html = (text if text.strip() else summary), False
    entry.enclosures = _attachments(item.get("attachments"))
    return entry


def _attachments(value: object) -> list[tuple[str, str, str]]:
    """(url, mime_type, size_in_bytes as text) of an item's ``attachments``; an entry
    that is not an object is skipped, a size that is not a whole number is left out."""
    if not isinstance(value, list):
        return []
    found = []
    for attachment in value[:MAX_ATTACHMENTS]:
        if not isinstance(attachment, dict):
            continue
        size = attachment.get("size_in_bytes")
        length = str(size) if isinstance(size, int) and not isinstance(size, bool) else ""
        found.append((_string(attachment.get("url")), _string(attachment.get("mime_type")), length))
    return found


def _authors(holder: dict[str, Any]) -> str:
    """The first author's name of an item or of the feed: JSON Feed 1.1 ``authors``, else
    1.0 ``author`` (1.1 keeps it, deprecated). An item without one has the feed's: both
    versions of the spec say so."""
    authors = holder.get("authors")
    candidates = list(authors[:10]) if isinstance(authors, list) else []
    candidates.append(holder.get("author"))
    for author in candidates:
        if isinstance(author, dict):
            name = _string(author.get("name"))
            if name.strip():
                return name
    return ""
