"""Enclosures (podcasts, videos) kept at parse time: RSS, Atom, JSON Feed, hostile values.

Both XML paths (the lxml fast path and feedparser) must give the same enclosures; the
generated documents of ``test_fastparse_diff.py`` check that too, these pin the values.
"""

from __future__ import annotations

import json
import pickle

import pytest

from newsreader.feeds.parse import (
    MAX_ENCLOSURE_TYPE,
    MAX_ENCLOSURES,
    parse_feed,
    parse_feed_reference,
)
from newsreader.models import Enclosure, ParsedFeed

FEED_URL = "https://pod.example/feed.xml"
RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Pod</title><link>https://pod.example/</link>
<item><title>Episode 1</title><guid>ep1</guid>
<enclosure url="https://cdn.example/ep1.mp3" type="Audio/MPEG" length="24123456"/>
<enclosure url="https://cdn.example/ep1.mp4" type="video/mp4"/>
</item>
<item><title>Episode 2</title><guid>ep2</guid>{extra}</item>
</channel></rss>"""
ATOM = """<feed xmlns="http://www.w3.org/2005/Atom"><title>Vid</title>
<entry><id>tag:v.example,2026:1</id><title>One</title>
<link href="https://v.example/1"/>
<link rel="enclosure" type="video/webm" length="1000" href="/media/1.webm"/>
<link rel="enclosure" href="https://v.example/media/1.ogg" length="x"/>
</entry></feed>"""


def both(document: str, url: str = FEED_URL) -> ParsedFeed:
    """The fast path's result, checked to be the fast path's and to equal feedparser's."""
    fast = parse_feed(document.encode(), url)
    slow = parse_feed_reference(document.encode(), url)
    assert fast.parser == "fast" and slow.parser == "feedparser"
    assert [e.enclosures for e in fast.entries] == [e.enclosures for e in slow.entries]
    return fast


def test_rss_enclosures_are_kept_in_order_with_type_and_length() -> None:
    first, second = both(RSS.format(extra="")).entries
    assert first.enclosures == (
        Enclosure("https://cdn.example/ep1.mp3", "audio/mpeg", 24123456),
        Enclosure("https://cdn.example/ep1.mp4", "video/mp4", None),
    )
    assert second.enclosures == ()


def test_atom_enclosure_links_resolve_and_are_not_the_entry_link() -> None:
    (entry,) = both(ATOM).entries
    assert entry.url == "https://v.example/1"
    assert entry.enclosures == (
        Enclosure("https://pod.example/media/1.webm", "video/webm", 1000),
        # feedparser gives an Atom link without a type "text/html"; both paths agree
        Enclosure("https://v.example/media/1.ogg", "text/html", None),
    )


def test_json_feed_attachments() -> None:
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "items": [
            {
                "id": "1",
                "content_text": "hi",
                "attachments": [
                    {
                        "url": "https://j.example/a.m4a",
                        "mime_type": "audio/x-m4a",
                        "size_in_bytes": 5,
                    },
                    {
                        "url": "https://j.example/b.mp3",
                        "mime_type": "audio/mpeg",
                        "size_in_bytes": True,
                    },
                    {"url": "javascript:alert(1)", "mime_type": "audio/mpeg"},
                    {"url": 7, "mime_type": "audio/mpeg"},
                    "not an object",
                    {"url": "https://j.example/c.mp3", "mime_type": ["x"], "size_in_bytes": -3},
                ],
            },
            {"id": "2", "content_text": "no media", "attachments": {"url": "https://j.example/"}},
        ],
    }
    first, second = parse_feed(json.dumps(document).encode(), "https://j.example/f.json").entries
    assert first.enclosures == (
        Enclosure("https://j.example/a.m4a", "audio/x-m4a", 5),
        Enclosure("https://j.example/b.mp3", "audio/mpeg", None),
        Enclosure("https://j.example/c.mp3", "", None),
    )
    assert second.enclosures == ()


@pytest.mark.parametrize(
    ("attributes", "expected"),
    [
        ('url="javascript:alert(1)" type="audio/mpeg"', ()),
        ('url="data:audio/mpeg;base64,AAAA"', ()),
        ('url="file:///etc/passwd"', ()),
        ('url="relative/ep.mp3"', ()),  # RSS enclosure URLs are not resolved (feedparser)
        ('type="audio/mpeg" length="5"', ()),  # no URL
        (
            'url="https://c.example/a.mp3" length="99999999999999999999999"',
            (Enclosure("https://c.example/a.mp3", "", None),),
        ),
        (
            'url="https://c.example/a.mp3" length="-5"',
            (Enclosure("https://c.example/a.mp3", "", None),),
        ),
        (
            'url="https://c.example/a.mp3" length="&#xFF11;&#xFF12;"',  # fullwidth digits
            (Enclosure("https://c.example/a.mp3", "", None),),
        ),
        (
            'url="https://c.example/a.mp3" length=" 0 "',
            (Enclosure("https://c.example/a.mp3", "", 0),),
        ),
    ],
)
def test_hostile_rss_enclosures(attributes: str, expected: tuple[Enclosure, ...]) -> None:
    feed = both(RSS.format(extra=f"<enclosure {attributes}/>"))
    assert feed.entries[1].enclosures == expected


@pytest.mark.parametrize(
    "kind",
    [
        "audio/mpeg&#x202e;&#x9b;2J&#x85;&#10;&#9;" + "x" * 500,  # well-formed: the fast path
        "audio/mpeg&#x1b;]52;c;aGk=&#x7;&#x1b;[2J",  # not XML 1.0: the feedparser path
    ],
)
def test_control_characters_in_the_type_are_removed_and_it_is_bounded(kind: str) -> None:
    document = RSS.format(extra=f'<enclosure url="https://c.example/a.mp3" type="{kind}"/>')
    feed = parse_feed(document.encode(), FEED_URL)
    (enclosure,) = feed.entries[1].enclosures
    assert enclosure.type.startswith("audio/mpeg")
    assert len(enclosure.type) <= MAX_ENCLOSURE_TYPE
    assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in enclosure.type)
    assert "\u202e" not in enclosure.type


def test_at_most_max_enclosures_each_url_once() -> None:
    many = "".join(
        f'<enclosure url="https://c.example/{n % 30}.mp3" type="audio/mpeg"/>' for n in range(300)
    )
    (_, entry) = both(RSS.format(extra=many)).entries
    assert len(entry.enclosures) == MAX_ENCLOSURES
    assert [e.url for e in entry.enclosures] == [
        f"https://c.example/{n}.mp3" for n in range(MAX_ENCLOSURES)
    ]


def test_an_enclosure_with_unknown_attributes_goes_to_feedparser_and_is_read_alike() -> None:
    document = RSS.format(extra='<enclosure href="https://c.example/h.mp3" type="audio/mpeg"/>')
    fast = parse_feed(document.encode(), FEED_URL)
    slow = parse_feed_reference(document.encode(), FEED_URL)
    assert fast.parser == "feedparser"
    assert fast.entries[1].enclosures == slow.entries[1].enclosures


def test_parsed_entries_with_enclosures_survive_pickling() -> None:
    """Entries cross the parser processes' boundary pickled."""
    feed = both(RSS.format(extra=""))
    again = pickle.loads(pickle.dumps(feed))
    assert again.entries[0].enclosures == feed.entries[0].enclosures
    assert isinstance(again.entries[0].enclosures[0], Enclosure)
