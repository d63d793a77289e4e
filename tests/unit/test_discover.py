"""Feed autodiscovery: links a page announces, conventional fallbacks, body sniffing."""

from __future__ import annotations

import json
import time

import pytest

from newsreader.feeds.discover import (
    candidate_paths,
    find_feed_links,
    looks_like_feed,
    looks_like_html,
)

PAGE = "https://news.example.com/world/2026/story.html"


def page(head: str, body: str = "<p>Story</p>") -> str:
    return f"<!DOCTYPE html><html><head><title>Story</title>{head}</head><body>{body}</body></html>"


# --- find_feed_links -----------------------------------------------------------------------


def test_finds_every_feed_type_in_document_order_resolved_against_the_page() -> None:
    html = page(
        '<link rel="stylesheet" href="/style.css">'
        '<link rel="alternate" type="application/rss+xml" title="RSS" href="/rss.xml">'
        '<link rel="alternate" type="application/atom+xml" href="atom.xml">'
        '<link rel="alternate" type="application/feed+json" href="https://cdn.example.net/f.json">'
        '<link rel="alternate" type="application/json" href="//api.example.org/feed">'
    )
    assert find_feed_links(html, PAGE) == [
        "https://news.example.com/rss.xml",
        "https://news.example.com/world/2026/atom.xml",
        "https://cdn.example.net/f.json",
        "https://api.example.org/feed",
    ]


def test_rel_and_type_are_matched_loosely() -> None:
    html = page(
        '<LINK REL="Alternate Feed" TYPE="Application/RSS+XML; charset=utf-8" HREF="/a">'
        '<link rel=" alternate " type=" application/atom+xml " href="/b">'
    )
    assert find_feed_links(html, PAGE) == [
        "https://news.example.com/a",
        "https://news.example.com/b",
    ]


def test_non_feed_alternates_and_other_links_are_ignored() -> None:
    html = page(
        '<link rel="alternate" hreflang="es" type="text/html" href="/es/story">'
        '<link rel="alternate" href="/no-type">'
        '<link rel="feed" type="application/rss+xml" href="/not-alternate">'
        '<link rel="alternate" type="application/rdf+xml" href="/foaf">'
        '<link rel="icon" type="image/png" href="/favicon.png">',
        '<a rel="alternate" type="application/rss+xml" href="/anchor">RSS</a>',
    )
    assert find_feed_links(html, PAGE) == []


def test_base_href_is_honoured() -> None:
    html = page(
        '<base href="/blog/"><link rel="alternate" type="application/rss+xml" href="feed/">'
    )
    assert find_feed_links(html, PAGE) == ["https://news.example.com/blog/feed/"]


def test_unsafe_base_href_falls_back_to_the_page_url() -> None:
    html = page(
        '<base href="javascript:alert(1)//">'
        '<link rel="alternate" type="application/rss+xml" href="feed.xml">'
    )
    assert find_feed_links(html, PAGE) == ["https://news.example.com/world/2026/feed.xml"]


def test_only_http_links_deduplicated() -> None:
    html = page(
        '<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">'
        '<link rel="alternate" type="application/rss+xml" href="data:application/rss+xml,x">'
        '<link rel="alternate" type="application/rss+xml" href="file:///etc/passwd">'
        '<link rel="alternate" type="application/rss+xml" href="feed://x.example/rss">'
        '<link rel="alternate" type="application/rss+xml">'
        '<link rel="alternate" type="application/rss+xml" href="">'
        '<link rel="alternate" type="application/rss+xml" href="/rss">'
        '<link rel="alternate" type="application/atom+xml" href="https://news.example.com/rss">'
        '<link rel="alternate" type="application/rss+xml" href="http://[::1">'
    )
    assert find_feed_links(html, PAGE) == ["https://news.example.com/rss"]


def test_links_are_found_in_bytes_with_a_declared_charset() -> None:
    html = page(
        '<meta charset="iso-8859-1">'
        '<link rel="alternate" type="application/rss+xml" title="Noticias de Bogot\xe1" '
        'href="/rss-espa\xf1ol.xml">'
    ).encode("latin-1")
    assert find_feed_links(html, PAGE) == ["https://news.example.com/rss-español.xml"]


def test_link_urls_are_cleaned_of_escape_sequences() -> None:
    html = page(
        '<link rel="alternate" type="application/rss+xml" '
        'href="/rss\x1b]52;c;cGF5bG9hZA==\x07\u202e.xml">'
    )
    [link] = find_feed_links(html, PAGE)
    assert link == "https://news.example.com/rss.xml"


@pytest.mark.parametrize(
    "html",
    [
        b"",
        "",
        b"   ",
        b"\x00\xff\xfe\x9b garbage",
        "<",
        "<<html",
        "not html at all",
        "<link rel=alternate type=application/rss+xml href=/ok>",
    ],
)
def test_odd_pages_never_raise(html: bytes | str) -> None:
    links = find_feed_links(html, PAGE)
    assert links in ([], ["https://news.example.com/ok"])


def test_huge_and_deep_pages_are_handled_quickly() -> None:
    head = '<link rel="alternate" type="application/rss+xml" href="/rss">'
    html = page(head, "<div>" * 10_000 + "<p>filler</p>" * 400_000)
    started = time.perf_counter()
    assert find_feed_links(html, PAGE) == ["https://news.example.com/rss"]
    assert time.perf_counter() - started < 5


# --- candidate_paths -----------------------------------------------------------------------


