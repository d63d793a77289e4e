"""parse_feed: what a fetched document becomes (fields, keys, dates, encodings, bad input)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from newsreader.feeds.parse import MAX_ENTRIES, MAX_SLOW_ENTRIES, FeedParseError, parse_feed
from newsreader.feeds.sanitize import sanitize_html
from newsreader.models import ParsedFeed

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "feeds"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def ts(*args: int) -> float:
    return datetime(*args, tzinfo=UTC).timestamp()


def rss(items: str, channel: str = "<title>T</title>") -> bytes:
    """A minimal RSS 2.0 document around ``items``."""
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>{channel}'
        f"{items}</channel></rss>"
    ).encode()


def atom_entry(inner: str) -> bytes:
    return (
        f'<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><entry>{inner}</entry></feed>'
    ).encode()


# -- well-formed feeds -------------------------------------------------------------------
def test_rss_fields_are_plain_clean_and_sanitised() -> None:
    feed = parse_feed(fixture("rss2.xml"), "https://news.example.org/feed.xml")
    assert feed.parser == "fast"
    assert feed.title == "Inter Bellum & Friends"
    assert feed.site_url == "https://news.example.org/"
    first = feed.entries[0]
    assert first.title == "Trump and Petro Open Channel"
    assert first.guid == "tag:news.example.org,2026:1"
    assert first.key == "guid:tag:news.example.org,2026:1"
    assert first.url == "https://news.example.org/2026/trump-petro"
    assert first.author == "Franz Ag"
    assert first.published == ts(2026, 11, 1, 17, 13)
    assert first.text == (
        "US President Donald Trump [1] and Gustavo Petro [2] spoke by phone.\n\nSecond paragraph."
    )
    assert first.links == ["https://en.example.org/Trump", "https://news.example.org/people/petro"]
    for bad in ("<script", "alert", "onclick", "javascript:", "pixel.gif"):
        assert bad not in first.html
    assert '<a href="https://news.example.org/people/petro">' in first.html


def test_keys_fall_back_from_guid_to_link_to_hash() -> None:
    feed = parse_feed(fixture("rss2.xml"), "https://news.example.org/feed.xml")
    second, third = feed.entries[1], feed.entries[2]
    assert second.key == "link:https://news.example.org/2026/relative-link"
    assert second.author == "Night Desk"
    assert second.text == "Escaped & HTML body."
    assert third.key.startswith("hash:") and third.url == ""
    assert third.published == ts(2026, 11, 3, 13, 0)  # EST is UTC-5
    again = parse_feed(fixture("rss2.xml"), "https://news.example.org/feed.xml")
    assert [e.key for e in again.entries] == [e.key for e in feed.entries]
    renamed = fixture("rss2.xml").replace(b"Neither guid nor link", b"Renamed")
    assert parse_feed(renamed, "https://news.example.org/feed.xml").entries[2].key != third.key


def test_a_guid_and_a_link_with_the_same_text_get_different_keys() -> None:
    doc = rss(
        "<item><guid>https://x.example/1</guid><title>a</title></item>"
        "<item><link>https://x.example/1</link><title>b</title></item>"
    )
    keys = [entry.key for entry in parse_feed(doc, "https://x.example/feed").entries]
    assert keys == ["guid:https://x.example/1", "link:https://x.example/1"]


def test_atom_text_constructs_and_inline_xhtml() -> None:
    feed = parse_feed(fixture("atom.xml"), "https://atom.example.com/feed.atom")
    assert feed.parser == "fast"
    assert (feed.title, feed.site_url) == ("Atom <fixture>", "https://atom.example.com/")
    first, second = feed.entries
    assert first.title == "x < y & z"  # type="text": not HTML, nothing stripped
    assert first.author == "Priya Raman"
    assert first.published == ts(2026, 11, 1, 5, 0)
    assert first.updated == ts(2026, 11, 1, 5, 30)
    assert first.text == "Heading\n\nInline XHTML © with a link [1]."
    assert first.links == ["https://atom.example.com/rel"]
    assert first.html.startswith("<h2>Heading</h2>") and "xmlns" not in first.html
    assert second.title == "Escaped HTML title & more"
    assert second.text == "Plain-text summary with <tags> that are text.\n\nSecond paragraph."
    assert "&lt;tags&gt;" in second.html


def test_rss_1_0_rdf() -> None:
    feed = parse_feed(fixture("rdf.xml"), "https://rdf.example.org/rss")
    assert feed.parser == "fast"
    (entry,) = feed.entries
    assert (entry.title, entry.author, entry.text) == ("First RDF item", "Ivan Petrov", "RDF body.")
    assert entry.key == "guid:https://rdf.example.org/item/1"
    # dc:date is an updated date; it is the article's date too, and says so.
    assert entry.updated == entry.published == ts(2026, 10, 30, 11, 15)
    assert entry.date_kind == "updated"


def test_what_the_fast_path_declines_feedparser_reads() -> None:
    feed = parse_feed(fixture("podcast.xml"), "https://pod.example.org/feed")
    assert feed.parser == "feedparser"
    (entry,) = feed.entries
    assert (entry.title, entry.author, entry.text) == (
        "Episode 1",
        "Aiko Tanaka",
        "Show notes for episode one.",
    )
    assert entry.url == "https://pod.example.org/ep/1"  # a permalink guid doubles as link


def test_an_empty_but_valid_feed_has_no_entries() -> None:
    feed = parse_feed(rss("", "<title>Quiet</title>"), "https://q.example/feed")
    assert isinstance(feed, ParsedFeed)
    assert (feed.title, feed.entries) == ("Quiet", [])


# -- dates -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-01-02T03:04:05Z", ts(2026, 1, 2, 3, 4, 5)),
        ("2026-01-02T03:04:05-05:00", ts(2026, 1, 2, 8, 4, 5)),
        ("2026-01-02T03:04:05.999+01:00", ts(2026, 1, 2, 2, 4, 5)),
        ("1900-01-01T00:00:00Z", None),
        ("1970-01-01T00:00:00Z", None),
        ("10000-01-01T00:00:00Z", None),  # feedparser makes this 2010
        ("2999-01-01T00:00:00Z", None),
        ("not a date", None),
    ],
)
def test_atom_dates_are_utc_and_absurd_ones_dropped(value: str, expected: float | None) -> None:
    doc = atom_entry(f"<id>urn:x:1</id><title>t</title><published>{value}</published>")
    assert parse_feed(doc, "https://d.example/feed").entries[0].published == expected


def test_dates_a_little_ahead_are_kept_far_ahead_dropped() -> None:
    def published(offset: float) -> float | None:
        when = datetime.fromtimestamp(int(time.time() + offset), UTC)
        doc = rss(
            f"<item><guid>g</guid><pubDate>{when:%a, %d %b %Y %H:%M:%S} +0000</pubDate></item>"
        )
        return parse_feed(doc, "https://d.example/feed").entries[0].published

    assert published(86400) is not None
    assert published(10 * 86400) is None


# -- encodings ---------------------------------------------------------------------------
def title_of(body: bytes, content_type: str = "") -> str:
    return parse_feed(body, "https://e.example/feed", content_type).entries[0].title


def test_http_charset_is_used_when_the_document_declares_none() -> None:
    body = '<rss version="2.0"><channel><item><title>Café Müller</title></item></channel></rss>'
    assert title_of(body.encode("latin-1"), "application/rss+xml; charset=ISO-8859-1") == (
        "Café Müller"
    )


def test_the_documents_own_declaration_wins_over_http() -> None:
    body = (
        '<?xml version="1.0" encoding="windows-1251"?><rss version="2.0"><channel><item>'
        "<title>Привет</title></item></channel></rss>"
    )
    assert title_of(body.encode("cp1251"), "text/xml; charset=utf-8") == "Привет"


def test_a_wrong_declared_charset_still_reads() -> None:
    body = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><item>'
        "<title>Café Müller</title></item></channel></rss>"
    )
    assert title_of(body.encode("latin-1")) == "Café Müller"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32", "cp037"])
def test_wide_and_ebcdic_documents(codec: str) -> None:
    label = {"utf-16-be": "utf-16"}.get(codec, codec)
    body = (
        f'<?xml version="1.0" encoding="{label}"?><rss version="2.0"><channel><item>'
        "<title>Tokyo 東京</title></item></channel></rss>"
    )
    data = body.encode(codec, "replace")
    assert title_of(data).startswith("Tokyo")


def test_utf7_is_never_used_to_decode() -> None:
    body = (
        '<?xml version="1.0" encoding="utf-7"?><rss version="2.0"><channel><item>'
        "<title>+ADw-script+AD4-</title></item></channel></rss>"
    )
    assert title_of(body.encode()) == "+ADw-script+AD4-"


# -- bad input ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "empty document"),
        (b"  \n\t", "empty document"),
        (b"Hello, this is plain text.\n", "not XML"),
        (
            b"<!DOCTYPE html><html><head><title>Site</title></head><body>Hi</body></html>",
            "HTML page",
        ),
        (
            b'<?xml version="1.0"?><opml version="2.0"><body><outline text="x"/></body></opml>',
            "no RSS, Atom or JSON Feed",
        ),
        (b'<!DOCTYPE rss [ <!ENTITY x "y"> <rss></rss>', "malformed DOCTYPE"),
        (
            b'<!DOCTYPE rss>\n<!EN<!ENTITY a "">TITY x "xx">\n<rss version="2.0"></rss>',
            "entity declarations",
        ),
    ],
)
def test_documents_that_are_not_feeds_raise_a_one_line_error(body: bytes, message: str) -> None:
    with pytest.raises(FeedParseError, match=message) as caught:
        parse_feed(body, "https://bad.example/feed")
    assert "\n" not in str(caught.value)


def test_a_body_naming_a_file_is_not_read_from_disk(tmp_path: Path) -> None:
    """feedparser opens a bytes value that is a path; we must never let it."""
    secret = tmp_path / "secret.xml"
    secret.write_bytes(rss("<item><title>SECRET</title></item>"))
    with pytest.raises(FeedParseError):
        parse_feed(str(secret).encode(), "https://bad.example/feed")


def test_an_oversized_body_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("newsreader.feeds.parse.MAX_BODY_BYTES", 1000)
    with pytest.raises(FeedParseError, match="too large"):
        parse_feed(rss("<item><title>x</title></item>" * 100), "https://big.example/feed")


def test_a_truncated_document_keeps_what_it_can() -> None:
    body = fixture("rss2.xml")
    feed = parse_feed(body[: body.index(b"<title>Neither")], "https://news.example.org/feed")
    assert feed.parser == "feedparser"
    assert [e.title for e in feed.entries][:2] == ["Trump and Petro Open Channel", "No guid here"]


def test_billion_laughs_is_not_expanded() -> None:
    decls = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">\n' for i in range(1, 10))
    body = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY l0 "lol">\n{decls}]>\n'
        '<rss version="2.0"><channel><item><title>&l9;</title><guid>g</guid>'
        "<description>&l9;&l9;</description></item></channel></rss>"
    ).encode()
    started = time.monotonic()
    feed = parse_feed(body, "https://bomb.example/feed")
    assert time.monotonic() - started < 5
    assert "lollol" not in feed.entries[0].title + feed.entries[0].text


@pytest.mark.parametrize(
    "prolog",
    [
        '<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY x "{big}">\n]>\n',
        '<!DOCTYPE rss>\n<!ENTITY x "{big}">\n',  # feedparser's lenient parser reads this too
        'junk\n<!DOCTYPE rss>\n<!ENTITY x "{big}">\n',
    ],
)
def test_a_flat_entity_bomb_is_not_expanded(prolog: str) -> None:
    body = (
        prolog.format(big="x" * 30_000) + '<rss version="2.0"><channel><item><title>t'
        "</title><guid>g</guid><description>"
        + "&x;" * 10_000
        + "</description></item></channel></rss>"
    ).encode()
    started = time.monotonic()
    feed = parse_feed(body, "https://bomb.example/feed")
    assert time.monotonic() - started < 5
    assert "x" * 1000 not in feed.entries[0].text


def test_escape_sequences_and_bidi_never_reach_stored_fields() -> None:
    body = rss(
        "<item><title>A\x1b[2J\u202eevil\u202c &#x1b;]52;c;Zm9v&#x7;</title>"
        "<author>x@y.org (\x1b]8;;http://evil\x1b\\Bob\x1b]8;;\x1b\\)</author>"
        "<link>https://ok.example/a\x1b[31m</link><guid>g\u202e1</guid>"
        "<description>&lt;p&gt;body \x9b31m &amp;#x1b;[2J &amp;#x202e;rtl&lt;/p&gt;</description>"
        "</item>",
        "<title>T\x1b]0;pwned\x07</title>",
    )
    feed = parse_feed(body, "https://esc.example/feed")
    entry = feed.entries[0]
    fields = [
        feed.title,
        entry.title,
        entry.author,
        entry.url,
        entry.guid,
        entry.key,
        entry.html,
        entry.text,
        *entry.links,
    ]
    for value in fields:
        assert not any(ch in value for ch in "\x1b\x07\x9b\x9d\u202e\u202c"), value
    assert entry.title.startswith("Aevil") and entry.author == "Bob"
    assert entry.url == "https://ok.example/a"


def test_unsafe_links_are_dropped() -> None:
    body = rss(
        "<item><title>j</title><link>javascript:alert(1)</link><description>"
        '&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt; &lt;a href=" java&#9;script:'
        'alert(1)"&gt;y&lt;/a&gt; &lt;img src="data:image/png;base64,AAAA"&gt;'
        '&lt;a href="file:///etc/passwd"&gt;f&lt;/a&gt;</description></item>'
    )
    entry = parse_feed(body, "https://js.example/feed").entries[0]
    assert entry.url == "" and entry.links == []
    assert entry.text == "x y f"
    for bad in ("javascript", "script:", "data:", "file:", "<img"):
        assert bad not in entry.html


def test_forbidden_character_references_do_not_crash() -> None:
    body = rss(
        "<item><title>a &#xD800; b &#x110000; c &#99999999999;</title>"
        "<description>d &amp;#xD800; e</description></item>"
    )
    entry = parse_feed(body, "https://ref.example/feed").entries[0]
    assert entry.title == "a \ufffd b \ufffd c \ufffd"
    entry.text.encode("utf-8")  # no lone surrogates survive


@pytest.mark.parametrize(("extra", "limit"), [("", MAX_ENTRIES), ("<foo/>", MAX_SLOW_ENTRIES)])
def test_a_huge_number_of_entries_is_capped_and_what_was_left_out_is_said(
    extra: str,
    limit: int,
) -> None:
    """The fast path (first case) reads archives past 20,000 entries; feedparser's path,
    ten times slower an entry, stops earlier. Either way the feed says what it left out."""
    total = limit + 1234
    items = "".join(
        f"<item><title>t{i}</title><guid>g{i}</guid>{extra}</item>" for i in range(total)
    )
    started = time.monotonic()
    feed = parse_feed(rss(items), "https://many.example/feed")
    assert time.monotonic() - started < 20
    assert len(feed.entries) == limit
    assert feed.entries[-1].title == f"t{limit - 1}"
    assert feed.notice == (
        f"1,234 of {total:,} entries not read: a feed is read up to its first {limit:,} entries"
    )
    assert feed.problem == ""


# -- the stored HTML -----------------------------------------------------------------------
def test_sanitiser_keeps_text_structure_and_drops_everything_active() -> None:
    html = (
        '<p style="color:red" onclick="x()">Hello <b onmouseover="y()">bold</b>'
        "<script>steal()</script><style>p{}</style></p><!-- note -->"
        '<iframe src="https://evil.example/"></iframe><object data="x.swf">obj</object>'
        '<form action="/post"><input name="q"></form><svg><a href="https://s.example/">s</a>'
        '</svg><custom-tag data-x="1">kept text</custom-tag>'
        '<a href="/rel" target="_blank" rel="noopener">relative</a> '
        '<a href="vbscript:msgbox(1)">vb</a> <a href="mailto:desk@example.org">mail</a>'
        '<img src="https://cdn.example/e.png" class="emoji" alt="😀">'
        '<img src="https://t.example/p.gif" width="1" height="1">tail'
    )
    out = sanitize_html(html, "https://base.example/post/")
    assert out == (
        '<p>Hello <b>bold</b></p>kept text<a href="https://base.example/rel">relative</a> '
        '<a>vb</a> <a href="mailto:desk@example.org">mail</a>'
        '<img src="https://cdn.example/e.png" class="emoji" alt="😀">tail'
    )


def test_sanitiser_drops_attributes_whose_names_are_no_xml_names() -> None:
    """libxml2's HTML parser accepts "a\x01b" as an attribute name; lxml refuses to delete
    such a name, so the sanitiser rebuilds the element's attributes instead."""
    html = (
        '<p a\x01b="1" class="keep" on\x00click="x()">t <a h\x7fref="/x" href="/y">l</a>'
        '<img src="/i.png" alt="a\x00\x01b" b\x02="">'
        '<abbr title="x\x1fy" z\x01="">w</abbr></p>'
    )
    assert sanitize_html(html, "https://base.example/") == (
        '<p class="keep">t <a href="https://base.example/y">l</a>'
        '<img src="https://base.example/i.png" alt="a\ufffdb"><abbr title="xy">w</abbr></p>'
    )


