"""The claim use case (service.save_claim / edit_claim) in a real store: speaker and about
actors found or created with their aliases, status with history, note; one transaction."""

from __future__ import annotations

import sqlite3

import pytest
from test_annotation_store import CLAIM, sample_text, span, store_article

from newsreader.annotations import service
from newsreader.annotations.anchoring import make_anchor
from newsreader.annotations.service import KEEP, ActorRef, ClaimFields
from newsreader.store.actors import add_actor, find_actor
from newsreader.store.annotations import get_annotation


@pytest.fixture
def article(conn: sqlite3.Connection) -> int:
    return store_article(conn, sample_text())


def actor_names(conn: sqlite3.Connection) -> list[str]:
    return sorted(r[0] for r in conn.execute("SELECT name FROM actors"))


def test_save_claim_finds_known_actors_and_creates_new_ones_with_aliases(
    conn: sqlite3.Connection, article: int
) -> None:
    petro = add_actor(conn, "Gustavo Petro", "person", ["Petro"])
    fields = ClaimFields(
        speaker=ActorRef(name="Donald Trump", aliases=("Trump",)),
        about=(ActorRef(name="petró"), ActorRef(actor_id=petro.id), ActorRef(name="Colombia")),
        status="disputed",
        note="Check the readout.",
        new_kind="country",
    )
    saved = service.save_claim(conn, article, *span(sample_text(), CLAIM), fields)
    claim = saved.claim
    assert (claim.exact, claim.status, claim.note) == (CLAIM, "disputed", "Check the readout.")
    assert claim.speaker_name == "Donald Trump"
    assert [name for _, name in claim.about] == ["Colombia", "Gustavo Petro"]
    assert sorted(a.name for a in saved.created) == ["Colombia", "Donald Trump"]
    assert saved.actors_changed
    trump = find_actor(conn, "Trump")
    assert trump is not None and (trump.name, trump.kind) == ("Donald Trump", "country")
    assert service.status_history(conn, claim.id) == [("disputed", claim.created)]


def test_save_claim_with_known_actors_changes_no_actor(
    conn: sqlite3.Connection, article: int
) -> None:
    trump = add_actor(conn, "Donald Trump", "person")
    saved = service.save_claim(
        conn, article, *span(sample_text(), CLAIM), ClaimFields(speaker=ActorRef(actor_id=trump.id))
    )
    assert (saved.claim.speaker_id, saved.claim.status, saved.claim.about) == (
        trump.id,
        "unverified",
        (),
    )
    assert (saved.created, saved.actors_changed) == ((), False)


def test_save_claim_is_one_transaction(conn: sqlite3.Connection, article: int) -> None:
    """A claim that cannot be stored leaves no actor behind."""
    fields = ClaimFields(speaker=ActorRef(name="Donald Trump"), status="maybe")
    with pytest.raises(service.AnnotationError, match="unknown status"):
        service.save_claim(conn, article, *span(sample_text(), CLAIM), fields)
    assert actor_names(conn) == []
    assert conn.execute("SELECT count(*) FROM annotations").fetchone()[0] == 0


def test_save_claim_keeps_a_quote_gone_from_the_text_as_orphaned(
    conn: sqlite3.Connection, article: int
) -> None:
    text = sample_text()
    seen = make_anchor(text, *span(text, CLAIM))
    store_article(conn, text.replace(CLAIM, "Trump said little"))
    saved = service.save_claim(conn, article, seen.start, seen.end, ClaimFields(), seen=seen)
    assert (saved.claim.orphaned, saved.claim.exact) == (True, CLAIM)


