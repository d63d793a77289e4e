"""The standard exports (issue 14): schema.org ClaimReview JSON-LD and CSL-JSON, over a
real store holding the annotated sample article (tests/export_sample.py)."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from export_sample import CLAIM, FEED_URL, SECOND_CLAIM, T0, Sample, build_sample

from newsreader.annotations import service
from newsreader.export import claimreview, csl
from newsreader.export.collect import Scope, export_id
from newsreader.export.names import Name, authors
from newsreader.models import PageSnapshot, ParsedEntry
from newsreader.store import connect
from newsreader.store.actors import add_actor
from newsreader.store.articles import upsert_entries
from newsreader.store.pages import save_page

CSL_SCHEMA = json.loads(
    (Path(__file__).parent.parent / "fixtures" / "csl-data-subset.schema.json").read_text()
)
ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")
DAY = re.compile(r"\d{4}-\d\d-\d\d")

# The schema.org types the ClaimReview export uses: each type's parent and the properties
# it defines, with their ranges (from schema.org's vocabulary: Thing > CreativeWork >
# Review > ClaimReview; CreativeWork > Claim, Article > NewsArticle; Intangible > Rating).
SCHEMA_ORG: dict[str, tuple[str | None, dict[str, tuple[str, ...]]]] = {
    "Thing": (None, {"name": ("Text",), "url": ("URL",), "alternateName": ("Text",)}),
    "Intangible": ("Thing", {}),
    "Person": ("Thing", {}),
    "Organization": ("Thing", {}),
    "CreativeWork": (
        "Thing",
        {
            "author": ("Organization", "Person"),
            "datePublished": ("Date", "DateTime"),
            "dateModified": ("Date", "DateTime"),
            "headline": ("Text",),
            "publisher": ("Organization", "Person"),
            "citation": ("CreativeWork", "Text"),
            "dateCreated": ("Date", "DateTime"),
        },
    ),
    "Article": ("CreativeWork", {}),
    "NewsArticle": ("Article", {}),
    "Claim": ("CreativeWork", {"appearance": ("CreativeWork",)}),
    "Review": (
        "CreativeWork",
        {"itemReviewed": ("Thing",), "reviewRating": ("Rating",), "reviewBody": ("Text",)},
    ),
    "ClaimReview": ("Review", {"claimReviewed": ("Text",)}),
    "Rating": (
        "Intangible",
        {
            "ratingValue": ("Number", "Text"),
            "bestRating": ("Number", "Text"),
            "worstRating": ("Number", "Text"),
        },
    ),
}


def _ancestry(type_name: str) -> list[str]:
    chain: list[str] = []
    current: str | None = type_name
    while current is not None:
        chain.append(current)
        current = SCHEMA_ORG[current][0]
    return chain


def _check_value(value: Any, ranges: tuple[str, ...], where: str) -> None:
    if isinstance(value, list):
        for v in value:
            _check_value(v, ranges, where)
        return
    if isinstance(value, dict):
        assert value["@type"] in SCHEMA_ORG, f"{where}: unknown type {value['@type']}"
        assert set(ranges) & set(_ancestry(value["@type"])), f"{where}: {value['@type']}"
        check_node(value, where)
        return
    if isinstance(value, bool):
        raise AssertionError(f"{where}: a boolean")
    if isinstance(value, int | float):
        assert "Number" in ranges, where
    elif "DateTime" in ranges:
        assert ISO.fullmatch(value) or ("Date" in ranges and DAY.fullmatch(value)), where
    elif "URL" in ranges:
        assert value.startswith(("https://", "http://")), where
    else:
        assert "Text" in ranges and isinstance(value, str), where


def check_node(node: dict[str, Any], where: str = "") -> None:
    """Assert a node uses only the properties its schema.org type defines, with values in
    their ranges."""
    defined: dict[str, tuple[str, ...]] = {}
    for t in _ancestry(node["@type"]):
        defined.update(SCHEMA_ORG[t][1])
    for key, value in node.items():
        if key in ("@type", "@id", "@context"):
            continue
        assert key in defined, f"{where}{node['@type']} has no property {key}"
        _check_value(value, defined[key], f"{where}{node['@type']}.{key}")


def check_claimreviews(text: str) -> list[dict[str, Any]]:
    """Parse an export and check every ClaimReview against schema.org's types."""
    document = json.loads(text)
    assert list(document) == ["@context", "@graph"]
    assert document["@context"] == "https://schema.org"
    for node in document["@graph"]:
        assert node["@type"] == "ClaimReview"
        check_node(node)
        for required in ("claimReviewed", "reviewRating", "itemReviewed", "author"):
            assert required in node
    return list(document["@graph"])


