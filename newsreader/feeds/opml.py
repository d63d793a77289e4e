"""OPML import and export of subscriptions.

Import is bounded and strict: at most 10 MB, no DOCTYPE (so no entity declarations, hence
no entity-expansion bombs), no network, libxml2's default depth limit. A file that is not
well-formed OPML raises :class:`OpmlError` with a one-line message; outlines that are not
usable feeds (no xmlUrl, a non-http(s) URL, a duplicate) are skipped.

Folders are nested outlines; their names are joined with "/" ("News/Europe"), so a "/"
inside one folder's name reads back as a deeper folder.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from lxml import etree

from newsreader import safety
from newsreader.models import Feed

MAX_OPML_BYTES = 10 * 1024 * 1024
_MAX_TITLE = 500
_DOCTYPE = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_SURROGATES = re.compile("[\ud800-\udfff]")
_LXML_SUFFIX = re.compile(r"\s*\(<string>, line \d+\)$")


class OpmlError(ValueError):
    """The file is not usable OPML; the message is one line, fit to show the user."""


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    """One subscription read from an OPML file."""

    url: str
    title: str
    folder: str
    """Nested folder names joined by "/"; "" at the top level."""
    site_url: str = ""
    """The outline's htmlUrl, when it is a usable http(s) URL."""


def parse_opml(data: bytes) -> list[OpmlFeed]:
    """Read the feeds of an OPML document, in document order, without duplicates.

    Raises:
        OpmlError: too large, not well-formed XML, a DOCTYPE, or not an OPML document.
    """
    body = _body(_parse(data))
    feeds: list[OpmlFeed] = []
    seen: set[str] = set()
    for outline, folder in _outlines(body):
        feed = _feed(outline, folder)
        if feed is not None and feed.url not in seen:
            seen.add(feed.url)
            feeds.append(feed)
    return feeds


def _parse(data: bytes) -> etree._Element:
    """Parse ``data`` as XML with every expansion and network feature off."""
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError(f"OPML file too large ({len(data) / 1e6:.1f} MB; the limit is 10 MB)")
    if not data.strip():
        raise OpmlError("OPML file is empty")
    if _DOCTYPE.search(data):
        raise OpmlError("OPML file refused: it contains a DOCTYPE or entity declaration")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
        remove_comments=True, remove_pis=True, recover=False,
    )
    try:
        root = etree.fromstring(data, parser)
    except (ValueError, etree.LxmlError) as error:
        message = _LXML_SUFFIX.sub("", safety.clean_line(str(error))) or "not well-formed XML"
        raise OpmlError(f"not a valid OPML file: {message[:300]}") from None
    if root is None:
        raise OpmlError("not a valid OPML file: no root element")
    if root.getroottree().docinfo.doctype:
        raise OpmlError("OPML file refused: it contains a DOCTYPE or entity declaration")
    return root


def _body(root: etree._Element) -> etree._Element:
    """The <body> of an <opml> root element."""
    name = _local_name(root)
    if name.lower() != "opml":
        raise OpmlError(f"not an OPML document (the root element is <{name[:40]}>)")
    for child in root:
        if isinstance(child.tag, str) and _local_name(child).lower() == "body":
            return child
    raise OpmlError("not a valid OPML file: it has no <body>")


def _outlines(body: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    """Every <outline> under ``body`` with its folder path, depth-first in document order."""
    stack: list[tuple[etree._Element, str]] = [(body, "")]
    while stack:
        parent, folder = stack.pop()
        children = [c for c in parent if isinstance(c.tag, str)]
        for child in reversed(children):
            if _local_name(child).lower() != "outline":
                continue
            is_feed = bool(_attr(child, "xmlurl"))
            name = "" if is_feed else _folder_name(child)
            path = f"{folder}/{name}" if folder and name else (name or folder)
            stack.append((child, path))
        if parent is not body:
            yield parent, folder


def _feed(outline: etree._Element, folder: str) -> OpmlFeed | None:
    """The feed an outline describes, or None when it has no usable xmlUrl."""
    url = _feed_url(_attr(outline, "xmlurl"))
    if not url:
        return None
    title = safety.clean_line(_attr(outline, "title") or _attr(outline, "text"))[:_MAX_TITLE]
    site = safety.clean_url(_attr(outline, "htmlurl"))
    return OpmlFeed(url=url, title=title, folder=folder,
                    site_url=site if safety.is_safe_link(site) else "")


def _feed_url(value: str) -> str:
    """An http(s) feed URL from an xmlUrl attribute ("feed:" URLs converted), else ""."""
    url = safety.clean_url(value)
    lowered = url.lower()
    if lowered.startswith("feed://"):
        url = "http://" + url[len("feed://"):]
    elif lowered.startswith("feed:"):
        url = url[len("feed:"):]
    return url if safety.is_safe_link(url) else ""


def _folder_name(outline: etree._Element) -> str:
    """A folder's name: its text (or title), one line, no empty "/" segments."""
    name = safety.clean_line(_attr(outline, "text") or _attr(outline, "title"))[:_MAX_TITLE]
    return "/".join(part.strip() for part in name.split("/") if part.strip())


def _attr(element: etree._Element, lower_name: str) -> str:
    """An attribute by case-insensitive name (xmlUrl, xmlurl, XMLURL...); "" if absent."""
    value = element.get(lower_name)
    if value is not None:
        return value
    for key, value in element.attrib.items():
        if key.lower() == lower_name:
            return value
    return ""


def _local_name(element: etree._Element) -> str:
    """The tag without any namespace."""
    return etree.QName(element).localname


def write_opml(feeds: Iterable[Feed], *, title: str = "newsreader subscriptions") -> str:
    """Write ``feeds`` as an OPML 2.0 document, folders as nested outlines.

    Output is deterministic: folders and feeds appear in the order they are first met.
    """
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = _xml_text(title)
    body = etree.SubElement(root, "body")
    folders: dict[str, etree._Element] = {"": body}
    for feed in feeds:
        parent = _folder_element(folders, feed.folder)
        name = _xml_text(feed.title) or _xml_text(feed.url)
        attributes = {"type": "rss", "text": name, "title": name, "xmlUrl": _xml_text(feed.url)}
        if feed.site_url:
            attributes["htmlUrl"] = _xml_text(feed.site_url)
        etree.SubElement(parent, "outline", attributes)
    document = etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8")
    return document.decode("utf-8")


def _folder_element(folders: dict[str, etree._Element], folder: str) -> etree._Element:
    """The outline for ``folder`` ("a/b"), creating it and its parents on first use."""
    path = ""
    for part in (p.strip() for p in _xml_text(folder).split("/")):
        if not part:
            continue
        parent = folders[path]
        path = f"{path}/{part}" if path else part
        if path not in folders:
            folders[path] = etree.SubElement(parent, "outline", text=part, title=part)
    return folders[path]


def _xml_text(value: str) -> str:
    """A one-line string XML can carry: no controls, no lone surrogates."""
    return _SURROGATES.sub("", safety.clean_line(value))
