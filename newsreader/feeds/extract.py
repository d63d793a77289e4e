"""A web page -> its article: sanitised HTML, reader text and the page's metadata.

trafilatura finds the article body (no fetching: it is given the parsed page; no images,
no comments), on a tree cleaned first (:mod:`newsreader.feeds.pagetree`: no hidden
elements, no control characters). Its fast mode runs first; its full one, with its
fallback extractors, only when the fast answer is short or cut short. Then what only a
feed reader knows makes it better:

- the feed's own teaser (``hint_text``) says what the article is. When trafilatura's text
  does not hold the teaser but the page does, the page block around the teaser is
  extracted again, and the whole page in recall mode when the first answer was short
  (:mod:`newsreader.feeds.pagehints`);
- a leading paragraph that only repeats the title (``hint_title``, else the page's) is
  dropped (the reader shows the title above the text);
- paragraphs that repeat across pages of the same site (``boilerplate``, made by
  :func:`newsreader.feeds.boilerplate.boilerplate_lines`) are dropped.

The HTML goes through the same sanitiser as a feed's, and the reader text is made from it
by :func:`newsreader.feeds.text.html_to_text`, so it follows the canonical text rules;
links resolve against the page's ``<base href>``, else its URL. :func:`extract_page` is a
plain top-level function of picklable arguments: it runs in the parse worker processes,
raises nothing but :class:`PageExtractError`, and writes nothing to stdout or stderr
(trafilatura's loggers are silenced at import). ``benchmarks/extraction.py`` measures it.
"""

from __future__ import annotations

import logging
import re
from itertools import islice

from lxml import etree

from newsreader.feeds import pagehints
from newsreader.feeds.boilerplate import boilerplate_lines, paragraph_key
from newsreader.feeds.errors import PageExtractError
from newsreader.feeds.pagedecode import decode_page
from newsreader.feeds.pagemeta import (
    DATE_PARAMS,
    base_url,
    canonical_link,
    page_metadata,
    published_meta,
)
from newsreader.feeds.pagetree import parse_page, remove_keeping_tail
from newsreader.feeds.sanitize import sanitize_html
from newsreader.feeds.text import html_to_text
from newsreader.models import PageExtraction

