"""Finding an actor by the name a user typed, or creating it: one transaction, real store."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsreader.annotations import service
from newsreader.annotations.folding import fold
from newsreader.store import connect
from newsreader.store.actors import add_actor


@pytest.fixture
def conn(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A fresh store holding Gustavo Petro (alias Petro) and Bogotá."""
    connection = connect(tmp_path / "store.db")
    add_actor(connection, "Gustavo Petro", "person", ["Petro"])
    add_actor(connection, "Bogotá", "place")
    yield connection
    connection.close()


def names(conn) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(r[0] for r in conn.execute("SELECT name FROM actors"))


def test_fold_ignores_case_diacritics_and_spacing() -> None:
    assert fold("  Bogotá   D.C. ") == "bogota d.c."
    assert fold("PETRÓ") == fold("petro")


@pytest.mark.parametrize(
    "typed, found",
    [
        ("Petro", "Gustavo Petro"),
        ("petró", "Gustavo Petro"),
        ("GUSTAVO PETRO", "Gustavo Petro"),
        ("bogota", "Bogotá"),
        ("BOGOTÁ", "Bogotá"),
    ],
)
def test_a_typed_name_or_alias_finds_the_actor(conn, typed: str, found: str) -> None:  # type: ignore[no-untyped-def]
    actor, changed = service.find_or_create_actor(conn, typed, "person")
    assert (actor.name, changed) == (found, False)
    assert names(conn) == ["Bogotá", "Gustavo Petro"]


def test_an_unknown_name_creates_the_actor_with_its_kind_and_aliases(conn) -> None:  # type: ignore[no-untyped-def]
    actor, changed = service.find_or_create_actor(conn, "Donald Trump", "person", ["Trump"])
    assert changed and (actor.name, actor.kind, actor.aliases) == (
        "Donald Trump",
        "person",
        ("Trump",),
    )
    assert names(conn) == ["Bogotá", "Donald Trump", "Gustavo Petro"]


def test_an_alias_that_names_someone_else_is_skipped_not_fatal(conn) -> None:  # type: ignore[no-untyped-def]
    actor, changed = service.find_or_create_actor(conn, "Petro Family", "group", ["Petro"])
    assert changed and actor.aliases == ()
    assert service.find_actor_named(conn, "Petro").name == "Gustavo Petro"


def test_a_bad_kind_is_refused_and_nothing_is_stored(conn) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(service.AnnotationError):
        service.find_or_create_actor(conn, "Someone", "planet")
    assert names(conn) == ["Bogotá", "Gustavo Petro"]
