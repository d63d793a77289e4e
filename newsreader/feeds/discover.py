"""Feed autodiscovery, pure: find feed links in a page, guess fallbacks, sniff a body.

The fetch layer does the network part: it fetches the page the user gave, asks
:func:`looks_like_feed` / :func:`looks_like_html`, then tries :func:`find_feed_links` and,
failing those, :func:`candidate_paths` on the same origin — a guess, which
:mod:`newsreader.feeds.subscribe` reports as one, with why each declared link failed.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urljoin, urlsplit

from lxml import etree

from newsreader import safety

FEED_LINK_TYPES = frozenset(
    (
        "application/rss+xml",
        "application/atom+xml",
        "application/feed+json",
        "application/json",
    )
)
CANDIDATE_PATHS = (
    "/feed",
    "/rss.xml",
    "/atom.xml",
    "/feed.xml",
    "/index.xml",
    "/rss",
    "/feed.json",
)
_FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
)
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_MAX_PAGE = 2 * 1024 * 1024
"""Feed links live in <head>: only the first 2 MB of a page are read."""
_SNIFF = 4096
_MAX_JSON = 4 * 1024 * 1024

_FEED_ROOTS = ("<rss", "<feed", "<rdf:RDF")
_HTML_ROOTS = ("<html", "<head", "<body", "<meta", "<title", "<p", "<div")
_PROLOG_SKIPS = (("<?", "?>"), ("<!--", "-->"), ("<!DOCTYPE", ">"))
_JSON_FEED_VERSION = re.compile(r'"version"\s*:\s*"[^"]*jsonfeed\.org')


def find_feed_links(html: bytes | str, base_url: str) -> list[str]:
    """Feed URLs a page announces with <link rel="alternate" type="...feed type...">.

    Hrefs are resolved against the page URL (and its <base href>); only http(s) URLs are
    kept, deduplicated, in document order. Never raises. A plain ``application/json``
    alternate is often not a feed (WordPress announces its REST API that way): check what
    it serves with :func:`looks_like_feed` before subscribing.
    """
    root = _parse_html(html)
    if root is None:
        return []
    base = _base_url(root, base_url)
    links: list[str] = []
    for element in root.iter("link"):
        if not _is_feed_link(element):
            continue
        url = _resolve(element.get("href") or "", base)
        if url and url not in links:
            links.append(url)
    return links


def _parse_html(html: bytes | str) -> etree._Element | None:
    """Parse (the start of) a page leniently; None if nothing can be parsed."""
    is_text = isinstance(html, str)
    data = html.encode("utf-8", "ignore") if isinstance(html, str) else html
    if not data.strip():
        return None
    parser = etree.HTMLParser(
        encoding="utf-8" if is_text else None,
        remove_comments=True,
        remove_pis=True,
        no_network=True,
    )
    try:
        return etree.fromstring(data[:_MAX_PAGE], parser)
    except (etree.LxmlError, ValueError):
        return None


def _is_feed_link(element: etree._Element) -> bool:
    """True for <link rel="alternate"> with a feed media type."""
    rel = (element.get("rel") or "").lower().split()
    media_type = (element.get("type") or "").split(";")[0].strip().lower()
    return "alternate" in rel and media_type in FEED_LINK_TYPES


def _base_url(root: etree._Element, page_url: str) -> str:
    """The page's first <base href> resolved against its URL, when it is http(s)."""
    for element in root.iter("base"):
        href = element.get("href")
        if href:
            return _resolve(href, page_url) or page_url
        break
    return page_url


def _resolve(href: str, base: str) -> str:
    """``href`` resolved against ``base``, cleaned; "" unless it is an http(s) URL.

    An empty href (which would resolve to the page itself) gives "".
    """
    if not href.strip():
        return ""
    try:
        url = safety.clean_url(urljoin(base, href.strip()))
    except ValueError:
        return ""
    return url if safety.is_safe_link(url) else ""


def candidate_paths(page_url: str) -> list[str]:
    """Conventional feed URLs on the page's origin (/feed, /rss.xml...), page itself excluded.

    Returns [] for anything but an http(s) URL with a host.
    """
    if not safety.is_safe_link(page_url):
        return []
    try:
        parts = urlsplit(safety.clean_url(page_url))
        _ = parts.port  # raises ValueError for an invalid port
    except ValueError:
        return []
    host = parts.netloc.rpartition("@")[2]
    origin = f"{parts.scheme.lower()}://{host.lower()}"
    page_path = "" if parts.query else parts.path.rstrip("/")
    return [origin + path for path in CANDIDATE_PATHS if path != page_path]


def looks_like_feed(body: bytes, content_type: str) -> bool:
    """Whether a response is a feed document (RSS, Atom, RDF or JSON Feed).

    A feed media type (rss+xml, atom+xml, rdf+xml, feed+json) is trusted. Otherwise, as
    servers often say text/html, text/plain or a generic XML/JSON type, the body decides:
    an XML document whose root is <rss>, <feed> or <rdf:RDF>, or a JSON object whose
    "version" names jsonfeed.org.
    """
    if _media_type(content_type) in _FEED_TYPES:
        return True
    return _sniff_xml_feed(body) or _sniff_json_feed(body)


def looks_like_html(body: bytes, content_type: str) -> bool:
    """Whether a response is an HTML page (to search for feed links), not a feed."""
    if looks_like_feed(body, content_type):
        return False
    if _media_type(content_type) in _HTML_TYPES:
        return True
    text = _head_text(body)
    if text.lstrip()[:14].lower() == "<!doctype html":
        return True
    start = _skip_prolog(text).lower()
    return any(_starts_element(start, root) for root in _HTML_ROOTS)


def _media_type(content_type: str) -> str:
    """ "text/xml; charset=utf-8" -> "text/xml"."""
    return (content_type or "").split(";")[0].strip().lower()


def _head_text(body: bytes) -> str:
    """The first few KB of a body as text, BOM removed (UTF-16 understood)."""
    head = body[:_SNIFF]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", "ignore")
    return head.removeprefix(b"\xef\xbb\xbf").decode("latin-1")


def _sniff_xml_feed(body: bytes) -> bool:
    """The document's first element (after prolog, comments, doctype) is a feed root."""
    start = _skip_prolog(_head_text(body))
    return any(_starts_element(start, root) for root in _FEED_ROOTS)


def _skip_prolog(text: str) -> str:
    """``text`` without leading whitespace, declarations, comments and doctype.

    A plain loop rather than one regex: nested repetition backtracks exponentially.
    """
    while True:
        text = text.lstrip()
        for opening, closing in _PROLOG_SKIPS:
            if text[: len(opening)].upper() == opening:
                end = text.find(closing, len(opening))
                if end < 0:
                    return ""
                text = text[end + len(closing) :]
                break
        else:
            return text


def _starts_element(text: str, opening: str) -> bool:
    """``text`` starts with ``opening`` followed by the end of the tag name."""
    return text.startswith(opening) and text[len(opening) : len(opening) + 1] in (
        " ",
        "\t",
        "\n",
        "\r",
        ">",
        "/",
    )


def _sniff_json_feed(body: bytes) -> bool:
    """A JSON object whose "version" contains "jsonfeed.org"."""
    text = _head_text(body).lstrip()
    if not text.startswith("{"):
        return False
    if _JSON_FEED_VERSION.search(text):
        return True
    if len(body) > _MAX_JSON:
        return False
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        return False
    version = document.get("version") if isinstance(document, dict) else None
    return isinstance(version, str) and "jsonfeed.org" in version
