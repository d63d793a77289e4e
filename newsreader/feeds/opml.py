"""OPML import and export of subscriptions.

Import is bounded: at most 10 MB, no DOCTYPE (so no entity declarations, hence no
entity-expansion bombs), no network, libxml2's default depth limit. It is lenient about
what real exports get wrong — a bare ``&`` or an unescaped ``"`` inside an attribute, an
HTML entity such as ``&nbsp;``, an unclosed outline: such a file is repaired
(:func:`_repair`) or read in libxml2's recover mode, and :attr:`OpmlImport.problem` says
it was. Outlines that are not usable feeds (no xmlUrl, a non-http(s) URL, a duplicate) are
skipped, each listed with its line and the reason (:attr:`OpmlImport.skipped`). Only a
file with nothing readable as OPML raises :class:`OpmlError`, with a one-line message.

Folders are nested outlines; their names are joined with "/" ("News/Europe"), so a "/"
inside one folder's name reads back as a deeper folder.
"""

from __future__ import annotations

import html.entities
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from lxml import etree

from newsreader import safety
from newsreader.models import Feed
from newsreader.urls import normalise_url

MAX_OPML_BYTES = 10 * 1024 * 1024
_MAX_TITLE = 500
_DOCTYPE = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_SURROGATES = re.compile("[\ud800-\udfff]")
_LXML_SUFFIX = re.compile(r"\s*\(<string>, line \d+\)$")


_BARE_AMP = re.compile(rb"&(?!(?:[A-Za-z_][\w.-]{0,40}|#[0-9]{1,8}|#x[0-9A-Fa-f]{1,8});)")
_NAMED_REF = re.compile(rb"&([A-Za-z][A-Za-z0-9]{1,40});")
_XML_NAMES = {b"amp", b"lt", b"gt", b"quot", b"apos"}
_OUTLINE_START = re.compile(rb"<outline\b", re.IGNORECASE)
_ATTRIBUTE = re.compile(
    rb"""\s+([A-Za-z_:][\w:.-]{0,100})\s*=\s*(?:"(.{0,20000}?)"|'(.{0,20000}?)')"""
    rb"""(?=\s+[A-Za-z_:][\w:.-]{0,100}\s*=\s*["']|\s*/?>)""",
    re.DOTALL,
)
_TAG_END = re.compile(rb"\s*(/?)>")


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


@dataclass(frozen=True, slots=True)
class SkippedOutline:
    """An outline that was not imported, and why."""

    line: int | None
    """Its line in the file (None when unknown)."""
    title: str
    url: str
    """Its xmlUrl as written (one line, shortened); "" when it has none."""
    reason: str

    def describe(self) -> str:
        """One line for the user: 'line 12 "Script" <javascript:…>: not an http(s) URL'."""
        where = f"line {self.line}" if self.line else "an outline"
        title = f' "{self.title}"' if self.title else ""
        url = f" <{self.url}>" if self.url else ""
        return f"{where}{title}{url}: {self.reason}"


@dataclass(slots=True)
class OpmlImport:
    """What an OPML file holds: its usable feeds, what was skipped, what was repaired."""

    feeds: list[OpmlFeed] = field(default_factory=list)
    skipped: list[SkippedOutline] = field(default_factory=list)
    problem: str = ""
    """Set when the file was not well-formed XML and was read leniently: the first error."""


def parse_opml(data: bytes) -> list[OpmlFeed]:
    """The feeds of an OPML document (see :func:`read_opml`)."""
    return read_opml(data).feeds


def read_opml(data: bytes) -> OpmlImport:
    """Read the feeds of an OPML document, in document order, without duplicates, with
    every outline that was skipped and whether the file had to be read leniently.

    Raises:
        OpmlError: too large, a DOCTYPE, or nothing in it readable as an OPML document.
    """
    root, problem = _parse(data)
    result = OpmlImport(problem=problem)
    seen: dict[str, int | None] = {}
    for outline, folder in _outlines(_body(root, problem)):
        feed, reason = _feed(outline, folder)
        if feed is not None and feed.url in seen:
            line = seen[feed.url]
            feed, reason = None, f"a duplicate of line {line}" if line else "a duplicate"
        if feed is None:
            if not _is_folder(outline):
                result.skipped.append(_skipped(outline, reason))
            continue
        seen[feed.url] = outline.sourceline
        result.feeds.append(feed)
    if problem and not result.feeds:  # leniency is for files that give something
        raise OpmlError(f"not a valid OPML file: {problem.removesuffix('; read leniently')}")
    return result


