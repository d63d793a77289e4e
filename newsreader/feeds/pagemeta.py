"""The metadata of an extracted page, cleaned and bounded like a feed's fields.

trafilatura reads the title, author, date, site name and canonical URL (meta tags,
JSON-LD, the markup); the language is read here from ``<html lang>`` or the page's
Content-Language, which trafilatura leaves out. Every value is untrusted: one line, no
controls, bounded; the canonical URL only as an http(s) URL; the date only if plausible.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from newsreader import safety
from newsreader.feeds import dates
from newsreader.models import PageExtraction

MAX_TITLE = 500
MAX_NAME = 200
MAX_URL = 2000
DATE_PARAMS = {
    "original_date": True,
    "extensive_search": False,
    "outputformat": "%Y-%m-%dT%H:%M:%S%z",
}
"""htmldate's settings: the publication date (not the last change), with its time, from
the page's markup only (its extensive search of the whole text costs more than the rest
of the metadata, and guesses: a page's date only fills a field the feed left empty)."""
_LANG_ATTRIBUTE = re.compile(
    r"""<html\b[^>]{0,2000}?\blang\s*=\s*["']?\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8}){0,3})""",
    re.I,
)
_LANG_META = re.compile(
    r"""<meta[^>]{0,300}?http-equiv\s*=\s*["']?content-language["']?[^>]{0,300}?"""
    r"""content\s*=\s*["']?\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8}){0,3})""",
    re.I,
)
_HEAD = 65_536
_URL_DATE = re.compile(
    r"/((?:19|20)\d\d)[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:/|$|[-_])"
)
_DAY = 86_400 + 14 * 3600
"""A date (midnight, zone unknown) and a time of the same day differ by less than this."""
_PUBLISHED = (
    "//meta[@property='article:published_time' or @name='article:published_time'"
    " or @property='og:published_time' or @itemprop='datePublished'][@content]/@content"
    " | //time[@itemprop='datePublished'][@datetime]/@datetime"
)
_CANONICAL = (
    "//link[@href][contains(concat(' ', translate(normalize-space(@rel),"
    " 'ACDEILMNOPRTU', 'acdeilmnoprtu'), ' '), ' canonical ')]/@href",
    "//meta[@property='og:url' or @name='og:url'][@content]/@content",
)


def page_metadata(
    document: Any,
    page: str,
    url: str,
    *,
    html: str,
    text: str,
    links: tuple[str, ...],
    canonical: str = "",
    stamp: str = "",
) -> PageExtraction:
    """The :class:`PageExtraction` of ``document`` (trafilatura's) for ``page`` at ``url``.

    ``canonical`` is the page's own ``<link rel=canonical>`` or ``og:url``
    (:func:`canonical_link`); trafilatura's URL is used when the page names none, unless it
    is only ``url`` given back. ``stamp`` is the page's own published-time meta
    (:func:`published_meta`): it gives the time of day to htmldate's date when both name
    the same day (htmldate prefers a date in the URL, which has no time).
    """
    return PageExtraction(
        html=html,
        text=text,
        links=links,
        title=_line(document.title, MAX_TITLE),
        author=_author(document.author),
        published=_published(document.date, stamp) or _url_date(canonical or url),
        site_name=_site_name(document.sitename, url),
        canonical_url=_canonical(canonical or _not_url(document.url, url), url),
        language=language(page),
    )


def canonical_link(tree: Any) -> str:
    """The page's ``<link rel=canonical href>``, else its ``og:url``, as written ("" if none)."""
    for xpath in _CANONICAL:
        try:
            found = tree.xpath(xpath)
        except Exception:  # noqa: BLE001 - an odd tree is a page without one
            return ""
        if found:
            return str(found[0])
    return ""


def base_url(tree: Any, url: str) -> str:
    """The base of the page's relative links: its ``<base href>`` if http(s), else ``url``."""
    try:
        found = tree.xpath("//head/base[@href]/@href")
    except Exception:  # noqa: BLE001 - an odd tree is a page without one
        return url
    if not found:
        return url
    try:
        resolved = urljoin(url, safety.clean_url(str(found[0])))
    except ValueError:
        return url
    return resolved if safety.is_safe_link(resolved) and len(resolved) <= MAX_URL else url


def _not_url(value: object, url: str) -> object:
    return "" if value == url else value


def language(page: str) -> str:
    """The page's language tag ("en", "pt-BR"), or "" when it names none."""
    head = page[:_HEAD]
    match = _LANG_ATTRIBUTE.search(head) or _LANG_META.search(head)
    if match is None:
        return ""
    primary, *rest = match.group(1).replace("_", "-").split("-")
    return "-".join([primary.lower(), *(part.upper() if len(part) == 2 else part for part in rest)])


def _line(value: object, limit: int) -> str:
    return safety.clean_line(value or "")[:limit].strip()


def _author(value: object) -> str:
    """trafilatura's authors ("A; B"), each once whatever its case."""
    names: dict[str, str] = {}
    for name in _line(value, MAX_TITLE).split(";"):
        names.setdefault(name.strip().casefold(), name.strip())
    return "; ".join(name for name in names.values() if name)[:MAX_NAME]


def _published(value: object, stamp: str = "") -> float | None:
    """htmldate's date (ISO, maybe with a time and zone) as UTC epoch seconds."""
    found = _iso(value)
    timed = dates.bounded(dates.parse_lenient(stamp)) if stamp else None
    if timed is not None and (found is None or abs(timed - found) < _DAY):
        return timed
    return found


def _iso(value: object) -> float | None:
    if not isinstance(value, str) or not value.strip() or len(value) > 40:
        return None
    try:
        stamp = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return dates.bounded(stamp.timestamp())


def _url_date(url: str) -> float | None:
    """A date written in the article's URL path ("/2026/03/14/"), at midnight UTC."""
    match = _URL_DATE.search(urlsplit(url).path) if url else None
    if match is None:
        return None
    try:
        year, month, day = (int(part) for part in match.groups())
        stamp = datetime(year, month, day, tzinfo=UTC)
    except ValueError:
        return None
    return dates.bounded(stamp.timestamp())


def published_meta(tree: Any) -> str:
    """The page's published-time meta (``article:published_time`` and kin), "" if none."""
    try:
        found = tree.xpath(_PUBLISHED)
    except Exception:  # noqa: BLE001 - an odd tree is a page without one
        return ""
    return str(found[0])[:100] if found else ""


def _site_name(value: object, url: str) -> str:
    """The site's name, unless it is only the host name trafilatura fell back on."""
    name = _line(value, MAX_NAME)
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    return "" if name.lower() in (host, f"www.{host}") else name


def _canonical(value: object, url: str) -> str:
    """The canonical URL, resolved against the page's, if it is an http(s) URL."""
    candidate = safety.clean_url(value or "")
    if not candidate:
        return ""
    try:
        resolved = urljoin(url, candidate) if url else candidate
    except ValueError:
        return ""
    return resolved if safety.is_safe_link(resolved) and len(resolved) <= MAX_URL else ""
