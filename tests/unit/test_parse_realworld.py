"""Real-world input the parser used to misread (issue 12, items 8-12): authors, dates,
JSON Feed authors, ids taken for links, and the entry limit. Outside suites' expected
outputs (tests/data/gofeed, tests/data/feedparser) are asserted on both parser paths."""

from __future__ import annotations

import calendar
import json
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsreader.feeds import dates, parse
from newsreader.feeds.authors import author_name, split_name_address
from newsreader.feeds.parse import parse_feed, parse_feed_reference

DATA = Path(__file__).resolve().parents[1] / "data"
_EXPECT_TUPLE = re.compile(r"== \((\d+), (\d+), (\d+), (\d+), (\d+), (\d+),")


def ts(*parts: int) -> float:
    return float(calendar.timegm(datetime(*parts, tzinfo=UTC).utctimetuple()))


def rss_item(inner: str, extra: str = "") -> bytes:
    """An RSS 2.0 document with one item; ``extra`` (an unknown element) sends it down
    feedparser's path instead of the fast path."""
    return (
        f'<?xml version="1.0"?><rss version="2.0" '
        f'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>T</title>'
        f"<link>https://site.example/</link><item><title>a</title>{inner}{extra}</item>"
        f"</channel></rss>"
    ).encode()


def both_paths(body: bytes, url: str = "https://site.example/feed") -> list:
    """The single entry as the fast path (or whatever parse_feed picks) and feedparser
    read it: the two must agree on every field."""
    fast = parse_feed(body, url)
    slow = parse_feed_reference(body, url)
    assert fast.entries == slow.entries
    return [fast, slow]


# -- authors (item 8) ----------------------------------------------------------------------
GOFEED_NAMES = json.loads((DATA / "gofeed" / "name_address.json").read_text("utf-8"))


@pytest.mark.parametrize(("value", "name", "address"), GOFEED_NAMES)
def test_name_and_address_split_as_gofeed_expects(value: str, name: str, address: str) -> None:
    assert split_name_address(value) == (name, address)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("jonas@insanity.industries (Jonas Große Sundrup)", "Jonas Große Sundrup"),
        ("Simon St.Laurent (mailto:simonstl@example.com)", "Simon St.Laurent"),
        ("mailto:desk@newsroom.example.museum (News Desk)", "News Desk"),
        ("Ana Reporter <ana@correo.example.com.co>", "Ana Reporter"),
        ("editor@example.photography", "editor@example.photography"),
        ("Jane Doe (@jane)", "Jane Doe (@jane)"),
    ],
)
@pytest.mark.parametrize("extra", ["", "<foo/>"])
def test_rss_authors_read_the_same_on_both_paths(value: str, shown: str, extra: str) -> None:
    for element in ("author", "dc:creator"):
        body = rss_item(f"<{element}>{escape(value)}</{element}>", extra)
        for feed in both_paths(body):
            assert feed.entries[0].author == shown, (element, feed.parser)


@pytest.mark.parametrize(
    "name",
    [
        "rss/item_author_map_author_detail_name.xml",
        "rss/item_author_map_author_detail_name2.xml",
        "rss/item_author_map_author_detail_name3.xml",
        "rss/item_dc_creator_map_author_detail_name.xml",
    ],
)
def test_feedparser_suite_author_names(name: str) -> None:
    body = (DATA / "feedparser" / name).read_bytes()
    assert "== 'Example editor'" in body.decode()  # its Expect: header
    # The item has nothing but an author; an entry needs something to be known by.
    body = body.replace(b"<item>", b"<item><guid>g</guid>", 1)
    for feed in both_paths(body):
        assert feed.entries[0].author == "Example editor"


NAMES = (
    st.text(
        st.characters(whitelist_categories=("Lu", "Ll", "Zs"), max_codepoint=0x17F),
        min_size=1,
        max_size=20,
    )
    .map(str.strip)
    .filter(bool)
)
ADDRESSES = st.builds(
    "{}@{}.{}".format,
    st.from_regex(r"[a-z0-9._+-]{1,12}", fullmatch=True),
    st.from_regex(r"[a-z0-9-]{1,12}(\.[a-z0-9-]{1,8}){0,2}", fullmatch=True),
    st.from_regex(r"[a-z]{2,20}", fullmatch=True),
)


@given(
    NAMES,
    ADDRESSES,
    st.sampled_from(
        [
            "{n} ({a})",
            "{a} ({n})",
            "{n} <{a}>",
            "{n} (mailto:{a})",
            '"{n}" <{a}>',
            "mailto:{a} ({n})",
        ]
    ),
)
@settings(max_examples=300, deadline=None)
def test_every_form_gives_the_whole_name_for_any_tld(name: str, address: str, form: str) -> None:
    assert split_name_address(form.format(n=name, a=address)) == (name, address)
    assert author_name(address) == address


