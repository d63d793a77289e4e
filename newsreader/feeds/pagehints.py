"""The feed's title and teaser as a guide to a page's article body.

A lone extractor guesses where the article is; a feed reader has been told what it starts
with. When trafilatura's text does not hold the feed's teaser but the page does, the
extraction may have missed part of the article: :func:`improve` tries trafilatura again on
the page block around the teaser (without the class names that made it drop the block),
then, if the first answer was short, on the whole page in recall mode, and keeps the best
result that holds the teaser and most of the first answer.

Matching is by word 3-grams, case-folded, so markup, punctuation and a teaser cut off with
"…" or "Read more" still match; a teaser counts as found when most of its 3-grams are.
"""

from __future__ import annotations

import copy
import re
from typing import Protocol, TypeVar

from lxml import etree, html

from newsreader.feeds.text import plain_text

_WORD = re.compile(r"\w+")
_CUT = re.compile(r"(?:\s*(?:…|\.\.\.|\[…\]|\[\.\.\.\]|read more|continue reading)\W*)+$", re.I)
MAX_WORDS = 60
"""Only the teaser's first words are matched (a long summary is not all in the page)."""
FOUND_SHARE = 0.6
"""The share of the teaser's 3-grams a text must hold for the teaser to be found in it."""
KEEP_SHARE = 0.8
"""The share of the first answer's 3-grams a better one must keep."""
SHORT_ARTICLE = 1500
"""A first answer shorter than this (characters) may have been cut short."""
MIN_WORDS = 4
"""Shorter teasers ("Read more", a date) say nothing about where the article is."""
_TEXT_TAGS = ("p", "li", "td", "dd", "blockquote", "figcaption", "h2", "h3", "h4", "span")
"""Elements a teaser is first looked for in: small ones, cheap to read."""
_BOX_TAGS = ("div", "section", "article", "header", "main")
"""Then these: a teaser written straight into a box."""
_NOT_TEXT = ("script", "style", "noscript", "template", "head", "svg", "math")
MIN_PARAGRAPHS = 3
"""An ancestor with this many paragraphs is article-sized."""
_MARK = "data-newsreader-teaser"
_NAMING = ("class", "id", "role")
MAX_TREE = 20_000
"""Pages with more elements than this are not searched for the teaser (cost bound)."""


class Document(Protocol):
    """What is read of a trafilatura document here."""

    text: str | None


D = TypeVar("D", bound=Document)
D_co = TypeVar("D_co", bound=Document, covariant=True)


class Run(Protocol[D_co]):
    """One trafilatura run (``newsreader.feeds.extract._trafilatura``)."""

    def __call__(
        self,
        page: str | etree._Element,
        url: str,
        *,
        with_metadata: bool = False,
        recall: bool = False,
    ) -> D_co | None: ...


def plain(html_or_text: str) -> str:
    """A hint as one line of plain text (the feed's summary may be HTML)."""
    return plain_text(html_or_text or "")


def _grams(text: str, limit: int | None = None) -> list[tuple[str, ...]]:
    words = [word.casefold() for word in _WORD.findall(text)]
    if limit is not None:
        words = words[:limit]
    return [tuple(words[i : i + 3]) for i in range(len(words) - 2)]


class Hint:
    """The feed's teaser and title for one article, ready to be looked for in a text."""

    def __init__(self, text: str, title: str) -> None:
        self.title = title.strip()
        teaser = _CUT.sub("", text.strip())
        words = _WORD.findall(teaser)
        if len(words) < MIN_WORDS:
            teaser = ""
        elif teaser != text.strip() and len(words) > MIN_WORDS:
            words = words[:-1]  # the word before "…" may be cut short
        self.text = teaser
        self._grams = frozenset(_grams(" ".join(words), MAX_WORDS)) if teaser else frozenset()

    def __bool__(self) -> bool:
        """True when there is a teaser to look for."""
        return bool(self._grams)

    def found_in(self, text: str) -> bool:
        """True when ``text`` holds the teaser (or there is none to look for)."""
        if not self._grams:
            return True
        held = self._grams.intersection(_grams(text))
        return len(held) >= FOUND_SHARE * len(self._grams)