@pytest.fixture
def sample(conn: sqlite3.Connection) -> Sample:
    return build_sample(conn)


def second_article(conn: sqlite3.Connection, author: str = "Ana Reporter") -> int:
    """Another article in the sample's feed, with ``author`` and only an updated date."""
    feed_id = conn.execute("SELECT id FROM feeds WHERE url = ?", (FEED_URL,)).fetchone()[0]
    entry = ParsedEntry(
        key="second",
        guid="second",
        url="https://interbellumnews.com/news/second",
        title="A second report",
        author=author,
        published=T0 - 86400 * 40,
        date_kind="updated",
        text="The ministry said the port reopened on Monday. Fishermen disagreed.",
        html="<p>The ministry said the port reopened on Monday. Fishermen disagreed.</p>",
    )
    upsert_entries(conn, feed_id, [entry], now=T0)
    return int(conn.execute("SELECT id FROM articles WHERE guid = 'second'").fetchone()[0])


def test_claims_with_a_verdict_become_claimreviews(
    conn: sqlite3.Connection, sample: Sample
) -> None:
    reviews = claimreview.export_reviews(conn)
    assert (reviews.reviewed, reviews.left_out) == (1, 1)  # the first claim is unverified
    service.set_status(conn, sample.claim_id, "supported", now=T0 + 7200)
    reviews = claimreview.export_reviews(conn)
    assert (reviews.reviewed, reviews.left_out) == (2, 0)
    first, second = check_claimreviews(claimreview.dumps(reviews.document))
    assert first["claimReviewed"] == CLAIM and second["claimReviewed"] == SECOND_CLAIM
    assert first["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 5,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "Supported",
    }
    assert (second["reviewRating"]["ratingValue"], second["reviewRating"]["alternateName"]) == (
        3,
        "Disputed",
    )
    assert first["itemReviewed"]["author"] == {"@type": "Person", "name": "Donald Trump"}
    assert second["itemReviewed"]["author"] == {"@type": "Person", "name": "Gustavo Petro"}
    appearance = first["itemReviewed"]["appearance"]
    assert appearance["@type"] == "NewsArticle"
    assert appearance["headline"] == "Trump and Petro Open Channel After Diplomatic Standoff"
    assert appearance["datePublished"] == "2026-01-08T14:30:00Z"
    assert appearance["author"] == [{"@type": "Organization", "name": "FRANZ AG"}]
    assert appearance["publisher"] == {"@type": "Organization", "name": "Inter Bellum News"}
    assert first["itemReviewed"]["datePublished"] == "2026-01-08T14:30:00Z"
    # the review is dated by the verdict's change in the status history
    assert first["datePublished"] == "2026-01-09T14:00:00Z"
    assert second["datePublished"] == "2026-01-09T13:00:00Z"
    assert first["author"] == {"@type": "Person"}
    assert first["@id"].startswith("urn:uuid:") and first["@id"] != second["@id"]
    assert first["url"].startswith(appearance["url"] + "#:~:text=")
    assert "constructive" in first["url"]
    assert first["reviewBody"].startswith("Only Trump's account so far")
    assert "reviewBody" not in second


def test_false_verdicts_organisations_and_claims_without_a_speaker(
    conn: sqlite3.Connection, sample: Sample
) -> None:
    article = second_article(conn)
    ministry = add_actor(conn, "Ministry of Ports", "organisation")
    said = service.create_from_quote(
        conn, article, "the port reopened on Monday", "claim", speaker_id=ministry.id, now=T0
    )
    service.set_status(conn, said.id, "false", now=T0 + 10)
    nobody = service.create_from_quote(conn, article, "Fishermen disagreed", "claim", now=T0)
    service.set_status(conn, nobody.id, "supported", now=T0 + 20)
    reviews = claimreview.export_reviews(conn, Scope(article_id=article))
    by_quote = {
        r["claimReviewed"]: r for r in check_claimreviews(claimreview.dumps(reviews.document))
    }
    false = by_quote["the port reopened on Monday"]
    assert (false["reviewRating"]["ratingValue"], false["reviewRating"]["alternateName"]) == (
        1,
        "False",
    )
    assert false["itemReviewed"]["author"] == {"@type": "Organization", "name": "Ministry of Ports"}
    assert "author" not in by_quote["Fishermen disagreed"]["itemReviewed"]
    appearance = false["itemReviewed"]["appearance"]
    # the feed gave only an updated date: not a publication date
    assert "datePublished" not in appearance and appearance["dateModified"].startswith("2025-11-")
    assert "datePublished" not in false["itemReviewed"]
    assert appearance["author"] == [{"@type": "Person", "name": "Ana Reporter"}]


