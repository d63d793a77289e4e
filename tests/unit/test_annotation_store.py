"""Annotations and actors in a real store: claims, status history, soft delete and undo,
notes, actor registry and merging, cross-article activity, re-anchoring after refresh."""

from __future__ import annotations

import re
import sqlite3
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsreader.annotations import service
from newsreader.annotations.anchoring import AmbiguousQuote, QuoteNotFound
from newsreader.feeds.text import html_to_text
from newsreader.models import ParsedEntry
from newsreader.resources import data_dir
from newsreader.store import connect
from newsreader.store.actors import (
    ActorError,
    actor_activity,
    add_actor,
    add_alias,
    find_actor,
    get_actor,
    list_actors,
    merge_actors,
)
from newsreader.store.annotations import get_annotation, list_claims
from newsreader.store.articles import ArticleFilter, article_ids, upsert_entries
from newsreader.store.feeds import add_feed, remove_feed, set_feed_title

PUBLISHED = 1767882600.0  # 2026-01-08 14:30 UTC, as in the demo feed
CLAIM = "Trump described the conversation as constructive"


def sample_text() -> str:
    """The canonical text of the bundled sample article (the demo feed's second item)."""
    xml = (data_dir("seeds") / "demo.xml").read_text(encoding="utf-8")
    bodies = re.findall(r"<content:encoded><!\[CDATA\[(.*?)\]\]>", xml, re.S)
    return html_to_text(bodies[1])[0]


def store_article(
    conn: sqlite3.Connection,
    text: str,
    key: str = "sample",
    title: str = "Trump and Petro Open Channel After Diplomatic Standoff",
    published: float = PUBLISHED,
    feed: str = "Inter Bellum News",
) -> int:
    """Store (or update) one article of the feed ``feed``; returns its id."""
    feed_id, _ = add_feed(conn, f"https://example.org/{feed.replace(' ', '-')}.xml")
    set_feed_title(conn, feed_id, feed, "https://example.org/")
    upsert_entries(
        conn,
        feed_id,
        [
            ParsedEntry(
                key=key,
                guid=key,
                url=f"https://example.org/{key}",
                title=title,
                text=text,
                html=f"<p>{text}</p>",
                published=published,
            )
        ],
    )
    return conn.execute("SELECT id FROM articles WHERE key = ?", (key,)).fetchone()[0]


def span(text: str, quote: str, occurrence: int = 1) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence):
        start = text.index(quote, start + 1)
    return start, start + len(quote)


@pytest.fixture
def article(conn: sqlite3.Connection) -> int:
    return store_article(conn, sample_text())


def test_claim_is_stored_with_selector_snapshot_and_history(
    conn: sqlite3.Connection, article: int
) -> None:
    text = sample_text()
    trump = add_actor(conn, "Donald Trump", "person", ["Trump"])
    petro = add_actor(conn, "Gustavo Petro", "person", ["Petro"])
    claim = service.create_claim(
        conn,
        article,
        *span(text, CLAIM),
        speaker_id=trump.id,
        about_ids=[petro.id, petro.id],
        note="Check *readouts*.",
    )
    assert (claim.kind, claim.exact, claim.status, claim.note) == (
        "claim",
        CLAIM,
        "unverified",
        "Check *readouts*.",
    )
    assert claim.prefix == text[claim.start - 32 : claim.start]
    assert claim.suffix == text[claim.end : claim.end + 32]
    assert (claim.speaker_name, claim.about) == ("Donald Trump", ((petro.id, "Gustavo Petro"),))
    assert re.fullmatch(r"[0-9a-f]{32}", claim.uid)
    assert claim.snapshot.title == "Trump and Petro Open Channel After Diplomatic Standoff"
    assert (claim.snapshot.feed_title, claim.snapshot.published) == ("Inter Bellum News", PUBLISHED)
    assert claim.snapshot.url == "https://example.org/sample"
    assert [s for s, _ in service.status_history(conn, claim.id)] == ["unverified"]


