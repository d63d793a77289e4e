"""Numbered schema migrations keyed by ``PRAGMA user_version``.

Each migration runs in its own transaction together with the version bump, so a crash
leaves the store at the previous version, never half-migrated. Never edit a released
migration: append a new one.
"""

from __future__ import annotations

import sqlite3

_V1 = """
CREATE TABLE feeds (
    id               INTEGER PRIMARY KEY,
    url              TEXT NOT NULL UNIQUE,
    title            TEXT NOT NULL DEFAULT '',
    site_url         TEXT NOT NULL DEFAULT '',
    folder           TEXT NOT NULL DEFAULT '',
    etag             TEXT,
    last_modified    TEXT,
    last_fetched     REAL,
    last_status      TEXT NOT NULL DEFAULT 'new',
    last_error       TEXT NOT NULL DEFAULT '',
    http_status      INTEGER,
    next_fetch_after REAL,
    failures         INTEGER NOT NULL DEFAULT 0,
    added            REAL NOT NULL DEFAULT (unixepoch())
);

CREATE TABLE articles (
    id          INTEGER PRIMARY KEY,
    feed_id     INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    key         TEXT NOT NULL,
    guid        TEXT NOT NULL DEFAULT '',
    url         TEXT NOT NULL DEFAULT '',
    title       TEXT NOT NULL DEFAULT '',
    author      TEXT NOT NULL DEFAULT '',
    published   REAL,
    updated     REAL,
    sort_time   REAL NOT NULL,
    html        TEXT NOT NULL DEFAULT '',
    text        TEXT NOT NULL DEFAULT '',
    links       TEXT NOT NULL DEFAULT '[]',
    content_hash TEXT NOT NULL DEFAULT '',
    is_read     INTEGER NOT NULL DEFAULT 0,
    is_starred  INTEGER NOT NULL DEFAULT 0,
    fetched     REAL NOT NULL DEFAULT (unixepoch()),
    UNIQUE (feed_id, key)
);
CREATE INDEX articles_by_time ON articles (sort_time DESC, id DESC);
CREATE INDEX articles_by_feed_time ON articles (feed_id, sort_time DESC, id DESC);
CREATE INDEX articles_unread ON articles (is_read, sort_time DESC, id DESC);
CREATE INDEX articles_starred ON articles (is_starred) WHERE is_starred = 1;

CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, author, text,
    content = 'articles', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, author, text)
    VALUES (new.id, new.title, new.author, new.text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, author, text)
    VALUES ('delete', old.id, old.title, old.author, old.text);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, author, text ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, author, text)
    VALUES ('delete', old.id, old.title, old.author, old.text);
    INSERT INTO articles_fts (rowid, title, author, text)
    VALUES (new.id, new.title, new.author, new.text);
END;

CREATE TABLE actors (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    kind        TEXT NOT NULL DEFAULT 'other' CHECK (kind IN
                ('person', 'organisation', 'country', 'place', 'group', 'other')),
    description TEXT NOT NULL DEFAULT '',
    created     REAL NOT NULL DEFAULT (unixepoch())
);
CREATE TABLE actor_aliases (
    actor_id INTEGER NOT NULL REFERENCES actors(id) ON DELETE CASCADE,
    alias    TEXT NOT NULL,
    PRIMARY KEY (actor_id, alias)
);
CREATE INDEX actor_aliases_by_alias ON actor_aliases (alias COLLATE NOCASE);

-- Annotations outlive their article: the snapshot columns keep them meaningful and
-- exportable, and article_id becomes NULL (an orphan) rather than deleting them.
CREATE TABLE annotations (
    id               INTEGER PRIMARY KEY,
    article_id       INTEGER REFERENCES articles(id) ON DELETE SET NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('claim', 'mention', 'highlight')),
    start            INTEGER NOT NULL,
    end              INTEGER NOT NULL,
    exact            TEXT NOT NULL,
    prefix           TEXT NOT NULL DEFAULT '',
    suffix           TEXT NOT NULL DEFAULT '',
    orphaned         INTEGER NOT NULL DEFAULT 0,
    actor_id         INTEGER REFERENCES actors(id) ON DELETE SET NULL,
    speaker_id       INTEGER REFERENCES actors(id) ON DELETE SET NULL,
    status           TEXT CHECK (status IS NULL OR status IN
                     ('unverified', 'supported', 'disputed', 'false')),
    note             TEXT NOT NULL DEFAULT '',
    article_url      TEXT NOT NULL DEFAULT '',
    article_title    TEXT NOT NULL DEFAULT '',
    feed_title       TEXT NOT NULL DEFAULT '',
    article_published REAL,
    uid              TEXT NOT NULL UNIQUE,
    created          REAL NOT NULL DEFAULT (unixepoch()),
    modified         REAL NOT NULL DEFAULT (unixepoch()),
    deleted          REAL,
    CHECK (start >= 0 AND end >= start)
);
CREATE INDEX annotations_by_article ON annotations (article_id, start);
CREATE INDEX annotations_by_actor ON annotations (actor_id);
CREATE INDEX annotations_by_speaker ON annotations (speaker_id);
CREATE INDEX annotations_by_article_url ON annotations (article_url);

CREATE TABLE claim_about (
    annotation_id INTEGER NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
    actor_id      INTEGER NOT NULL REFERENCES actors(id) ON DELETE CASCADE,
    PRIMARY KEY (annotation_id, actor_id)
);
CREATE INDEX claim_about_by_actor ON claim_about (actor_id);

CREATE TABLE claim_status_history (
    id            INTEGER PRIMARY KEY,
    annotation_id INTEGER NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
    status        TEXT NOT NULL,
    changed       REAL NOT NULL DEFAULT (unixepoch())
);

CREATE TABLE notes (
    id            INTEGER PRIMARY KEY,
    article_id    INTEGER REFERENCES articles(id) ON DELETE SET NULL,
    body          TEXT NOT NULL DEFAULT '',
    article_url   TEXT NOT NULL DEFAULT '',
    article_title TEXT NOT NULL DEFAULT '',
    feed_title    TEXT NOT NULL DEFAULT '',
    uid           TEXT NOT NULL UNIQUE,
    created       REAL NOT NULL DEFAULT (unixepoch()),
    modified      REAL NOT NULL DEFAULT (unixepoch())
);
CREATE INDEX notes_by_article ON notes (article_id);

CREATE TABLE saved_searches (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL,
    query TEXT NOT NULL UNIQUE
);

CREATE TABLE state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

_V2 = """
-- Per-feed unread counts (feeds pane, `newsreader feeds`) without scanning every article.
CREATE INDEX articles_feed_unread ON articles (feed_id, is_read);
CREATE INDEX claim_status_history_by_annotation ON claim_status_history (annotation_id);
-- Imported annotations wait for their article and re-attach to it by URL.
CREATE INDEX articles_by_url ON articles (url);
ALTER TABLE notes ADD COLUMN article_published REAL;
"""

_V3 = """
-- New articles are indexed by store.articles.upsert_entries, one INSERT ... SELECT per
-- feed: the per-row trigger made storing a cold refresh about twice as slow. Code that
-- inserts articles must index them the same way; updates and deletes keep their triggers.
DROP TRIGGER articles_fts_insert;
-- Merge index segments 16 at a time instead of 4: a refresh writes one small segment per
-- feed, and merging them that eagerly cost more than indexing; searches are as fast.
INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', 16);
"""

_V4 = """
-- The snapshot keeps the article's author too, so an annotation or note whose article left
-- the store (or that was imported without it) still exports with its byline; filled in
-- from the articles still here. Notes never stored their article's date: filled in too.
ALTER TABLE annotations ADD COLUMN article_author TEXT NOT NULL DEFAULT '';
ALTER TABLE notes ADD COLUMN article_author TEXT NOT NULL DEFAULT '';
UPDATE annotations SET article_author = coalesce(
    (SELECT a.author FROM articles a WHERE a.id = annotations.article_id), '')
    WHERE article_id IS NOT NULL;
