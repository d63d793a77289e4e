"""Mentions across the store: tagged ones and names found in text, counted as places the
way the reader marks them, from a cache that scans only what changed (issue 9, item 4)."""

from __future__ import annotations

import sqlite3

from export_sample import drop_sentence, store_demo_feed

from newsreader.annotations import mentions, service
from newsreader.annotations.actors import ActorMatcher
from newsreader.models import ParsedEntry
from newsreader.store.actors import (
    actor_names,
    add_actor,
    add_alias,
    delete_actor,
    merge_actors,
    remove_alias,
    update_actor,
)
from newsreader.store.articles import upsert_entries
from newsreader.store.feeds import add_feed


def counts(conn: sqlite3.Connection) -> dict[str, tuple[int, int]]:
    """Actor name -> (mentions, tagged), after bringing the cache up to date."""
    mentions.refresh_name_matches(conn)
    return {s.actor.name: (s.mentions, s.tagged) for s in mentions.actor_summaries(conn)}


def reader_places(conn: sqlite3.Connection, article_id: int, actor_id: int) -> int:
    """What the reader marks: the matcher's places united with the tags' (the panel)."""
    text = conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()[0]
    found = {m.start for m in ActorMatcher(actor_names(conn)).find(text) if m.actor_id == actor_id}
    tagged = {
        r[0]
        for r in conn.execute(
            "SELECT start FROM annotations WHERE article_id = ? AND actor_id = ? AND kind ="
            " 'mention' AND deleted IS NULL AND orphaned = 0",
            (article_id, actor_id),
        )
    }
    return len(found | tagged)


def test_names_found_in_text_count_with_tags_as_places(conn: sqlite3.Connection) -> None:
    sample = store_demo_feed(conn)
    trump = add_actor(conn, "Donald Trump", "person", ["Trump"])
    petro = add_actor(conn, "Gustavo Petro", "person", ["Petro"])
    assert counts(conn) == {"Donald Trump": (5, 0), "Gustavo Petro": (12, 0)}
    service.create_from_quote(conn, sample, "Gustavo Petro", "mention", actor_id=petro.id)
    assert counts(conn)["Gustavo Petro"] == (12, 1)  # a tag on a found name: one place
    service.create_from_quote(conn, sample, "the Colombian president", "mention", actor_id=petro.id)
    assert counts(conn)["Gustavo Petro"] == (13, 2)  # a tag elsewhere: a place more
    assert counts(conn)["Gustavo Petro"][0] == reader_places(conn, sample, petro.id)
    assert counts(conn)["Donald Trump"][0] == reader_places(conn, sample, trump.id)
    [article] = mentions.actor_mentions(conn, petro.id)
    assert (article.count, article.tagged, article.exact) == (13, 2, "Gustavo Petro")


def test_the_cache_follows_every_change_of_names_and_texts(conn: sqlite3.Connection) -> None:
    sample = store_demo_feed(conn)
    petro = add_actor(conn, "Gustavo Petro", "person")
    assert counts(conn)["Gustavo Petro"] == (1, 0)
    add_alias(conn, petro.id, "Petro")
    assert counts(conn)["Gustavo Petro"] == (12, 0)
    remove_alias(conn, petro.id, "Petro")
    assert counts(conn)["Gustavo Petro"] == (1, 0)
    update_actor(conn, petro.id, name="Petro")  # renamed: "Gustavo Petro" no longer named
    assert counts(conn)["Petro"] == (12, 0)
    other = add_actor(conn, "Gustavo Petro Urrego")
    merged = merge_actors(conn, petro.id, other.id)
    assert counts(conn) == {merged.name: (12, 0)}
    drop_sentence(
        conn,
        sample,
        "Petro argued those operations harmed civilian fishermen,"
        " prompting Trump to accuse him of being aligned with drug interests.",
    )
    assert counts(conn)["Petro"] == (11, 0)  # the changed text was scanned again
    delete_actor(conn, petro.id)
    assert counts(conn) == {}
    assert conn.execute("SELECT count(*) FROM name_matches").fetchone()[0] == 0


def test_only_articles_that_may_hold_a_changed_name_are_scanned(conn: sqlite3.Connection) -> None:
    store_demo_feed(conn)
    assert mentions.refresh_name_matches(conn) == 0  # no actors: nothing to scan
    add_actor(conn, "Cilia Flores", "person")
    assert mentions.refresh_name_matches(conn) == 1  # the full-text index's one article
    assert mentions.refresh_name_matches(conn) == 0  # up to date
    feed_id, _ = add_feed(conn, "https://other.example/feed")
    upsert_entries(
        conn,
        feed_id,
        [
            ParsedEntry(key="a", guid="a", title="Elsewhere", text="Nothing about her."),
            ParsedEntry(key="b", guid="b", title="Flores", text="Cilia Flores was seen."),
        ],
    )
    assert mentions.refresh_name_matches(conn) == 1  # the new article naming her
    assert counts(conn)["Cilia Flores"] == (2, 0)


def test_a_tag_whose_quote_is_gone_still_counts(conn: sqlite3.Connection) -> None:
    sample = store_demo_feed(conn)
    petro = add_actor(conn, "Gustavo Petro", "person")
    service.create_from_quote(conn, sample, "civilian fishermen", "mention", actor_id=petro.id)
    assert counts(conn)["Gustavo Petro"] == (2, 1)
    drop_sentence(
        conn,
        sample,
        "Petro argued those operations harmed civilian fishermen,"
        " prompting Trump to accuse him of being aligned with drug interests.",
    )
    assert counts(conn)["Gustavo Petro"] == (2, 1)  # orphaned: a place of its own
    roles = [(a.role, a.orphaned, a.count) for a in mentions.actor_activity(conn, petro.id)]
    assert roles == [("mention", False, 1), ("mention", True, 1)]
