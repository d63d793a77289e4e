"""The fast path: well-formed RSS 2.0, Atom 1.0 and RSS 1.0 read with lxml — or declined.

feedparser is about ten times slower than an lxml walk over the same bytes, so the common
shape of feed is read here and everything else goes to feedparser. The contract is strict:
:func:`parse_fast` returns exactly the values feedparser 6 extracts (same title, link,
guid, dates, author and body once ``parse.py`` has normalised both), or None. It accepts
only what it can reproduce: known elements in known places, each at most once, no
``xml:base``, no DOCTYPE, no embedded markup in text fields, dates in RFC 822 / RFC 3339
form. Anything else — a podcast's ``itunes:summary`` (feedparser makes it the summary),
two links, an unknown child element — declines the whole document.
``tests/unit/test_fastparse_diff.py`` checks the contract on every corpus file.

The quirks of feedparser's value post-processing are reproduced in :mod:`fpcompat`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from html import escape

from lxml import etree

from newsreader.feeds import dates
from newsreader.feeds.authors import author_name
from newsreader.feeds.fpcompat import fp_link, fp_resolved, fp_text, resolve
from newsreader.feeds.raw import RawEntry, RawFeed

ATOM = "{http://www.w3.org/2005/Atom}"
RSS1 = "{http://purl.org/rss/1.0/}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
DC = "{http://purl.org/dc/elements/1.1/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
MEDIA = "{http://search.yahoo.com/mrss/}"
SY = "{http://purl.org/rss/1.0/modules/syndication/}"
XHTML = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

HTML_TYPES = ("text/html", "application/xhtml+xml")
_ATOM_TEXT_TYPES = {None: False, "text": False, "html": True}


class Decline(Exception):
    """The document has something feedparser would read differently: use feedparser."""


_local = threading.local()


def _parser() -> etree.XMLParser:
    """A locked-down XML parser, one per thread (lxml parsers are not thread-safe)."""
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            huge_tree=False,
            load_dtd=False,
            remove_pis=True,
        )
        _local.parser = parser
    return parser


def parse_fast(data: bytes, base: str, max_entries: int) -> RawFeed | None:
    """Read a well-formed RSS 2.0 / Atom 1.0 / RSS 1.0 document, or return None.

    Args:
        data: the document as UTF-8 bytes, already stripped of DTD internal subsets.
        base: the document URL, for relative links (as feedparser's Content-Location).
        max_entries: entries past this many are not read.
    """
    if b"xml:base" in data:
        return None
    try:
        root = etree.fromstring(data, _parser())
    except (etree.XMLSyntaxError, ValueError):
        return None
    if root is None or root.getroottree().docinfo.doctype:
        return None
    reader = _READERS.get(root.tag)
    if reader is None:
        return None
    try:
        return reader(root, base, max_entries)
    except Decline:
        return None


def _date(element: etree._Element | None) -> float | None:
    if element is None:
        return None
    try:
        return dates.parse_strict(fp_text(element.text))
    except (ValueError, OverflowError) as exc:
        raise Decline from exc


# -- structure checks -------------------------------------------------------------------
def _children(parent: etree._Element, known: dict[str, str]) -> dict[str, etree._Element]:
    """Map each known child by role; decline on unknown, repeated or nested ones.

    ``known`` maps a tag to a role; the role "ignore" accepts repeats but no children;
    the roles "link" (Atom) and "enclosure" (RSS) collect every such element, under the
    keys "link:N" and "enclosure:N" in document order.
    """
    found: dict[str, etree._Element] = {}
    for child in parent:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        role = known.get(tag)
        if role is None or len(child) and role not in ("author", "xhtml"):
            raise Decline
        if role == "ignore":
            continue
        if role in ("link", "enclosure"):
            found[f"{role}:{len(found)}"] = child
            continue
        if tag in found:
            raise Decline
        found[tag] = child
    return found


def _no_attributes(*elements: etree._Element | None) -> None:
    for element in elements:
        if element is not None and element.attrib:
            raise Decline


def _count_entries(root: etree._Element) -> int:
    """Every element feedparser would start an entry for (any namespace, common cases)."""
    return sum(1 for _ in root.iter("{*}item", "{*}entry", "{*}Item", "{*}Entry"))


def _entries(
    elements: list[etree._Element],
    root: etree._Element,
    max_entries: int,
    read: Callable[[etree._Element], RawEntry],
) -> list[RawEntry]:
    if _count_entries(root) != len(elements):
        raise Decline
    return [read(element) for element in elements[:max_entries]]


def _dropped(elements: list[etree._Element], max_entries: int) -> int:
    return max(0, len(elements) - max_entries)


# -- RSS 2.0 / 0.9x ---------------------------------------------------------------------
_RSS_ITEM = {
    "title": "text",
    "link": "text",
    "guid": "guid",
    "pubDate": "text",
    "description": "text",
    "author": "text",
    DC + "creator": "text",
    CONTENT: "text",
    "category": "ignore",
    "comments": "ignore",
    "enclosure": "enclosure",
    "source": "ignore",
    MEDIA + "content": "ignore",
    MEDIA + "thumbnail": "ignore",
    "{http://wellformedweb.org/CommentAPI/}commentRss": "ignore",
    "{http://purl.org/rss/1.0/modules/slash/}comments": "ignore",
}
_HEAD_NAMES = ("title", "link", "item", "entry")


def _aliased(tag: str) -> bool:
    """True for a feed-level element feedparser could read as the title, link or an entry:
    any namespace, any letter case (``dc:title``, ``<Title>``, ``media:title``...)."""
    return tag.rpartition("}")[2].lower() in _HEAD_NAMES


def _read_rss(root: etree._Element, base: str, max_entries: int) -> RawFeed:
    channels = root.findall("channel")
    if root.get("version") not in ("2.0", "0.91", "0.92") or len(channels) != 1:
        raise Decline
    channel = channels[0]
    title, link = _channel_head(channel, base)
    items = channel.findall("item")
    entries = _entries(items, root, max_entries, lambda item: _rss_item(item, base))
    return RawFeed(
        title=title,
        title_html=True,
        site_url=link,
        entries=entries,
        dropped=_dropped(items, max_entries),
        ttl=_child_text(channel, "ttl"),
        update_period=_child_text(channel, SY + "updatePeriod"),
        update_frequency=_child_text(channel, SY + "updateFrequency"),
    )


def _child_text(parent: etree._Element, tag: str) -> str:
    """The text of ``parent``'s first ``tag`` child ("" when none)."""
    found = parent.find(tag)
    return (found.text or "").strip() if found is not None else ""


def _channel_head(channel: etree._Element, base: str) -> tuple[str, str]:
    """(title, link) of an RSS channel; declines on anything feedparser would alias."""
    titles, links = [], []
    for child in channel:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if tag == "title":
            titles.append(child)
        elif tag == "link":
            links.append(child)
        elif tag == ATOM + "link":
            if child.get("rel", "alternate") == "alternate":
                raise Decline
        elif tag != "item" and _aliased(tag):
            raise Decline
    if len(titles) > 1 or len(links) > 1 or any(len(e) or e.attrib for e in titles + links):
        raise Decline
    title = fp_text(titles[0].text) if titles else ""
    link = fp_link(links[0].text, base, entry=False) if links else ""
    return title, link


def _rss_item(item: etree._Element, base: str) -> RawEntry:
    if item.attrib:
        raise Decline
    f = _children(item, _RSS_ITEM)
    guid_el = f.get("guid")
    if guid_el is not None and set(guid_el.attrib) - {"isPermaLink"}:
        raise Decline
    _no_attributes(
        f.get("title"),
        f.get("link"),
        f.get("pubDate"),
        f.get("description"),
        f.get("author"),
        f.get(DC + "creator"),
        f.get(CONTENT),
    )
    if "author" in f and DC + "creator" in f:
        raise Decline
    entry = RawEntry(base=base, title_html=True)
    entry.title = fp_text(f["title"].text) if "title" in f else ""
    permalink = guid_el is not None and guid_el.get("isPermaLink", "true") == "true"
    if guid_el is not None:
        entry.guid = fp_resolved(guid_el.text, base) if permalink else fp_text(guid_el.text)
    if "link" in f:
        entry.link = fp_link(f["link"].text, base, entry=True)
    elif permalink:
        entry.link, entry.link_is_id = entry.guid, True
    author_el = f.get("author", f.get(DC + "creator"))
    if author_el is not None:
        entry.author = author_name(fp_text(author_el.text))
    entry.published = _date(f.get("pubDate"))
    content = fp_text(f[CONTENT].text) if CONTENT in f else ""
    summary = fp_text(f["description"].text) if "description" in f else ""
    entry.body = content or summary
    entry.enclosures = [_rss_enclosure(el) for k, el in f.items() if k.startswith("enclosure:")]
    return entry


def _rss_enclosure(element: etree._Element) -> tuple[str, str, str]:
    """(url, type, length) of an RSS ``<enclosure>`` as feedparser keeps them: the URL
    not resolved, the type in lower case (other attributes decline: feedparser would
    read ``href`` or ``uri`` as the URL)."""
    if set(element.attrib) - {"url", "type", "length"}:
        raise Decline
    return (
        element.get("url", ""),
        element.get("type", "").lower(),
        element.get("length", ""),
    )


# -- RSS 1.0 (RDF) ----------------------------------------------------------------------
_RDF_ITEM = {
    RSS1 + "title": "text",
    RSS1 + "link": "text",
    RSS1 + "description": "text",
    DC + "creator": "text",
    DC + "date": "text",
    CONTENT: "text",
    DC + "subject": "ignore",
}


def _read_rdf(root: etree._Element, base: str, max_entries: int) -> RawFeed:
    channels = root.findall(RSS1 + "channel")
    if len(channels) != 1:
        raise Decline
    title = link = ""
    for child in channels[0]:
        if child.tag == RSS1 + "title":
            title = fp_text(child.text)
        elif child.tag == RSS1 + "link":
            link = fp_link(child.text, base, entry=False)
        elif isinstance(child.tag, str) and _aliased(child.tag):
            raise Decline
    items = root.findall(RSS1 + "item")
    entries = _entries(items, root, max_entries, lambda item: _rdf_item(item, base))
    return RawFeed(
        title=title,
        title_html=True,
        site_url=link,
        entries=entries,
        dropped=_dropped(items, max_entries),
    )


def _rdf_item(item: etree._Element, base: str) -> RawEntry:
    if set(item.attrib) - {RDF + "about"}:
        raise Decline
    f = _children(item, _RDF_ITEM)
    _no_attributes(*f.values())
    entry = RawEntry(base=base, title_html=True, guid=item.get(RDF + "about") or "")
    entry.title = fp_text(f[RSS1 + "title"].text) if RSS1 + "title" in f else ""
    if RSS1 + "link" in f:
        entry.link = fp_link(f[RSS1 + "link"].text, base, entry=True)
    if DC + "creator" in f:
        entry.author = author_name(fp_text(f[DC + "creator"].text))
    entry.updated = _date(f.get(DC + "date"))
    content = fp_text(f[CONTENT].text) if CONTENT in f else ""
    summary = fp_text(f[RSS1 + "description"].text) if RSS1 + "description" in f else ""
    entry.body = content or summary
    return entry


# -- Atom 1.0 ---------------------------------------------------------------------------
_ATOM_ENTRY = {
    ATOM + "title": "text",
    ATOM + "link": "link",
    ATOM + "id": "text",
    ATOM + "published": "text",
    ATOM + "updated": "text",
    ATOM + "author": "author",
    ATOM + "summary": "xhtml",
    ATOM + "content": "xhtml",
    ATOM + "category": "ignore",
    MEDIA + "thumbnail": "ignore",
}


def _read_atom(root: etree._Element, base: str, max_entries: int) -> RawFeed:
    title_el, link = None, ""
    alternates: list[str] = []
    for child in root:
        tag = child.tag
        if tag == ATOM + "title":
            if title_el is not None:
                raise Decline
            title_el = child
        elif tag == ATOM + "link":
            alternates += _alternate(child, base)
        elif tag == ATOM + "id" and not len(child):
            link = link or fp_resolved(child.text, base)
        elif isinstance(tag, str) and tag != ATOM + "entry" and _aliased(tag):
            raise Decline
    if len(alternates) > 1:
        raise Decline
    title, title_html = _atom_title(title_el)
    elements = root.findall(ATOM + "entry")
    entries = _entries(elements, root, max_entries, lambda element: _atom_entry(element, base))
    site = alternates[0] if alternates else link
    return RawFeed(
        title=title,
        title_html=title_html,
        site_url=site,
        update_period=_child_text(root, SY + "updatePeriod"),
        update_frequency=_child_text(root, SY + "updateFrequency"),
        entries=entries,
        dropped=_dropped(elements, max_entries),
    )


def _atom_title(element: etree._Element | None) -> tuple[str, bool]:
    if element is None:
        return "", False
    kind = element.get("type")
    if kind not in _ATOM_TEXT_TYPES or len(element) or set(element.attrib) - {"type", XML_LANG}:
        raise Decline
    return fp_text(element.text), _ATOM_TEXT_TYPES[kind]


def _alternate(link: etree._Element, base: str) -> list[str]:
    """[href] when feedparser would take this Atom link as the entry's link, else []."""
    href = link.get("href")
    if (
        href is None
        or len(link)
        or set(link.attrib) - {"rel", "href", "type", "hreflang", "title", "length"}
    ):
        raise Decline
    rel, kind = _rel_type(link)
    if rel == "alternate" and kind in HTML_TYPES:
        return [resolve(base, href)]
    return []


def _rel_type(link: etree._Element) -> tuple[str, str]:
    """An Atom link's rel and type as feedparser reads them: in lower case, defaulted."""
    rel = link.get("rel", "alternate").lower()
    kind = link.get("type")
    if kind is None:
        kind = "application/atom+xml" if rel == "self" else "text/html"
    return rel, kind.lower()


def _atom_enclosures(links: list[etree._Element], base: str) -> list[tuple[str, str, str]]:
    """(href, type, length) of the ``rel="enclosure"`` links, the href resolved."""
    found = []
    for link in links:
        rel, kind = _rel_type(link)
        if rel == "enclosure":
            found.append((resolve(base, link.get("href", "")), kind, link.get("length", "")))
    return found


def _atom_entry(element: etree._Element, base: str) -> RawEntry:
    if element.attrib:
        raise Decline
    f = _children(element, _ATOM_ENTRY)
    _no_attributes(
        f.get(ATOM + "id"),
        f.get(ATOM + "published"),
        f.get(ATOM + "updated"),
        f.get(ATOM + "author"),
    )
    entry = RawEntry(base=base)
    entry.title, entry.title_html = _atom_title(f.get(ATOM + "title"))
    if ATOM + "id" in f:
        entry.guid = fp_resolved(f[ATOM + "id"].text, base)
    links = [link for key, link in f.items() if key.startswith("link:")]
    alternates = [href for link in links for href in _alternate(link, base)]
    if len(alternates) > 1:
        raise Decline
    if alternates:
        entry.link = alternates[0]
    else:
        entry.link, entry.link_is_id = entry.guid, True
    if ATOM + "author" in f:
        entry.author = _atom_author(f[ATOM + "author"])
    entry.published = _date(f.get(ATOM + "published"))
    entry.updated = _date(f.get(ATOM + "updated"))
    content = _atom_text(f.get(ATOM + "content"))
    summary = _atom_text(f.get(ATOM + "summary"))
    entry.body, entry.body_html = content if content[0] else summary
    entry.enclosures = _atom_enclosures(links, base)
    return entry


def _atom_author(author: etree._Element) -> str:
    parts = _children(author, {ATOM + "name": "text", ATOM + "email": "text", ATOM + "uri": "text"})
    _no_attributes(*parts.values())
    # feedparser reads name and email as plain (non-text) values: stripped, nothing more.
    name, email = (
        ((parts[ATOM + key].text or "") if ATOM + key in parts else "").strip()
        for key in ("name", "email")
    )
    return name or email


def _atom_text(element: etree._Element | None) -> tuple[str, bool]:
    """(value, is_html) of an Atom text construct (summary or content)."""
    if element is None:
        return "", False
    if set(element.attrib) - {"type", XML_LANG}:
        raise Decline
    kind = element.get("type")
    if kind == "xhtml":
        return fp_text(_xhtml(element)), True
    if kind not in _ATOM_TEXT_TYPES or len(element):
        raise Decline
    return fp_text(element.text), _ATOM_TEXT_TYPES[kind]


def _xhtml(element: etree._Element) -> str:
    """Inline XHTML content as HTML, without the wrapping div (as feedparser does)."""
    children = [child for child in element if isinstance(child.tag, str)]
    wrapped = (
        len(children) == 1
        and children[0].tag == XHTML + "div"
        and not (element.text or "").strip()
        and not (children[0].tail or "").strip()
        and len(element) == 1
    )
    holder = children[0] if wrapped else element
    for node in holder.iterdescendants():
        tag = node.tag
        if not isinstance(tag, str):
            continue
        if not tag.startswith(XHTML) or tag == XHTML + "body":
            raise Decline
        node.tag = tag[len(XHTML) :]
    parts = [escape(holder.text or "", quote=False)]
    parts += [
        etree.tostring(child, method="html", encoding="unicode", with_tail=True) for child in holder
    ]
    return "".join(parts)


_READERS: dict[str, Callable[[etree._Element, str, int], RawFeed]] = {
    "rss": _read_rss,
    ATOM + "feed": _read_atom,
    RDF + "RDF": _read_rdf,
}