def test_sanitiser_unwraps_tags_whose_names_are_no_xml_names() -> None:
    assert sanitize_html("<p\x01-->x<b>y</b><!-- c --></p\x01-->z", "") == "x<b>y</b>z"
    assert sanitize_html("<div>a<x\x02y>b<i>c</i></x\x02y></div>", "") == "<div>ab<i>c</i></div>"


def test_sanitiser_moves_text_lxml_would_refuse() -> None:
    """Text after a removed element is set on the tree again: U+FFFE/U+FFFF go with it."""
    assert sanitize_html("a<img>b\ufffe\uffffc", "") == "abc"
    assert sanitize_html("<img>\ufffe", "") == ""


_HTML_PIECES = st.sampled_from(
    [
        "<p",
        "<a",
        "<img",
        "<abbr",
        "<blockquote",
        "<script",
        "<q",
        "<svg",
        "<td",
        "<li",
        ">",
        "</p>",
        "</a>",
        ' href="',
        ' src="',
        ' cite="',
        ' title="',
        ' alt="',
        " on",
        '"',
        "=",
        " ",
        "\x00",
        "\x01",
        "\x1f",
        "\x7f",
        "\x85",
        "\ufffe",
        "&#1;",
        "javascript:",
        "http://a/",
        "/",
        "x",
        "é",
        "<!--",
        "-->",
        "<![CDATA[",
        "]]>",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_HTML_PIECES, max_size=40))
