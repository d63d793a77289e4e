"""The annotated sample article the export and import tests share.

The bundled demo feed goes through the real pipeline (parse_feed, then upsert_entries);
on its sample article: a claim "Trump described the conversation as constructive" by
Donald Trump about Gustavo Petro (with a note), a second claim by Petro whose status went
from unverified to disputed, a mention of Gustavo Petro (alias Petro), a highlight that
is orphaned by a later change to the article's text, and an article note. Every time is
fixed so exports are byte-for-byte reproducible (golden files).
"""

from __future__ import annotations

import dataclasses
import os
import sqlite3
import uuid
from pathlib import Path

from newsreader.annotations import service
from newsreader.feeds.parse import parse_feed
from newsreader.resources import data_dir
from newsreader.store.actors import add_actor
from newsreader.store.articles import upsert_entries
from newsreader.store.feeds import add_feed, set_feed_title

FEED_URL = "https://interbellumnews.com/feed.xml"
GUID = "newsreader-demo-trump-petro-call"
CLAIM = "Trump described the conversation as constructive"
SECOND_CLAIM = "Petro argued those operations harmed civilian fishermen"
ORPHANED = (
    "Whether this tentative thaw leads to substantive change, or merely delays "
    "another rupture, remains an open question."
)
T0 = 1767960000.0  # 2026-01-09 12:00 UTC
"""When the sample's annotations were made (the article is from 2026-01-08)."""
GOLDEN = Path(__file__).parent / "fixtures" / "golden"
UPDATE_GOLDEN = os.environ.get("NEWSREADER_UPDATE_GOLDEN") == "1"
"""Set NEWSREADER_UPDATE_GOLDEN=1 to rewrite the golden files (then review the diff)."""


def golden(name: str, actual: str) -> None:
    """Assert ``actual`` equals the golden file ``name`` (or rewrite it when updating)."""
    path = GOLDEN / name
    if UPDATE_GOLDEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
    expected = path.read_bytes().decode("utf-8")
    assert actual == expected, f"{name} differs from its golden file"


def fixed_uid(label: str) -> str:
    """A reproducible uid (golden files name annotations by it)."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"newsreader-sample:{label}").hex


@dataclasses.dataclass(frozen=True)
class Sample:
    """Ids of what :func:`build_sample` stored."""

    article_id: int
    trump_id: int
    petro_id: int
    claim_id: int
    second_claim_id: int
    mention_id: int
    orphan_id: int
    note_id: int


def store_demo_feed(conn: sqlite3.Connection) -> int:
    """Store the demo feed's articles; returns the sample article's id."""
    body = (data_dir("seeds") / "demo.xml").read_bytes()
    parsed = parse_feed(body, FEED_URL, "application/rss+xml")
    feed_id, _ = add_feed(conn, FEED_URL)
    set_feed_title(conn, feed_id, parsed.title, parsed.site_url)
    upsert_entries(conn, feed_id, parsed.entries, now=T0)
    return conn.execute("SELECT id FROM articles WHERE guid = ?", (GUID,)).fetchone()[0]


def drop_sentence(conn: sqlite3.Connection, article_id: int, sentence: str) -> None:
    """Refresh the article with ``sentence`` removed from its text, then re-anchor."""
    feed_id = conn.execute("SELECT feed_id FROM articles WHERE id = ?", (article_id,)).fetchone()[0]
    body = (data_dir("seeds") / "demo.xml").read_bytes()
    entry = next(e for e in parse_feed(body, FEED_URL).entries if e.guid == GUID)
    assert sentence in entry.text
    changed = dataclasses.replace(
        entry,
        text=entry.text.replace(" " + sentence, ""),
        html=entry.html.replace(" " + sentence, ""),
    )
    upsert_entries(conn, feed_id, [changed], now=T0 + 7200)
    service.reanchor_article(conn, article_id)


def build_sample(conn: sqlite3.Connection) -> Sample:
    """Store the demo feed and annotate its sample article (see the module notes)."""
    article_id = store_demo_feed(conn)
    trump = add_actor(conn, "Donald Trump", "person", ["Trump"], "45th and 47th US president.")
    petro = add_actor(conn, "Gustavo Petro", "person", ["Petro"], "President of Colombia.")
    add_actor(conn, "Colombia", "country")
    claim = service.create_from_quote(
        conn,
        article_id,
        CLAIM,
        "claim",
        speaker_id=trump.id,
        about_ids=[petro.id],
        note="Only Trump's account so far; *Bogotá* has not described the call.",
        now=T0,
    )
    second = service.create_from_quote(
        conn, article_id, SECOND_CLAIM, "claim", speaker_id=petro.id, now=T0 + 60
    )
    service.set_status(conn, second.id, "disputed", now=T0 + 3600)
    mention = service.create_from_quote(
        conn, article_id, "Gustavo Petro", "mention", actor_id=petro.id, now=T0 + 120
    )
    orphan = service.create_from_quote(
        conn,
        article_id,
        ORPHANED,
        "highlight",
        note="The open question of the piece.",
        now=T0 + 180,
    )
    note = service.add_note(
        conn,
        article_id,
        "Read alongside the Bogotá readout.\n\n- [ ] check the White House summary",
    )
    conn.execute(
        "UPDATE notes SET created = ?, modified = ? WHERE id = ?", (T0 + 240, T0 + 240, note.id)
    )
    drop_sentence(conn, article_id, ORPHANED)
    for label, annotation_id in (
        ("claim", claim.id),
        ("second", second.id),
        ("mention", mention.id),
        ("orphan", orphan.id),
    ):
        conn.execute(
            "UPDATE annotations SET uid = ? WHERE id = ?", (fixed_uid(label), annotation_id)
        )
    conn.execute("UPDATE notes SET uid = ? WHERE id = ?", (fixed_uid("note"), note.id))
    return Sample(
        article_id, trump.id, petro.id, claim.id, second.id, mention.id, orphan.id, note.id
    )