def test_status_changes_keep_a_dated_history(conn: sqlite3.Connection, article: int) -> None:
    claim = service.create_claim(conn, article, *span(sample_text(), CLAIM))
    service.set_status(conn, claim.id, "disputed", now=1000.0)
    service.set_status(conn, claim.id, "disputed", now=2000.0)  # no change: no entry
    updated = service.set_status(conn, claim.id, "false", now=3000.0)
    assert updated.status == "false"
    history = service.status_history(conn, claim.id)
    assert [s for s, _ in history] == ["unverified", "disputed", "false"]
    assert [t for _, t in history][1:] == [1000.0, 3000.0]
    with pytest.raises(service.AnnotationError):
        service.set_status(conn, claim.id, "maybe")
    highlight = service.create_highlight(conn, article, 0, 5)
    with pytest.raises(service.AnnotationError):
        service.set_status(conn, highlight.id, "false")


def test_spans_are_validated_and_trimmed(conn: sqlite3.Connection, article: int) -> None:
    text = sample_text()
    start, end = span(text, "described the conversation")
    made = service.create_highlight(conn, article, start - 1, end + 1)  # a space each side
    assert (made.start, made.end, made.exact) == (start, end, "described the conversation")
    for bad in ((5, 5), (-1, 4), (0, len(text) + 1)):
        with pytest.raises(service.AnnotationError):
            service.create_highlight(conn, article, *bad)
    blank = text.index("\n\n")
    with pytest.raises(service.AnnotationError, match="white space"):
        service.create_highlight(conn, article, blank, blank + 2)
    with pytest.raises(service.AnnotationError, match="actor"):
        service.create_annotation(conn, article, start, end, "mention")
    with pytest.raises(service.AnnotationError, match="claims only"):
        service.create_annotation(conn, article, start, end, "highlight", status="false")
    with pytest.raises(service.AnnotationError, match="no article"):
        service.create_highlight(conn, 999, 0, 3)
    with pytest.raises(service.AnnotationError, match="no actor"):
        service.create_claim(conn, article, start, end, speaker_id=12345)
    assert len(service.list_for_article(conn, article).annotations) == 1


def test_create_from_quote(conn: sqlite3.Connection, article: int) -> None:
    with pytest.raises(QuoteNotFound):
        service.create_from_quote(conn, article, "Maduro was released")
    with pytest.raises(AmbiguousQuote):
        service.create_from_quote(conn, article, "Petro")
    made = service.create_from_quote(conn, article, "Petro", "highlight", occurrence=2)
    assert made.start == span(sample_text(), "Petro", 2)[0]


def test_soft_delete_and_undo(conn: sqlite3.Connection, article: int) -> None:
    claim = service.create_claim(conn, article, *span(sample_text(), CLAIM))
    assert article_ids(conn, ArticleFilter(annotated=True)) == [article]
    assert service.delete(conn, claim.id)
    assert service.list_for_article(conn, article).annotations == []
    assert list_claims(conn) == []
    assert article_ids(conn, ArticleFilter(annotated=True)) == []
    deleted = get_annotation(conn, claim.id)
    assert deleted is not None and deleted.deleted is not None
    assert not service.delete(conn, claim.id)
    assert service.undo_delete(conn, claim.id)
    assert [a.id for a in service.list_for_article(conn, article).annotations] == [claim.id]
    assert not service.undo_delete(conn, claim.id)


def test_annotation_and_article_notes(conn: sqlite3.Connection, article: int) -> None:
    claim = service.create_claim(conn, article, *span(sample_text(), CLAIM))
    edited = service.set_note(conn, claim.id, "**Source?**\x1b]52;c;aGk=\x07 ask")
    assert edited.note == "**Source?** ask"  # terminal escapes never reach the store
    note = service.add_note(conn, article, "# Overall\n\nOne-sided sourcing.")
    service.edit_note(conn, note.id, "# Overall\n\nBalanced after all.")
    [stored] = service.list_for_article(conn, article).notes
    assert stored.body == "# Overall\n\nBalanced after all."
    assert stored.snapshot.title.startswith("Trump and Petro")
    removed = service.delete_note(conn, note.id)
    assert service.list_for_article(conn, article).notes == []
    back = service.restore_note(conn, removed)
    assert (back.uid, back.body, back.created) == (stored.uid, stored.body, stored.created)
    with pytest.raises(service.AnnotationError):
        service.add_note(conn, article, "   ")


def test_annotations_outlive_their_article(conn: sqlite3.Connection, article: int) -> None:
    claim = service.create_claim(conn, article, *span(sample_text(), CLAIM))
    feed_id = conn.execute("SELECT feed_id FROM articles WHERE id = ?", (article,)).fetchone()[0]
    remove_feed(conn, feed_id)
    [kept] = list_claims(conn)
    assert (kept.id, kept.article_id, kept.exact) == (claim.id, None, CLAIM)
    assert kept.snapshot.title.startswith("Trump and Petro")


