"""The tree walk behind :mod:`newsreader.feeds.text`: a parsed HTML tree -> reader text.

One pass over the tree (``lxml.etree.iterwalk``: iterative, so no recursion limit) that
appends text pieces with the breaks, list prefixes, cell separators and link markers the
canonical text rules ask for; :func:`newsreader.feeds.text.html_to_text` then normalises
the white space. Link targets are resolved here (:func:`resolve_link`), as the sanitiser
resolves them in the stored HTML.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

from lxml import etree

from newsreader import safety

PARAGRAPH = frozenset(
    (
        "p",
        "div",
        "blockquote",
        "pre",
        "figure",
        "figcaption",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "caption",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "header",
        "footer",
        "aside",
        "nav",
        "main",
        "address",
        "hr",
        "details",
        "summary",
        "center",
        "fieldset",
        "legend",
        "dl",
        "dt",
        "dd",
        "body",
        "html",
        "br",
    )
)
_LISTS = frozenset(("ul", "ol", "menu", "dir"))
_CELLS = frozenset(("td", "th"))
_EMOJI_CLASSES = frozenset(("emoji", "wp-smiley"))
_LINK_SCHEMES = ("http", "https", "mailto")
_MAX_URL = 8192
MAX_DEPTH = 250
"""libxml2 stops parsing HTML below 255 levels; deeper documents use the fallback."""


class Walker:
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

    def walk(self, root: etree._Element) -> bool:
        """Walk a parsed tree; False when it is too deep to trust.

        Each tag's work is looked up once in ``_STARTS`` / ``_ENDS``: inline elements
        (most of an article's) cost a dictionary miss, not a chain of comparisons.
        """
        depth = 0
        write, starts, ends = self._write, _STARTS, _ENDS
        for event, element in etree.iterwalk(root, events=("start", "end")):
            tag = element.tag
            if event == "start":
                depth += 1
                if depth > MAX_DEPTH:
                    return False
                if not isinstance(tag, str):  # a comment or processing instruction
                    continue
                handler = starts.get(tag)
                if handler is not None:
                    handler(self, element)
                if element.text:
                    write(element.text)
            else:
                depth -= 1
                handler = ends.get(tag)
                if handler is not None:
                    handler(self, element)
                if element.tail:
                    write(element.tail)
        return True

    # -- what opening and closing tags do (see _STARTS and _ENDS) --
    def _block_start(self, element: etree._Element) -> None:
        self._block()

    def _pre_start(self, element: etree._Element) -> None:
        self._block()
        self._pre += 1

    def _br_start(self, element: etree._Element) -> None:
        if self._pre:
            self._write("\n")
        else:
            self._block()

    def _cell_start(self, element: etree._Element) -> None:
        self._cell_sep = self._row_has_text

    def _anchor_start(self, element: etree._Element) -> None:
        self._anchors.append((self._target(element), self._texts))

    def _block_end(self, element: etree._Element) -> None:
        self._block()

    def _pre_end(self, element: etree._Element) -> None:
        self._pre -= 1
        self._block()

    def _item_end(self, element: etree._Element) -> None:
        self._in_item -= 1
        self._prefix = ""
        self._want(1)

    def _list_end(self, element: etree._Element) -> None:
        self._lists.pop()
        self._want(1 if self._lists else 2)

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

    def _item_start(self, element: etree._Element) -> None:
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

    def _anchor_end(self, element: etree._Element) -> None:
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


_Handler = Callable[[Walker, etree._Element], None]
_STARTS: dict[str, _Handler] = {
    **dict.fromkeys(PARAGRAPH, Walker._block_start),
    "pre": Walker._pre_start,
    "br": Walker._br_start,
    "li": Walker._item_start,
    **dict.fromkeys(_LISTS, Walker._list_start),
    **dict.fromkeys(_CELLS, Walker._cell_start),
    "a": Walker._anchor_start,
    "img": Walker._image,
}
_ENDS: dict[str, _Handler] = {
    **dict.fromkeys(PARAGRAPH - {"br"}, Walker._block_end),
    "pre": Walker._pre_end,
    "li": Walker._item_end,
    **dict.fromkeys(_LISTS, Walker._list_end),
    "a": Walker._anchor_end,
}


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