def test_csl_items_validate_against_the_schema(conn: sqlite3.Connection, sample: Sample) -> None:
    article = second_article(conn)
    service.create_from_quote(conn, article, "Fishermen disagreed", "highlight", now=T0 + 500)
    items = csl.export_items(conn)
    jsonschema.validate(items, CSL_SCHEMA)
    jsonschema.validate(json.loads(csl.dumps(items)), CSL_SCHEMA)
    by_title = {i["title"]: i for i in items}
    demo = by_title["Trump and Petro Open Channel After Diplomatic Standoff"]
    assert demo == {
        "id": export_id(demo["URL"], "", ""),
        "type": "article-newspaper",
        "title": "Trump and Petro Open Channel After Diplomatic Standoff",
        "container-title": "Inter Bellum News",
        "URL": "https://interbellumnews.com/news/trump-and-petro-open-channel-after-diplomatic-standoff",
        "author": [{"literal": "FRANZ AG"}],
        "issued": {"date-parts": [[2026, 1, 8]]},
        "accessed": {"date-parts": [[2026, 1, 9]]},  # first annotated then: no page fetched
    }
    second = by_title["A second report"]
    assert second["author"] == [{"family": "Reporter", "given": "Ana"}]
    assert second["issued"] == {"date-parts": [[2025, 11, 30]]}
    assert [i["id"] for i in items] == sorted(i["id"] for i in items)
    # an article not annotated is not cited
    assert len(items) == 2


def test_csl_accessed_is_when_the_page_was_fetched(
    conn: sqlite3.Connection, sample: Sample
) -> None:
    fetched = T0 + 86400 * 3
    page = PageSnapshot(
        sample.article_id, "https://x.test/a", "https://x.test/a", 200, "text/html", fetched, b""
    )
    save_page(conn, sample.article_id, page, None, "no article in it")
    (item,) = csl.export_items(conn)
    assert item["accessed"] == {"date-parts": [[2026, 1, 12]]}


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("Ana Reporter", [Name(given="Ana", family="Reporter")]),
        ("Ana María Reporter", [Name(given="Ana María", family="Reporter")]),
        ("J. O'Neil-Smith", [Name(given="J.", family="O'Neil-Smith")]),
        ("FRANZ AG", [Name(literal="FRANZ AG")]),
        ("Reuters", [Name(literal="Reuters")]),
        ("The Associated Press Staff", [Name(literal="The Associated Press Staff")]),
        ("Ludwig van Beethoven", [Name(literal="Ludwig van Beethoven")]),
        ("Reporter, Ana", [Name(literal="Reporter, Ana")]),
        (
            "Ana Reporter, Bo Writer and BBC",
            [Name(given="Ana", family="Reporter"), Name(given="Bo", family="Writer"), Name("BBC")],
        ),
        (
            "Ana Reporter; Bo Writer",
            [Name(given="Ana", family="Reporter"), Name(given="Bo", family="Writer")],
        ),
        ("  ", []),
    ],
)
def test_bylines_split_into_names_by_a_simple_rule(byline: str, names: list[Name]) -> None:
    assert authors(byline) == names


def _export_both(db: Path) -> tuple[str, str]:
    conn = connect(db)
    try:
        reviews = claimreview.dumps(claimreview.export_reviews(conn).document)
        return reviews, csl.dumps(csl.export_items(conn))
    finally:
        conn.close()