def test_candidate_paths_are_on_the_same_origin() -> None:
    assert candidate_paths("https://News.Example.com/world/story?id=3#top") == [
        "https://news.example.com/feed",
        "https://news.example.com/rss.xml",
        "https://news.example.com/atom.xml",
        "https://news.example.com/feed.xml",
        "https://news.example.com/index.xml",
        "https://news.example.com/rss",
        "https://news.example.com/feed.json",
    ]


def test_candidate_paths_keep_the_port_drop_credentials_and_skip_the_page_itself() -> None:
    candidates = candidate_paths("http://user:secret@blog.example:8080/feed/")
    assert candidates[0] == "http://blog.example:8080/rss.xml"
    assert "http://blog.example:8080/feed" not in candidates
    assert len(candidates) == 6
    assert not any("secret" in c for c in candidates)


@pytest.mark.parametrize(
    "url",
    [
        "",
        "example.com",
        "ftp://example.com/",
        "javascript:alert(1)",
        "file:///etc/",
        "http://example.com:99999/",
        "https:///nohost",
    ],
)
def test_candidate_paths_need_an_http_url(url: str) -> None:
    assert candidate_paths(url) == []


# --- looks_like_feed / looks_like_html -----------------------------------------------------

RSS = b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel></channel></rss>'
ATOM = b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>'
RDF = b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
JSON_FEED = json.dumps(
    {"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": []}
).encode()
HTML = b"<!DOCTYPE html>\n<html><head><title>Home</title></head><body></body></html>"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (RSS, "application/rss+xml"),
        (b"", "application/rss+xml; charset=utf-8"),
        (ATOM, "Application/Atom+XML"),
        (b"{}", "application/feed+json"),
        (RSS, "text/html; charset=utf-8"),
        (RSS, "text/plain"),
        (RSS, ""),
        (ATOM, "application/xml"),
        (RDF, "text/xml"),
        (b"\xef\xbb\xbf  \n\t" + RSS, "application/octet-stream"),
        (
            b'<?xml version="1.0"?>\n<!-- generator -->\n<?xml-stylesheet href="s.xsl"?>\n'
            b"<!DOCTYPE rss>\n<rss version='0.91'>",
            "text/xml",
        ),
        (RSS.decode().replace("utf-8", "utf-16").encode("utf-16"), "text/xml"),
        (JSON_FEED, "application/json"),
        (JSON_FEED, "text/plain"),
        (b"  \n" + JSON_FEED, ""),
    ],
)
def test_looks_like_feed(body: bytes, content_type: str) -> None:
    assert looks_like_feed(body, content_type)
    assert not looks_like_html(body, content_type)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (HTML, "text/html"),
        (HTML, "application/xml"),
        (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/"/>', "text/xml"),
        (b'{"version": "1.0", "items": []}', "application/json"),
        (b'{"title": "jsonfeed.org fan page"}', "application/json"),
        (b"[1, 2, 3]", "application/json"),
        (b"{not json", "application/json"),
        (b"", "text/html"),
        (b"", ""),
        (b"<rsss>", "text/xml"),
        (b"plain text mentioning <rss> later", "text/plain"),
    ],
)
def test_does_not_look_like_feed(body: bytes, content_type: str) -> None:
    assert not looks_like_feed(body, content_type)


def test_json_feed_with_version_after_a_long_prefix_is_recognised() -> None:
    items = [{"id": str(i), "content_text": "x" * 100} for i in range(100)]
    body = json.dumps({"items": items, "version": "https://jsonfeed.org/version/1"}).encode()
    assert len(body) > 8192
    assert looks_like_feed(body, "application/json")


def test_deeply_nested_json_is_not_a_feed_and_does_not_crash() -> None:
    assert not looks_like_feed(b"{" + b'"a":[' * 100_000, "application/json")
    assert not looks_like_feed(b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "")


@pytest.mark.parametrize(
    "body",
    [
        b" " * 5000 + b"x",
        b"<!-- -->" * 600 + b"x",
        b"<?x?>" * 900,
        b"<?" * 2000,
        b"<!--" * 1000,
        b"<!DOCTYPE" * 500,
        b" \n" * 3000,
        b"{" + b' "version" : ' * 500,
    ],
    ids=[
        "spaces",
        "comments",
        "declarations",
        "open-declarations",
        "open-comments",
        "open-doctypes",
        "newlines",
        "json-versions",
    ],
)
def test_sniffing_pathological_prefixes_is_instant(body: bytes) -> None:
    started = time.perf_counter()
    for _ in range(20):
        assert not looks_like_feed(body, "")
        assert not looks_like_html(body, "")
    assert time.perf_counter() - started < 1


def test_comment_chains_before_the_root_are_skipped() -> None:
    assert looks_like_feed(b"<!---->" * 500 + b"<rss>", "")


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (HTML, "text/html; charset=utf-8", True),
        (HTML, "", True),
        (HTML, "application/octet-stream", True),
        (b"\xef\xbb\xbf<!-- x --><html lang=en>", "", True),
        (b"<!doctype HTML><title>x</title>", "text/plain", True),
        (b"", "application/xhtml+xml", True),
        (RSS, "text/html", False),
        (JSON_FEED, "text/html", False),
        (b"%PDF-1.7", "application/pdf", False),
        (b'{"a": 1}', "application/json", False),
        (b"", "", False),
    ],
)
def test_looks_like_html(body: bytes, content_type: str, expected: bool) -> None:
    assert looks_like_html(body, content_type) is expected
