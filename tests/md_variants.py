"""A store holding every variant the Markdown export knows, and every page it renders.

Built on the shared sample (claims with speaker and about, a status history, a mention, an
orphaned highlight, an article note) plus: labels with spaces; a second feed whose titles,
authors, names and notes are hostile Markdown/YAML; an updated-only date; an unsafe
(``javascript:``) link; a page snapshot (``fetched``/``source``); a claim without a speaker
or status about two actors; a placed highlight; notes holding user-section marker lines;
actors whose names clash ignoring case; an actor with no claims; an article without any
annotation; an article that left the store (its annotations grouped by their snapshot).

:func:`render_all` renders each page through the public export functions, with and without
wiki links, inside an export folder and not, and the notes folders; the golden files in
``tests/data/markdown-5267bad/`` are these pages as rendered by the code of commit 5267bad,
before the export moved onto templates.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from export_sample import T0, build_sample

from newsreader.annotations import service
from newsreader.export.collect import load
from newsreader.export.markdown import Style, actor_page, actor_roles, article_page, index_page
from newsreader.export.vault import actor_markdown, article_markdown, export_tree
from newsreader.models import PageSnapshot, ParsedEntry
from newsreader.store.actors import add_actor
from newsreader.store.articles import upsert_entries
from newsreader.store.feeds import add_feed, remove_feed, set_feed_title
from newsreader.store.labels import change_labels
from newsreader.store.pages import save_page

GOLDEN = Path(__file__).parent / "data" / "markdown-5267bad"
EXPORTED = T0 + 2 * 86400
MARKER = "<!-- /newsreader:user-notes -->"
HOSTILE_TITLE = '# *Breaking*: [[Link]] & "quotes" ==mark== %%c%% | <b> 1. ok'
HOSTILE_TEXT = (
    "Ana *Gómez* said [the deal](javascript:alert(1)) is `done` #win ^id ==yes== and "
    "<!-- hidden --> 12. more"
)


def _hostile_feed(conn: sqlite3.Connection) -> dict[str, int]:
    feed_id, _ = add_feed(conn, "https://hostile.example/feed")
    set_feed_title(conn, feed_id, "Desk #1 *News*", "https://hostile.example/")
    entries = [
        ParsedEntry(
            key="h1",
            url="https://hostile.example/a?x=(1) 2",
            title=HOSTILE_TITLE,
            author="> Quoted \\ Author_",
            published=T0 - 3 * 86400,
            date_kind="updated",
            text=HOSTILE_TEXT + "\n\nSecond paragraph naming Ana Gómez and the ministry.",
        ),
        ParsedEntry(
            key="h2",
            url="javascript:alert(1)",
            title="",
            text="Ana Gómez spoke. Nobody replied.",
        ),
        ParsedEntry(
            key="h3",
            url="https://hostile.example/quiet",
            title="Nothing marked here",
            published=T0 - 5 * 86400,
            text="A quiet article.",
        ),
        ParsedEntry(
            key="h4",
            url="https://hostile.example/gone",
            title="Soon gone",
            published=T0 - 6 * 86400,
            text="Ana Gómez left early.",
        ),
    ]
    upsert_entries(conn, feed_id, entries, now=T0)
    rows = conn.execute("SELECT id, key FROM articles WHERE feed_id = ?", (feed_id,))
    return {key: article_id for article_id, key in rows}


def _gone_feed(conn: sqlite3.Connection) -> int:
    """A feed whose only article is annotated, then the feed is removed (snapshot kept)."""
    feed_id, _ = add_feed(conn, "https://gone.example/feed")
    set_feed_title(conn, feed_id, "Gone Desk", "")
    upsert_entries(
        conn,
        feed_id,
        [
            ParsedEntry(
                key="g1",
                url="https://gone.example/1",
                title="Removed story",
                published=T0 - 7 * 86400,
                text="Ana Gómez denied the report.",
            )
        ],
        now=T0,
    )
    article_id = conn.execute("SELECT id FROM articles WHERE feed_id = ?", (feed_id,)).fetchone()[0]
    return int(article_id)


def build_variants(conn: sqlite3.Connection) -> dict[str, int]:
    """Store every variant (see the module notes); returns article ids and actor ids by name."""
    sample = build_sample(conn)
    change_labels(conn, [sample.article_id], add=["to check", "Brief"])
    ids = _hostile_feed(conn)
    ana = add_actor(
        conn,
        "Ana *Gómez*",
        "person",
        ["Ana Gómez", "A. [G]"],
        "Minister.\n" + MARKER + "\n\n*Sources:* two.",
    )
    add_actor(conn, "The ministry", "organisation")
    add_actor(conn, "the-Ministry", "group")  # the same file stem, ignoring case
    add_actor(conn, "Nobody Here", "other")
    ministry = conn.execute("SELECT id FROM actors WHERE name = 'The ministry'").fetchone()[0]
    colombia = conn.execute("SELECT id FROM actors WHERE name = 'Colombia'").fetchone()[0]
    hostile = ids["h1"]
    service.create_from_quote(
        conn,
        hostile,
        HOSTILE_TEXT,
        "claim",
        about_ids=[ana.id, ministry],
        note="Check it.\n" + MARKER + "\n  indented line",
        now=T0 + 300,
    )
    service.create_from_quote(
        conn, hostile, "Second paragraph", "highlight", note="A plain highlight.", now=T0 + 360
    )
    service.create_from_quote(
        conn,
        hostile,
        "Ana Gómez",
        "mention",
        occurrence=1,
        actor_id=ana.id,
        note="first\n\nsecond",
        now=T0 + 420,
    )
    service.create_from_quote(
        conn, hostile, "the ministry", "mention", actor_id=ministry, now=T0 + 480
    )
    service.create_from_quote(
        conn,
        ids["h2"],
        "Ana Gómez spoke.",
        "claim",
        speaker_id=ana.id,
        about_ids=[colombia],
        now=T0 + 540,
    )
    service.set_status(
        conn,
        conn.execute("SELECT max(id) FROM annotations").fetchone()[0],
        "false",
        now=T0 + 600,
    )
    note = service.add_note(conn, ids["h2"], "A note " + MARKER + "\n" + MARKER)
    conn.execute("UPDATE notes SET created = ?, modified = ? WHERE id = ?", (T0, T0, note.id))
    save_page(
        conn,
        hostile,
        PageSnapshot(
            hostile,
            "https://hostile.example/a",
            'https://hostile.example/a?"final"',
            200,
            "text/html",
            T0 + 30,
            b"<html></html>",
        ),
        None,
    )
    service.create_from_quote(
        conn, ids["h4"], "Ana Gómez", "mention", actor_id=ana.id, now=T0 + 660
    )
    gone = _gone_feed(conn)
    service.create_from_quote(
        conn, gone, "Ana Gómez denied the report.", "claim", speaker_id=ana.id, now=T0 + 720
    )
    service.create_from_quote(conn, gone, "Ana Gómez", "mention", actor_id=ana.id, now=T0 + 780)
    remove_feed(
        conn, conn.execute("SELECT feed_id FROM articles WHERE id = ?", (gone,)).fetchone()[0]
    )
    for n, uid in enumerate(
        conn.execute("SELECT uid FROM annotations ORDER BY id").fetchall()
    ):  # reproducible uids for every annotation the sample did not fix
        if len(uid[0]) != 32:
            conn.execute("UPDATE annotations SET uid = ? WHERE uid = ?", (f"{n:032x}", uid[0]))
    conn.execute(
        "UPDATE notes SET uid = printf('%032x', 1000 + id) WHERE id != ?", (sample.note_id,)
    )
    articles = {
        "sample": sample.article_id,
        "hostile": hostile,
        "unsafe-link": ids["h2"],
        "quiet": ids["h3"],
        "mention-only": ids["h4"],
    }
    actors = {
        str(row[1]): int(row[0]) for row in conn.execute("SELECT id, name FROM actors ORDER BY id")
    }
    return {
        **{f"article:{k}": v for k, v in articles.items()},
        **{f"actor:{k}": v for k, v in actors.items()},
    }


def _tree(conn: sqlite3.Connection, root: Path, wiki_links: bool) -> dict[str, str]:
    export_tree(conn, root, wiki_links=wiki_links, now=EXPORTED)
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def render_all(conn: sqlite3.Connection, ids: dict[str, int], scratch: Path) -> dict[str, str]:
    """Every page of the variants: name -> Markdown (names are golden file paths)."""
    pages: dict[str, str] = {}
    for key, found in sorted(ids.items()):
        kind, _, name = key.partition(":")
        slug = "".join(c if c.isalnum() else "-" for c in name.casefold()).strip("-")
        slug = f"{slug}-{found}"
        for wiki in (True, False):
            for tree in (False, True):
                variant = f"{'wiki' if wiki else 'plain'}{'-tree' if tree else ''}"
                if kind == "article":
                    page = article_markdown(conn, found, wiki_links=wiki, tree=tree, now=EXPORTED)
                else:
                    page = actor_markdown(conn, found, wiki_links=wiki, tree=tree, now=EXPORTED)
                pages[f"{kind}/{slug}.{variant}.md"] = page
    pages.update(_direct(conn))
    for wiki in (True, False):
        folder = "tree-wiki" if wiki else "tree-plain"
        for name, text in _tree(conn, scratch / folder, wiki).items():
            pages[f"{folder}/{name}"] = text
    return pages


def _direct(conn: sqlite3.Connection) -> dict[str, str]:
    """Pages rendered from loaded data with no actor pages known (names, not links), and
    dossiers without the places found by name (each article's mentions counted instead)."""
    data = load(conn)
    bare = Style(True, {})
    pages = {
        f"direct/article-{b.info.export_id}.md": article_page(b, data, bare, now=EXPORTED)
        for b in data.bundles
    }
    pages["direct/index.md"] = index_page(data, bare, now=EXPORTED)
    roles = actor_roles(data)
    data.mentions = {}
    for actor_id, actor in sorted(data.actors.items()):
        page = actor_page(actor, roles.get(actor_id, {}), data, bare, now=EXPORTED)
        pages[f"direct/actor-{actor_id}.md"] = page
    return pages
