"""Claim links, evidence and event dates through the W3C export: the ``linking``
annotations' shape, export -> import into an empty store -> export byte for byte, and a
link whose other claim is missing (counted, not a crash)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from export_sample import Sample, build_sample

from newsreader.annotations import claimlinks, service
from newsreader.export.backup import parse_backup
from newsreader.export.collect import Scope
from newsreader.export.importer import import_backup
from newsreader.export.jsonread import ImportFormatError
from newsreader.export.webannotation import dumps, export_document, uid_to_id
from newsreader.models import Annotation
from newsreader.store import connect
from newsreader.store.annotations import get_annotation

T1 = 1_767_900_000.0


@pytest.fixture
def linked(conn: sqlite3.Connection) -> tuple[Sample, Annotation]:
    """The sample, a claim on the other demo article, two links, evidence, an event date."""
    sample = build_sample(conn)
    other = service.create_annotation(conn, 1, 0, 30, "claim", now=T1)
    conn.execute("UPDATE annotations SET uid = ? WHERE id = ?", ("c" * 32, other.id))
    claimlinks.link_claims(conn, sample.second_claim_id, "contradicts", sample.claim_id)
    claimlinks.link_claims(conn, other.id, "repeats", sample.claim_id)
    claimlinks.add_evidence_url(conn, sample.claim_id, "https://example.com/readout")
    with pytest.raises(service.AnnotationError, match="no web address"):
        claimlinks.add_evidence_article(conn, sample.claim_id, 1)  # the demo's guide
    claimlinks.add_evidence_article(conn, sample.claim_id, sample.article_id)
    claimlinks.set_event_date(conn, sample.second_claim_id, "2026-01-06")
    conn.execute("UPDATE claim_links SET created = ?", (T1 + 5,))
    conn.execute("UPDATE claim_evidence SET added = ?", (T1 + 6,))
    conn.execute("UPDATE annotations SET modified = ? WHERE modified > ?", (T1 + 7, T1 + 1))
    found = get_annotation(conn, other.id)
    assert found is not None
    return sample, found


def items(document: dict) -> list[dict]:
    return document["first"]["items"]


def import_into(document: dict, db: Path) -> tuple[sqlite3.Connection, object]:
    other = connect(db)
    return other, import_backup(other, parse_backup(json.loads(dumps(document))))


def test_links_are_linking_annotations_on_the_claim(
    conn: sqlite3.Connection, linked: tuple[Sample, Annotation]
) -> None:
    sample, other = linked
    document = export_document(conn)
    links = [i for i in items(document) if i["motivation"] == "linking"]
    assert len(links) == 2 and document["total"] == len(items(document)) == 8
    claim_uid = get_annotation(conn, sample.claim_id).uid  # type: ignore[union-attr]
    repeats = next(i for i in links if i["target"] == uid_to_id(other.uid))
    assert repeats["body"][0] == {
        "type": "SpecificResource",
        "source": uid_to_id(claim_uid),
        "purpose": "linking",
    }
    assert repeats["body"][1]["value"] == "relation:repeats"
    assert repeats["newsreader:data"] == {"kind": "link", "relation": "repeats"}
    claim = next(i for i in items(document) if i["id"] == uid_to_id(claim_uid))
    assert [b["id"] for b in claim["body"] if b["purpose"] == "linking"] == [
        "https://example.com/readout",
        "https://interbellumnews.com/news/trump-and-petro-open-channel-after-diplomatic-standoff",
    ]
    assert claim["newsreader:data"]["evidence"][0] == {
        "url": "https://example.com/readout",
        "title": "",
        "added": "2026-01-08T19:20:06Z",
    }
    assert "event_date" not in claim["newsreader:data"]
    second = next(i for i in items(document) if i["newsreader:data"].get("event_date"))
    assert second["newsreader:data"]["event_date"] == "2026-01-06"


def test_round_trip_with_links_evidence_and_dates_is_identical(
    conn: sqlite3.Connection, linked: tuple[Sample, Annotation], tmp_path: Path
) -> None:
    first = export_document(conn)
    other, report = import_into(first, tmp_path / "empty.db")
    assert (report.links, report.links_missing) == (2, 0)  # type: ignore[attr-defined]
    second = export_document(other)
    assert dumps(second) == dumps(first)
    again, report = import_into(first, tmp_path / "empty.db")  # the same store again
    assert report.links == 0 and not report.changed  # type: ignore[attr-defined]
    assert dumps(export_document(again)) == dumps(first)
    third, _ = import_into(second, tmp_path / "third.db")
    assert dumps(export_document(third)) == dumps(first)
    for c in (other, again, third):
        c.close()


def test_a_link_whose_other_claim_is_missing_is_counted(
    conn: sqlite3.Connection, linked: tuple[Sample, Annotation], tmp_path: Path
) -> None:
    sample, _ = linked
    one_article = export_document(conn, Scope(article_id=sample.article_id))
    assert sum(i["motivation"] == "linking" for i in items(one_article)) == 2
    other, report = import_into(one_article, tmp_path / "empty.db")
    assert (report.links, report.links_missing) == (1, 1)  # type: ignore[attr-defined]
    assert [r[0] for r in other.execute("SELECT relation FROM claim_links")] == ["contradicts"]
    other.close()


def test_bad_links_and_sources_are_refused(
    conn: sqlite3.Connection, linked: tuple[Sample, Annotation]
) -> None:
    document = export_document(conn)
    link = next(i for i in items(document) if i["motivation"] == "linking")
    link["newsreader:data"]["relation"] = "agrees"
    with pytest.raises(ImportFormatError, match="relation"):
        parse_backup(json.loads(json.dumps(document)))
    link["newsreader:data"]["relation"] = "supports"
    link["body"] = [link["body"][1]]
    with pytest.raises(ImportFormatError, match="SpecificResource"):
        parse_backup(json.loads(json.dumps(document)))
    document = export_document(conn)
    claim = next(i for i in items(document) if "evidence" in i["newsreader:data"])
    claim["newsreader:data"]["evidence"][0]["url"] = "javascript:alert(1)"
    with pytest.raises(ImportFormatError, match="http"):
        parse_backup(json.loads(json.dumps(document)))
    document = export_document(conn)
    dated = next(i for i in items(document) if "event_date" in i["newsreader:data"])
    dated["newsreader:data"]["event_date"] = "2026-02-31"
    with pytest.raises(ImportFormatError, match="event_date"):
        parse_backup(json.loads(json.dumps(document)))


def test_claimreview_cites_the_sources_and_dates_the_claim(
    conn: sqlite3.Connection, linked: tuple[Sample, Annotation]
) -> None:
    from newsreader.export.claimreview import export_reviews

    sample, _ = linked
    service.set_status(conn, sample.claim_id, "supported")
    claimlinks.set_event_date(conn, sample.claim_id, "2026-01-07")
    from test_export_standard import check_claimreviews

    from newsreader.export.claimreview import dumps as review_dumps

    graph = check_claimreviews(review_dumps(export_reviews(conn).document))
    review = next(r for r in graph if r["claimReviewed"].startswith("Trump described"))
    assert review["citation"] == [
        {"@type": "CreativeWork", "url": "https://example.com/readout"},
        {
            "@type": "CreativeWork",
            "url": "https://interbellumnews.com/news/trump-and-petro-open-channel-after-diplomatic-standoff",
            "name": "Trump and Petro Open Channel After Diplomatic Standoff",
        },
    ]
    assert review["itemReviewed"]["dateCreated"] == "2026-01-07"
    disputed = next(r for r in graph if r is not review)
    assert "citation" not in disputed and disputed["itemReviewed"]["dateCreated"] == "2026-01-06"


def test_markdown_pages_link_the_two_articles_and_list_sources_and_dates(
    conn: sqlite3.Connection, linked: tuple[Sample, Annotation], tmp_path: Path
) -> None:
    import re

    from newsreader.export.vault import export_tree

    export_tree(conn, tmp_path / "notes", now=T1)
    pages = {p.stem: p.read_text(encoding="utf-8") for p in (tmp_path / "notes/articles").iterdir()}
    [sample] = [t for t in pages.values() if t.startswith("---\nid:") and "# Trump and" in t]
    [guide] = [t for t in pages.values() if "# Getting started" in t]
    section = sample.split("## Links, sources and dates", 1)[1]
    assert "- Said on: 2026-01-06" in section
    assert "- Source: [https://example.com/readout](https://example.com/readout)" in section
    assert "- Source: [Trump and Petro Open Channel After Diplomatic Standoff](https://" in section
    assert "- Contradicted by: “Petro argued" in section and "in this article" in section
    [(stem, title)] = re.findall(r"- Repeated by: “[^”]*” in \[\[([^|\]]+)\|([^\]]+)\]\]", section)
    assert stem in pages and title == "Getting started with newsreader" and pages[stem] == guide
    [(back, _)] = re.findall(
        r"- Repeats: “Trump described[^”]*” in \[\[([^|\]]+)\|([^\]]+)\]\]", guide
    )
    assert pages[back] == sample
