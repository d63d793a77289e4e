"""Plain dataclasses shared by the store, the feed pipeline and both front ends.

The rows of the store's tables (feeds, articles, actors, annotations, notes, saved
searches) as the store returns them; :mod:`newsreader.store` maps each table's rows to
these in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ACTOR_KINDS = ("person", "organisation", "country", "place", "group", "other")
ANNOTATION_KINDS = ("claim", "mention", "highlight")
CLAIM_STATUSES = ("unverified", "supported", "disputed", "false")
LINK_RELATIONS = ("supports", "contradicts", "repeats", "supersedes")
"""How one claim relates to another: it supports, contradicts, repeats or supersedes it."""
DATE_KINDS = ("published", "updated", "")
"""What an article's date is: published, last updated (the feed gave no other), or none."""


@dataclass(frozen=True, slots=True)
class Feed:
    """A subscription as stored."""

    id: int
    url: str
    title: str
    site_url: str = ""
    folder: str = ""
    etag: str | None = None
    last_modified: str | None = None
    last_fetched: float | None = None
    last_status: str = "new"
    """One of: new, ok, not-modified, error, dead, skipped."""
    last_error: str = ""
    next_fetch_after: float | None = None
    article_count: int = 0
    unread_count: int = 0
    full_text: str = ""
    """Full-text mode: "auto", "always", "never", or "" (follow ``[fetch] full_text``)."""
    failures: int = 0
    """Fetches that failed in a row (0 after one that worked)."""
    interval_minutes: int | None = None
    """How often it is refreshed (None: ``[fetch] interval_minutes``)."""
    ttl_minutes: int | None = None
    """The shortest interval the feed asks for (<ttl>, sy:update*, Cache-Control), if any."""


@dataclass(frozen=True, slots=True)
class Article:
    """An article as stored; ``text`` is the canonical reader text annotations anchor to."""

    id: int
    feed_id: int
    feed_title: str
    key: str
    guid: str
    url: str
    title: str
    author: str
    published: float | None
    updated: float | None
    text: str = ""
    html: str = ""
    links: tuple[str, ...] = ()
    is_read: bool = False
    is_starred: bool = False
    date_kind: str = ""
    """What ``published`` is: "published", "updated" (the feed gave only a last-updated
    date, used as the article's date) or "" (no date)."""
    text_source: str = "feed"
    """Where ``text`` came from: "feed", or "page" (extracted from the article's page)."""
    summary: str = ""
    """The feed's own text, kept when ``text`` came from the page ("" otherwise)."""
    page_fetched: float | None = None
    """When the article's page was last fetched for its full text (None: never)."""
    page_error: str = ""
    """Why the last full-text fetch failed, in one line ("" when it did not)."""
    labels: tuple[str, ...] = ()
    """The article's labels, by name (filled in with the text, by ``get_article``)."""
    in_later: bool = False
    """Whether the article is in the Later queue (filled in with the text)."""
    also_in: tuple[str, ...] = ()
    """The other feeds the same story came from (see :mod:`newsreader.feeds.duplicates`)."""
    copy_annotated: bool = False
    """Whether a copy of it (itself included) carries an annotation or a note."""


@dataclass(frozen=True, slots=True)
class Enclosure:
    """A podcast's audio, a video or another file attached to an entry (RSS
    ``<enclosure>``, Atom ``rel="enclosure"``, JSON Feed ``attachments``), as cleaned
    at parse time: an http(s) URL, a one-line MIME type ("" when none was given) and the
    length in bytes the feed claims (None when it gave none, or nothing usable)."""

    url: str
    type: str = ""
    length: int | None = None


@dataclass(slots=True)
class ParsedEntry:
    """One entry as parsed from a feed document, before it is stored.

    ``html`` is the body as HTML (content, else summary); ``text`` and ``links`` are the
    canonical reader text and its numbered link targets made from it.
    """

    key: str
    guid: str = ""
    url: str = ""
    title: str = ""
    author: str = ""
    published: float | None = None
    """The article's date: its published date, else its updated date (``date_kind``)."""
    updated: float | None = None
    html: str = ""
    text: str = ""
    links: list[str] = field(default_factory=list)
    date_kind: str = ""
    """"published", "updated" (``published`` was filled from the updated date) or ""."""
    enclosures: tuple[Enclosure, ...] = ()
    """Its podcasts and videos, in the feed's order (see :class:`Enclosure`)."""


@dataclass(slots=True)
class ParsedFeed:
    """A parsed feed document."""

    title: str = ""
    site_url: str = ""
    entries: list[ParsedEntry] = field(default_factory=list)
    parser: str = ""
    """Which path produced it (e.g. "fast", "feedparser", "json"), for diagnostics."""
    problem: str = ""
    """Set when the document was damaged or hostile but entries were recovered (truncated,
    malformed, entity declarations removed): the refresh stores the entries and shows this
    as the feed's error."""
    notice: str = ""
    """Set when a document that read fine was not read whole (entries past the limit):
    stored as the feed's status text, with status "ok"."""
    ttl_minutes: int | None = None
    """How often the feed says it changes at most (<ttl>, sy:updatePeriod / Frequency),
    in minutes; None when it does not say."""