UPDATE notes SET article_author = coalesce(
    (SELECT a.author FROM articles a WHERE a.id = notes.article_id), ''),
    article_published = coalesce(article_published,
    (SELECT a.published FROM articles a WHERE a.id = notes.article_id))
    WHERE article_id IS NOT NULL;
"""

_V5 = """
-- Known actors found by name in article text, as the reader marks them: a cache, so that
-- counts and dossiers over the whole store need no scan of every text. One row per actor
-- and article holding a match; ``places`` is "start:end,start:end…", ``exact`` the first
-- match's text. Kept fresh by newsreader.annotations.mentions.refresh_name_matches.
CREATE TABLE name_matches (
    actor_id   INTEGER NOT NULL REFERENCES actors(id) ON DELETE CASCADE,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    count      INTEGER NOT NULL,
    places     TEXT NOT NULL,
    exact      TEXT NOT NULL,
    PRIMARY KEY (actor_id, article_id)
) WITHOUT ROWID;
CREATE INDEX name_matches_by_article ON name_matches (article_id);
-- Articles whose text was scanned with the current names. A new article has no row; a
-- changed text loses its row (trigger); a changed name queues itself in name_changes and
-- the articles that may hold it (the full-text index says which) are scanned again.
CREATE TABLE name_scans (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE
);
CREATE TRIGGER name_scans_text_changed AFTER UPDATE OF text ON articles BEGIN
    DELETE FROM name_scans WHERE article_id = new.id;
