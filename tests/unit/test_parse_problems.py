"""ParsedFeed.problem: damaged or hostile documents keep their entries and say what was
wrong; merely sloppy XML (the kind many working feeds serve) is not reported."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsreader.feeds.parse import FeedParseError, parse_feed

TESTS = Path(__file__).resolve().parents[1]
FEEDS = TESTS / "fixtures" / "feeds"
CORPUS = TESTS / "fixtures" / "corpus"
_CONTENT_TYPE = re.compile(rb"Header:\s*Content-type:\s*([^\r\n]*)", re.IGNORECASE)


def rss(items: str, prolog: str = '<?xml version="1.0" encoding="utf-8"?>') -> bytes:
    return (f'{prolog}<rss version="2.0"><channel><title>T</title>{items}</channel></rss>').encode()


def parse(body: bytes, content_type: str = "") -> tuple[str, list[str]]:
    """(problem, entry titles)."""
    feed = parse_feed(body, "https://e.example/feed", content_type)
    return feed.problem, [entry.title for entry in feed.entries]


@pytest.mark.parametrize("name", ["rss2.xml", "atom.xml", "rdf.xml", "podcast.xml"])
def test_well_formed_feeds_have_no_problem(name: str) -> None:
    feed = parse_feed((FEEDS / name).read_bytes(), "https://e.example/feed")
    assert feed.entries and feed.problem == ""


@pytest.mark.parametrize(
    "items",
    [
        "<item><guid>1</guid><title>Caf&eacute;&nbsp;Mueller</title></item>",  # HTML entities
        "<item><guid>1</guid><title>AT&T & friends</title></item>",  # bare ampersands
        "<item><guid>1</guid><link>https://e.example/?a=1&b=2</link><title>q</title></item>",
        "<item><guid>1</guid><dc:creator>Ann</dc:creator><title>ns</title></item>",  # no xmlns:dc
        "<item><guid>1</guid><title>form\x0cfeed</title></item>",  # a character XML forbids
    ],
)
def test_sloppy_xml_that_loses_nothing_is_not_a_problem(items: str) -> None:
    problem, titles = parse(rss(items))
    assert problem == "" and len(titles) == 1 and titles[0]


def test_whitespace_before_the_xml_declaration_is_not_a_problem() -> None:
    assert parse(b"\n\n  " + rss("<item><guid>1</guid><title>a</title></item>")) == ("", ["a"])


def test_a_truncated_document_keeps_its_entries_and_says_so() -> None:
    body = (FEEDS / "rss2.xml").read_bytes()
    problem, titles = parse(body[: body.index(b"<title>Neither")])
    assert titles[:2] == ["Trump and Petro Open Channel", "No guid here"]
    assert problem.startswith(f"damaged XML, {len(titles)} entries recovered: Premature end")


def test_mismatched_tags_are_damage() -> None:
    problem, titles = parse(rss("<item><guid>1</guid><title>a</titel></item>"))
    assert problem.startswith("damaged XML, 1 entry recovered: Opening and ending tag mismatch")
    assert len(titles) == 1


def test_a_charset_the_bytes_are_not_valid_in_is_a_problem() -> None:
    body = rss("<item><guid>1</guid><title>Café Müller</title></item>").decode()
    problem, titles = parse(body.encode("latin-1"))
    assert titles == ["Café Müller"]
    assert problem == "wrong charset: the document is not valid utf-8; read as windows-1252"


def test_a_charset_given_by_http_alone_is_fine() -> None:
    body = '<rss version="2.0"><channel><item><guid>1</guid><title>Café</title></item></channel>'
    assert parse((body + "</rss>").encode("latin-1"), "text/xml; charset=iso-8859-1") == (
        "",
        ["Café"],
    )


@pytest.mark.parametrize(
    ("subset", "message"),
    [
        (
            '<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;">',
            "entity declarations removed (possible entity-expansion attack)",
        ),
        (
            '<!ENTITY secret SYSTEM "file:///etc/passwd">',
            "entity declarations removed (possible entity-expansion attack)",
        ),
        ('<!ENTITY % p "x">', "entity declarations removed (possible entity-expansion attack)"),
        (
            '<!ENTITY big "' + "x" * 5000 + '">',
            "entity declarations removed (possible entity-expansion attack)",
        ),
        (
            '<!ENTITY nbsp "&#160;"><!ENTITY org "Example Inc">',
            "entity declarations removed (their references are left unexpanded)",
        ),
    ],
)
def test_removed_entity_declarations_are_a_problem(subset: str, message: str) -> None:
    prolog = f'<?xml version="1.0"?><!DOCTYPE rss [{subset}]>'
    problem, titles = parse(rss("<item><guid>1</guid><title>t</title></item>", prolog))
    assert (problem, titles) == (message, ["t"])


def test_a_doctype_without_entities_is_no_problem() -> None:
    prolog = '<?xml version="1.0"?><!DOCTYPE rss [<!ELEMENT rss ANY>]>'
    assert parse(rss("<item><guid>1</guid><title>t</title></item>", prolog)) == ("", ["t"])


def test_problems_add_up_in_one_line() -> None:
    prolog = '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE rss [<!ENTITY a "&b;">]>'
    body = rss("<item><guid>1</guid><title>Café</title></item>", prolog).decode()
    body = body.encode("latin-1")[:-20]
    problem, _ = parse(body)
    assert problem.startswith(
        "wrong charset: the document is not valid utf-8; read as "
        "windows-1252; entity declarations removed (possible entity-"
        "expansion attack); damaged XML, 1 entry recovered"
    )
    assert "\n" not in problem and len(problem) <= 300


def test_what_the_corpus_flags() -> None:
    """Only broken documents are flagged: truncated or mis-encoded test cases, and the two
    well-formed ones that declare entities."""
    if not CORPUS.is_dir():
        pytest.skip("the feed corpus is not available")
    flagged: dict[str, str] = {}
    for path in sorted(p for p in CORPUS.rglob("*.xml") if p.is_file()):
        body = path.read_bytes()
        header = _CONTENT_TYPE.search(body[:2000])
        content_type = header.group(1).decode("latin-1").strip() if header else ""
        try:
            feed = parse_feed(body, "http://127.0.0.1:8097/x", content_type)
        except FeedParseError:
            continue
        if feed.problem:
            flagged[path.relative_to(CORPUS).as_posix()] = feed.problem
    wellformed = {name for name in flagged if "/wellformed/" in name}
    assert wellformed == {
        "feedparser-tests/wellformed/rdf/doctype_contains_entity_decl.xml",
        "feedparser-tests/wellformed/rss/entity_in_doctype.xml",
    }
    assert all(
        problem.startswith(("damaged XML", "wrong charset", "entity declarations"))
        for problem in flagged.values()
    )
    assert len(flagged) < 40
    assert not any(name.endswith(("/aacute.xml", "/amp.xml")) for name in flagged)
