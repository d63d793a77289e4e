"""Defects `mypy --strict` found in the domain, each pinned by a test that fails without
its fix: wrong return annotations, optionals used unchecked, one name for two types."""

from __future__ import annotations

import pytest

from newsreader.annotations.editdistance import approximate_match
from newsreader.feeds import sanitize
from newsreader.feeds.parsepool import ParsePool
from newsreader.feeds.xmlinput import prepare


def test_approximate_match_start_is_chosen_by_the_stored_prefix() -> None:
    """``fit`` (typed as three values, returning two) ranks starts by prefix, then length."""
    assert approximate_match("abcd", "qqXbcd", 0, 6, 1) == (1, 3, 6)  # shortest
    assert approximate_match("abcd", "qqXbcd", 0, 6, 1, prefix="qq") == (1, 2, 6)


def test_prepare_relabels_a_declared_encoding_as_utf8() -> None:
    """The declaration's match is checked before its span is used."""
    body = '<?xml version="1.0" encoding="ISO-8859-1"?><rss><t>café</t></rss>'
    assert prepare(body.encode("latin-1")) == (
        '<?xml version="1.0" encoding="utf-8"?><rss><t>café</t></rss>'.encode())
    assert prepare(b"<rss><t>plain</t></rss>") == b"<rss><t>plain</t></rss>"


def test_sanitize_keeps_nothing_when_a_dropped_element_survives_stripping(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A second survey that still finds a <script> used to unpack None (TypeError): now
    the body is emptied, never passed on with the script in it."""
    assert sanitize.sanitize_html("<p>ok</p><script>x()</script>") == "<p>ok</p>"
    monkeypatch.setattr(sanitize.etree, "strip_elements", lambda *args, **kwargs: None)
    assert sanitize.sanitize_html("<p>ok</p><script>x()</script>") == ""


def test_parse_pool_without_a_target_parses_with_parse_feed() -> None:
    """The default target (imported when none is given) is what the pool calls."""
    rss = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
           b"<item><title>One</title><link>https://example.org/1</link></item>"
           b"</channel></rss>")
    with ParsePool(0) as pool:
        parsed = pool.submit(rss, "https://example.org/feed", "application/rss+xml").result(10)
    assert (parsed.title, [e.title for e in parsed.entries]) == ("T", ["One"])