def test_sanitiser_takes_any_markup_and_leaves_nothing_active(pieces: list[str]) -> None:
    """Tag soup with control characters, broken names and hostile links: no exception, and
    what comes out holds no script and only http(s)/mailto links."""
    out = sanitize_html("".join(pieces), "https://base.example/post/")
    tree = etree.HTML(out) if out.strip() else None
    for element in tree.iter() if tree is not None else ():
        assert element.tag not in ("script", "style", "iframe", "svg"), out
        for name, value in element.attrib.items():
            assert not name.startswith("on"), out
            if name in ("href", "src", "cite"):
                assert value.startswith(("http://", "https://", "mailto:")), out


def test_sanitiser_on_empty_and_text_only_input() -> None:
    assert sanitize_html("", "") == ""
    assert sanitize_html("   ", "") == ""
    assert sanitize_html("a < b & c", "") == "a &lt; b &amp; c"


# -- nothing but FeedParseError, whatever the bytes ----------------------------------------
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_arbitrary_bytes_parse_or_raise_feed_parse_error(body: bytes) -> None:
    try:
        parse_feed(body, "https://fuzz.example/feed")
    except FeedParseError:
        pass


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["rss2.xml", "atom.xml", "rdf.xml", "podcast.xml"]),
    st.lists(st.tuples(st.integers(0, 4000), st.binary(max_size=8)), max_size=6),
    st.integers(0, 5000),
)
@example("rss2.xml", [(1122, b"\x01")], 1169)  # a control character in an attribute name
@example("rss2.xml", [(910, b"\x00\x00\x00\x00\x01")], 1169)  # and in a value
def test_damaged_feeds_parse_or_raise_feed_parse_error(
    name: str, edits: list[tuple[int, bytes]], cut: int
) -> None:
    body = bytearray(fixture(name))
    for at, junk in edits:
        body[at % len(body) : at % len(body) + len(junk)] = junk
    try:
        feed = parse_feed(bytes(body[: max(cut, 50)]), "https://fuzz.example/feed")
    except FeedParseError:
        return
    for entry in feed.entries:
        assert entry.key.startswith(("guid:", "link:", "hash:"))
        assert entry.url == "" or entry.url.startswith(("http://", "https://"))


@pytest.mark.parametrize("void", ["embed src=a", "source src=a", "track", "param name=x"])
def test_void_embeds_do_not_swallow_the_text_after_them(void: str) -> None:
    from newsreader.feeds.sanitize import sanitize_html

    assert sanitize_html(f"<p>x<{void}>y</p><p>z</p>") == "<p>xy</p><p>z</p>"