@dataclass(frozen=True, slots=True)
class FetchResult:
    """The outcome of one HTTP (or local file) fetch of a feed."""

    url: str
    """The URL finally answered (after redirects)."""
    status: int
    """HTTP status; 0 when no response arrived; 200 for a local file."""
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    content_type: str = ""
    permanent_redirect: str | None = None
    """The new URL when a 301/308 chain moved the feed for good."""
    retry_after: float | None = None
    """Seconds to wait before the next fetch (429/503 Retry-After)."""
    max_age: float | None = None
    """Seconds the answer may be cached (Cache-Control max-age): no refresh before."""
    error: str = ""
    """A one-line error; empty on success or 304."""


@dataclass(frozen=True, slots=True)
class RefreshProgress:
    """Progress of a refresh of many feeds, reported after each feed."""

    done: int
    total: int
    new_articles: int
    errors: int
    feed_id: int | None = None
    feed_status: str = ""
    feed_error: str = ""
    stage: str = "feeds"
    """What ``done``/``total`` count: "feeds", or "full text" (pages fetched for articles)."""


@dataclass(frozen=True, slots=True)
class PageExtraction:
    """An article extracted from its web page: sanitised html, the reader text made from it
    the same way as a feed's, and the page's metadata ("" / None when it has none)."""

    html: str
    text: str
    links: tuple[str, ...] = ()
    title: str = ""
    author: str = ""
    published: float | None = None
    site_name: str = ""
    canonical_url: str = ""
    language: str = ""


@dataclass(frozen=True, slots=True)
class PageSnapshot:
    """An article's page as it was fetched (the ``pages`` table), ``body`` decompressed."""

    article_id: int
    url: str
    """The URL asked for (the article's link)."""
    final_url: str
    """The URL that answered, after redirects."""
    status: int
    content_type: str
    fetched: float
    body: bytes
    site_name: str = ""
    canonical_url: str = ""
    language: str = ""


@dataclass(frozen=True, slots=True)
class Actor:
    """A person, organisation, country... shared by all articles."""

    id: int
    name: str
    kind: str = "other"
    aliases: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What an annotation remembers about its article."""

    url: str = ""
    title: str = ""
    feed_title: str = ""
    published: float | None = None
    author: str = ""
    feed_url: str = ""
    """The url of the article's feed: with ``key``, finds an article that has no url."""
    key: str = ""
    """The article's key in its feed (its guid, or one made from its link or title)."""
    date_kind: str = ""
    """What ``published`` is, as :attr:`Article.date_kind`: "published", "updated" (the
    feed gave only a last-updated date) or "" (no date, or not known: a snapshot kept
    before the kind was)."""


@dataclass(frozen=True, slots=True)
class Annotation:
    """A claim, mention or highlight anchored to an article's canonical text."""

    id: int
    uid: str
    article_id: int | None
    kind: str
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    orphaned: bool
    actor_id: int | None
    """The actor a mention tags."""
    actor_name: str | None
    speaker_id: int | None
    speaker_name: str | None
    about: tuple[tuple[int, str], ...]
    """``(actor_id, name)`` of the actors a claim is about, by name."""
    status: str | None
    note: str
    snapshot: Snapshot
    created: float
    modified: float
    deleted: float | None = None
    event_date: str | None = None
    """When a claim was said or happened (ISO ``YYYY-MM-DD``), distinct from its article's
    date; None when not given."""


@dataclass(frozen=True, slots=True)
class ClaimEnd:
    """One claim of a :class:`ClaimLink`, as a link shows it."""

    id: int
    uid: str
    article_id: int | None
    exact: str
    article_title: str
    article_url: str = ""
    feed_title: str = ""
    """With ``article_title``, the snapshot that names the claim's article (and its page in
    a Markdown export)."""


@dataclass(frozen=True, slots=True)
class ClaimLink:
    """Claim ``source`` <relation> claim ``target`` (e.g. source supports target)."""

    id: int
    uid: str
    relation: str
    source: ClaimEnd
    target: ClaimEnd
    created: float

    def other(self, claim_id: int) -> ClaimEnd:
        """The end of the link that is not ``claim_id``."""
        return self.target if self.source.id == claim_id else self.source


@dataclass(frozen=True, slots=True)
class Evidence:
    """A source a claim cites: a URL, or an article kept as its url and title."""

    id: int
    annotation_id: int
    url: str
    title: str
    added: float


@dataclass(frozen=True, slots=True)
class Note:
    """A Markdown note on a whole article."""

    id: int
    uid: str
    article_id: int | None
    body: str
    snapshot: Snapshot
    created: float
    modified: float


@dataclass(frozen=True, slots=True)
class NewAnnotation:
    """The columns of an annotation about to be stored."""

    article_id: int | None
    """None for one whose article is not in the store (an import): it waits for it."""
    kind: str
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    snapshot: Snapshot
    actor_id: int | None = None
    speaker_id: int | None = None
    about_ids: tuple[int, ...] = ()
    status: str | None = None
    note: str = ""
    orphaned: bool = False
    event_date: str | None = None


@dataclass(frozen=True, slots=True)
class SavedSearch:
    """A search kept as a smart feed."""

    id: int
    name: str
    query: str
