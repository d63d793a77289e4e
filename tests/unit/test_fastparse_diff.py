"""Differential test: wherever the lxml fast path accepts a document, it must produce the
same articles as feedparser (issue 2: a fast path is only acceptable with this proof).

Both sides go through the same normalisation (``parse_feed`` vs ``parse_feed_reference``),
and every field of every entry is compared: key, guid, url, title, author, dates, HTML,
text, links and enclosures, plus the feed's title and site URL.
"""

from __future__ import annotations

import calendar
import importlib.util
import re
from dataclasses import asdict
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pytest
from feedparser.datetimes import _parse_date
from feedparser.urls import _urljoin
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsreader.feeds import dates, fpcompat
from newsreader.feeds.parse import FeedParseError, parse_feed, parse_feed_reference

TESTS = Path(__file__).resolve().parents[1]
SHARED = TESTS.parents[1] / "shared"
CORPUS = next((p for p in (TESTS / "fixtures" / "corpus", SHARED / "corpus") if p.is_dir()), None)
GENFEEDS = SHARED / "bench" / "genfeeds.py"
_CONTENT_TYPE = re.compile(rb"Header:\s*Content-type:\s*([^\r\n]*)", re.IGNORECASE)


def corpus_files() -> list[Path]:
    if CORPUS is None:
        pytest.skip("the feed corpus is not available")
    return sorted(
        p for p in CORPUS.rglob("*") if p.is_file() and p.name not in ("LICENSE", "README.md")
    )


def difference(body: bytes, url: str, content_type: str = "") -> tuple[bool, str]:
    """(accepted by the fast path, "" or a description of the first difference)."""
    try:
        fast = parse_feed(body, url, content_type)
    except FeedParseError:
        return False, ""
    if fast.parser != "fast":
        return False, ""
    slow = asdict(parse_feed_reference(body, url, content_type))
    fast_dict = asdict(fast)
    for key in ("title", "site_url", "ttl_minutes"):
        if fast_dict[key] != slow[key]:
            return True, f"feed {key}: {fast_dict[key]!r} != {slow[key]!r}"
    if len(fast_dict["entries"]) != len(slow["entries"]):
        return True, f"{len(fast_dict['entries'])} entries != {len(slow['entries'])}"
    for index, (ours, theirs) in enumerate(zip(fast_dict["entries"], slow["entries"], strict=True)):
        for field, value in ours.items():
            if value != theirs[field]:
                return True, f"entry {index} {field}: {value!r:.200} != {theirs[field]!r:.200}"
    return True, ""


