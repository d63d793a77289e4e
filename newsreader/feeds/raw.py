"""The intermediate form of a parsed feed: what every extraction path hands to ``parse.py``.

The fast path, the feedparser path and the JSON Feed path each fill these records; one
normalisation (``parse._normalise``) then turns them into :class:`ParsedFeed`, so the
paths can only differ in what they extract, which the differential test compares.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class RawEntry:
    """One entry as extracted, before the shared normalisation in ``parse.py``."""

    title: str = ""
    title_html: bool = True
    """The title is HTML (entities decoded and tags stripped later), not plain text."""
    link: str = ""
    link_is_id: bool = False
    """The link is the entry's id (an RSS permalink guid, an Atom id): no link element."""
    guid: str = ""
    author: str = ""
    published: float | None = None
    updated: float | None = None
    body: str = ""
    body_html: bool = True
    base: str = ""
    """The URL relative links in the body resolve against."""
    enclosures: list[tuple[str, str, str]] = field(default_factory=list)
    """(URL, type, length) of each enclosure as the document gives them, in its order;
    cleaned and bounded by the shared normalisation."""


@dataclass(slots=True)
class RawFeed:
    """A feed document as extracted, before normalisation."""

    title: str = ""
    title_html: bool = True
    site_url: str = ""
    entries: list[RawEntry] = field(default_factory=list)
    is_feed: bool = True
    """False when the document was not recognised as RSS, Atom or JSON Feed."""
    dropped: int = 0
    """Entries in the document past the entry limit, not extracted."""
    ttl: str = ""
    """RSS ``<ttl>`` (minutes), as written."""
    update_period: str = ""
    update_frequency: str = ""
    """``sy:updatePeriod`` (hourly, daily…) and ``sy:updateFrequency`` (times a period)."""
