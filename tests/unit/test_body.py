"""An entry body becomes stored HTML, canonical text and links from ONE lxml parse.

The text is walked from the sanitised tree instead of from a second parse of the sanitised
HTML; these tests hold it to the same result, and check the repairs that came with it.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsreader.feeds.parse import _body
from newsreader.feeds.raw import RawEntry
from newsreader.feeds.sanitize import sanitize_html, sanitize_tree
from newsreader.feeds.text import html_to_text, tree_to_text

BASE = "https://news.example.com/world/"
URL = "https://news.example.com/world/story-1"

TEXT = st.sampled_from(
    [
        "alpha",
        "beta é",
        "  ",
        "\n",
        "&amp;",
        "&nbsp;",
        "&lt;x&gt;",
        "’",
        "caf&eacute;",
        "\t",
        "x  y",
        "😀",
        "&#8217;",
        "Ω",
    ]
)
LEAF = TEXT | st.sampled_from(
    [
        "<br>",
        '<img src="https://i.example/a.png">',
        '<img src="p.png" width="1">',
        "<img>",
        '<img alt="😀" class="emoji" src="/e.png">',
    ]
)
INLINE_TAGS = st.sampled_from(["b", "i", "em", "span", "code", "strong", "custom", "font", "q"])
HREF = st.sampled_from(
    [
        "https://a.example/x",
        "/rel",
        "#f",
        "javascript:x()",
        "mailto:a@b.c",
        "https://a.example/ö é",
        "//cdn.example/y",
        "https://a.example/?q&amp;b",
    ]
)


def _wrap(tags: st.SearchStrategy[str], inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(lambda tag, body: f"<{tag}>{body}</{tag}>", tags, inner)


def _joined(parts: st.SearchStrategy[str], size: int = 3) -> st.SearchStrategy[str]:
    return st.lists(parts, max_size=size).map("".join)


PHRASING = st.recursive(LEAF, lambda kids: _wrap(INLINE_TAGS, _joined(kids)), max_leaves=8)
INLINE = _joined(
    PHRASING | st.builds(lambda href, body: f'<a href="{href}">{body}</a>', HREF, _joined(PHRASING))
)
CELLS = _joined(_wrap(st.sampled_from(["td", "th"]), INLINE))


def _blocks(kids: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    items = _joined(_wrap(st.just("li"), INLINE | kids))
    return (
        _wrap(st.sampled_from(["div", "blockquote", "section", "figure"]), _joined(kids))
        | _wrap(st.sampled_from(["ul", "ol"]), items)
        | _wrap(st.just("table"), _joined(_wrap(st.just("tr"), CELLS)))
    )


SIMPLE_BLOCK = (
    _wrap(st.sampled_from(["p", "h2", "pre"]), INLINE)
    | TEXT
    | st.sampled_from(["<hr>", "<script>x()</script>", "<iframe src=x></iframe>"])
)
HTML = _joined(st.recursive(SIMPLE_BLOCK, _blocks, max_leaves=12), size=5)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HTML)
def test_one_parse_gives_what_parsing_the_sanitised_html_again_gives(html: str) -> None:
    sanitised, tree = sanitize_tree(html, BASE)
    assert sanitised == sanitize_html(html, BASE)
    walked = tree_to_text(tree, sanitised, URL) if tree is not None else None
    reparsed = html_to_text(sanitised, URL)
    assert walked is None or walked == reparsed
    assert _body(RawEntry(body=html, base=BASE), URL) == (sanitised, *reparsed)


def test_non_ascii_link_targets_are_percent_encoded_in_html_and_links() -> None:
    html, text, links = _body(RawEntry(body='<p><a href="/café ü">Read</a></p>', base=BASE), URL)
    assert html == '<p><a href="https://news.example.com/caf%C3%A9%20%C3%BC">Read</a></p>'
    assert (text, links) == ("Read [1]", ["https://news.example.com/caf%C3%A9%20%C3%BC"])


def test_control_characters_from_character_references_do_not_fail_the_entry() -> None:
    """lxml refuses to set text holding them; removing an element used to raise."""
    html, text, links = _body(RawEntry(body="<p>a<img>&#27;[31mb&#0;</p>", base=BASE), URL)
    assert (text, links) == ("ab�", [])
    assert "\x1b" not in html and "[31m" not in html


def test_text_after_the_body_end_tag_is_kept_whole() -> None:
    html, text, _ = _body(RawEntry(body="<body><p>In.</p></body>After the end.", base=BASE), URL)
    assert (html, text) == ("<p>In.</p>After the end.", "In.\n\nAfter the end.")


def test_a_whole_document_as_a_body_leaves_no_stray_markup() -> None:
    doc = (
        "<!DOCTYPE html><html><head><title>T</title><script>x()</script></head>"
        "<body><p>Did it run?</p></body></html>\n"
    )
    html, text, _ = _body(RawEntry(body=doc, base=BASE), URL)
    assert (html, text) == ("<p>Did it run?</p>", "Did it run?")


def test_bidi_controls_from_entities_never_reach_text_or_html() -> None:
    html, text, _ = _body(RawEntry(body="<p>a&lrm;b&#x202e;c&#x85;d</p>", base=BASE), URL)
    assert text == "abc…d" and html == "<p>abc…d</p>"  # &#x85; is cp1252 "…" in HTML