END;
CREATE TABLE name_changes (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);
"""

_V6 = """
-- An article's date is the date it has: its published date, else its updated date (an
-- Atom entry with only <updated>, RSS dc:date, Atom 0.3 <modified>); date_kind says which
-- ('published', 'updated', or '' for no date). Filled in for the articles already here,
-- and for the snapshots of annotations and notes made while their date was missing.
ALTER TABLE articles ADD COLUMN date_kind TEXT NOT NULL DEFAULT '';
UPDATE articles SET published = updated, date_kind = 'updated'
    WHERE published IS NULL AND updated IS NOT NULL;
UPDATE articles SET date_kind = 'published' WHERE published IS NOT NULL AND date_kind = '';
UPDATE annotations SET article_published =
    (SELECT a.published FROM articles a WHERE a.id = annotations.article_id)
    WHERE article_published IS NULL AND article_id IS NOT NULL;
UPDATE notes SET article_published =
    (SELECT a.published FROM articles a WHERE a.id = notes.article_id)
    WHERE article_published IS NULL AND article_id IS NOT NULL;
"""

_V7 = """
-- Snapshots keep their article's feed url and key (guid or derived key), so annotations
-- and notes of an article without a url find it again (after an import, or when it comes
-- back to the cache). Filled in for the rows whose article is here.
ALTER TABLE annotations ADD COLUMN feed_url TEXT NOT NULL DEFAULT '';
ALTER TABLE annotations ADD COLUMN article_key TEXT NOT NULL DEFAULT '';
ALTER TABLE notes ADD COLUMN feed_url TEXT NOT NULL DEFAULT '';
ALTER TABLE notes ADD COLUMN article_key TEXT NOT NULL DEFAULT '';
UPDATE annotations SET
    feed_url = (SELECT f.url FROM articles a JOIN feeds f ON f.id = a.feed_id
                WHERE a.id = annotations.article_id),
    article_key = (SELECT a.key FROM articles a WHERE a.id = annotations.article_id)
    WHERE article_id IS NOT NULL;
UPDATE notes SET
    feed_url = (SELECT f.url FROM articles a JOIN feeds f ON f.id = a.feed_id
                WHERE a.id = notes.article_id),
    article_key = (SELECT a.key FROM articles a WHERE a.id = notes.article_id)
    WHERE article_id IS NOT NULL;