def test_exports_are_the_same_bytes_every_time_and_in_every_store(tmp_path: Path) -> None:
    stores = []
    for name in ("one.db", "two.db"):
        conn = connect(tmp_path / name)
        build_sample(conn)
        conn.close()
        stores.append(tmp_path / name)
    first = _export_both(stores[0])
    assert _export_both(stores[0]) == first
    assert _export_both(stores[1]) == first


def test_scopes_one_article_and_one_actor(conn: sqlite3.Connection, sample: Sample) -> None:
    service.set_status(conn, sample.claim_id, "supported", now=T0 + 7200)
    article = second_article(conn)
    port = service.create_from_quote(
        conn, article, "the port reopened on Monday", "claim", speaker_id=sample.trump_id, now=T0
    )
    service.set_status(conn, port.id, "false", now=T0 + 10)

    def quotes(scope: Scope) -> list[str]:
        graph = claimreview.export_reviews(conn, scope).document["@graph"]
        return [r["claimReviewed"] for r in graph]

    assert sorted(quotes(Scope())) == sorted([CLAIM, SECOND_CLAIM, "the port reopened on Monday"])
    assert quotes(Scope(article_id=article)) == ["the port reopened on Monday"]
    assert sorted(quotes(Scope(actor_id=sample.trump_id))) == sorted(
        [CLAIM, "the port reopened on Monday"]
    )
    assert sorted(quotes(Scope(actor_id=sample.petro_id))) == sorted([CLAIM, SECOND_CLAIM])
    assert [i["title"] for i in csl.export_items(conn, Scope(article_id=article))] == [
        "A second report"
    ]
    assert len(csl.export_items(conn, Scope(actor_id=sample.petro_id))) == 1


def _strings(value: Any) -> list[str]:
    """Every string in a parsed JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(k) + _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


HOSTILE = ' x"}]} \x1b[31mred\x1b[0m </script><!-- \u2028 \x00\x07 \u202e'


def test_hostile_text_comes_out_as_clean_valid_json(
    conn: sqlite3.Connection, sample: Sample
) -> None:
    # as a store written before text was cleaned, or filled by hand, could hold it
    conn.execute(
        "UPDATE annotations SET exact = ?, note = ? WHERE id = ?",
        (CLAIM + HOSTILE, "note" + HOSTILE, sample.second_claim_id),
    )
    conn.execute(
        "UPDATE articles SET title = ?, author = ? WHERE id = ?",
        ("Title" + HOSTILE, "Ana Reporter" + HOSTILE, sample.article_id),
    )
    reviews = claimreview.dumps(claimreview.export_reviews(conn).document)
    items = csl.dumps(csl.export_items(conn))
    for text in (reviews, items):
        for value in _strings(json.loads(text)):
            assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u202e]", value), value
    assert "<" not in reviews and "\u2028" not in reviews  # safe in an HTML script element
    (review,) = check_claimreviews(reviews)
    assert review["claimReviewed"].startswith(CLAIM + ' x"}]} red </script><!--')
    assert review["reviewBody"].startswith('note x"}]}')
    assert review["itemReviewed"]["appearance"]["headline"].startswith("Title x")
    (item,) = json.loads(items)
    jsonschema.validate([item], CSL_SCHEMA)
    assert item["title"].startswith('Title x"}]} red </script>')


def test_the_validators_refuse_what_an_export_must_not_write() -> None:
    review = {
        "@type": "ClaimReview",
        "claimReviewed": "q",
        "reviewRating": {"@type": "Rating", "ratingValue": 5},
        "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "A"}},
        "author": {"@type": "Person"},
    }
    check_node(review)
    for wrong in (
        {**review, "rating": 5},  # no such property
        {**review, "itemReviewed": {"@type": "Claim", "author": {"@type": "Rating"}}},
        {**review, "datePublished": "yesterday"},
        {**review, "url": "javascript:alert(1)"},
    ):
        with pytest.raises(AssertionError):
            check_node(wrong)
    good = {"id": "a", "type": "article-newspaper", "issued": {"date-parts": [[2026, 1, 8]]}}
    jsonschema.validate([good], CSL_SCHEMA)
    for bad in (
        {**good, "type": "newspaper"},
        {**good, "issued": {"date-parts": [[2026, 1, 8, 12]]}},
        {**good, "author": [{"name": "A"}]},
        {**good, "url": "https://x.test"},  # CSL's variable is URL
        {"type": "article-newspaper"},
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate([bad], CSL_SCHEMA)
