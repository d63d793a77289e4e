"""Claim links, evidence and event dates in a real store (the domain's use cases)."""

from __future__ import annotations

import sqlite3

import pytest
from test_annotation_store import CLAIM, PUBLISHED, sample_text, span, store_article

from newsreader.annotations import claimlinks, service
from newsreader.annotations.service import AnnotationError
from newsreader.models import Annotation
from newsreader.store.actors import add_actor
from newsreader.store.annotations import get_annotation
from newsreader.store.schema import MIGRATIONS, schema_version

OTHER = "Petro argued those operations harmed civilian fishermen"
DAY = 86_400.0


def claim_on(
    conn: sqlite3.Connection, article: int, quote: str, speaker: int | None = None
) -> Annotation:
    text = sample_text()
    return service.create_claim(conn, article, *span(text, quote), speaker_id=speaker)


@pytest.fixture
def two(conn: sqlite3.Connection) -> tuple[Annotation, Annotation]:
    """A claim on each of two articles."""
    first = store_article(conn, sample_text(), key="one")
    second = store_article(conn, sample_text(), key="two", title="Second", feed="Other News")
    return claim_on(conn, first, CLAIM), claim_on(conn, second, OTHER)


def test_migration_16_makes_the_claim_link_tables(conn: sqlite3.Connection) -> None:
    assert schema_version(conn) == len(MIGRATIONS) >= 16
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"claim_links", "claim_evidence"} <= tables


def test_link_across_articles_shows_both_quotes_from_both_sides(
    conn: sqlite3.Connection, two: tuple[Annotation, Annotation]
) -> None:
    a, b = two
    link, new = claimlinks.link_claims(conn, a.id, "contradicts", b.id)
    assert new and (link.source.exact, link.target.exact) == (CLAIM, OTHER)
    assert link.target.article_title == "Second"
    assert claimlinks.describe(claimlinks.links(conn, a.id)[0], a.id) == (
        "contradicts",
        link.target,
    )
    assert claimlinks.describe(claimlinks.links(conn, b.id)[0], b.id)[0] == "contradicted by"
    again, new = claimlinks.link_claims(conn, a.id, "contradicts", b.id)
    assert not new and again.id == link.id
    assert len(claimlinks.links(conn, a.id)) == 1


def test_bad_links_are_refused_in_one_line(
    conn: sqlite3.Connection, two: tuple[Annotation, Annotation]
) -> None:
    a, b = two
    with pytest.raises(AnnotationError, match="unknown relation 'agrees'"):
        claimlinks.link_claims(conn, a.id, "agrees", b.id)
    with pytest.raises(AnnotationError, match="itself"):
        claimlinks.link_claims(conn, a.id, "repeats", a.id)
    with pytest.raises(AnnotationError, match="no claim with id 999"):
        claimlinks.link_claims(conn, a.id, "repeats", 999)
    highlight = service.create_highlight(conn, b.article_id or 0, 0, 5)
    with pytest.raises(AnnotationError, match="is a highlight, not a claim"):
        claimlinks.link_claims(conn, a.id, "repeats", highlight.id)


def test_a_deleted_claim_hides_its_links_until_undone(
    conn: sqlite3.Connection, two: tuple[Annotation, Annotation]
) -> None:
    a, b = two
    claimlinks.link_claims(conn, a.id, "supports", b.id)
    service.delete(conn, b.id)
    assert claimlinks.links(conn, a.id) == []
    service.undo_delete(conn, b.id)
    assert [link.relation for link in claimlinks.links(conn, a.id)] == ["supports"]
    claimlinks.unlink_claims(conn, a.id, "supports", b.id)
    assert claimlinks.links(conn, a.id) == []
    with pytest.raises(AnnotationError, match="has no link 'supports'"):
        claimlinks.unlink_claims(conn, a.id, "supports", b.id)


def test_evidence_urls_and_articles_survive_the_article(
    conn: sqlite3.Connection, two: tuple[Annotation, Annotation]
) -> None:
    a, b = two
    claimlinks.add_evidence_url(conn, a.id, " https://example.com/readout ")
    cited = claimlinks.add_evidence_article(conn, a.id, b.article_id or 0)
    assert (cited.url, cited.title) == ("https://example.org/two", "Second")
    conn.execute("DELETE FROM articles WHERE id = ?", (b.article_id,))
    assert [(e.url, e.title) for e in claimlinks.evidence(conn, a.id)] == [
        ("https://example.com/readout", ""),
        ("https://example.org/two", "Second"),
    ]
    with pytest.raises(AnnotationError, match="already cites"):
        claimlinks.add_evidence_url(conn, a.id, "https://example.com/readout")
    with pytest.raises(AnnotationError, match="not an http"):
        claimlinks.add_evidence_url(conn, a.id, "javascript:alert(1)")
    with pytest.raises(AnnotationError, match="sources 1-2, not 3"):
        claimlinks.remove_evidence(conn, a.id, 3)
    gone = claimlinks.remove_evidence(conn, a.id, 1)
    assert gone.url == "https://example.com/readout"
    assert [e.url for e in claimlinks.evidence(conn, a.id)] == ["https://example.org/two"]


def test_event_dates_are_validated_and_cleared(
    conn: sqlite3.Connection, two: tuple[Annotation, Annotation]
) -> None:
    a, _ = two
    assert claimlinks.set_event_date(conn, a.id, "2025-12-30").event_date == "2025-12-30"
    for bad in ("2025-02-30", "30/12/2025", "2025-1-3", ""):
        with pytest.raises(AnnotationError, match=r"not a date \(YYYY-MM-DD\)"):
            claimlinks.set_event_date(conn, a.id, bad)
    stored = get_annotation(conn, a.id)
    assert stored is not None and stored.event_date == "2025-12-30"
    assert claimlinks.set_event_date(conn, a.id, None).event_date is None


def test_timeline_orders_by_event_date_falling_back_to_the_article_date(
    conn: sqlite3.Connection,
) -> None:
    petro = add_actor(conn, "Gustavo Petro", "person")
    old = store_article(conn, sample_text(), key="old", published=PUBLISHED - 10 * DAY)
    new = store_article(conn, sample_text(), key="new", published=PUBLISHED)
    late_said = claim_on(conn, old, OTHER, petro.id)  # article 2025-12-29, no event date
    early = claim_on(conn, new, OTHER, petro.id)  # article 2026-01-08, said 2025-12-01
    claimlinks.set_event_date(conn, early.id, "2025-12-01")
    about = service.create_claim(conn, new, *span(sample_text(), CLAIM), about_ids=[petro.id])
    claimlinks.set_event_date(conn, about.id, "2026-02-01")
    line = claimlinks.timeline(conn, petro.id)
    assert [(e.claim.id, e.day, e.dated_by, e.role) for e in line] == [
        (early.id, "2025-12-01", "event", "by"),
        (late_said.id, "2025-12-29", "article", "by"),
        (about.id, "2026-02-01", "event", "about"),
    ]
