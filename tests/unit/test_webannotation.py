"""W3C Web Annotation JSON-LD export: golden file, the model's required shape, scopes, and
the round trip export -> import into an empty store -> export (same bytes), also as a
property over random annotation sets."""

from __future__ import annotations

import json
import sqlite3
import tempfile
from pathlib import Path

import pytest
from export_sample import CLAIM, SECOND_CLAIM, Sample, build_sample, golden
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsreader.annotations import claimlinks, service
from newsreader.export.backup import parse_backup
from newsreader.export.collect import Scope
from newsreader.export.importer import import_backup
from newsreader.export.webannotation import ANNO_CONTEXT, dumps, export_document
from newsreader.models import CLAIM_STATUSES, ParsedEntry
from newsreader.store import connect
from newsreader.store.actors import add_actor
from newsreader.store.articles import get_article, upsert_entries
from newsreader.store.feeds import add_feed, remove_feed, set_feed_title


@pytest.fixture
def sample(conn: sqlite3.Connection) -> Sample:
    return build_sample(conn)


def items(document: dict) -> list[dict]:
    return document["first"]["items"]


def round_trip(document: dict, db: Path) -> dict:
    """Import ``document`` (as JSON text) into a new store at ``db`` and export it again."""
    other = connect(db)
    try:
        import_backup(other, parse_backup(json.loads(dumps(document))))
        return export_document(other)
    finally:
        other.close()


def test_sample_matches_golden(conn: sqlite3.Connection, sample: Sample) -> None:
    text = dumps(export_document(conn))
    golden("sample.json", text)


def test_every_annotation_follows_the_model(conn: sqlite3.Connection, sample: Sample) -> None:
    document = export_document(conn)
    assert document["type"] == "AnnotationCollection" and document["total"] == 5
    assert document["@context"][0] == ANNO_CONTEXT
    text = get_article(conn, sample.article_id).text
    by_kind: dict[str, list[dict]] = {}
    for item in items(document):
        assert item["@context"][0] == ANNO_CONTEXT and item["type"] == "Annotation"
        assert item["id"].startswith("urn:uuid:") and item["created"].endswith("Z")
        assert item["target"]["source"].startswith("https://interbellumnews.com/news/")
        by_kind.setdefault(item["newsreader:data"]["kind"], []).append(item)
    assert sorted(by_kind) == ["claim", "highlight", "mention", "note"]
    for item in by_kind["claim"] + by_kind["mention"]:
        quote, position = item["target"]["selector"]
        assert quote["type"] == "TextQuoteSelector" and position["type"] == "TextPositionSelector"
        assert text[position["start"] : position["end"]] == quote["exact"]
        assert text[: position["start"]].endswith(quote["prefix"])
        assert text[position["end"] :].startswith(quote["suffix"])
    claim = next(i for i in by_kind["claim"] if i["target"]["selector"][0]["exact"] == CLAIM)
    note, *tags = claim["body"]
    assert note == {
        "type": "TextualBody",
        "purpose": "commenting",
        "format": "text/markdown",
        "language": "und",
        "value": "Only Trump's account so far; *Bogotá* has not described the call.",
    }
    assert [t["value"] for t in tags] == [
        "claim",
        "status:unverified",
        "speaker:Donald Trump",
        "about:Gustavo Petro",
    ]
    assert {t["purpose"] for t in tags} == {"tagging"}
    disputed = next(i for i in by_kind["claim"] if i is not claim)["newsreader:data"]
    assert [c["status"] for c in disputed["status_history"]] == ["unverified", "disputed"]
    assert by_kind["highlight"][0]["newsreader:data"]["orphaned"] is True
    assert by_kind["note"][0]["motivation"] == "commenting"
    assert [a["name"] for a in document["newsreader:actors"]] == [
        "Colombia",
        "Donald Trump",
        "Gustavo Petro",
    ]


def test_an_annotation_read_alone_keeps_newsreader_data(
    conn: sqlite3.Connection, sample: Sample
) -> None:
    for item in items(export_document(conn)):
        alone = json.loads(json.dumps(item))  # copied out of the collection on its own
        anno, own = alone["@context"]
        assert anno == ANNO_CONTEXT  # the model's MUST: the W3C context is one of them
        assert own["newsreader"] == "urn:newsreader:"
        assert own["newsreader:data"] == {"@type": "@json"}
        assert alone["newsreader:data"]["kind"] in ("claim", "mention", "highlight", "note")