CREATE INDEX annotations_by_article_key ON annotations (article_key);
"""

_V8 = """
-- Snapshots keep what their date is (articles.date_kind: 'published', 'updated' or ''),
-- so exports of an annotation or note say "updated" for a date the feed gave only as
-- last-updated. Filled in from the article still here when its date is the snapshot's
-- (a later refresh may have changed it); otherwise unknown ('').
ALTER TABLE annotations ADD COLUMN article_date_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE notes ADD COLUMN article_date_kind TEXT NOT NULL DEFAULT '';
UPDATE annotations SET article_date_kind = coalesce(
    (SELECT a.date_kind FROM articles a WHERE a.id = annotations.article_id
        AND a.published IS annotations.article_published), '')
    WHERE article_id IS NOT NULL;
UPDATE notes SET article_date_kind = coalesce(
    (SELECT a.date_kind FROM articles a WHERE a.id = notes.article_id
        AND a.published IS notes.article_published), '')
    WHERE article_id IS NOT NULL;
"""

_V9 = """
-- Full text for summary-only feeds. A feed's mode: 'auto' (fetch the page when the feed
-- gives a teaser), 'always', 'never', or '' (follow [fetch] full_text in config.toml).
ALTER TABLE feeds ADD COLUMN full_text TEXT NOT NULL DEFAULT ''
    CHECK (full_text IN ('', 'auto', 'always', 'never'));
-- Where an article's text came from: 'feed', or 'page' (extracted from its web page; then
-- ``summary`` keeps the feed's own text and ``html`` the page's extracted html). The last
-- page fetch: when, and its one-line error ('' = none).
ALTER TABLE articles ADD COLUMN text_source TEXT NOT NULL DEFAULT 'feed'
    CHECK (text_source IN ('feed', 'page'));