def test_corpus_documents_the_fast_path_accepts_match_feedparser() -> None:
    accepted, mismatches = 0, []
    for path in corpus_files():
        body = path.read_bytes()
        header = _CONTENT_TYPE.search(body[:2000])
        content_type = header.group(1).decode("latin-1").strip() if header else ""
        url = "http://127.0.0.1:8097/" + path.relative_to(CORPUS).as_posix()
        took, problem = difference(body, url, content_type)
        accepted += took
        if problem:
            mismatches.append(f"{path.relative_to(CORPUS)}: {problem}")
    print(f"\nfast path accepted {accepted} of the corpus documents")
    assert not mismatches, "\n".join(mismatches[:20])
    assert accepted >= 700


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Feeds from the benchmark generator (all of its RSS and Atom variants)."""
    if not GENFEEDS.is_file():
        pytest.skip("the benchmark generator is not available")
    spec = importlib.util.spec_from_file_location("genfeeds", GENFEEDS)
    assert spec and spec.loader
    genfeeds = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(genfeeds)
    out = tmp_path_factory.mktemp("genfeeds")
    genfeeds.generate(out, feeds=40, items=4, seed=1, atom_share=0.5)
    return sorted(out.glob("feed*.xml"))


def test_every_benchmark_feed_takes_the_fast_path_and_matches(generated: list[Path]) -> None:
    bodies = [path.read_bytes() for path in generated]
    for marker in (
        b"<![CDATA[",
        b"&lt;p&gt;",
        b'type="xhtml"',
        b'type="html"',
        b"<dc:creator>",
        b"<author>",
    ):
        assert any(marker in body for body in bodies), marker  # every variant is covered
    for path, body in zip(generated, bodies, strict=True):
        accepted, problem = difference(body, f"https://bench.example/{path.name}")
        assert accepted, f"{path.name} was declined"
        assert not problem, f"{path.name}: {problem}"


# -- generated documents -------------------------------------------------------------------
WORDS = st.sampled_from(
    [
        "Petro",
        "Café",
        "naïve",
        "東京",
        "a",
        "Ã©t",
        "x<y",
        "AT&T",
        "&amp;",
        "&#169;",
        "<b>bold</b>",
        "  ",
        "\u0093q\u0094",
        "—",
        "O'Neil",
        '"q"',
    ]
)
TEXT = st.lists(WORDS, max_size=6).map(" ".join)
WILD = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
WHEN = st.datetimes(datetime(1995, 1, 1), datetime(2025, 12, 31), timezones=st.just(UTC))
OFFSETS = st.sampled_from([0, 60, -300, 330, 540, -720])
LINKS = st.sampled_from(
    [
        "https://a.example/p?x=1&y=2",
        "/relative/path",
        "page.html",
        "https://a.example/",
        "http://b.example/a%20b",
        "",
        "  https://c.example/ ",
        "javascript:alert(1)",
        "tag:a.example,2026:1",
        "https://x.example/a?b=&amp;c",
        "HTTP://UP.example//x",
    ]
)
TYPES = st.sampled_from(["", ' type="audio/mpeg"', ' type="Video/MP4"', ' type="a\tb"', ' type=""'])
LENGTHS = st.sampled_from(
    [
        "",
        ' length="123"',
        ' length=" 45 "',
        ' length="-1"',
        ' length="abc"',
        ' length="1e3"',
        ' length="99999999999999999999"',
        ' length=""',
    ]
)
AUTHORS = st.sampled_from(
    [
        "Anna Schmidt",
        "joe@b.example (Joe Bloggs)",
        "Joe <joe@b.example>",
        "desk@b.example",
        "",
        "(x)",
    ]
)


def rfc822(when: datetime, offset: int, style: int) -> str:
    local = when.astimezone(timezone(timedelta(minutes=offset)))
    zone = local.strftime("%z") if style else "GMT"
    if style == 2 and offset in (-300, 0):
        zone = {-300: "EST", 0: "UT"}[offset]
    return local.strftime(f"%a, %d %b %Y %H:%M:%S {zone}")


def iso(when: datetime, offset: int, style: int) -> str:
    local = when.astimezone(timezone(timedelta(minutes=offset)))
    text = local.isoformat(timespec=["seconds", "milliseconds", "minutes"][style])
    return text.replace("+00:00", "Z") if style == 1 else text


@st.composite
def rss_item(draw: st.DrawFn, text: st.SearchStrategy[str]) -> str:
    parts = []
    if draw(st.booleans()):
        parts.append(f"<title>{escape(draw(text))}</title>")
    if draw(st.booleans()):
        parts.append(f"<link>{escape(draw(LINKS))}</link>")
    if draw(st.booleans()):
        permalink = draw(st.sampled_from(["", ' isPermaLink="false"', ' isPermaLink="true"']))
        parts.append(f"<guid{permalink}>{escape(draw(LINKS))}</guid>")
    if draw(st.booleans()):
        date = rfc822(draw(WHEN), draw(OFFSETS), draw(st.integers(0, 2)))
        parts.append(f"<pubDate>{date}</pubDate>")
    tag = draw(st.sampled_from(["author", "dc:creator", None]))
    if tag:
        parts.append(f"<{tag}>{escape(draw(AUTHORS))}</{tag}>")
    if draw(st.booleans()):
        parts.append(f"<description>{escape(draw(text))}</description>")
    if draw(st.booleans()):
        parts.append(f"<content:encoded><![CDATA[<p>{draw(text)}</p>]]></content:encoded>")
    for _ in range(draw(st.integers(0, 2))):
        url = draw(st.sampled_from(["", f" url={quoteattr(draw(LINKS))}"]))
        parts.append(f"<enclosure{url}{draw(TYPES)}{draw(LENGTHS)}/>")
    return "<item>" + "".join(draw(st.permutations(parts))) + "</item>"


@st.composite
def atom_entry(draw: st.DrawFn, text: st.SearchStrategy[str]) -> str:
    parts = [f"<id>{escape(draw(LINKS))}</id>"]
    kind = draw(st.sampled_from(["text", "html"]))
    parts.append(f'<title type="{kind}">{escape(draw(text))}</title>')
    for _ in range(draw(st.integers(0, 2))):
        rel = draw(
            st.sampled_from(
                ["", ' rel="alternate"', ' rel="self"', ' rel="enclosure"', ' rel="Enclosure"']
            )
        )
        kind = draw(st.sampled_from(["", ' type="text/html"', ' type="audio/mpeg"']))
        length = draw(LENGTHS)
        parts.append(f"<link{rel}{kind}{length} href={quoteattr(draw(LINKS))}/>")
    for tag in ("published", "updated"):
        if draw(st.booleans()):
            when = iso(draw(WHEN), draw(OFFSETS), draw(st.integers(0, 2)))
            parts.append(f"<{tag}>{when}</{tag}>")
    if draw(st.booleans()):
        parts.append(f"<author><name>{escape(draw(text))}</name></author>")
    for tag in ("summary", "content"):
        style = draw(st.sampled_from(["text", "html", "xhtml", None]))
        if style == "xhtml":
            body = f'<div xmlns="http://www.w3.org/1999/xhtml"><p>{escape(draw(text))}</p></div>'
            parts.append(f'<{tag} type="xhtml">{body}</{tag}>')
        elif style:
            parts.append(f'<{tag} type="{style}">{escape(draw(text))}</{tag}>')
    return "<entry>" + "".join(draw(st.permutations(parts))) + "</entry>"


def rss_document(items: list[str]) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:content='
        '"http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<channel><title>Generated</title><link>https://g.example/</link>"
        + "".join(items)
        + "</channel></rss>"
    ).encode()


def atom_document(entries: list[str]) -> bytes:
    return (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Generated</title>'
        '<link href="https://g.example/"/>' + "".join(entries) + "</feed>"
    ).encode()


DIFF = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@DIFF
@given(st.lists(rss_item(TEXT), max_size=4))
def test_generated_rss_is_accepted_and_matches(items: list[str]) -> None:
    accepted, problem = difference(rss_document(items), "https://g.example/feed/rss.xml")
    assert accepted and not problem, problem


@DIFF
@given(st.lists(atom_entry(TEXT), max_size=4))
def test_generated_atom_matches_where_accepted(entries: list[str]) -> None:
    accepted, problem = difference(atom_document(entries), "https://g.example/feed/atom")
    assert not problem, problem


@DIFF
@given(st.lists(st.one_of(rss_item(WILD), rss_item(TEXT)), max_size=3))
def test_wild_text_in_rss_matches_where_accepted(items: list[str]) -> None:
    accepted, problem = difference(rss_document(items), "https://g.example/feed/rss.xml")
    assert not problem, problem


@DIFF
@given(st.lists(atom_entry(WILD), max_size=3))
def test_wild_text_in_atom_matches_where_accepted(entries: list[str]) -> None:
    accepted, problem = difference(atom_document(entries), "https://g.example/feed/atom")
    assert not problem, problem


# -- the pieces the fast path reimplements -------------------------------------------------
DATE_TEXT = st.text(st.sampled_from("0123456789-:+TZ .,ESTGMUadefhijlmnorstuvy"), max_size=32)


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.builds(rfc822, WHEN, OFFSETS, st.integers(0, 2)),
        st.builds(iso, WHEN, OFFSETS, st.integers(0, 2)),
        st.builds(
            "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format,
            st.integers(1, 9999),
            st.integers(0, 13),
            st.integers(0, 32),
            st.integers(0, 25),
            st.integers(0, 61),
            st.integers(0, 61),
        ),
        DATE_TEXT,
    )
)
def test_strict_dates_agree_with_feedparser(value: str) -> None:
    try:
        ours = dates.parse_strict(value)
    except (ValueError, OverflowError):
        return  # declined: feedparser will read this document
    theirs = _parse_date(value)
    assert ours == (None if theirs is None else calendar.timegm(theirs)), value


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(["", "https://g.example/feed/x.xml", "http://h.example", "/local/path"]),
    st.one_of(
        LINKS,
        st.text(max_size=40),
        st.from_regex(
            r"https?://[a-z.]{1,12}(:[0-9]{1,6})?(/[\w.~%;=/?#&-]{0,20})?", fullmatch=True
        ),
    ),
)
def test_url_resolution_agrees_with_feedparser(base: str, uri: str) -> None:
    assert fpcompat.resolve(base, uri) == _urljoin(base, uri)