def test_every_annotation_has_the_models_shoulds(conn: sqlite3.Connection, sample: Sample) -> None:
    for item in items(export_document(conn)):
        assert item["creator"] == {"type": "Person"}
        assert item["generator"] == {
            "id": "urn:newsreader:software",
            "type": "Software",
            "name": "newsreader",
        }
        assert item["created"].endswith("Z") and item["modified"].endswith("Z")
        assert item["created"] <= item["modified"]
        for body in item["body"]:
            expected = (
                ("text/markdown", "und")
                if body["purpose"] == "commenting"
                else ("text/plain", "en")
            )
            assert (body["format"], body["language"]) == expected


def test_scopes(conn: sqlite3.Connection, sample: Sample) -> None:
    petro = export_document(conn, Scope(actor_id=sample.petro_id))
    exact = sorted(i["target"]["selector"][0]["exact"] for i in items(petro))
    assert exact == sorted([CLAIM, SECOND_CLAIM, "Gustavo Petro"])
    assert [a["name"] for a in petro["newsreader:actors"]] == ["Donald Trump", "Gustavo Petro"]
    article = export_document(conn, Scope(article_id=sample.article_id))
    assert article["total"] == 5
    assert export_document(conn, Scope(article_id=1))["total"] == 0  # the other demo article


def test_round_trip_into_an_empty_store_is_identical(
    conn: sqlite3.Connection, sample: Sample, tmp_path: Path
) -> None:
    first = export_document(conn)
    second = round_trip(first, tmp_path / "empty.db")
    assert dumps(second) == dumps(first)
    third = round_trip(second, tmp_path / "again.db")
    assert dumps(third) == dumps(first)


def test_an_article_note_keeps_the_articles_date(conn: sqlite3.Connection, tmp_path: Path) -> None:
    _annotate(conn, "the minister said talks were constructive", [])
    service.add_note(conn, 1, "Only a note on this one.")
    assert conn.execute("SELECT article_published FROM notes").fetchone()[0] == 1.5e9
    remove_feed(conn, 1)  # the article leaves the store; its note and snapshot stay
    [note] = items(export_document(conn))
    assert note["newsreader:data"]["snapshot"]["published"] == "2017-07-14T02:40:00Z"
    again = round_trip(export_document(conn), tmp_path / "b.db")
    assert items(again)[0]["newsreader:data"]["snapshot"]["published"] == "2017-07-14T02:40:00Z"


def test_times_closer_than_a_microsecond_keep_their_order(tmp_path: Path) -> None:
    conn = connect(tmp_path / "a.db")
    _annotate(conn, "the minister said talks were constructive", [])
    for uid, when in (("f" * 32, 1000.0), ("0" * 32, 1000.0 + 1e-7)):  # uid order reversed
        made = service.create_annotation(conn, 1, 4, 12, "claim", now=when)
        conn.execute("UPDATE annotations SET uid = ? WHERE id = ?", (uid, made.id))
    first = export_document(conn)
    assert dumps(round_trip(first, tmp_path / "b.db")) == dumps(first)
    conn.close()


# --- property: random annotation sets ------------------------------------------------------

WORDS = st.sampled_from(
    "the minister said talks were constructive Bogotá Caracas "
    "sanctions *bold* [[x]] # > — “quoted” 2026. ok".split()
)
LINKS = ("supports", "contradicts", "repeats", "supersedes")
NOTES = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)


@st.composite
def annotation_sets(draw: st.DrawFn) -> tuple[str, list[dict]]:
    text = " ".join(draw(st.lists(WORDS, min_size=5, max_size=60)))
    specs = []
    for _ in range(draw(st.integers(0, 12))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, min(len(text), start + 40)))
        specs.append(
            {
                "span": (start, end),
                "kind": draw(st.sampled_from(["claim", "mention", "highlight"])),
                "status": draw(st.sampled_from(CLAIM_STATUSES)),
                "later": draw(st.none() | st.sampled_from(CLAIM_STATUSES)),
                "note": draw(NOTES),
                "speaker": draw(st.booleans()),
                "time": draw(st.floats(0, 2e9, allow_nan=False)),
                "delete": draw(st.booleans()) and draw(st.booleans()),
                "link": draw(st.none() | st.tuples(st.integers(0, 11), st.sampled_from(LINKS))),
                "event": draw(st.none() | st.dates().map(lambda d: d.isoformat())),
                "source": draw(st.booleans()),
            }
        )
    return text, specs