# -- JSON Feed authors (item 9) --------------------------------------------------------------
@pytest.mark.parametrize(
    ("feed_author", "version"),
    [
        ({"authors": [{"name": "Feed Team"}]}, "1.1"),
        ({"author": {"name": "Feed Team"}}, "1"),
        ({"authors": [{"url": "https://x.example/"}], "author": {"name": "Feed Team"}}, "1.1"),
    ],
)
def test_json_feed_items_inherit_the_feeds_author(feed_author: dict, version: str) -> None:
    document = {
        "version": f"https://jsonfeed.org/version/{version}",
        "title": "J",
        **feed_author,
        "items": [
            {"id": "1", "content_text": "one"},
            {"id": "2", "content_text": "two", "authors": [{"name": "Own Author"}]},
            {"id": "3", "content_text": "three", "author": {"name": "Old Style"}},
        ],
    }
    feed = parse_feed(json.dumps(document).encode(), "https://j.example/feed.json")
    assert [e.author for e in feed.entries] == ["Feed Team", "Own Author", "Old Style"]


# -- dates (item 10) -------------------------------------------------------------------------
def atom(entry: str) -> bytes:
    return (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>'
        '<link href="https://site.example/"/><id>https://site.example/</id>'
        f"<entry><title>e</title>{entry}</entry></feed>"
    ).encode()


def test_an_atom_entry_with_only_updated_has_that_date_and_says_so() -> None:
    for feed in both_paths(atom("<id>tag:x,2026:1</id><updated>2026-01-02T03:04:05Z</updated>")):
        entry = feed.entries[0]
        assert (entry.published, entry.updated, entry.date_kind) == (
            ts(2026, 1, 2, 3, 4, 5),
            ts(2026, 1, 2, 3, 4, 5),
            "updated",
        )


def test_a_published_date_stays_the_published_date() -> None:
    body = atom(
        "<id>tag:x,2026:1</id><published>2026-01-01T00:00:00Z</published>"
        "<updated>2026-01-02T00:00:00Z</updated>"
    )
    for feed in both_paths(body):
        entry = feed.entries[0]
        assert (entry.published, entry.date_kind) == (ts(2026, 1, 1), "published")
        assert entry.updated == ts(2026, 1, 2)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("atom/entry_modified_map_updated_parsed.xml", "updated"),  # Atom 0.3 <modified>
        ("atom/entry_issued_parsed.xml", "published"),  # Atom 0.3 <issued>
        ("rss/item_dc_date_parsed.xml", "updated"),  # RSS dc:date
    ],
)
def test_feedparser_suite_dates_are_the_articles_date(name: str, kind: str) -> None:
    body = (DATA / "feedparser" / name).read_bytes()
    expected = ts(*map(int, _EXPECT_TUPLE.search(body.decode()).groups()))
    entry = parse_feed(body, "http://127.0.0.1:8097/" + name).entries[0]
    assert (entry.published, entry.date_kind) == (expected, kind)


GOFEED_DATES = json.loads((DATA / "gofeed" / "dates.json").read_text("utf-8"))


@pytest.mark.parametrize(("value", "utc"), GOFEED_DATES)
def test_dates_as_gofeed_expects(value: str, utc: str) -> None:
    expected = datetime.strptime(utc, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC).timestamp()
    assert dates.parse_lenient(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Sat, Dec 16 2023 02:02:33 PM", ts(2023, 12, 16, 14, 2, 33)),
        ("Sat, Dec 16 2023 12:02:33 AM", ts(2023, 12, 16, 0, 2, 33)),
        ("Sat, Dec 16 2023 12:02 p.m.", ts(2023, 12, 16, 12, 2)),
        ("mer, 16 nov 2022 00:38:15 +0100", ts(2022, 11, 15, 23, 38, 15)),  # French
        ("mar., 1 mars 2022 10:00:00 +0100", ts(2022, 3, 1, 9)),  # mardi, not March
        ("jeu. 15 déc. 2022 08:00:00 +0100", ts(2022, 12, 15, 7)),
        ("Mi, 16. Nov 2022 10:00:00 +0100", ts(2022, 11, 16, 9)),  # German
        ("Donnerstag, 3. März 2022 18:30 MEZ", ts(2022, 3, 3, 17, 30)),
        ("mié, 16 nov 2022 00:38:15 -0300", ts(2022, 11, 16, 3, 38, 15)),  # Spanish
        ("16 de diciembre de 2022 10:00", ts(2022, 12, 16, 10)),
        ("mer, 16 nov 2022 00:38:15 +0100", ts(2022, 11, 15, 23, 38, 15)),  # Italian (= French)
        ("gio, 15 dic 2022 08:00:00 +0100", ts(2022, 12, 15, 7)),
        ("qua, 16 nov 2022 12:00:00 -0300", ts(2022, 11, 16, 15)),  # Portuguese
        ("sáb, 3 de set de 2022 10h30", ts(2022, 9, 3, 10, 30)),
        ("wo, 16 okt 2022 10:00:00 +0200", ts(2022, 10, 16, 8)),  # Dutch
        ("do 3 mrt 2022 10:00", ts(2022, 3, 3, 10)),
    ],
)
@pytest.mark.parametrize("extra", ["", "<foo/>"])
def test_localized_and_twelve_hour_dates(value: str, expected: float, extra: str) -> None:
    assert dates.parse_lenient(value) == expected
    for feed in both_paths(rss_item(f"<guid>g</guid><pubDate>{value}</pubDate>", extra)):
        assert (feed.entries[0].published, feed.entries[0].date_kind) == (expected, "published")