def _skipped(outline: etree._Element, reason: str) -> SkippedOutline:
    title = safety.clean_line(_attr(outline, "title") or _attr(outline, "text"))[:80]
    url = safety.clean_line(_attr(outline, "xmlurl"))
    return SkippedOutline(
        outline.sourceline, title, url if len(url) <= 120 else url[:119] + "…", reason
    )


def _parse(data: bytes) -> tuple[etree._Element, str]:
    """Parse ``data`` as XML with every expansion and network feature off: the root, and
    "" or what was wrong with a file that had to be repaired or recovered."""
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError(f"OPML file too large ({len(data) / 1e6:.1f} MB; the limit is 10 MB)")
    if not data.strip():
        raise OpmlError("OPML file is empty")
    if _DOCTYPE.search(data):
        raise OpmlError("OPML file refused: it contains a DOCTYPE or entity declaration")
    try:
        return _checked(etree.fromstring(data, _parser(recover=False))), ""
    except (ValueError, etree.LxmlError) as error:
        first = _LXML_SUFFIX.sub("", safety.clean_line(str(error))) or "not well-formed XML"
    if "Excessive depth" in first:  # libxml2's nesting limit: a hostile file, not a sloppy one
        raise OpmlError(f"not a valid OPML file: {first[:300]}")
    problem = f"not well-formed XML ({first[:200]}); read leniently"
    repaired = _repair(data)
    try:
        return _checked(etree.fromstring(repaired, _parser(recover=False))), problem
    except (ValueError, etree.LxmlError):
        pass
    try:
        root = etree.fromstring(repaired, _parser(recover=True))
    except (ValueError, etree.LxmlError):
        root = None
    if root is None:
        raise OpmlError(f"not a valid OPML file: {first[:300]}")
    return _checked(root), problem


def _parser(*, recover: bool) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
        recover=recover,
    )


def _checked(root: etree._Element | None) -> etree._Element:
    if root is None:
        raise OpmlError("not a valid OPML file: no root element")
    if root.getroottree().docinfo.doctype:
        raise OpmlError("OPML file refused: it contains a DOCTYPE or entity declaration")
    return root


def _repair(data: bytes) -> bytes:
    """What hand-written and badly exported OPML gets wrong, put right.

    A bare ``&`` becomes ``&amp;`` (``Q&A``, ``?a=1&b=2``), an HTML entity its character
    reference (``&nbsp;`` -> ``&#160;``), and inside each ``<outline>`` tag a ``"`` or
    ``<`` that cannot end or start anything is escaped: an attribute value runs to the
    quote that is followed by the next ``name="`` or by the end of the tag.
    """
    data = _NAMED_REF.sub(_named_ref, _BARE_AMP.sub(b"&amp;", data))
    pieces, done = [], 0
    for start in _OUTLINE_START.finditer(data):
        if start.start() < done:
            continue
        tag = _outline_tag(data, start.end())
        if tag is None:
            continue
        end, rebuilt = tag
        pieces += [data[done : start.start()], rebuilt]
        done = end
    return b"".join(pieces) + data[done:] if pieces else data


def _named_ref(match: re.Match[bytes]) -> bytes:
    name = match.group(1)
    if name in _XML_NAMES:
        return match.group(0)
    text = html.entities.html5.get(name.decode("ascii") + ";")
    if text is None:
        return b"&amp;" + match.group(0)[1:]
    return "".join(f"&#{ord(c)};" for c in text).encode("ascii")