def _annotate(conn: sqlite3.Connection, text: str, specs: list[dict]) -> None:
    feed_id, _ = add_feed(conn, "https://example.org/feed.xml")
    set_feed_title(conn, feed_id, "Example: “News”", "")
    upsert_entries(
        conn,
        feed_id,
        [
            ParsedEntry(
                key="a",
                url="https://example.org/a?x=1",
                title='A: "title"',
                text=text,
                published=1.5e9,
            )
        ],
    )
    people = [
        add_actor(conn, "Ana María", "person", ["Ana"]).id,
        add_actor(conn, "ACME Corp", "organisation").id,
    ]
    claims: list[int] = []
    for n, spec in enumerate(specs):
        start, end = spec["span"]
        if not text[start:end].strip():
            continue
        fields: dict = {"note": spec["note"], "now": spec["time"]}
        if spec["kind"] == "claim":
            fields.update(
                status=spec["status"],
                about_ids=people[n % 2 :],
                speaker_id=people[0] if spec["speaker"] else None,
            )
        if spec["kind"] == "mention":
            fields["actor_id"] = people[n % 2]
        made = service.create_annotation(conn, 1, start, end, spec["kind"], **fields)
        if spec["kind"] == "claim" and spec["later"]:
            service.set_status(conn, made.id, spec["later"], now=spec["time"] + 0.25)
        if spec["kind"] == "claim":
            _record(conn, made.id, spec, claims)
            if not spec["delete"]:
                claims.append(made.id)
        if spec["delete"]:
            service.delete(conn, made.id)
    if specs:
        service.add_note(conn, 1, "article note " + specs[0]["note"])


def _record(conn: sqlite3.Connection, claim_id: int, spec: dict, earlier: list[int]) -> None:
    """A claim's event date, a source and a link to an earlier claim, as ``spec`` says."""
    if spec["event"]:
        claimlinks.set_event_date(conn, claim_id, spec["event"])
    if spec["source"]:
        claimlinks.add_evidence_url(conn, claim_id, f"https://example.org/src/{claim_id}")
    if spec["link"] and earlier:
        index, relation = spec["link"]
        claimlinks.link_claims(conn, claim_id, relation, earlier[index % len(earlier)])
        conn.execute(
            "UPDATE claim_links SET created = ? WHERE source_id = ?", (spec["time"], claim_id)
        )


def _visible_links(conn: sqlite3.Connection) -> int:
    return conn.execute(
        "SELECT count(*) FROM claim_links l JOIN annotations s ON s.id = l.source_id"
        " JOIN annotations t ON t.id = l.target_id"
        " WHERE s.deleted IS NULL AND t.deleted IS NULL"
    ).fetchone()[0]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(annotation_sets())
def test_round_trip_property(case: tuple[str, list[dict]]) -> None:
    text, specs = case
    with tempfile.TemporaryDirectory() as tmp:
        conn = connect(Path(tmp) / "a.db")
        _annotate(conn, text, specs)
        first = export_document(conn)
        live = conn.execute("SELECT count(*) FROM annotations WHERE deleted IS NULL").fetchone()
        notes = conn.execute("SELECT count(*) FROM notes").fetchone()[0]
        assert first["total"] == live[0] + notes + _visible_links(conn)
        assert dumps(round_trip(first, Path(tmp) / "b.db")) == dumps(first)
        # into a store that has the article: every annotation lands on the same text
        other = connect(Path(tmp) / "c.db")
        upsert_entries(
            other,
            add_feed(other, "https://example.org/feed.xml")[0],
            [ParsedEntry(key="a", url="https://example.org/a?x=1", text=text)],
        )
        import_backup(other, parse_backup(json.loads(dumps(first))))
        spans = sorted(
            tuple(r)
            for r in other.execute("SELECT uid, start, end, exact, article_id FROM annotations")
        )
        original = sorted(
            tuple(r)
            for r in conn.execute(
                "SELECT uid, start, end, exact, 1 FROM annotations WHERE deleted IS NULL"
            )
        )
        assert spans == original
        other.close()
        conn.close()