for _name in ("trafilatura", "htmldate", "courlan", "justext", "readability"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

import trafilatura  # noqa: E402 - after its loggers are silenced
from trafilatura.htmlprocessing import convert_to_html  # noqa: E402

__all__ = ["PageExtractError", "boilerplate_lines", "extract_page", "paragraph_key"]

MAX_PAGE_BYTES = 10_000_000
"""Larger pages are refused (a news article's page is rarely above 2 MB)."""
MAX_PAGE_CHARS = 10_000_000
MAX_TEXT_CHARS = 1_000_000
"""Nor more text than this, scripts aside: no article is that long (the benchmark's
longest page, a Wikipedia article, has 130,000 characters of article), and trafilatura's
time and memory grow with it (3 million characters: 2 s and 150 MB)."""
_CODE = ("script", "style", "noscript", "template", "svg")
"""Elements whose text does not count towards MAX_TEXT_CHARS."""
MAX_ELEMENTS = 30_000
"""Pages with more elements are refused: trafilatura's time grows with them (the largest
page of the benchmark, a long Wikipedia article, has 9,500 and takes 0.9 s; 60,000
paragraphs take 6 s), and a feed's link must not tie up a parse worker for long."""
SHORT_ANSWER = 1000
"""A fast answer shorter than this (characters) is checked by a full run."""
CUT_SHORT_SHARE = 0.3
"""So is one with less than this share of the text of the page's paragraphs."""
MIN_ARTICLE_WORDS = 20
MAX_MENU_LINK_SHARE = 0.5
"""Fewer words than MIN_ARTICLE_WORDS, more than this share of them in links: a menu."""
_NO_ARTICLE = "no article text found on the page"
_WORD = re.compile(r"\w+")
MAX_BOILERPLATE_SHARE = 0.5
"""Above this share of the text, repeated lines are the article, not boilerplate."""
_BLOCKS = ("p", "head", "item", "quote", "code", "row")
"""trafilatura's block elements: the units boilerplate is dropped by."""


def extract_page(
    body: bytes,
    url: str,
    content_type: str = "",
    *,
    hint_title: str = "",
    hint_text: str = "",
    boilerplate: frozenset[str] = frozenset(),
) -> PageExtraction:
    """Extract the article from a fetched page.

    Args:
        body: the page's bytes as fetched (decompressed).
        url: the URL that answered: the base of relative links.
        content_type: the HTTP Content-Type header (its charset is used).
        hint_title: the feed's title for the article.
        hint_text: the feed's teaser or summary (plain text or HTML).
        boilerplate: :func:`paragraph_key` keys of paragraphs to drop (see
            :func:`boilerplate_lines`).

    Raises:
        PageExtractError: the page is too large, or holds no article text.
    """
    if len(body) > MAX_PAGE_BYTES:
        raise PageExtractError(f"page too large to extract ({len(body) // 1_000_000} MB)")
    try:
        return _extract(body, url, content_type, hint_title, hint_text, boilerplate)
    except PageExtractError:
        raise
    except Exception as error:  # noqa: BLE001 - a hostile page must not break the caller
        raise PageExtractError(f"could not extract the article ({type(error).__name__})") from None


def _extract(
    body: bytes,
    url: str,
    content_type: str,
    hint_title: str,
    hint_text: str,
    boilerplate: frozenset[str],
) -> PageExtraction:
    """:func:`extract_page`, which wraps any failure of this into a PageExtractError."""
    page = decode_page(body, content_type)
    if len(page) > MAX_PAGE_CHARS:
        raise PageExtractError("page too large to extract")
    tree = parse_page(page) if page.strip() else None
    if tree is not None and page.count("<") > MAX_ELEMENTS and _too_many_elements(tree):
        raise PageExtractError(f"page too large to extract (over {MAX_ELEMENTS:,} elements)")
    if tree is not None and len(page) > MAX_TEXT_CHARS and _too_much_text(tree):
        raise PageExtractError(f"page too large to extract (over {MAX_TEXT_CHARS:,} characters)")
    document = _best_document(tree, url, hint_title, hint_text) if tree is not None else None
    if document is None or document.body is None:
        raise PageExtractError(_NO_ARTICLE)
    _drop_paragraphs(document.body, boilerplate, hint_title or document.title or "")
    if _is_menu(document.body, tree):
        raise PageExtractError(_NO_ARTICLE)
    base = base_url(tree, url)
    html = sanitize_html(_serialise(document.body), base_url=base)
    text, links = html_to_text(html, base_url=base)
    if not _WORD.search(text):
        raise PageExtractError(_NO_ARTICLE)
    return page_metadata(
        document,
        page,
        url,
        html=html,
        text=text,
        links=tuple(links),
        canonical=canonical_link(tree),
        stamp=published_meta(tree),
    )


def _too_many_elements(tree: etree._Element) -> bool:
    """True past MAX_ELEMENTS (counted no further: the count itself is bounded)."""
    return sum(1 for _ in islice(tree.iter(), MAX_ELEMENTS + 1)) > MAX_ELEMENTS


def _too_much_text(tree: etree._Element) -> bool:
    """True when the page holds more than MAX_TEXT_CHARS of text, scripts and styles aside."""
    total = sum(len(piece) for piece in tree.itertext())
    if total <= MAX_TEXT_CHARS:
        return False
    code = sum(len(piece) for element in tree.iter(*_CODE) for piece in element.itertext())
    return total - code > MAX_TEXT_CHARS


def _is_menu(body: etree._Element, tree: etree._Element) -> bool:
    """True for a few words that are mostly the page's link texts: a menu, not an article.

    trafilatura turns a menu into a plain paragraph, so the links are read on the page.
    """
    words = [word.casefold() for word in _WORD.findall(" ".join(body.itertext()))]
    if len(words) >= MIN_ARTICLE_WORDS:
        return False
    linked = {w.casefold() for link in tree.iter("a") for w in _WORD.findall(link.text_content())}
    return sum(1 for word in words if word in linked) > MAX_MENU_LINK_SHARE * len(words)


def _best_document(
    page: etree._Element, url: str, hint_title: str, hint_text: str
) -> trafilatura.settings.Document | None:
    """trafilatura's document, or a better one that holds the feed's teaser."""
    document = _first_answer(page, url)
    hint = pagehints.Hint(pagehints.plain(hint_text), pagehints.plain(hint_title))
    if not hint or (document is not None and hint.found_in(document.text or "")):
        return document
    return pagehints.improve(document, page, url, hint, _trafilatura)


def _first_answer(page: etree._Element, url: str) -> trafilatura.settings.Document | None:
    """trafilatura's fast mode, and its full one (with fallback extractors) when needed.

    The fallback extractors (its readability port, jusText) cost a third of a run and
    change the answer on few pages: those where the fast answer is short, or far shorter
    than the page's paragraphs (it took one block of a page it did not understand).
    """
    fast = _trafilatura(page, url, with_metadata=True, fast=True)
    text = (fast.text or "") if fast is not None else ""
    if len(text) >= SHORT_ANSWER and len(text) >= CUT_SHORT_SHARE * _paragraph_chars(page):
        return fast
    full = _trafilatura(page, url, with_metadata=fast is None)
    if full is None or fast is None:
        return full or fast
    return pagehints.with_metadata(full, fast)


def _paragraph_chars(page: etree._Element) -> int:
    """How much text the page's ``<p>`` elements hold."""
    return sum(len(" ".join(p.itertext())) for p in page.iter("p"))


def _trafilatura(
    page: str | etree._Element,
    url: str,
    *,
    with_metadata: bool = False,
    recall: bool = False,
    fast: bool = False,
) -> trafilatura.settings.Document | None:
    """One trafilatura run with our settings (never fetches anything).

    trafilatura is not given ``url``: it would resolve every link (a tenth of its time),
    which the sanitiser does anyway, and against the page's ``<base>`` too. The metadata
    has no use for it either: the canonical URL and the date are read by
    :mod:`newsreader.feeds.pagemeta`, which knows ``url``.
    """
    try:
        result = trafilatura.bare_extraction(
            page,
            url=None,
            fast=fast,
            favor_recall=recall,
            include_comments=False,
            include_images=False,
            include_links=True,
            include_formatting=True,
            include_tables=True,
            with_metadata=with_metadata,
            date_extraction_params=dict(DATE_PARAMS),
        )
    except Exception:  # noqa: BLE001 - a hostile page must not break the caller
        return None
    return result if isinstance(result, trafilatura.settings.Document) else None


def _drop_paragraphs(body: etree._Element, boilerplate: frozenset[str], title: str) -> None:
    """Remove boilerplate paragraphs, and a first paragraph that repeats the title.

    When the site's repeated lines would take most of the text, the article itself is
    what repeats (a page fetched again, a re-post): then nothing is dropped as boilerplate.
    """
    blocks = list(body.iter(*_BLOCKS))
    if boilerplate:
        keys = [paragraph_key(" ".join(element.itertext())) for element in blocks]
        repeated = sum(len(key) for key in keys if key in boilerplate)
        if repeated <= MAX_BOILERPLATE_SHARE * sum(len(key) for key in keys):
            for element, key in zip(blocks, keys, strict=True):
                if key in boilerplate:
                    remove_keeping_tail(element)
    title_key = paragraph_key(title)
    first = blocks[0] if blocks else None
    if first is not None and first.getparent() is not None and title_key:
        if paragraph_key(" ".join(first.itertext())) == title_key:
            remove_keeping_tail(first)


def _serialise(body: etree._Element) -> str:
    """trafilatura's XML body as simple HTML."""
    return str(etree.tostring(convert_to_html(body), method="html", encoding="unicode"))
