"""HTML -> canonical reader text: the plain text the reader shows and annotations anchor to.

The canonical text must be the same every time an article is processed (annotations store
character offsets into it), so the rules are fixed and simple:

- paragraphs (p, div, blockquote, pre, figure, figcaption, table rows, headings, br, hr...)
  are separated by exactly one blank line; headings are plain text, without "#";
- list items sit on their own line, prefixed "• " (ordered lists "1. ", "2. "...); inside an
  item, paragraph breaks become line breaks so an item stays one block;
- table cells of a row are joined with " | ";
- a link keeps its text, followed by a numbered marker " [n]"; the targets (resolved against
  the base URL, only http(s) and mailto, same target same number) are returned in order;
  links with no text or an unsafe/unresolvable target get no marker;
- images are dropped: alt text is usually empty, repeats the caption, or describes layout.
  The one exception is emoji images (class "emoji" or "wp-smiley", as WordPress emits
  them), whose alt is the emoji itself and part of the sentence;
- script, style, iframe, object, template, noscript, svg, math, form (and its controls),
  audio/video/canvas and the document head are dropped with their content; embed, which
  has no content, adds nothing;
- entities are decoded; runs of spaces collapse; lines carry no leading or trailing
  whitespace; never more than one blank line in a row; pre keeps its line breaks (but its
  lines are trimmed like any other);
- terminal escape sequences, control characters and bidi overrides are removed
  (``safety.clean_text``), before parsing and again after entities are decoded.

Text with no tags at all (plain-text summaries) keeps its line breaks and blank-line
paragraphs. Nesting deeper than libxml2's limit (255 levels) is handled by a tag-stripping
fallback so no text is silently lost; that fallback is also used if parsing fails.
"""

from __future__ import annotations

import html as html_lib
import re
import threading

from lxml import etree

from newsreader import safety
from newsreader.feeds.textwalk import PLAIN_HTTP_URL, Walker, resolve_link

__all__ = ["PLAIN_HTTP_URL", "html_to_text", "plain_text", "resolve_link", "tree_to_text"]

_DROP = (
    "script",
    "style",
    "iframe",
    "object",
    "template",
    "noscript",
    "noembed",
    "svg",
    "math",
    "form",
    "head",
    "title",
    "meta",
    "link",
    "video",
    "audio",
    "canvas",
    "button",
    "select",
    "textarea",
    "input",
    "frameset",
    "frame",
    "applet",
)
"""Dropped with their content. <embed> is absent on purpose: it is a void element, but
libxml2 parses it as a container that swallows the text after it; skipping just the tag
loses nothing, since it never has content of its own."""

