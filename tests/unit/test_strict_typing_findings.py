"""Defects `mypy --strict` found in the domain, each pinned by a test that fails without
its fix: wrong return annotations, optionals used unchecked, one name for two types."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from newsreader.annotations import service
from newsreader.annotations.editdistance import approximate_match
from newsreader.export.backup import parse_backup
from newsreader.export.importer import import_backup
from newsreader.export.webannotation import dumps, export_document
from newsreader.feeds import sanitize
from newsreader.feeds.parsepool import ParsePool
from newsreader.feeds.xmlinput import prepare
from newsreader.models import ParsedEntry
from newsreader.store import connect
from newsreader.store.actors import add_actor, find_actor
from newsreader.store.annotations import list_claims
from newsreader.store.articles import upsert_entries
from newsreader.store.feeds import add_feed


def test_approximate_match_start_is_chosen_by_the_stored_prefix() -> None:
    """``fit`` (typed as three values, returning two) ranks starts by prefix, then length."""
    assert approximate_match("abcd", "qqXbcd", 0, 6, 1) == (1, 3, 6)  # shortest
    assert approximate_match("abcd", "qqXbcd", 0, 6, 1, prefix="qq") == (1, 2, 6)


def test_prepare_relabels_a_declared_encoding_as_utf8() -> None:
    """The declaration's match is checked before its span is used."""
    body = '<?xml version="1.0" encoding="ISO-8859-1"?><rss><t>café</t></rss>'
    assert prepare(body.encode("latin-1")) == (
        '<?xml version="1.0" encoding="utf-8"?><rss><t>café</t></rss>'.encode()
    )
    assert prepare(b"<rss><t>plain</t></rss>") == b"<rss><t>plain</t></rss>"


def test_sanitize_keeps_nothing_when_a_dropped_element_survives_stripping(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A second survey that still finds a <script> used to unpack None (TypeError): now
    the body is emptied, never passed on with the script in it."""
    assert sanitize.sanitize_html("<p>ok</p><script>x()</script>") == "<p>ok</p>"
    monkeypatch.setattr(etree, "strip_elements", lambda *args, **kwargs: None)
    assert sanitize.sanitize_html("<p>ok</p><script>x()</script>") == ""


def test_parse_pool_without_a_target_parses_with_parse_feed() -> None:
    """The default target (imported when none is given) is what the pool calls."""
    rss = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        b"<item><title>One</title><link>https://example.org/1</link></item>"
        b"</channel></rss>"
    )
    with ParsePool(0) as pool:
        parsed = pool.submit(rss, "https://example.org/feed", "application/rss+xml").result(10)
    assert (parsed.title, [e.title for e in parsed.entries]) == ("T", ["One"])


def _exported_claim(tmp_path: Path) -> dict[str, Any]:
    """The JSON export of a store holding one claim by Donald Trump (a person)."""
    conn = connect(tmp_path / "a.db")
    feed_id, _ = add_feed(conn, "https://example.org/feed.xml")
    upsert_entries(
        conn,
        feed_id,
        [
            ParsedEntry(
                key="a", url="https://example.org/a", title="A", text="Trump said talks went well."
            )
        ],
    )
    trump = add_actor(conn, "Donald Trump", "person", ["Trump"])
    service.create_claim(conn, 1, 0, 26, speaker_id=trump.id)
    document: dict[str, Any] = json.loads(dumps(export_document(conn)))
    conn.close()
    return document


@pytest.mark.parametrize(
    "kind, expected", [("person", "person"), (None, "other"), ("absent", "other")]
)
def test_an_actors_kind_null_or_absent_is_other(
    tmp_path: Path, kind: str | None, expected: str
) -> None:
    """backup.actors passed ``choice()``'s ``str | None`` on as the kind: typed now."""
    document = _exported_claim(tmp_path)
    [actor] = document["newsreader:actors"]
    if kind == "absent":
        del actor["kind"]
    else:
        actor["kind"] = kind
    [record] = parse_backup(document).actors
    assert (record.name, record.kind, record.aliases) == ("Donald Trump", expected, ("Trump",))


def test_import_merges_actors_then_adds_their_claims(tmp_path: Path) -> None:
    """import_backup used one name for the actor and the annotation records it loops over."""
    backup = parse_backup(_exported_claim(tmp_path))
    conn = connect(tmp_path / "b.db")
    report = import_backup(conn, backup)
    assert (report.annotations, report.actors_added, report.waiting) == (1, 1, 1)
    [claim] = list_claims(conn)
    assert (claim.speaker_name, claim.exact) == ("Donald Trump", "Trump said talks went well")
    actor = find_actor(conn, "Trump")
    assert actor is not None and actor.kind == "person"