ALTER TABLE articles ADD COLUMN summary TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN page_fetched REAL;
ALTER TABLE articles ADD COLUMN page_error TEXT NOT NULL DEFAULT '';
-- The page as it was fetched, the article's snapshot: body compressed with zlib, as the
-- server sent it (decoded from any Content-Encoding), with the page's own metadata.
CREATE TABLE pages (
    article_id    INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    url           TEXT NOT NULL,
    final_url     TEXT NOT NULL,
    status        INTEGER NOT NULL,
    content_type  TEXT NOT NULL DEFAULT '',
    fetched       REAL NOT NULL,
    size          INTEGER NOT NULL,
    body          BLOB NOT NULL,
    site_name     TEXT NOT NULL DEFAULT '',
    canonical_url TEXT NOT NULL DEFAULT '',
    language      TEXT NOT NULL DEFAULT ''
);
"""

_V10 = """
-- Labels: free-form names the user gives articles, several per article (case-insensitive:
-- "Brief" and "brief" are one label, spelt as first given).
CREATE TABLE labels (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE COLLATE NOCASE,
    created REAL NOT NULL DEFAULT (unixepoch())
);
CREATE TABLE article_labels (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    label_id   INTEGER NOT NULL REFERENCES labels(id) ON DELETE CASCADE,
    added      REAL NOT NULL DEFAULT (unixepoch()),
    PRIMARY KEY (article_id, label_id)
) WITHOUT ROWID;
CREATE INDEX article_labels_by_label ON article_labels (label_id, article_id);
-- The Later queue: an article is in it once, ordered by when it was put there.
CREATE TABLE later (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    added      REAL NOT NULL
);
CREATE INDEX later_by_added ON later (added DESC, article_id DESC);
"""

_V11 = """
-- Retention: the articles pruned from the store (newsreader.store.retention), by feed and
-- key, so an old item still in its feed's document is not stored again as new and unread.
-- Removing a feed forgets its tombstones.
CREATE TABLE pruned (
    feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    key     TEXT NOT NULL,
    pruned  REAL NOT NULL,
    PRIMARY KEY (feed_id, key)
) WITHOUT ROWID;
"""

_V12 = """
-- Articles a rule hid: kept, and out of every list unless a search asks for is:hidden.
CREATE TABLE hidden (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    rule       TEXT NOT NULL DEFAULT '',
    hidden     REAL NOT NULL
);
"""

_V13 = """
-- A feed's own refresh schedule: every interval_minutes (NULL: [fetch] interval_minutes),
-- and the shortest interval the feed itself asks for (<ttl>, sy:updatePeriod/Frequency,
-- Cache-Control max-age), in minutes, NULL when it asks for none.
ALTER TABLE feeds ADD COLUMN interval_minutes INTEGER;
ALTER TABLE feeds ADD COLUMN ttl_minutes INTEGER;
-- Podcasts and videos: an entry's enclosures (RSS <enclosure>, Atom rel="enclosure",
-- JSON Feed attachments) in the feed's order.
CREATE TABLE enclosures (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    url        TEXT NOT NULL,
    type       TEXT NOT NULL DEFAULT '',
    length     INTEGER,
    PRIMARY KEY (article_id, position)
) WITHOUT ROWID;
"""

_V14 = """
-- Duplicates: the same story from several feeds (newsreader.feeds.duplicates). Each new
-- article's print: its canonical URL, title fingerprint and the normalised beginning of
-- its text, so candidates are compared without reading article rows; and its keys (the
-- URL's and title's hashes, the smallest hashes of its text's word shingles), indexed so
-- a new article finds its candidates by lookups, never by scanning.
CREATE TABLE dup_prints (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    feed_id    INTEGER NOT NULL,
    sort_time  REAL NOT NULL,
    url_key    TEXT NOT NULL DEFAULT '',
    title_key  TEXT NOT NULL DEFAULT '',
    head       TEXT NOT NULL DEFAULT ''
);
CREATE TABLE dup_keys (
    key        INTEGER NOT NULL,
    article_id INTEGER NOT NULL REFERENCES dup_prints(article_id) ON DELETE CASCADE,
    PRIMARY KEY (key, article_id)
) WITHOUT ROWID;
CREATE INDEX dup_keys_by_article ON dup_keys (article_id);
-- The groups of two or more copies of one story; group_id is the id of its first member.
CREATE TABLE articles_dup (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    group_id   INTEGER NOT NULL
);
CREATE INDEX articles_dup_by_group ON articles_dup (group_id, article_id);
"""

_V15 = """
-- Revisions: the earlier texts of an article (newsreader.store.revisions). When its
-- canonical text changes (a feed update, a page replacing or refreshing it) the text it
-- had is kept here, zlib-compressed, numbered 1..n oldest first; the current text stays
-- in articles.text (revision n + 1). source says where that earlier text came from.
CREATE TABLE revisions (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    number     INTEGER NOT NULL,
    saved      REAL NOT NULL,
    source     TEXT NOT NULL CHECK (source IN ('feed', 'page')),
    text       BLOB NOT NULL,
    PRIMARY KEY (article_id, number)
) WITHOUT ROWID;
-- The version an annotation was made on (how many revisions its article had then) and its
-- quote as made: re-anchoring moves exact with the text, this one stays, so an annotation
-- whose quote was reworded later is told apart ("edited after you marked it").
ALTER TABLE annotations ADD COLUMN made_on_revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE annotations ADD COLUMN made_quote TEXT;
UPDATE annotations SET made_quote = exact;
"""

_V16 = """
-- Claim links (newsreader.store.claimlinks): claim source_id supports, contradicts,
-- repeats or supersedes claim target_id (same or another article). A link whose claim is
-- deleted (soft) is hidden with it, and comes back when the delete is undone.
CREATE TABLE claim_links (
    id        INTEGER PRIMARY KEY,
    uid       TEXT NOT NULL UNIQUE,
    source_id INTEGER NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
    relation  TEXT NOT NULL
              CHECK (relation IN ('supports', 'contradicts', 'repeats', 'supersedes')),
    target_id INTEGER NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
    created   REAL NOT NULL,
    CHECK (source_id != target_id),
    UNIQUE (source_id, relation, target_id)
);
CREATE INDEX claim_links_by_target ON claim_links (target_id);
-- A claim's evidence: a URL, or an article kept as its url and title when it was added
-- (so it survives the article leaving the cache); listed in the order added.
CREATE TABLE claim_evidence (
    id            INTEGER PRIMARY KEY,
    annotation_id INTEGER NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
    url           TEXT NOT NULL,
    title         TEXT NOT NULL DEFAULT '',
    added         REAL NOT NULL
);
CREATE INDEX claim_evidence_by_annotation ON claim_evidence (annotation_id, id);
-- When a claim was said or happened (ISO YYYY-MM-DD), distinct from its article's date.
ALTER TABLE annotations ADD COLUMN event_date TEXT;
"""

_V17 = """
-- Sync with a Google Reader API server (newsreader.sync). sync_feeds: each subscription
-- the server has, by its stream id, with the folder both sides last agreed on; feed_id
-- becomes NULL when the feed is removed here (then the server is unsubscribed too).
-- delivered: the server brings its articles (else they are fetched here as before).
CREATE TABLE sync_feeds (
    stream_id TEXT PRIMARY KEY,
    feed_id   INTEGER REFERENCES feeds(id) ON DELETE SET NULL,
    url       TEXT NOT NULL,
    folder    TEXT NOT NULL DEFAULT '',
    delivered INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX sync_feeds_by_feed ON sync_feeds (feed_id);
-- sync_items: each server item (decimal id) and the article it is here (NULL until an
-- article with its url arrives); read, starred and labels as both sides last agreed (NULL:
-- never agreed yet), the base of the next sync's three-way merge.
CREATE TABLE sync_items (
    remote_id  TEXT PRIMARY KEY,
    article_id INTEGER REFERENCES articles(id) ON DELETE SET NULL,
    stream_id  TEXT NOT NULL,
    url        TEXT NOT NULL DEFAULT '',
    read       INTEGER,
    starred    INTEGER,
    labels     TEXT
);
CREATE UNIQUE INDEX sync_items_by_article ON sync_items (article_id);
CREATE INDEX sync_items_by_url ON sync_items (url) WHERE article_id IS NULL;
-- What each sync decided when both sides had changed, and what it refused to do.
CREATE TABLE sync_log (
    id   INTEGER PRIMARY KEY,
    at   REAL NOT NULL,
    line TEXT NOT NULL
);
"""

MIGRATIONS: tuple[str, ...] = (
    _V1,
    _V2,
    _V3,
    _V4,
    _V5,
    _V6,
    _V7,
    _V8,
    _V9,
    _V10,
    _V11,
    _V12,
    _V13,
    _V14,
    _V15,
    _V16,
    _V17,
)
"""MIGRATIONS[i] takes the store from user_version i to i + 1."""


def schema_version(conn: sqlite3.Connection) -> int:
    """The store's current ``user_version``."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection) -> int:
    """Apply every pending migration; idempotent. Returns the resulting version."""
    version = schema_version(conn)
    if version > len(MIGRATIONS):
        raise RuntimeError(
            f"store schema version {version} is newer than this newsreader "
            f"({len(MIGRATIONS)}); upgrade newsreader"
        )
    for number in range(version, len(MIGRATIONS)):
        conn.execute("BEGIN IMMEDIATE")
        try:
            if schema_version(conn) != number:  # another process migrated meanwhile
                conn.execute("ROLLBACK")
                continue
            for statement in _statements(MIGRATIONS[number]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number + 1}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return schema_version(conn)


def _statements(script: str) -> list[str]:
    """Split a migration into statements (executescript would commit on its own)."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        if line.lstrip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
