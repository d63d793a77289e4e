"""Is a feed document damaged? One recovering lxml parse, and a judgement on its errors.

feedparser reads a malformed document with its lenient parser and keeps what it can, so a
truncated download still yields the entries before the cut. The refresh stores them, but
the feed must show that something is wrong (issue 2, "Bad input"). What counts:

- **damage** (reported): the structure is broken, so entries or parts of them may be
  missing: the document ends early ("Premature end of data"), tags do not match, text
  follows the root element, an attribute or tag never closes...
- **sloppiness** (not reported): mistakes feedparser repairs without losing anything, and
  which many working feeds make: HTML entities such as ``&nbsp;`` that XML does not
  declare, a bare ``&`` or ``<`` in text, a character XML forbids, an undeclared namespace
  prefix, whitespace before the XML declaration.

Only documents the lxml fast path could not read are checked (it reads only well-formed
ones), so the common case costs nothing.
"""

from __future__ import annotations

import threading

from lxml import etree

from newsreader.safety import clean_line

SLOPPY = frozenset(
    (
        "ERR_UNDECLARED_ENTITY",
        "WAR_UNDECLARED_ENTITY",
        "ERR_ENTITYREF_SEMICOL_MISSING",
        "ERR_NAME_REQUIRED",
        "ERR_INVALID_CHAR",
        "ERR_INVALID_CHARREF",
        "ERR_INVALID_DEC_CHARREF",
        "ERR_INVALID_HEX_CHARREF",
        "NS_ERR_UNDEFINED_NAMESPACE",
        "ERR_RESERVED_XML_NAME",
    )
)
"""libxml2 error types that are sloppiness, not damage (see the module doc)."""

_local = threading.local()


def _parser() -> etree.XMLParser:
    """A recovering, locked-down XML parser, one per thread."""
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            recover=True, resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
        )
        _local.parser = parser
    return parser


def damage(data: bytes) -> str:
    """ "" for a well-formed (or merely sloppy) XML document, else its first real error.

    Args:
        data: the document as prepared by :func:`newsreader.feeds.xmlinput.prepare`.
    """
    parser = _parser()
    try:
        etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError):
        pass  # nothing recoverable: the error log says why
    for error in parser.error_log:
        if error.level >= etree.ErrorLevels.ERROR and error.type_name not in SLOPPY:
            return clean_line(error.message)[:160] or error.type_name
    return ""
