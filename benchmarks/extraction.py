"""Article extraction benchmark (issue 11): our extract_page vs trafilatura alone.

Run: ``python benchmarks/extraction.py [--show N] [--pages DIR]`` (prints; asserts nothing).

Over the real pages of ``../shared/corpus/readability-pages/*/`` (source.html, and
Readability.js's answer expected.html), in the same run:

- (a) ``trafilatura.extract(source)`` with its defaults;
- (b) ``newsreader.feeds.extract.extract_page`` with what a feed would give it: the
  expected title as ``hint_title``, the page's own ``<meta name=description>`` (else
  ``og:description``, else nothing) as ``hint_text`` — a feed's teaser is usually that
  description —, and ``boilerplate`` made by ``boilerplate_lines`` from our texts of the
  *other* pages of the same host (host of the page's canonical / og:url, else the folder
  name without its "-N").

Score: word 4-gram overlap F1 (multiset, case-folded ``\\w+`` words) between an
extractor's text and the reference (expected.html through the same ``html_to_text``);
link markers " [n]" are removed from every text first. Prints mean / median F1 of both,
the pages where ours is worse by more than 0.05, and ms per page (median, p95).
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from lxml import html as lxml_html

from newsreader.feeds.boilerplate import boilerplate_lines
from newsreader.feeds.errors import PageExtractError
from newsreader.feeds.extract import extract_page
from newsreader.feeds.text import html_to_text, plain_text

logging.disable(logging.CRITICAL)
import trafilatura  # noqa: E402 - after logging is off

PAGES = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "readability-pages"
FAKE_URL = "http://fakehost/test/page.html"
"""The URL Readability's tests give every page (when the page names none of its own)."""
_WORD = re.compile(r"\w+")
_MARKER = re.compile(r"\s?\[\d+\]")
_SUFFIX = re.compile(r"-\d+$")


@dataclass
class Page:
    name: str
    source: bytes
    reference: str
    title: str
    teaser: str
    url: str
    host: str


def grams(text: str) -> Counter[tuple[str, ...]]:
    words = [word.casefold() for word in _WORD.findall(_MARKER.sub("", text))]
    return Counter(tuple(words[i : i + 4]) for i in range(len(words) - 3))