@pytest.mark.parametrize(
    "value",
    [
        "garbage 16 nov 2022",
        "16 nov",
        "nov 2022",
        "13:00 PM 3 jan 2020",
        "31 feb 2022",
        "16 nov 2022 10:00 +2500",
    ],
)
def test_what_is_not_a_date_is_not_guessed(value: str) -> None:
    assert dates.parse_loose(value) is None


LANGUAGES = {
    "fr": (
        ["lun", "mar", "mer", "jeu", "ven", "sam", "dim"],
        [
            "janv.",
            "févr.",
            "mars",
            "avr.",
            "mai",
            "juin",
            "juil.",
            "août",
            "sept.",
            "oct.",
            "nov.",
            "déc.",
        ],
    ),
    "de": (
        ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"],
        ["Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"],
    ),
    "es": (
        ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"],
        ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"],
    ),
    "it": (
        ["lun", "mar", "mer", "gio", "ven", "sab", "dom"],
        ["gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"],
    ),
    "pt": (
        ["seg", "ter", "qua", "qui", "sex", "sáb", "dom"],
        ["jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set", "out", "nov", "dez"],
    ),
    "nl": (
        ["ma", "di", "wo", "do", "vr", "za", "zo"],
        ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
    ),
}


@given(
    st.sampled_from(sorted(LANGUAGES)),
    st.datetimes(datetime(1990, 1, 1), datetime(2030, 12, 31)),
    st.integers(-12 * 4, 14 * 4).map(lambda q: q * 15),
    st.booleans(),
)
@settings(max_examples=300, deadline=None)
def test_localized_rfc822_round_trip(
    language: str, when: datetime, minutes: int, twelve_hour: bool
) -> None:
    days, months = LANGUAGES[language]
    when = when.replace(microsecond=0)
    zone = f"{'+' if minutes >= 0 else '-'}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"
    clock = (
        when.strftime("%I:%M:%S ") + ("PM" if when.hour >= 12 else "AM")
        if twelve_hour
        else when.strftime("%H:%M:%S")
    )
    text = f"{days[when.weekday()]}, {when.day} {months[when.month - 1]} {when.year} {clock} {zone}"
    aware = when.replace(tzinfo=timezone(timedelta(minutes=minutes)))
    assert dates.parse_lenient(text) == aware.timestamp(), text


# -- ids are not links (item 11) -------------------------------------------------------------
@pytest.mark.parametrize(
    ("entry_id", "url"),
    [
        ("https://site.example/", ""),  # the site's address, not the article's
        ("https://site.example", ""),
        ("https://other.example/", ""),
        ("https://site.example/feed", ""),  # the feed's own URL
        ("https://site.example/2026/01/a-post.html", "https://site.example/2026/01/a-post.html"),
        ("tag:site.example,2026:1", ""),
    ],
)
def test_an_atom_id_is_the_link_only_when_it_can_be_the_articles(entry_id: str, url: str) -> None:
    for feed in both_paths(atom(f"<id>{entry_id}</id><updated>2026-01-02T03:04:05Z</updated>")):
        assert feed.entries[0].url == url
        assert feed.entries[0].guid == entry_id  # still its identity


def test_a_link_element_is_kept_even_when_it_is_the_home_page() -> None:
    body = atom('<id>https://site.example/</id><link href="https://site.example/"/>')
    for feed in both_paths(body):
        assert feed.entries[0].url == "https://site.example/"


@pytest.mark.parametrize("extra", ["", "<foo/>"])
def test_an_rss_permalink_guid_that_is_the_site_is_not_the_link(extra: str) -> None:
    for feed in both_paths(rss_item("<guid>https://site.example/</guid>", extra)):
        assert feed.entries[0].url == ""
    for feed in both_paths(rss_item("<guid>https://site.example/p/1</guid>", extra)):
        assert feed.entries[0].url == "https://site.example/p/1"


# -- the entry limit (item 12) -----------------------------------------------------------------
def test_reading_stops_at_the_time_limit_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse, "NORMALISE_SECONDS", -1.0)
    items = "".join(f"<item><title>t{i}</title><guid>g{i}</guid></item>" for i in range(600))
    body = f'<rss version="2.0"><channel><title>T</title>{items}</channel></rss>'.encode()
    feed = parse_feed(body, "https://many.example/feed")
    assert len(feed.entries) == 255
    assert feed.notice == "345 of 600 entries not read: reading stopped at the -1-second limit"


def test_a_json_feed_past_the_limit_says_what_it_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    from newsreader.feeds import jsonfeed

    monkeypatch.setattr(jsonfeed, "MAX_ITEMS", 3)
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "items": [{"id": str(i), "content_text": "x"} for i in range(5)],
    }
    feed = parse_feed(json.dumps(document).encode(), "https://j.example/feed.json")
    assert [e.guid for e in feed.entries] == ["0", "1", "2"]
    assert feed.notice == "2 of 5 entries not read: a feed is read up to its first 3 entries"