def _outline_tag(data: bytes, position: int) -> tuple[int, bytes] | None:
    """(end, the tag rewritten with escaped values) for an outline tag whose attributes
    read as name="value" pairs; None when they do not (the tag is left alone)."""
    attributes = []
    while True:
        match = _ATTRIBUTE.match(data, position)
        if match is None:
            break
        value = match.group(2) if match.group(2) is not None else match.group(3)
        attributes.append(
            b' %s="%s"' % (match.group(1), value.replace(b'"', b"&quot;").replace(b"<", b"&lt;"))
        )
        position = match.end()
    end = _TAG_END.match(data, position)
    if end is None or not attributes:
        return None
    return end.end(), b"<outline" + b"".join(attributes) + (b"/>" if end.group(1) else b">")


def _body(root: etree._Element, problem: str = "") -> etree._Element:
    """The <body> of an <opml> root element."""
    name = _local_name(root)
    if name.lower() != "opml":
        if problem:
            raise OpmlError(f"not a valid OPML file: {problem.removesuffix('; read leniently')}")
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


def _feed(outline: etree._Element, folder: str) -> tuple[OpmlFeed | None, str]:
    """(the feed an outline describes, "") or (None, why it is not one)."""
    written = _attr(outline, "xmlurl")
    url = _feed_url(written)
    if not url:
        if not _has_attr(outline, "xmlurl"):
            names = {key.lower() for key in outline.attrib} - {"text", "title"}
            return None, "no xmlUrl: " + ("not a feed" if names else "an empty folder or a note")
        return None, _unusable(written)
    title = safety.clean_line(_attr(outline, "title") or _attr(outline, "text"))[:_MAX_TITLE]
    site = safety.clean_url(_attr(outline, "htmlurl"))
    return OpmlFeed(
        url=url, title=title, folder=folder, site_url=site if safety.is_safe_link(site) else ""
    ), ""


def _unusable(written: str) -> str:
    """Why an xmlUrl value is not a feed URL we subscribe to."""
    value = safety.clean_url(written).strip()
    if not value:
        return "empty xmlUrl"
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", value)
    if scheme is None:
        return "not an http(s) URL (a path or relative address)"
    if scheme.group(1).lower() not in ("http", "https", "feed"):
        return f"not an http(s) URL ({scheme.group(1).lower()}:)"
    return "not a valid URL (no host)"


def _is_folder(outline: etree._Element) -> bool:
    """An outline without an xmlUrl that holds other outlines: a folder, not a feed."""
    return not _has_attr(outline, "xmlurl") and any(
        isinstance(child.tag, str) and _local_name(child).lower() == "outline" for child in outline
    )


def _has_attr(element: etree._Element, lower_name: str) -> bool:
    return any(key.lower() == lower_name for key in element.attrib)


def _feed_url(value: str) -> str:
    """An http(s) feed URL from an xmlUrl attribute ("feed:" URLs converted), in its normal
    spelling (:func:`normalise_url`: one subscription however it is spelled), else ""."""
    url = safety.clean_url(value)
    lowered = url.lower()
    if lowered.startswith("feed://"):
        url = "http://" + url[len("feed://") :]
    elif lowered.startswith("feed:"):
        url = url[len("feed:") :]
    return normalise_url(url) if safety.is_safe_link(url) else ""


def _folder_name(outline: etree._Element) -> str:
    """A folder's name: its text (or title), one line, no empty "/" segments."""
    name = safety.clean_line(_attr(outline, "text") or _attr(outline, "title"))[:_MAX_TITLE]
    return "/".join(part.strip() for part in name.split("/") if part.strip())


def _attr(element: etree._Element, lower_name: str) -> str:
    """An attribute by case-insensitive name (xmlUrl, xmlurl, XMLURL...); "" if absent."""
    value: str | None = element.get(lower_name)
    if value is not None:
        return value
    for key, found in element.attrib.items():
        if key.lower() == lower_name:
            return str(found)
    return ""


def _local_name(element: etree._Element) -> str:
    """The tag without any namespace."""
    name: str = etree.QName(element).localname
    return name


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
    document: bytes = etree.tostring(
        root, pretty_print=True, xml_declaration=True, encoding="UTF-8"
    )
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
