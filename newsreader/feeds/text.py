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
from urllib.parse import urljoin, urlsplit

from lxml import etree

from newsreader import safety

_DROP = (
    "script", "style", "iframe", "object", "template", "noscript", "noembed", "svg", "math",
    "form", "head", "title", "meta", "link", "video", "audio", "canvas", "button", "select",
    "textarea", "input", "frameset", "frame", "applet",
)
"""Dropped with their content. <embed> is absent on purpose: it is a void element, but
libxml2 parses it as a container that swallows the text after it; skipping just the tag
loses nothing, since it never has content of its own."""
_PARAGRAPH = frozenset((
    "p", "div", "blockquote", "pre", "figure", "figcaption", "table", "thead", "tbody",
    "tfoot", "tr", "caption", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
    "header", "footer", "aside", "nav", "main", "address", "hr", "details", "summary",
    "center", "fieldset", "legend", "dl", "dt", "dd", "body", "html", "br",
))
_LISTS = frozenset(("ul", "ol", "menu", "dir"))
_CELLS = frozenset(("td", "th"))
_EMOJI_CLASSES = frozenset(("emoji", "wp-smiley"))
_LINK_SCHEMES = ("http", "https", "mailto")
_MAX_URL = 8192
_MAX_DEPTH = 250
"""libxml2 stops parsing HTML below 255 levels; deeper documents use the fallback."""

