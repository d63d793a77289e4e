"""Sanitise article HTML before it is stored: a small allowlist walk with lxml.

The stored HTML is never rendered by newsreader itself (the reader shows the canonical
text made by :mod:`newsreader.feeds.text`), but it is stored, exported and may be opened
elsewhere, so it is made inert here rather than trusted to every later consumer:

- script, style, iframe, object, embed, forms, media, SVG/MathML, the document head and
  the like are removed with their content; comments and processing instructions too;
- other tags outside a fixed allowlist of text-structure tags are unwrapped (their text
  stays);
- attributes outside a small allowlist are removed (so every ``on*`` handler and
  ``style``); ``href``/``src``/``cite`` are resolved against the base URL and kept only as
  http(s) or mailto URLs (no ``javascript:``, ``data:``, ``file:``);
- images without a usable source and 1x1 tracking pixels are removed;
- control characters and terminal escapes are removed (:func:`newsreader.safety.clean_text`).

feedparser's own sanitiser is not used: it is the slowest part of feedparser and lets
``javascript:``/``data:`` links and tracking pixels through (DESIGN.md, "Safety").
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

from lxml import etree

from newsreader import safety
from newsreader.feeds.text import PLAIN_HTTP_URL, html_parser, resolve_link

_DROP = (
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "applet",
    "noscript",
    "template",
    "svg",
    "math",
    "head",
    "title",
    "meta",
    "link",
    "base",
    "form",
    "button",
    "select",
    "textarea",
    "input",
    "video",
    "audio",
    "canvas",
    "param",
    "map",
    "area",
    "dialog",
    "portal",
)
_TAGS = frozenset(
    (
        "a",
        "abbr",
        "acronym",
        "address",
        "article",
        "aside",
        "b",
        "big",
        "blockquote",
        "body",
        "br",
        "caption",
        "center",
        "cite",
        "code",
        "col",
        "colgroup",
        "dd",
        "del",
        "details",
        "dfn",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "main",
        "mark",
        "nav",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "samp",
        "section",
        "small",
        "span",
        "strike",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "time",
        "tr",
        "tt",
        "u",
        "ul",
        "var",
        "wbr",
    )
)
_ATTRIBUTES = frozenset(
    (
        "href",
        "src",
        "alt",
        "title",
        "width",
        "height",
        "colspan",
        "rowspan",
        "start",
        "cite",
        "datetime",
        "class",
    )
)
_URL_ATTRIBUTES = frozenset(("href", "src", "cite"))
_DROP_NAMES = frozenset(_DROP)
_UNWRAP = "newsreader-unwrap"
"""Placeholder tag for elements to unwrap whose own tag lxml will not take."""
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters lxml refuses to set in an attribute value or a text."""


def sanitize_html(html: str, base_url: str = "") -> str:
    """Return ``html`` with everything active or unknown removed (see the module doc).

    Args:
        html: untrusted HTML (a fragment or a whole document).
        base_url: resolves relative links and image sources.
    """
    return sanitize_tree(html, base_url)[0]


def sanitize_tree(html: str, base_url: str = "") -> tuple[str, etree._Element | None]:
    """:func:`sanitize_html`, plus the sanitised tree it serialised (its ``body``).

    The tree lets the canonical text be made without parsing the HTML a second time
    (:func:`newsreader.feeds.text.tree_to_text`). It is None when there is none to reuse:
    when the serialisation had to be cleaned of control characters (decoded from
    character references such as "&#27;"), the tree still holds them and only the cleaned
    HTML may be used.
    """
    if not html.strip():
        return "", None
    try:
        root = etree.fromstring(html.encode("utf-8", "ignore"), html_parser())
    except (etree.LxmlError, ValueError):
        return _clean(escape(html, quote=False)), None
    body = root.find("body") if root is not None else None
    if body is None:
        return "", None
    _sanitize(body, base_url)
    serialised = etree.tostring(body, method="html", encoding="unicode")[6:-7].strip()
    cleaned = _clean(serialised)  # without "<body>" and "</body>"
    return cleaned, (body if cleaned is serialised else None)


def _sanitize(body: etree._Element, base_url: str) -> None:
    """Sanitise a parsed document's body in place."""
    found = _survey(body)
    if found is None:  # a dropped element (rare): remove them all, then look again
        etree.strip_elements(body, *_DROP, with_tail=False)
        found = _survey(body)
    if found is None:  # one survived the stripping: keep nothing rather than it
        body.clear()
        return
    unknown, marked = found
    doomed = [element for element in marked if not _clean_attributes(element, base_url)]
    unknown.discard("body")
    if unknown:
        _strip_tags(body, unknown)
    for element in doomed:
        _remove(element)
    body.attrib.clear()
    if body.tail:  # text after "</body>": keep it inside, where a serialisation shows it
        _append_text(body, body.tail)
        body.tail = None


