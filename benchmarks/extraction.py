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
from dataclasses import dataclass
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


def theirs(page: Page) -> str:
    return trafilatura.extract(page.source.decode("utf-8", "replace"), url=page.url) or ""


def timed(function: object, *args: object) -> tuple[str, float]:
    start = time.perf_counter()
    text = function(*args)  # type: ignore[operator]
    return text, (time.perf_counter() - start) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=PAGES)
    parser.add_argument("--show", type=int, default=10, help="list the N pages differing most")
    args = parser.parse_args()
    folders = sorted(p for p in args.pages.iterdir() if (p / "expected.html").is_file())
    if not folders:
        print(f"no pages in {args.pages}", file=sys.stderr)
        return 1
    pages = [load(folder) for folder in folders]
    ours(pages[0]), theirs(pages[0])  # warm-up: imports, trafilatura's caches
    plain: dict[str, str] = {page.name: ours(page) for page in pages}
    by_host: dict[str, list[Page]] = defaultdict(list)
    for page in pages:
        by_host[page.host].append(page)
    rows = []
    unguided: list[float] = []
    for page in pages:
        others = [plain[other.name] for other in by_host[page.host] if other is not page]
        boilerplate = (
            boilerplate_lines(others, min_pages=min(3, len(others)))
            if len(others) >= 2
            else frozenset()
        )
        their_text, their_ms = timed(theirs, page)
        our_text, our_ms = timed(ours, page, boilerplate)
        rows.append(
            (
                page,
                f1(our_text, page.reference),
                f1(their_text, page.reference),
                our_ms,
                their_ms,
                len(boilerplate),
            )
        )
        unguided.append(
            f1(plain[page.name] if not page.teaser else ours(page, unhinted=True), page.reference)
        )
    report(rows, args.show)
    print(
        f"extract_page without teaser or boilerplate: F1 mean {statistics.mean(unguided):.3f}"
        f" median {statistics.median(unguided):.3f}"
    )
    return 0


def report(rows: list[tuple[Page, float, float, float, float, int]], show: int) -> None:
    ours_f1 = [row[1] for row in rows]
    theirs_f1 = [row[2] for row in rows]
    print(
        f"{len(rows)} pages, {sum(1 for r in rows if r[0].teaser)} with a description as teaser, "
        f"{sum(1 for r in rows if r[5])} with boilerplate from pages of the same host"
    )
    print(f"{'':24} {'F1 mean':>8} {'median':>8} {'ms median':>10} {'p95':>8}")
    for label, scores, times in (
        ("trafilatura defaults", theirs_f1, [row[4] for row in rows]),
        ("extract_page", ours_f1, [row[3] for row in rows]),
    ):
        ordered = sorted(times)
        p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
        print(
            f"{label:24} {statistics.mean(scores):8.3f} {statistics.median(scores):8.3f} "
            f"{statistics.median(times):10.1f} {p95:8.1f}"
        )
    worse = [row for row in rows if row[1] < row[2] - 0.05]
    better = [row for row in rows if row[1] > row[2] + 0.05]
    print(f"ours worse by > 0.05 on {len(worse)} pages, better by > 0.05 on {len(better)}")
    print(f"\nthe {show} pages differing most (ours - trafilatura):")
    for page, mine, their, *_ in sorted(rows, key=lambda row: -abs(row[1] - row[2]))[:show]:
        print(f"  {page.name:40} ours {mine:.3f}  trafilatura {their:.3f}  {mine - their:+.3f}")


if __name__ == "__main__":
    raise SystemExit(main())
