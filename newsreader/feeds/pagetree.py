"""A page's text -> the lxml.html tree trafilatura reads, without what a browser hides.

The page is parsed once, with trafilatura's own parser settings, and the tree is given to
every trafilatura run (it copies what it is given). Elements the page hides from its
reader — the ``hidden`` attribute, ``aria-hidden="true"``, an inline ``display: none`` or
``visibility: hidden`` — are removed first, as a browser would not show them: left in,
they are often what an extractor picks (a hidden mobile menu, a collapsed duplicate of the
article, a template). A hidden element that holds most of the page's text is one the
page reveals by script (an anti-flicker wrapper ``<div id=app style="display:none">``):
it stays.
"""

from __future__ import annotations

import re

from lxml import etree, html

from newsreader import safety

MAX_HIDDEN_SHARE = 0.8
"""A hidden element with more of the body's text than this is revealed by script."""
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_STYLE = "translate(@style, 'ABDEHILNOPSTVY ', 'abdehilnopstvy')"
_HIDDEN = (
    f"//body//*[@hidden or @aria-hidden='true' or contains({_STYLE}, 'display:none')"
    f" or contains({_STYLE}, 'visibility:hidden')]"
)
"""Candidates (upper case and spaces in the style ignored), confirmed by _is_hidden."""
_KEEP = frozenset(("html", "head", "body"))
_FORMATTING = frozenset(("em", "i", "b", "strong", "u", "mark", "small", "sub", "sup"))
_ANY_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_REF = re.compile(r"&#(?:0*(\d{1,7})|[xX]0*([0-9a-fA-F]{1,6}));?")


def parse_page(page: str) -> html.HtmlElement | None:
    """The page as an lxml.html document, hidden elements removed; None if unparsable.

    Control characters are removed from the tree, written as they are or as character
    references: the terminal must never see them, and trafilatura gives up on a tree
    holding them (lxml refuses them in the XML it builds). A reference is decoded before
    the cleaning, so an escape sequence written as "&#27;[31m" goes whole.
    """
    page = _CONTROL_REF.sub(_control, page)
    try:
        tree = html.document_fromstring(page.encode("utf-8", "replace"), parser=_parser())
    except (etree.LxmlError, ValueError, UnicodeError):
        return None
    if _ANY_CONTROL.search(page):
        clean_controls(tree)
    drop_hidden(tree)
    unwrap_link_formatting(tree)
    return tree


def unwrap_link_formatting(tree: etree._Element) -> None:
    """``<a><em>words</em></a>`` becomes ``<a>words</a>``.

    trafilatura (2.3, with links and formatting kept) loses such a link, or the space
    after it: "streaming on <a><em>Netflix</em></a> <em>and</em>" came out as
    "Netflixand". Without the formatting inside, it keeps both; the link's text loses
    only its italics.
    """
    for link in tree.iter("a"):
        if len(link) and not (link.text or "").strip() and link[0].tag in _FORMATTING:
            etree.strip_tags(link, *_FORMATTING)


def clean_controls(tree: etree._Element) -> None:
    """Remove escape sequences and control characters from every text and attribute.

    Node by node, so that a sequence left open (a lone DCS introducer) swallows the rest
    of its text at most, never the markup after it.
    """
    for element in tree.iter():
        if element.text:
            element.text = _clean(element.text)
        if element.tail:
            element.tail = _clean(element.tail)
        for name, value in element.attrib.items():
            if _ANY_CONTROL.search(value):
                element.set(name, _clean(value))


def _clean(text: str) -> str:
    return safety.clean_text(text, multiline=True) if _ANY_CONTROL.search(text) else text


def _control(match: re.Match[str]) -> str:
    """A character reference to a control character as that character; others unchanged."""
    decimal, hexadecimal = match.groups()
    code = int(decimal) if decimal else int(hexadecimal, 16)
    if code < 0x20 and code not in (0x09, 0x0A, 0x0D) or 0x7F <= code <= 0x9F:
        return chr(code)
    return match.group(0)


def _parser() -> html.HTMLParser:
    """trafilatura's parser settings (``trafilatura.utils.HTML_PARSER``), with no network."""
    return html.HTMLParser(
        collect_ids=False,
        default_doctype=False,
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
        no_network=True,
    )


def drop_hidden(tree: etree._Element) -> None:
    """Remove the elements a browser would not show, except a wrapper of most of the text."""
    hidden = [element for element in tree.xpath(_HIDDEN) if _is_hidden(element)]
    if not hidden:
        return
    found = set(hidden)
    body = tree.find("body")
    total = len("".join(body.itertext())) if body is not None else 0
    for element in hidden:
        if any(ancestor in found for ancestor in element.iterancestors()):
            continue  # goes with its hidden ancestor
        if len("".join(element.itertext())) <= MAX_HIDDEN_SHARE * total:
            remove_keeping_tail(element)


def _is_hidden(element: etree._Element) -> bool:
    if not isinstance(element.tag, str) or element.tag in _KEEP:
        return False
    if element.get("hidden") is not None:
        return True
    if element.get("aria-hidden") == "true" and "fallback-image" not in (
        element.get("class") or ""
    ):
        return True
    return bool(_HIDDEN_STYLE.search(element.get("style") or ""))


def remove_keeping_tail(element: etree._Element) -> None:
    """Remove an element, keeping its tail text in place."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)
