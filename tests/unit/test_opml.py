"""OPML import (bounded, strict, forgiving of odd outlines) and export (OPML 2.0)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from lxml import etree

from newsreader.feeds.opml import (
    MAX_OPML_BYTES,
    OpmlError,
    OpmlFeed,
    SkippedOutline,
    parse_opml,
    read_opml,
    write_opml,
)
from newsreader.models import Feed

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "opml"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def opml(body: str, *, head: str = "<head><title>t</title></head>") -> bytes:
    """A small OPML document around ``body``."""
    return f'<?xml version="1.0"?><opml version="2.0">{head}<body>{body}</body></opml>'.encode()


# --- import --------------------------------------------------------------------------------


def test_nested_outlines_become_folders_joined_by_slash() -> None:
    assert parse_opml(fixture("nested.opml")) == [
        OpmlFeed(
            "https://top.example.com/feed.xml", "Top Level Feed", "", "https://top.example.com/"
        ),
        OpmlFeed(
            "https://interbellumnews.com/feed",
            "Inter Bellum News",
            "News",
            "https://interbellumnews.com/",
        ),
        OpmlFeed(
            "https://www.eltiempo.com/rss/colombia.xml", "El Tiempo — Bogotá", "News/Latin America"
        ),
        OpmlFeed(
            "https://feeds.folha.uol.com.br/mundo/rss091.xml",
            "Folha de S.Paulo",
            "News/Latin America",
        ),
        OpmlFeed("https://www.nikkei.com/rss/index.xml", "日本経済新聞 🗞", "News/Asia"),
        OpmlFeed("https://arctic.example.org/atom.xml", "Арктика и мир", "Research"),
    ]


def test_duplicate_urls_are_skipped_first_one_wins() -> None:
    assert parse_opml(fixture("duplicates.opml")) == [
        OpmlFeed("https://dup.example.com/rss", "First copy", ""),
        OpmlFeed("https://other.example.com/rss", "Other", "Folder"),
    ]


def test_outlines_without_a_usable_xmlurl_are_skipped() -> None:
    """Notes, plain links, empty, javascript:, file: and relative URLs are not feeds."""
    assert parse_opml(fixture("missing_xmlurl.opml")) == [
        OpmlFeed("http://legacy.example.com/rss", "Feed scheme", ""),
        OpmlFeed("https://real.example.com/rss", "The real one", ""),
    ]


def test_every_skipped_outline_is_listed_with_its_line_and_reason() -> None:
    result = read_opml(fixture("missing_xmlurl.opml"))
    assert result.problem == ""
    assert [s.describe() for s in result.skipped] == [
        'line 5 "Just a note": no xmlUrl: an empty folder or a note',
        'line 6 "A website, not a feed": no xmlUrl: not a feed',
        'line 7 "Empty xmlUrl": empty xmlUrl',
        'line 8 "Script" <javascript:alert(document.cookie)>: not an http(s) URL (javascript:)',
        'line 9 "Local file" <file:///etc/passwd>: not an http(s) URL (file:)',
        'line 10 "Relative" </feed.xml>: not an http(s) URL (a path or relative address)',
    ]


def test_more_bad_outlines_each_say_why() -> None:
    result = read_opml(
        opml(
            '<outline text="Folder"><outline text="In" xmlUrl="https://in.example/"/></outline>\n'
            '<outline text="Zero" xmlUrl="/dev/zero"/>\n'
            '<outline text="Data" xmlUrl="data:text/xml,&lt;rss/&gt;"/>\n'
            '<outline text="No host" xmlUrl="https://"/>\n'
            '<outline text="Blank" xmlUrl="   "/>\n'
            '<outline text="Again" xmlUrl="https://in.example/"/>\n'
        )
    )
    assert [f.url for f in result.feeds] == ["https://in.example/"]
    assert [(s.title, s.reason) for s in result.skipped] == [  # the folder is not one of them
        ("Zero", "not an http(s) URL (a path or relative address)"),
        ("Data", "not an http(s) URL (data:)"),
        ("No host", "not a valid URL (no host)"),
        ("Blank", "empty xmlUrl"),
        ("Again", "a duplicate of line 1"),
    ]
    assert result.skipped[0] == SkippedOutline(
        2, "Zero", "/dev/zero", "not an http(s) URL (a path or relative address)"
    )


# Shaped like the real exports that were refused whole (e.g. plenaryapp/awesome-rss-feeds:
# a bare "&" in a description); written here, not copied.
SLOPPY = b"""<?xml version='1.0' encoding='UTF-8' ?>
<opml version="1.0"><head><title>Export</title></head><body>
<outline text="Tech" title="Tech">
<outline text="Phones" description="News, Forums & More!" xmlUrl="https://a.example/feed" />
<outline text="Q&A" xmlUrl="https://b.example/feed?x=1&y=2" />
<outline text="He said "hi" there" xmlUrl="https://c.example/feed" />
<outline text="Caf&eacute;&nbsp;News &bogus; x" xmlUrl="https://d.example/feed" />
<outline text="Tags <b> unescaped" xmlUrl='https://e.example/feed' />
</outline>
<outline text="Script" xmlUrl="javascript:alert(1)"/>
</body></opml>"""


def test_bare_ampersands_quotes_and_html_entities_are_repaired() -> None:
    result = read_opml(SLOPPY)
    assert [(f.url, f.title, f.folder) for f in result.feeds] == [
        ("https://a.example/feed", "Phones", "Tech"),
        ("https://b.example/feed?x=1&y=2", "Q&A", "Tech"),  # the URL is not mangled
        ("https://c.example/feed", 'He said "hi" there', "Tech"),
        ("https://d.example/feed", "Caf\u00e9 News &bogus; x", "Tech"),
        ("https://e.example/feed", "Tags <b> unescaped", "Tech"),
    ]
    assert result.problem.startswith("not well-formed XML (")
    assert result.problem.endswith("; read leniently")
    assert [s.title for s in result.skipped] == ["Script"]


def test_what_cannot_be_repaired_is_recovered() -> None:
    result = read_opml(
        opml(
            '<outline text="A" xmlUrl="https://a.example/"/>'
            '<outline text="B" xmlUrl="https://b.example/"><foo></outline>'
            '<outline text="C" xmlUrl="https://c.example/"/>'
        )
    )
    assert [f.url for f in result.feeds][:2] == ["https://a.example/", "https://b.example/"]
    assert "read leniently" in result.problem


def test_a_well_formed_file_is_read_as_before() -> None:
    result = read_opml(fixture("nested.opml"))
    assert result.problem == ""
    assert [s.describe() for s in result.skipped] == [
        'line 21 "Empty folder": no xmlUrl: an empty folder or a note'
    ]
    assert result.feeds == parse_opml(fixture("nested.opml"))


@pytest.mark.parametrize("attribute", ["xmlUrl", "xmlurl", "xmlURL", "XMLURL", "XmlUrl"])
def test_xmlurl_attribute_casing_variants(attribute: str) -> None:
    data = opml(f'<outline text="T" {attribute}="https://a.example/rss"/>')
    assert parse_opml(data) == [OpmlFeed("https://a.example/rss", "T", "")]


def test_title_attribute_preferred_text_as_fallback_and_htmlurl_checked() -> None:
    data = opml(
        '<outline title="Title" text="Text" xmlUrl="https://a.example/1" htmlUrl="/rel"/>'
        '<outline text="Only text" xmlUrl="https://a.example/2" htmlUrl="https://a.example/"/>'
        '<outline xmlUrl="https://a.example/3"/>'
    )
    assert parse_opml(data) == [
        OpmlFeed("https://a.example/1", "Title", ""),
        OpmlFeed("https://a.example/2", "Only text", "", "https://a.example/"),
        OpmlFeed("https://a.example/3", "", ""),
    ]


def test_non_ascii_titles_in_a_latin1_encoded_file() -> None:
    assert parse_opml(fixture("latin1.opml")) == [
        OpmlFeed("https://www.dn.pt/rss", "Diário de Notícias", ""),
    ]


def test_hostile_text_is_cleaned() -> None:
    """C1 escape sequences, bidi overrides and stray whitespace never reach titles or URLs."""
    assert parse_opml(fixture("hostile.opml")) == [
        OpmlFeed("https://evil.example.com/rss", "Evil title txt.exe", ""),
        OpmlFeed("https://spaced.example.com/rss", "Spaced out title", "Folder/Sub"),
    ]


def test_empty_folder_names_do_not_add_path_segments() -> None:
    data = opml(
        '<outline text=""><outline text=" / A // "><outline text="  ">'
        '<outline text="F" xmlUrl="https://a.example/f"/></outline></outline></outline>'
    )
    assert parse_opml(data) == [OpmlFeed("https://a.example/f", "F", "A")]


def test_a_feed_outline_with_children_keeps_its_children() -> None:
    data = opml(
        '<outline text="Parent" xmlUrl="https://a.example/p">'
        '<outline text="Child" xmlUrl="https://a.example/c"/></outline>'
    )
    assert [f.url for f in parse_opml(data)] == ["https://a.example/p", "https://a.example/c"]


def test_namespaced_opml_and_comments_are_accepted() -> None:
    data = (
        b'<?xml version="1.0"?><!-- exported --><opml xmlns="http://opml.org/spec2" '
        b'version="2.0"><body><!-- c --><outline text="N" xmlUrl="https://n.example/"/>'
        b"</body></opml>"
    )
    assert parse_opml(data) == [OpmlFeed("https://n.example/", "N", "")]


def test_a_broken_file_is_read_leniently_and_says_where_it_is_broken() -> None:
    result = read_opml(fixture("broken.opml"))  # an <outline> never closed
    assert [f.url for f in result.feeds] == [
        "https://fine.example.com/rss",
        "https://broken.example.com/rss",
    ]
    assert result.problem.startswith("not well-formed XML (")
    assert "line 7" in result.problem
    assert "\n" not in result.problem


def test_entity_bomb_is_refused_at_once() -> None:
    started = time.perf_counter()
    with pytest.raises(OpmlError, match="DOCTYPE"):
        parse_opml(fixture("entity_bomb.opml"))
    assert time.perf_counter() - started < 1


def test_doctype_in_utf16_is_refused_too() -> None:
    """The byte scan cannot see a UTF-16 DOCTYPE; the parsed document is checked as well."""
    text = (
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE opml [<!ENTITY x "hi">]>'
        '<opml><body><outline text="&x;" xmlUrl="https://a.example/rss"/></body></opml>'
    )
    with pytest.raises(OpmlError, match="DOCTYPE"):
        parse_opml(text.encode("utf-16"))


def test_utf16_entity_bomb_fails_cleanly_and_fast() -> None:
    text = fixture("entity_bomb.opml").decode().replace('"UTF-8"', '"UTF-16"')
    started = time.perf_counter()
    with pytest.raises(OpmlError):
        parse_opml(text.encode("utf-16"))
    assert time.perf_counter() - started < 1


def test_external_entities_are_never_fetched_or_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    text = (
        f'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY s SYSTEM "file://{secret}">]>'
        '<opml><body><outline text="&s;" xmlUrl="https://a.example/rss"/></body></opml>'
    )
    with pytest.raises(OpmlError):
        parse_opml(text.encode())


def many_outlines(total_bytes: int) -> bytes:
    """A valid OPML document of exactly ``total_bytes`` bytes made of many feeds."""
    empty = len(opml(""))
    line = '<outline text="Feed {:07d}" xmlUrl="https://a.example/{:07d}"/>\n'
    size = len(line.format(0, 0))
    count, rest = divmod(total_bytes - empty, size)
    body = "".join(line.format(i, i) for i in range(count)) + " " * rest
    data = opml(body)
    assert len(data) == total_bytes
    return data


def test_oversized_file_is_refused_before_parsing() -> None:
    with pytest.raises(OpmlError, match="too large"):
        parse_opml(many_outlines(MAX_OPML_BYTES + 1))


@pytest.mark.slow
def test_file_at_the_size_limit_is_read() -> None:
    feeds = parse_opml(many_outlines(MAX_OPML_BYTES))
    assert len(feeds) > 100_000
    assert feeds[-1].title == f"Feed {len(feeds) - 1:07d}"


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"", "empty"),
        (b"  \n ", "empty"),
        (b"\x00\xff\xfe garbage \x9b", "not a valid OPML file"),
        (b"just text", "not a valid OPML file"),
        (b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>', "root element is <rss>"),
        (b'<opml version="2.0"><head/></opml>', "no <body>"),
        (b"<opml><body>&nbsp;</body></opml>", "not a valid OPML file: not well-formed"),
        (b"<opml><body><outline", "not a valid OPML file: not well-formed"),
    ],
)
def test_unusable_files_raise_opml_error(data: bytes, match: str) -> None:
    with pytest.raises(OpmlError, match=match):
        parse_opml(data)


def test_absurdly_deep_outlines_fail_cleanly() -> None:
    data = opml("<outline text='f'>" * 5000 + "</outline>" * 5000)
    with pytest.raises(OpmlError):
        parse_opml(data)


def test_deep_but_reasonable_nesting_is_read() -> None:
    depth = 100
    inner = '<outline text="F" xmlUrl="https://deep.example/"/>'
    data = opml("<outline text='d'>" * depth + inner + "</outline>" * depth)
    [feed] = parse_opml(data)
    assert feed.folder == "/".join(["d"] * depth)


def test_many_feeds_are_read_in_order() -> None:
    body = "".join(f'<outline text="F{i}" xmlUrl="https://a.example/{i}"/>' for i in range(5000))
    feeds = parse_opml(opml(body))
    assert [f.title for f in feeds] == [f"F{i}" for i in range(5000)]


# --- export and round trip -----------------------------------------------------------------


def feed(id_: int, url: str, title: str, folder: str = "", site_url: str = "") -> Feed:
    return Feed(id=id_, url=url, title=title, folder=folder, site_url=site_url)


FEEDS = [
    feed(
        1,
        "https://top.example.com/rss",
        "Top & <Co> \"quoted\" 'x'",
        "",
        "https://top.example.com/",
    ),
    feed(2, "https://interbellumnews.com/feed", "Inter Bellum News", "News"),
    feed(3, "https://www.eltiempo.com/rss", "El Tiempo — Bogotá", "News/Latin America"),
    feed(4, "https://www.nikkei.com/rss", "日本経済新聞", "News/Asia"),
    feed(5, "https://a.example/?a=1&b=2", "Query & ampersand", "Research"),
    feed(6, "https://b.example/rss", "Second in Latin America", "News/Latin America"),
]


def test_write_opml_is_opml_2_with_nested_folder_outlines() -> None:
    document = write_opml(FEEDS)
    root = etree.fromstring(document.encode("utf-8"))

    assert document.startswith("<?xml version='1.0' encoding='UTF-8'?>")
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert root.findtext("head/title") == "newsreader subscriptions"
    body = root.find("body")
    assert [o.get("text") for o in body] == ["Top & <Co> \"quoted\" 'x'", "News", "Research"]
    news = body[1]
    assert [o.get("text") for o in news] == ["Inter Bellum News", "Latin America", "Asia"]
    latin = news[1]
    assert [o.get("xmlUrl") for o in latin] == [
        "https://www.eltiempo.com/rss",
        "https://b.example/rss",
    ]
    first = body[0]
    assert first.attrib == {
        "type": "rss",
        "text": "Top & <Co> \"quoted\" 'x'",
        "title": "Top & <Co> \"quoted\" 'x'",
        "xmlUrl": "https://top.example.com/rss",
        "htmlUrl": "https://top.example.com/",
    }


def test_round_trip_keeps_urls_titles_folders_and_site_urls() -> None:
    parsed = parse_opml(write_opml(FEEDS).encode("utf-8"))
    assert sorted((p.url, p.title, p.folder, p.site_url) for p in parsed) == sorted(
        (f.url, f.title, f.folder, f.site_url) for f in FEEDS
    )


def test_round_trip_of_an_imported_fixture() -> None:
    imported = parse_opml(fixture("nested.opml"))
    feeds = [feed(i, f.url, f.title, f.folder, f.site_url) for i, f in enumerate(imported, start=1)]
    assert parse_opml(write_opml(feeds).encode("utf-8")) == imported


def test_write_opml_survives_hostile_titles_and_is_deterministic() -> None:
    hostile = [
        feed(1, "https://e.example/rss", "Evil\x1b]0;t\x07 \x00\ud800title\u202e", "A\x1b[31m/B"),
        feed(2, "https://f.example/rss", "", "//"),
    ]
    document = write_opml(hostile)
    assert document == write_opml(hostile)
    assert parse_opml(document.encode("utf-8")) == [
        OpmlFeed("https://e.example/rss", "Evil title", "A/B"),
        OpmlFeed("https://f.example/rss", "https://f.example/rss", ""),
    ]


def test_write_opml_with_no_feeds_is_a_valid_empty_document() -> None:
    document = write_opml([])
    assert parse_opml(document.encode("utf-8")) == []
    assert "<body/>" in document


# --- the command ---------------------------------------------------------------------------
def test_import_opml_command_imports_what_it_can_and_lists_what_it_skipped(
    tmp_path: Path,
) -> None:
    path = tmp_path / "sloppy.opml"
    path.write_bytes(SLOPPY)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "newsreader",
            "--db",
            str(tmp_path / "s.db"),
            "import-opml",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "imported 5 new feeds, 0 already subscribed, 1 outline skipped\n"
    warning, skipped = result.stderr.splitlines()
    assert warning.startswith(f"newsreader: warning: {path}: not well-formed XML (")
    assert warning.endswith("; read leniently")
    assert skipped == (
        'newsreader: skipped line 10 "Script" <javascript:alert(1)>: '
        "not an http(s) URL (javascript:)"
    )