def test_actor_registry_names_aliases_and_case(conn: sqlite3.Connection) -> None:
    petro = add_actor(conn, "Gustavo Petro", "person", ["Petro", "President Petro"])
    add_actor(conn, "Bogotá", "place")
    assert find_actor(conn, "gustavo petro") == petro
    assert find_actor(conn, "PETRO") == petro
    assert find_actor(conn, "BOGOTÁ") is not None and find_actor(conn, "BOGOTÁ").name == "Bogotá"
    assert find_actor(conn, "Maduro") is None
    with pytest.raises(ActorError):
        add_actor(conn, "GUSTAVO PETRO")
    with pytest.raises(ActorError):
        add_actor(conn, "petro")  # taken as an alias
    with pytest.raises(ActorError):
        add_actor(conn, "Someone", kind="alien")
    with pytest.raises(ActorError):
        add_actor(conn, "  \x1b[2J ")
    assert not add_alias(conn, petro.id, "Petro")
    other = add_actor(conn, "Nicolás Maduro", "person")
    with pytest.raises(ActorError):
        add_alias(conn, other.id, "petro")


def test_tag_actor_creates_or_extends_the_actor(conn: sqlite3.Connection, article: int) -> None:
    text = sample_text()
    first = service.tag_actor(conn, article, *span(text, "Petro", 2), "Gustavo Petro", "person")
    actor = get_actor(conn, first.actor_id or 0)
    assert actor is not None
    assert (actor.name, actor.kind, actor.aliases) == ("Gustavo Petro", "person", ("Petro",))
    second = service.tag_actor(conn, article, *span(text, "Gustavo Petro"), "petro")
    assert second.actor_id == actor.id and second.actor_name == "Gustavo Petro"
    assert get_actor(conn, actor.id).aliases == ("Petro",)  # type: ignore[union-attr]
    matcher = service.actor_matcher(conn)
    assert [text[m.start : m.end] for m in matcher.find(text)][:3] == [
        "Gustavo Petro",
        "Petro",
        "Petro",
    ]


def test_merge_keeps_every_link(conn: sqlite3.Connection, article: int) -> None:
    text = sample_text()
    petro = add_actor(conn, "Gustavo Petro", "person", ["Petro"])
    dupe = add_actor(conn, "G. Petro", "person", ["President Petro"], "Colombia's president")
    trump = add_actor(conn, "Donald Trump", "person")
    said = service.create_claim(
        conn,
        article,
        *span(text, "Petro argued those operations"),
        speaker_id=dupe.id,
        about_ids=[trump.id],
    )
    about = service.create_claim(
        conn, article, *span(text, CLAIM), speaker_id=trump.id, about_ids=[dupe.id, petro.id]
    )
    mention = service.create_mention(conn, article, *span(text, "Petro", 3), dupe.id)
    merged = merge_actors(conn, petro.id, dupe.id)
    assert get_actor(conn, dupe.id) is None
    assert set(merged.aliases) == {"Petro", "G. Petro", "President Petro"}
    assert merged.description == "Colombia's president"
    assert get_annotation(conn, said.id).speaker_id == petro.id  # type: ignore[union-attr]
    assert get_annotation(conn, about.id).about == ((petro.id, "Gustavo Petro"),)  # type: ignore[union-attr]
    assert get_annotation(conn, mention.id).actor_id == petro.id  # type: ignore[union-attr]
    [summary] = [s for s in list_actors(conn) if s.actor.id == petro.id]
    assert (summary.claims_by, summary.claims_about, summary.mentions) == (1, 1, 1)
    with pytest.raises(ActorError):
        merge_actors(conn, petro.id, petro.id)