def _strip_tags(body: etree._Element, tags: set[Any]) -> None:
    """Unwrap every element with one of these tags (its text and children stay).

    libxml2's HTML parser takes tag names that lxml refuses to match ("p\x01--" in a
    damaged feed): then those elements are renamed to one placeholder and unwrapped so.
    """
    try:
        etree.strip_tags(body, *tags)
    except ValueError:
        for element in body.iter():
            if isinstance(element.tag, str) and element.tag in tags:
                element.tag = _UNWRAP
        etree.strip_tags(body, _UNWRAP, *(t for t in tags if not isinstance(t, str)))


def _survey(body: etree._Element) -> tuple[set[Any], list[etree._Element]] | None:
    """(tags outside the allowlist, elements whose attributes need a look), or None when
    an element to drop with its content is present.

    Changes nothing, so it can simply run again after the drop. ``strip_elements`` is
    only called when needed: matching its 30 names costs as much as this whole walk.
    """
    unknown: set[Any] = set()
    marked: list[etree._Element] = []
    for element in body.iter():
        tag = element.tag
        if tag not in _TAGS:
            if tag in _DROP_NAMES:
                return None
            unknown.add(tag)
        if element.attrib or tag == "img":
            marked.append(element)
    return unknown, marked


def _clean_attributes(element: etree._Element, base_url: str) -> bool:
    """Drop unsafe attributes in place; False when the element should go entirely."""
    names = element.keys()
    tag: object = element.tag
    if not names:
        return tag != "img"
    attrib = element.attrib
    if not _ATTRIBUTES.issuperset(names):
        # Rebuilt rather than deleted one by one: libxml2's HTML parser accepts attribute
        # names that are no XML names ("a\x01b"), and lxml refuses to delete those; nor
        # does it set values holding control characters (the serialised HTML loses them).
        kept = [(name, attrib[name]) for name in names if name in _ATTRIBUTES]
        attrib.clear()
        for name, value in kept:
            attrib[name] = _NOT_XML.sub("", value)
        names = [name for name, _ in kept]
    for name in names:
        if name in _URL_ATTRIBUTES:
            value = attrib[name]
            if len(value) < 2048 and PLAIN_HTTP_URL.fullmatch(value):
                continue
            target = resolve_link(value, base_url)
            if target is None:
                del attrib[name]
            else:
                attrib[name] = uri_escape(target) if name != "cite" else target
    if element.tag == "img":
        return bool(attrib.get("src")) and not _is_pixel(attrib)
    return True


def uri_escape(url: str) -> str:
    """``url`` as libxml2's HTML serialiser writes an href or src: leading blanks dropped,
    every byte of its UTF-8 form outside printable ASCII percent-encoded ("%C3%A9").

    Applied to the tree itself, so the stored HTML and the canonical text's link targets
    (walked from the same tree) agree, as they did when the text was made by parsing the
    serialised HTML again.
    """
    url = url.lstrip(" \t\n\r")
    if url.isascii() and url.isprintable() and " " not in url:
        return url
    return "".join(
        char if "!" <= char <= "~" else "".join(f"%{byte:02X}" for byte in char.encode())
        for char in url
    )


def _is_pixel(attrib: etree._Attrib) -> bool:
    """A tracking pixel: an image declared 0 or 1 pixel wide or high."""
    return any(
        (attrib.get(side) or "").strip() in ("0", "1", "0px", "1px") for side in ("width", "height")
    )


def _remove(element: etree._Element) -> None:
    """Remove ``element`` and its content, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    if tail:
        # Cleaned: lxml refuses to set text holding control characters, which a parsed
        # tree may hold (decoded from character references such as "&#27;").
        previous = element.getprevious()
        if previous is not None:
            previous.tail = _clean((previous.tail or "") + tail)
        else:
            parent.text = _clean((parent.text or "") + tail)
    parent.remove(element)


def _append_text(element: etree._Element, text: str) -> None:
    """Add ``text`` at the end of ``element``'s content."""
    last = element[-1] if len(element) else None
    if last is not None:
        last.tail = _clean((last.tail or "") + text)
    else:
        element.text = _clean((element.text or "") + text)


def _clean(html: str) -> str:
    """Text fit to set on the tree: clean, and without the two non-characters (U+FFFE,
    U+FFFF) that lxml also refuses."""
    return _NOT_XML.sub("", safety.clean_text(html, multiline=True))