def f1(text: str, reference: str) -> float:
    """Word 4-gram overlap F1 of ``text`` against ``reference``."""
    got, want = grams(text), grams(reference)
    if not got or not want:
        return 1.0 if not got and not want else 0.0
    overlap = sum((got & want).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(got.values()), overlap / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def _meta(tree: lxml_html.HtmlElement, xpath: str) -> str:
    found = tree.xpath(xpath)
    return plain_text(str(found[0])) if found else ""


def load(folder: Path) -> Page:
    source = (folder / "source.html").read_bytes()
    metadata = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
    tree = lxml_html.document_fromstring(source, parser=lxml_html.HTMLParser(encoding="utf-8"))
    teaser = _meta(tree, "//meta[@name='description']/@content") or _meta(
        tree, "//meta[@property='og:description']/@content"
    )
    url = _meta(tree, "//link[@rel='canonical']/@href") or _meta(
        tree, "//meta[@property='og:url']/@content"
    )
    url = url if url.startswith(("http://", "https://")) else FAKE_URL
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    if host == "fakehost":
        host = _SUFFIX.sub("", folder.name)
    reference = html_to_text((folder / "expected.html").read_text(encoding="utf-8"))[0]
    title = str(metadata.get("title") or "")
    return Page(folder.name, source, reference, title, teaser, url, host)


def ours(page: Page, boilerplate: frozenset[str] = frozenset(), *, unhinted: bool = False) -> str:
    try:
        return extract_page(
            page.source,
            page.url,
            "text/html; charset=utf-8",
            hint_title=page.title,
            hint_text="" if unhinted else page.teaser,
            boilerplate=boilerplate,
        ).text
    except PageExtractError:
        return ""


def theirs(page: Page, *, comments: bool = True) -> str:
    """trafilatura.extract with its defaults (comments included), or without comments."""
    source = page.source.decode("utf-8", "replace")
    return trafilatura.extract(source, url=page.url, include_comments=comments) or ""


def timed(function: Callable[[], str]) -> tuple[str, float]:
    start = time.perf_counter()
    text = function()
    return text, (time.perf_counter() - start) * 1000


@dataclass
class Row:
    page: Page
    ours: float
    theirs: float
    no_comments: float
    unguided: float
    ours_ms: float
    theirs_ms: float
    boilerplate: int


def measure(pages: list[Page]) -> list[Row]:
    """Every page through every extractor, in the same run (timed one after the other)."""
    ours(pages[0]), theirs(pages[0])  # warm-up: imports, trafilatura's caches
    plain = {page.name: ours(page, unhinted=True) for page in pages}
    by_host: dict[str, list[Page]] = defaultdict(list)
    for page in pages:
        by_host[page.host].append(page)
    rows = []
    for page in pages:
        others = [plain[other.name] for other in by_host[page.host] if other is not page]
        boilerplate = (
            boilerplate_lines(others, min_pages=min(3, len(others)))
            if len(others) >= 2
            else frozenset()
        )
        their_text, their_ms = timed(partial(theirs, page))
        our_text, our_ms = timed(partial(ours, page, boilerplate))
        rows.append(
            Row(
                page,
                f1(our_text, page.reference),
                f1(their_text, page.reference),
                f1(theirs(page, comments=False), page.reference),
                f1(plain[page.name], page.reference),
                our_ms,
                their_ms,
                len(boilerplate),
            )
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--pages", type=Path, default=PAGES)
    parser.add_argument("--show", type=int, default=10, help="list the N pages differing most")
    parser.add_argument("--tsv", type=Path, help="write every page's figures to this file")
    args = parser.parse_args()
    folders = sorted(p for p in args.pages.iterdir() if (p / "expected.html").is_file())
    if not folders:
        print(f"no pages in {args.pages}", file=sys.stderr)
        return 1
    rows = measure([load(folder) for folder in folders])
    report(rows, args.show)
    if args.tsv:
        lines = ["page\tours\ttrafilatura\tno_comments\tunguided\tours_ms\ttrafilatura_ms"]
        lines += [
            f"{r.page.name}\t{r.ours:.3f}\t{r.theirs:.3f}\t{r.no_comments:.3f}\t{r.unguided:.3f}"
            f"\t{r.ours_ms:.1f}\t{r.theirs_ms:.1f}"
            for r in rows
        ]
        args.tsv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def report(rows: list[Row], show: int) -> None:
    teasers = sum(1 for row in rows if row.page.teaser)
    shared = sum(1 for row in rows if row.boilerplate)
    print(
        f"{len(rows)} pages, {teasers} with a description as teaser, "
        f"{shared} with boilerplate from other pages of the same host"
    )
    print(f"{'':44} {'F1 mean':>8} {'median':>8} {'ms median':>10} {'p95':>8}")
    for label, scores, times in (
        (
            "(a) trafilatura.extract, defaults",
            [r.theirs for r in rows],
            [r.theirs_ms for r in rows],
        ),
        ("(b) extract_page", [r.ours for r in rows], [r.ours_ms for r in rows]),
        ("    trafilatura, include_comments=False", [r.no_comments for r in rows], None),
        ("    extract_page, no teaser, no boilerplate", [r.unguided for r in rows], None),
    ):
        timing = f"{statistics.median(times):10.1f} {_p95(times):8.1f}" if times else ""
        print(
            f"{label:44} {statistics.mean(scores):8.3f} {statistics.median(scores):8.3f} {timing}"
        )
    worse = sum(1 for row in rows if row.ours < row.theirs - 0.05)
    better = sum(1 for row in rows if row.ours > row.theirs + 0.05)
    print(f"(b) worse than (a) by > 0.05 on {worse} pages, better by > 0.05 on {better}")
    print(f"\nthe {show} pages differing most, (b) - (a):")
    for row in sorted(rows, key=lambda row: -abs(row.ours - row.theirs))[:show]:
        print(
            f"  {row.page.name:40} (b) {row.ours:.3f}  (a) {row.theirs:.3f}"
            f"  {row.ours - row.theirs:+.3f}  (no comments {row.no_comments:.3f})"
        )


if __name__ == "__main__":
    raise SystemExit(main())
