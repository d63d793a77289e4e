"""JSON Feed 1.0 / 1.1 through parse_feed, including documents with hostile values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsreader.feeds.parse import FeedParseError, parse_feed
from newsreader.models import ParsedFeed

TESTS = Path(__file__).resolve().parents[1]
FIXTURES = TESTS / "fixtures" / "feeds"
CORPUS_JSON = [
    p
    for p in (TESTS / "fixtures" / "corpus", TESTS.parents[1] / "shared" / "corpus")
    if (p / "feedparser-tests" / "json").is_dir()
]


def parse_json(document: object, content_type: str = "application/feed+json") -> ParsedFeed:
    return parse_feed(json.dumps(document).encode(), "https://j.example/feed.json", content_type)


def test_json_feed_1_1_fields() -> None:
    feed = parse_feed((FIXTURES / "jsonfeed-1.1.json").read_bytes(), "https://json.example.org/f")
    assert (feed.parser, feed.title, feed.site_url) == (
        "json",
        "JSON fixture",
        "https://json.example.org/",
    )
    first, second = feed.entries
    assert first.key == "guid:1" and first.url == "https://json.example.org/posts/1"
    assert first.title == "JSON <b>item</b> one"  # JSON Feed titles are plain text
    assert first.author == "Wei Zhang"
    assert (first.published, first.updated) == (1793257200.0, 1793264400.0)
    assert first.text == "Hello about [1]" and first.links == ["https://json.example.org/about"]
    assert "<script" not in first.html
    assert second.key == "guid:2" and second.author == "Legacy author field"
    assert second.text == "Line one.\n\nLine <two>."
    assert second.html == "<p>Line one.</p><p>Line &lt;two&gt;.</p>"


def test_json_feed_1_0_with_summary_and_external_url() -> None:
    feed = parse_json(
        {
            "version": "https://jsonfeed.org/version/1",
            "title": "One",
            "items": [
                {
                    "id": "a",
                    "external_url": "https://elsewhere.example/x",
                    "summary": "Just a summary",
                    "date_published": "Mon, 02 Nov 2026 08:00:00 GMT",
                }
            ],
        },
        content_type="",
    )
    (entry,) = feed.entries
    assert (entry.url, entry.text, entry.published) == (
        "https://elsewhere.example/x",
        "Just a summary",
        1793606400.0,
    )


@pytest.mark.skipif(not CORPUS_JSON, reason="the feed corpus is not available")
def test_the_corpus_json_feed() -> None:
    path = CORPUS_JSON[0] / "feedparser-tests" / "json" / "example.json"
    feed = parse_feed(path.read_bytes(), "https://example.org/feed.json")
    assert feed.parser == "json" and feed.entries


@pytest.mark.parametrize(
    "item",
    [
        {
            "id": {"nested": [1, 2]},
            "title": 42,
            "url": ["https://x.example/"],
            "content_html": {},
            "content_text": 7,
            "date_published": 1700000000,
            "authors": "Bob",
        },
        {
            "id": True,
            "title": None,
            "url": 3.5,
            "summary": ["a"],
            "author": ["x"],
            "date_modified": {"y": 1},
            "authors": [None, 5, {"name": 9}, {"name": "Real"}],
        },
        {
            "id": 12,
            "title": ["nested", ["garbage"]],
            "content_html": "<p>kept</p>",
            "url": "javascript:alert(1)",
        },
    ],
)
def test_wrongly_typed_values_are_ignored(item: dict) -> None:
    feed = parse_json({"version": "https://jsonfeed.org/version/1.1", "items": [item, "junk", 5]})
    assert len(feed.entries) <= 1
    for entry in feed.entries:
        assert all(isinstance(v, str) for v in (entry.key, entry.title, entry.url, entry.author))
        assert entry.url == ""
        assert entry.published is None and entry.updated is None
    if item.get("id") == 12:
        assert feed.entries[0].key == "guid:12" and feed.entries[0].text == "kept"


def test_control_characters_in_json_strings_are_removed() -> None:
    feed = parse_json(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "T\u001b]0;x\u0007",
            "items": [{"id": "1", "title": "A\u001b[2J\u202eB", "content_text": "c\u009b31m d"}],
        }
    )
    entry = feed.entries[0]
    assert (feed.title, entry.title, entry.text) == ("T", "AB", "c d")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "nested too deep"),
        (b'{"items": [' * 50_000, "nested too deep"),
        (
            b'{"version": "https://jsonfeed.org/version/1", "items": [' + b"9" * 5000 + b"]}",
            "invalid JSON",
        ),
        (b'{"version": "https://jsonfeed.org/version/1", "items": []', "invalid JSON"),
        (b'{"version": "https://jsonfeed.org/version/1", "title": "\xff\xfe"}', "JSON"),
        (b'["not", "an", "object"]', "not a JSON object"),
        (b'{"title": "no items"}', "no JSON Feed version or items"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": {"a": 1}}', "no JSON Feed"),
    ],
)
def test_documents_that_are_not_json_feeds_are_refused(body: bytes, message: str) -> None:
    with pytest.raises(FeedParseError, match=message):
        parse_feed(body, "https://j.example/feed.json", "application/json")


def test_a_json_feed_with_no_items_is_an_empty_feed() -> None:
    feed = parse_json(
        {"version": "https://jsonfeed.org/version/1.1", "title": "Quiet", "items": []}
    )
    assert (feed.title, feed.entries) == ("Quiet", [])


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "url",
                    "title",
                    "content_html",
                    "content_text",
                    "summary",
                    "date_published",
                    "authors",
                    "author",
                    "name",
                    "items",
                    "x",
                ]
            ),
            inner,
            max_size=5,
        )
    ),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.sampled_from(["version", "title", "home_page_url", "items", "x"]),
        JSON_VALUES,
        max_size=5,
    ),
    st.lists(JSON_VALUES, max_size=5),
)
def test_arbitrary_json_parses_or_raises_feed_parse_error(document: dict, items: list) -> None:
    document.setdefault("items", items)
    try:
        feed = parse_json(document)
    except FeedParseError:
        return
    for entry in feed.entries:
        assert entry.key.startswith(("guid:", "link:", "hash:"))
        assert isinstance(entry.title, str) and isinstance(entry.text, str)
        assert entry.published is None or isinstance(entry.published, float)