_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<!--|<!\[CDATA\[|<![A-Za-z]")
_WS = re.compile(r"\s+")

_local = threading.local()


def html_parser() -> etree.HTMLParser:
    """One HTML parser per thread (lxml parsers must not be shared between threads)."""
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.HTMLParser(
            encoding="utf-8",
            remove_comments=True,
            remove_pis=True,
            no_network=True,
            recover=True,
            default_doctype=False,
        )
        _local.parser = parser
    return parser


def html_to_text(html: str, base_url: str = "") -> tuple[str, list[str]]:
    """Turn article HTML (or plain text) into canonical reader text and its link targets.

    Args:
        html: sanitised HTML or plain text from a feed (untrusted; any string).
        base_url: the article URL, to resolve relative links.

    Returns:
        ``(text, links)`` where ``links[n - 1]`` is the target of marker ``[n]`` in ``text``.
        Never raises.
    """
    return _text(_clean(html), base_url, None)


def tree_to_text(root: etree._Element, html: str, base_url: str = "") -> tuple[str, list[str]]:
    """:func:`html_to_text` of ``html`` when it has been parsed already, as ``root``.

    For the sanitiser's output: ``html`` is the serialisation of ``root``, the tree holds
    none of the dropped elements, and no control characters (libxml2 writes them as they
    are, so a clean serialisation means a clean tree; link targets are cleaned anyway):
    walking it gives what parsing ``html`` again would give, without the second parse.
    """
    return _text(html, base_url, root)


def _text(source: str, base_url: str, root: etree._Element | None) -> tuple[str, list[str]]:
    if not source.strip():
        return "", []
    if not _TAG.search(source):
        return _normalise(html_lib.unescape(source)), []
    try:
        walker = Walker(base_url, mark_links=True)
        if _walk(walker, source) if root is None else walker.walk(root):
            return _normalise("".join(walker.out), clean=root is None), walker.links
    except Exception:  # lxml's failure modes are many; the regex fallback cannot fail
        pass
    return _normalise(_strip_tags(source)), []


def plain_text(html_or_text: str) -> str:
    """One-line text for titles and other short fields: tags stripped, entities decoded.

    Block boundaries become spaces; whitespace collapses; controls are removed. Never raises.
    """
    source = safety.clean_text(html_or_text)
    if "<" not in source and "&" not in source:
        return safety.clean_line(source)
    if not _TAG.search(source):
        return safety.clean_line(html_lib.unescape(source))
    try:
        walker = Walker("", mark_links=False)
        if _walk(walker, source):
            return safety.clean_line("".join(walker.out))
    except Exception:  # see html_to_text
        pass
    return safety.clean_line(_strip_tags(source))


def _walk(walker: Walker, source: str) -> bool:
    """Parse ``source`` and walk it; False when the tree is too deep to trust."""
    root = etree.fromstring(source.encode("utf-8", "ignore"), html_parser())
    if root is None:
        return True
    etree.strip_elements(root, *_DROP, with_tail=False)
    return walker.walk(root)


def _clean(text: object) -> str:
    """Multi-line feed text made safe (``safety.clean_text`` is cheap on clean text)."""
    return safety.clean_text(text, multiline=True)


def _normalise(text: str, *, clean: bool = True) -> str:
    """Apply the whitespace rules to the whole output (cleaning it first unless told not to:
    text walked from a tree whose serialisation was clean holds no control characters).

    Each line is trimmed with its runs of whitespace collapsed to one space; runs of blank
    lines become one; the text has no leading or trailing blank lines.
    """
    lines: list[str] = []
    blank = True
    for line in (_clean(text) if clean else text).split("\n"):
        # A printable line has no white space but " " (tabs, no-break spaces... are not
        # printable): without doubled or edge spaces it is already what split/join gives.
        if "  " in line or line[:1] == " " or line[-1:] == " " or not line.isprintable():
            line = " ".join(line.split())
        if line:
            lines.append(line)
            blank = False
        elif not blank:
            lines.append("")
            blank = True
    if blank and lines:
        lines.pop()
    return "\n".join(lines)


_RAW_OPEN = re.compile(
    r"<(script|style|iframe|object|template|noscript|svg|head|title|form)\b", re.IGNORECASE
)
_FALLBACK_BLOCK = re.compile(
    r"<(?:br|/?(?:p|div|blockquote|pre|figure|figcaption|tr|h[1-6]|li|ul|ol|table|hr))\b"
    r"[^<>]*>",
    re.IGNORECASE,
)
_FALLBACK_TAG = re.compile(r"<[^<>]*>")


def _strip_tags(source: str) -> str:
    """Tag-stripping fallback for documents lxml cannot take: keeps all text, no links.

    Every pattern stops at the next "<", so the work stays linear in the input size.
    """
    text = _FALLBACK_BLOCK.sub("\n\n", _drop_raw_blocks(source))
    text = html_lib.unescape(_FALLBACK_TAG.sub(" ", text))
    return "\n".join(_WS.sub(" ", line) for line in text.split("\n"))


def _drop_raw_blocks(source: str) -> str:
    """Remove script/style/... elements with their content; an unclosed one ends the text."""
    kept: list[str] = []
    position = 0
    while match := _RAW_OPEN.search(source, position):
        kept.append(source[position : match.start()])
        closing = re.compile(rf"</{match.group(1)}\s*>", re.IGNORECASE)
        end = closing.search(source, match.end())
        if end is None:
            return " ".join(kept)
        position = end.end()
    kept.append(source[position:])
    return " ".join(kept)