_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<!--|<!\[CDATA\[|<![A-Za-z]")
_WS = re.compile(r"\s+")

_local = threading.local()


def _parser() -> etree.HTMLParser:
    """One HTML parser per thread (lxml parsers must not be shared between threads)."""
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.HTMLParser(
            encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True,
            recover=True, default_doctype=False,
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
    source = _clean(html)
    if not source.strip():
        return "", []
    if not _TAG.search(source):
        return _normalise(html_lib.unescape(source)), []
    try:
        walker = _Walker(base_url, mark_links=True)
        if walker.run(source):
            return _normalise("".join(walker.out)), walker.links
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
        walker = _Walker("", mark_links=False)
        if walker.run(source):
            return safety.clean_line("".join(walker.out))
    except Exception:  # see html_to_text
        pass
    return safety.clean_line(_strip_tags(source))


def _clean(text: object) -> str:
    """Multi-line feed text made safe (``safety.clean_text`` is cheap on clean text)."""
    return safety.clean_text(text, multiline=True)


def _normalise(text: str) -> str:
    """Clean decoded text and apply the whitespace rules to the whole output.

    Each line is trimmed with its runs of whitespace collapsed to one space; runs of blank
    lines become one; the text has no leading or trailing blank lines.
    """
    lines: list[str] = []
    blank = True
    for line in _clean(text).split("\n"):
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


class _Walker:
    """Walks a parsed tree once (iteratively: no recursion limit) and builds the text."""

    def __init__(self, base_url: str, *, mark_links: bool) -> None:
        self.base_url = base_url
        self.mark_links = mark_links
        self.out: list[str] = []
        self.links: list[str] = []
        self._numbers: dict[str, int] = {}
        self._break = 0
        """Newlines wanted before the next text (0, 1 or 2)."""
        self._prefix = ""
        """A list-item prefix waiting for the item's first text."""
        self._cell_sep = False
        self._row_has_text = False
        self._pre = 0
        self._in_item = 0
        self._lists: list[list[int]] = []
        """Per open list: [next number] for ordered lists, [] for bullets."""
        self._anchors: list[tuple[str | None, int]] = []
        self._resolved: dict[str, str | None] = {}
        self._texts = 0
        """How many non-blank text pieces were written, to know if a link had text."""

    def run(self, source: str) -> bool:
        """Parse and walk ``source``; False when the tree is too deep to trust."""
        root = etree.fromstring(source.encode("utf-8", "ignore"), _parser())
        if root is None:
            return True
        etree.strip_elements(root, *_DROP, with_tail=False)
        depth = 0
        for event, element in etree.iterwalk(root, events=("start", "end")):
            if event == "start":
                depth += 1
                if depth > _MAX_DEPTH:
                    return False
                self._start(element)
            else:
                depth -= 1
                self._end(element)
        return True

    def _start(self, element: etree._Element) -> None:
        """Opening tag: request breaks, prefixes or link bookkeeping, then its text."""
        tag = element.tag
        if isinstance(tag, str):
            if tag in _PARAGRAPH:
                if tag == "br" and self._pre:
                    self._write("\n")
                else:
                    self._block()
            elif tag == "li":
                self._item_start()
            elif tag in _LISTS:
                self._list_start(element)
            elif tag in _CELLS:
                self._cell_sep = self._row_has_text
            elif tag == "a":
                self._anchors.append((self._target(element), self._texts))
            elif tag == "img":
                self._image(element)
            if tag == "pre":
                self._pre += 1
            if element.text:
                self._write(element.text)

    def _end(self, element: etree._Element) -> None:
        """Closing tag: end the block, item, list or link, then the text after it."""
        tag = element.tag
        if isinstance(tag, str):
            if tag in _PARAGRAPH:
                if tag == "pre":
                    self._pre -= 1
                if tag == "tr":
                    self._row_has_text = False
                if tag != "br":
                    self._block()
            elif tag == "li":
                self._in_item -= 1
                self._prefix = ""
                self._want(1)
            elif tag in _LISTS:
                self._lists.pop()
                self._want(1 if self._lists else 2)
            elif tag == "a":
                self._anchor_end()
        if element.tail:
            self._write(element.tail)

    def _want(self, newlines: int) -> None:
        """Ask for a break before the next text; inside list items a paragraph is a line."""
        if self._in_item and newlines > 1:
            newlines = 1
        if newlines > self._break:
            self._break = newlines

    def _block(self) -> None:
        self._want(2)
        self._row_has_text = False

    def _write(self, text: str) -> None:
        """Append text, first emitting any pending break, item prefix or cell separator."""
        if not self._pre:
            text = text.replace("\n", " ")
        if text.isspace():
            if not self._break and self.out:
                self.out.append(" " if not self._pre else text)
            return
        if self._break:
            if self.out:
                self.out.append("\n" * self._break)
            self._break = 0
            self._cell_sep = False
        if self._prefix:
            self.out.append(self._prefix)
            self._prefix = ""
        if self._cell_sep:
            self.out.append(" | ")
            self._cell_sep = False
        self.out.append(text)
        self._texts += 1
        self._row_has_text = True

    def _list_start(self, element: etree._Element) -> None:
        self._want(1 if self._lists else 2)
        if element.tag == "ol":
            self._lists.append([_start_number(element.get("start"))])
        else:
            self._lists.append([])

    def _item_start(self) -> None:
        self._want(1)
        self._in_item += 1
        counter = self._lists[-1] if self._lists else []
        if counter:
            self._prefix = f"{counter[0]}. "
            counter[0] += 1
        else:
            self._prefix = "• "

    def _image(self, element: etree._Element) -> None:
        """Images add nothing, except an emoji image's alt (the emoji itself)."""
        classes = set((element.get("class") or "").split())
        alt = (element.get("alt") or "").strip()
        if alt and classes & _EMOJI_CLASSES and len(alt) <= 16:
            self._write(alt)

    def _target(self, element: etree._Element) -> str | None:
        """The link target if it may be listed, else None."""
        if not self.mark_links:
            return None
        href = element.get("href") or ""
        if href not in self._resolved:
            self._resolved[href] = resolve_link(href, self.base_url)
        return self._resolved[href]

    def _anchor_end(self) -> None:
        """Append the link's " [n]" marker when it had text and a usable target."""
        if not self._anchors:
            return
        target, texts_before = self._anchors.pop()
        if target is None or self._texts == texts_before:
            return
        number = self._numbers.get(target)
        if number is None:
            self.links.append(target)
            number = self._numbers[target] = len(self.links)
        self.out.append(f" [{number}]")


PLAIN_HTTP_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#][!#-;=?-~]*)?")
"""An absolute http(s) URL of printable ASCII with no quotes, spaces or angle brackets:
safe as it is, so it skips the (slow) urljoin of :func:`resolve_link`."""


def resolve_link(href: str, base_url: str) -> str | None:
    """Resolve ``href`` against ``base_url``; None unless it is a usable http(s)/mailto URL."""
    href = href.strip()
    if not href or len(href) > _MAX_URL:
        return None
    if PLAIN_HTTP_URL.fullmatch(href) and "/." not in href:
        return href
    try:
        url = safety.clean_url(urljoin(base_url, href))
        parts = urlsplit(url)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _LINK_SCHEMES or len(url) > _MAX_URL:
        return None
    if scheme == "mailto":
        return url if parts.path.strip() else None
    return url if safety.is_safe_link(url) else None


def _start_number(value: str | None) -> int:
    """The first number of an ordered list (``<ol start>``), bounded; 1 when absent/odd."""
    try:
        number = int((value or "1").strip())
    except ValueError:
        return 1
    return number if -1_000_000 < number < 1_000_000 else 1


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
        kept.append(source[position:match.start()])
        closing = re.compile(rf"</{match.group(1)}\s*>", re.IGNORECASE)
        end = closing.search(source, match.end())
        if end is None:
            return " ".join(kept)
        position = end.end()
    kept.append(source[position:])
    return " ".join(kept)