def test_edit_claim_sets_every_field_and_keeps_the_status_history(
    conn: sqlite3.Connection, article: int
) -> None:
    claim = service.save_claim(
        conn, article, *span(sample_text(), CLAIM), ClaimFields(), now=100.0
    ).claim
    fields = ClaimFields(
        speaker=ActorRef(name="Donald Trump", aliases=("Trump",)),
        about=(ActorRef(name="Gustavo Petro"),),
        status="false",
        note="  Denied by Bogotá.  ",
    )
    saved = service.edit_claim(conn, claim.id, fields, now=200.0)
    edited = saved.claim
    assert (edited.speaker_name, [n for _, n in edited.about], edited.status, edited.note) == (
        "Donald Trump",
        ["Gustavo Petro"],
        "false",
        "Denied by Bogotá.",
    )
    assert edited.modified == 200.0
    assert service.status_history(conn, claim.id) == [("unverified", 100.0), ("false", 200.0)]
    assert sorted(a.name for a in saved.created) == ["Donald Trump", "Gustavo Petro"]
    assert find_actor(conn, "Trump") is not None


def test_edit_claim_leaves_kept_fields_alone(conn: sqlite3.Connection, article: int) -> None:
    trump = add_actor(conn, "Donald Trump", "person")
    petro = add_actor(conn, "Gustavo Petro", "person")
    claim = service.save_claim(
        conn,
        article,
        *span(sample_text(), CLAIM),
        ClaimFields(
            speaker=ActorRef(actor_id=trump.id), about=(ActorRef(actor_id=petro.id),), note="first"
        ),
    ).claim
    edited = service.edit_claim(conn, claim.id, ClaimFields(status="supported")).claim
    assert (edited.speaker_id, edited.about, edited.note, edited.status) == (
        trump.id,
        ((petro.id, "Gustavo Petro"),),
        "first",
        "supported",
    )
    cleared = service.edit_claim(conn, claim.id, ClaimFields(speaker=None, about=())).claim
    assert (cleared.speaker_id, cleared.about, cleared.status) == (None, (), "supported")
    assert len(service.status_history(conn, claim.id)) == 2  # unchanged status: no new entry
    same = service.edit_claim(conn, claim.id, ClaimFields(status="supported", note=KEEP))
    assert len(service.status_history(conn, same.claim.id)) == 2


def test_edit_claim_is_one_transaction(conn: sqlite3.Connection, article: int) -> None:
    """An edit that fails part-way (the speaker was created, an about actor is unknown)
    changes nothing: no speaker, no new actor, no status."""
    claim = service.save_claim(conn, article, *span(sample_text(), CLAIM), ClaimFields()).claim
    fields = ClaimFields(
        speaker=ActorRef(name="Donald Trump"), about=(ActorRef(actor_id=999),), status="false"
    )
    with pytest.raises(service.AnnotationError, match="no actor with id 999"):
        service.edit_claim(conn, claim.id, fields)
    assert get_annotation(conn, claim.id) == claim
    assert actor_names(conn) == []
    assert service.status_history(conn, claim.id) == [("unverified", claim.created)]


def test_edit_claim_refuses_a_note_too_long(conn: sqlite3.Connection, article: int) -> None:
    claim = service.save_claim(conn, article, *span(sample_text(), CLAIM), ClaimFields()).claim
    with pytest.raises(service.AnnotationError, match="at most"):
        service.edit_claim(conn, claim.id, ClaimFields(note="x" * (service.MAX_NOTE + 1)))
    assert get_annotation(conn, claim.id) == claim


def test_edit_claim_refuses_what_is_not_a_claim(conn: sqlite3.Connection, article: int) -> None:
    mark = service.create_highlight(conn, article, *span(sample_text(), CLAIM))
    with pytest.raises(service.AnnotationError, match="not a claim"):
        service.edit_claim(conn, mark.id, ClaimFields(status="false"))
    with pytest.raises(service.AnnotationError, match="no annotation"):
        service.edit_claim(conn, 999, ClaimFields(status="false"))
    with pytest.raises(service.AnnotationError, match="no actor with id"):
        claim = service.save_claim(conn, article, *span(sample_text(), CLAIM), ClaimFields()).claim
        service.edit_claim(conn, claim.id, ClaimFields(speaker=ActorRef(actor_id=999)))
