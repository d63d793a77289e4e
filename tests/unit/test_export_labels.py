"""Labels leave with the exports: a ``tagging`` Web Annotation per labelled article (each
label with when it was given) that an import restores exactly, and the Markdown page's
``tags``."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from export_sample import Sample, build_sample, store_demo_feed

from newsreader.export.backup import parse_backup
from newsreader.export.collect import Scope
from newsreader.export.importer import import_backup
from newsreader.export.jsonread import ImportFormatError
from newsreader.export.vault import article_markdown
from newsreader.export.webannotation import dumps, export_document
from newsreader.store import connect
from newsreader.store.labels import change_labels, labelled_articles, labels_of


def tagging(document: dict) -> list[dict]:
    return [i for i in document["first"]["items"] if i["motivation"] == "tagging"]


@pytest.fixture
def labelled(conn: sqlite3.Connection) -> Sample:
    sample = build_sample(conn)
    change_labels(conn, [sample.article_id], add=["to check", "Brief"])
    return sample


def test_the_export_has_a_tagging_annotation_per_labelled_article(
    conn: sqlite3.Connection, labelled: Sample
) -> None:
    (item,) = tagging(export_document(conn))
    assert [b["value"] for b in item["body"]] == ["Brief", "to check"]
    assert {b["purpose"] for b in item["body"]} == {"tagging"}
    assert item["target"] == {"source": item["newsreader:data"]["snapshot"]["url"]}
    assert [x["name"] for x in item["newsreader:data"]["labels"]] == ["Brief", "to check"]
    assert tagging(export_document(conn, Scope(article_id=labelled.article_id)))
    assert not tagging(export_document(conn, Scope(actor_id=labelled.trump_id)))


def test_import_restores_labels_with_their_times(
    conn: sqlite3.Connection, labelled: Sample, tmp_path: Path
) -> None:
    first = dumps(export_document(conn))
    other = connect(tmp_path / "other.db")
    try:
        store_demo_feed(other)  # the article is there to be labelled again
        report = import_backup(other, parse_backup(json.loads(first)))
        assert (report.labelled, report.unlabelled) == (1, 0)
        assert labelled_articles(other)[0].labels == labelled_articles(conn)[0].labels
        assert tagging(export_document(other)) == tagging(json.loads(first))
        again = import_backup(other, parse_backup(json.loads(first)))
        assert (again.labelled, again.changed) == (0, False)
    finally:
        other.close()


def test_labels_of_an_article_not_in_the_store_are_counted_not_lost_silently(
    conn: sqlite3.Connection, labelled: Sample, tmp_path: Path
) -> None:
    other = connect(tmp_path / "empty.db")
    try:
        report = import_backup(other, parse_backup(export_document(conn)))
        assert (report.labelled, report.unlabelled) == (0, 1)
        assert labelled_articles(other) == []
    finally:
        other.close()


@pytest.mark.parametrize("name", ["-x", "", "a,b", 7])
def test_a_bad_label_in_a_file_stops_the_import_and_says_where(
    conn: sqlite3.Connection, labelled: Sample, name: object
) -> None:
    document = json.loads(dumps(export_document(conn)))
    item = tagging(document)[0]
    item["newsreader:data"]["labels"][0]["name"] = name
    with pytest.raises(ImportFormatError, match=r"labels\[0\]\.name"):
        parse_backup(document)


def test_the_markdown_page_tags_the_labels(conn: sqlite3.Connection, labelled: Sample) -> None:
    page = article_markdown(conn, labelled.article_id, now=0)
    tags = page.split("tags:", 1)[1].split("---", 1)[0]
    assert "Brief" in tags and "to-check" in tags
    assert labels_of(conn, labelled.article_id) == ["Brief", "to check"]