def improve(
    document: D | None, page: str | etree._Element, url: str, hint: Hint, run: Run[D]
) -> D | None:
    """The best document holding the teaser, or ``document`` when none does.

    Tries trafilatura on the smallest article-sized page block around the teaser (cheap:
    a small tree), then, when the first answer is missing or short, on the whole page in
    recall mode. A full-length first answer that lacks a teaser shown on the page has left
    out a standfirst or subtitle above the article (so on all 13 such pages of the
    benchmark); recall mode would only cost a second whole-page run there. Metadata
    missing from a new document is taken from ``document``.
    """
    tree = _parse(page)
    if tree is None or not hint.found_in(_text_of(tree)):
        return document  # the teaser is not on the page: nothing to be learnt from it
    block = _teaser_block(tree, hint)
    if block is not None:
        found = run(block, url, with_metadata=False, recall=True)
        if found is not None and _better(found, document, hint):
            return with_metadata(found, document)
    if document is not None and len(document.text or "") >= SHORT_ARTICLE:
        return document
    recalled = run(page, url, with_metadata=True, recall=True)
    if recalled is not None and _better(recalled, document, hint):
        return with_metadata(recalled, document)
    return document


def _better(candidate: Document, document: Document | None, hint: Hint) -> bool:
    """True when ``candidate`` holds the teaser and keeps what ``document`` found.

    The teaser alone is no article: a candidate that lost most of trafilatura's first
    answer (the page's header block around a standfirst) is worse, not better.
    """
    if not hint.found_in(candidate.text or ""):
        return False
    if document is None or not document.text:
        return True
    kept = set(_grams(document.text))
    return len(kept.intersection(_grams(candidate.text or ""))) >= KEEP_SHARE * len(kept)


def _parse(page: str | etree._Element) -> etree._Element | None:
    """The page (text, or a tree left as it is) as a tree without scripts and styles."""
    if isinstance(page, str):
        try:
            tree = html.document_fromstring(page.encode("utf-8", "replace"), parser=_parser())
        except (etree.LxmlError, ValueError):
            return None
    else:
        tree = copy.deepcopy(page)
    if sum(1 for _ in tree.iter()) > MAX_TREE:
        return None
    etree.strip_elements(tree, *_NOT_TEXT, with_tail=False)
    etree.strip_elements(tree, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    return tree


def _parser() -> html.HTMLParser:
    """An lxml.html parser for the page's text (trafilatura wants lxml.html elements)."""
    return html.HTMLParser(encoding="utf-8", no_network=True, remove_comments=True, remove_pis=True)


def _text_of(element: etree._Element) -> str:
    return " ".join(element.itertext())


def _teaser_block(tree: etree._Element, hint: Hint) -> etree._Element | None:
    """A page of its own holding the article-sized block around the teaser, or None.

    The teaser's element and its ancestors up to the block lose the ``class``, ``id`` and
    ``role`` that may have made trafilatura drop them ("share-lead", "teaser"): the feed
    says this is the article.
    """
    body = tree.find("body")
    if body is None:
        return None
    holder = _holder(body, _TEXT_TAGS, hint)
    if holder is None:
        holder = _holder(body, _BOX_TAGS, hint)
    if holder is None:
        return None
    block = holder
    for ancestor in holder.iterancestors():
        if ancestor.tag in ("body", "html"):
            break
        block = ancestor
        if len(ancestor.findall(".//p")) >= MIN_PARAGRAPHS or len(_text_of(ancestor)) > 1500:
            break
    holder.set(_MARK, "")
    try:
        page = _alone(block)
    finally:
        del holder.attrib[_MARK]
    for marked in page.iter():
        if marked.get(_MARK) is not None:
            del marked.attrib[_MARK]
            for element in (marked, *marked.iterancestors()):
                for name in _NAMING:
                    element.attrib.pop(name, None)
    return page


def _holder(body: etree._Element, tags: tuple[str, ...], hint: Hint) -> etree._Element | None:
    """The first element of ``tags`` holding the teaser and not much more."""
    limit = 4 * len(hint.text) + 200
    for element in body.iter(*tags):
        text = _text_of(element)
        if len(text) <= limit and hint.found_in(text):
            return element
    return None


def _alone(block: etree._Element) -> etree._Element:
    """A copy of ``block`` as the whole body of a page of its own."""
    root = html.Element("html")
    body = etree.SubElement(root, "body")
    body.append(copy.deepcopy(block))
    return root


_METADATA = ("title", "author", "url", "hostname", "description", "sitename", "date")


def with_metadata(document: D, donor: D | None) -> D:
    """``document`` with the metadata it lacks taken from ``donor``."""
    if donor is not None and donor is not document:
        for name in _METADATA:
            if not getattr(document, name, None) and getattr(donor, name, None):
                setattr(document, name, getattr(donor, name))
    return document