def test_actor_activity_across_articles_newest_first(conn: sqlite3.Connection) -> None:
    old = store_article(
        conn,
        "Petro spoke in Bogotá. Petro left.",
        key="old",
        title="Old story",
        published=1_000_000.0,
        feed="Old Outlet",
    )
    new = store_article(
        conn,
        "Trump said Petro called. Petro agreed.",
        key="new",
        title="New story",
        published=2_000_000.0,
        feed="New Outlet",
    )
    petro = add_actor(conn, "Gustavo Petro", "person", ["Petro"])
    trump = add_actor(conn, "Donald Trump", "person")
    service.create_mention(conn, old, 0, 5, petro.id)
    service.create_claim(conn, old, 23, 34, speaker_id=petro.id)
    service.create_claim(conn, new, 0, 23, speaker_id=trump.id, about_ids=[petro.id])
    gone = service.create_mention(conn, new, 11, 16, petro.id)
    service.delete(conn, gone.id)
    rows = [
        (a.article_title, a.feed_title, a.role, a.exact, a.published)
        for a in actor_activity(conn, petro.id)
    ]
    assert rows == [
        ("New story", "New Outlet", "about", "Trump said Petro called", 2_000_000.0),
        ("Old story", "Old Outlet", "mention", "Petro", 1_000_000.0),  # then text order
        ("Old story", "Old Outlet", "speaker", "Petro left.", 1_000_000.0),
    ]
    assert [c.exact for c in list_claims(conn, actor_id=petro.id)] == [
        "Trump said Petro called",
        "Petro left.",
    ]
    assert [c.exact for c in list_claims(conn, status="false")] == []


def test_reanchor_after_refresh_moves_orphans_and_recovers(
    conn: sqlite3.Connection, article: int
) -> None:
    text = sample_text()
    claim = service.create_claim(conn, article, *span(text, CLAIM))
    doomed = service.create_claim(
        conn, article, *span(text, "Petro argued those operations harmed civilian fishermen")
    )
    service.delete(conn, claim.id)  # deleted ones follow the text too
    changed = "Editor's note: updated.\n\n" + text.replace(
        "Petro argued those operations harmed civilian fishermen", "Petro objected"
    )
    store_article(conn, changed)
    report = service.reanchor_article(conn, article)
    assert (report.total, report.moved, report.orphaned) == (2, 1, 1)
    service.undo_delete(conn, claim.id)
    moved = get_annotation(conn, claim.id)
    lost = get_annotation(conn, doomed.id)
    assert moved is not None and lost is not None
    assert changed[moved.start : moved.end] == CLAIM and not moved.orphaned
    assert lost.orphaned and lost.exact.startswith("Petro argued")
    assert {a.id for a in service.list_for_article(conn, article).annotations} == {
        claim.id,
        doomed.id,
    }
    store_article(conn, text)  # the edit is reverted: the orphan comes back
    report = service.reanchor_article(conn, article)
    assert (report.recovered, report.orphaned) == (1, 0)
    assert not get_annotation(conn, doomed.id).orphaned  # type: ignore[union-attr]


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 3300),
            st.integers(0, 400),
            st.sampled_from(["", "New words here. ", "Petro", "\n\n"]),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_no_annotation_is_ever_lost(edits: list[tuple[int, int, str]]) -> None:
    text = sample_text()
    with tempfile.TemporaryDirectory() as folder:
        conn = connect(Path(folder) / "store.db")
        article = store_article(conn, text)
        petro = add_actor(conn, "Gustavo Petro", "person", ["Petro"])
        for index in range(1, 12):
            service.create_mention(conn, article, *span(text, "Petro", index), petro.id)
        service.create_claim(conn, article, *span(text, CLAIM), speaker_id=petro.id)
        before = {a.uid: a.exact for a in service.list_for_article(conn, article).annotations}
        for start, length, insert in edits:
            text = text[:start] + insert + text[start + length :]
        store_article(conn, text)
        service.reanchor_article(conn, article)
        after = service.list_for_article(conn, article).annotations
        conn.close()
    assert {a.uid for a in after} == set(before)
    for annotation in after:
        if not annotation.orphaned:
            assert text[annotation.start : annotation.end] == annotation.exact
        else:
            assert annotation.exact == before[annotation.uid]


def test_creating_a_claim_stays_fast_on_a_big_annotated_article(conn: sqlite3.Connection) -> None:
    text = "\n\n".join([sample_text()] * 100)
    article = store_article(conn, text)
    petro = add_actor(conn, "Gustavo Petro", "person", ["Petro"])
    for start in range(0, len(text) - 40, len(text) // 2000):
        service.create_highlight(conn, article, start, start + 30)
    began = time.perf_counter()
    service.create_claim(conn, article, *span(text, CLAIM, 50), speaker_id=petro.id)
    elapsed = time.perf_counter() - began
    assert len(service.list_for_article(conn, article).annotations) > 2000
    assert elapsed < 0.5, f"creating a claim took {elapsed * 1000:.0f} ms (target 50 ms)"
