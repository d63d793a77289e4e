"""The search language, compiled to SQL over the FTS5 index.

    petro "white house" -maduro feed:inter is:unread is:starred is:annotated
    author:franz after:2026-01-01 before:2026-02-01 label:brief is:later is:labelled
    title:petro url:/world/ actor:"Gustavo Petro" has:claims is:hidden is:duplicate
    is:revised is:changed

Words and quoted phrases must all occur (title, author or text); ``-word`` must not;
``word*`` is a prefix; ``title:`` words must be in the title, ``url:`` text in the
article's URL. ``actor:NAME`` finds the articles that mention a registered actor (by name
or alias, in the title or text, or tagged there); ``has:claims`` (``mentions``,
``highlights``, ``notes``) those carrying one. Articles a rule hid are left out unless the
query says ``is:hidden``; ``is:duplicate`` finds the stories stored from several feeds;
``is:revised`` the articles whose text changed (revisions kept), ``is:changed`` those with
an annotation edited after it was marked (the virtual feed Changed).
Every term is quoted before it reaches FTS5, so no query can inject FTS syntax.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from datetime import UTC, datetime

from newsreader.safety import clean_line
from newsreader.store.revisions import CHANGED_SQL, REVISED_SQL


class QueryError(ValueError):
    """A search query that cannot be understood (e.g. a bad date)."""


@dataclass
class ParsedQuery:
    """A search split into its parts."""

    terms: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    has: set[str] = field(default_factory=set)
    flags: set[str] = field(default_factory=set)
    after: float | None = None
    before: float | None = None


_FLAGS = {
    "unread",
    "read",
    "starred",
    "annotated",
    "later",
    "labelled",
    "labeled",
    "hidden",
    "duplicate",
    "revised",
    "changed",
}
_HAS = {"claims", "mentions", "highlights", "notes"}

ANNOTATED_SQL = (
    "(EXISTS (SELECT 1 FROM annotations n WHERE n.article_id = a.id AND n.deleted IS NULL)"
    " OR EXISTS (SELECT 1 FROM notes o WHERE o.article_id = a.id))"
)
"""The condition over ``articles a`` for ``is:annotated``: an annotation (not deleted) or
an article note on it."""


def parse_query(query: str) -> ParsedQuery:
    """Split a query into terms and filters (control characters dropped: a NUL would end
    the FTS5 query string early)."""
    query = clean_line(query)
    try:
        tokens = shlex.split(query, posix=True)
    except ValueError:  # an unbalanced quote: treat quotes as plain characters
        tokens = query.replace('"', " ").replace("'", " ").split()
    parsed = ParsedQuery()
    for token in tokens:
        _take(parsed, token)
    return parsed


_LISTED = {
    "feed": ("feeds", False),
    "author": ("authors", False),
    "label": ("labels", True),
    "title": ("titles", False),
    "url": ("urls", False),
    "actor": ("actors", True),
}
"""``name:VALUE`` filters kept in a list: the list's field, and whether runs of spaces in
VALUE are one space (names are compared that way)."""


def _take(parsed: ParsedQuery, token: str) -> None:
    name, sep, value = token.partition(":")
    name = name.lower()
    if sep and value and name == "is" and value.lower() in _FLAGS:
        parsed.flags.add(value.lower())
    elif sep and value and name in _LISTED:
        field_name, spaces = _LISTED[name]
        getattr(parsed, field_name).append(" ".join(value.split()) if spaces else value)
    elif sep and value and name == "has":
        if value.lower() not in _HAS:
            raise QueryError(f"has: takes {', '.join(sorted(_HAS))} (not {value})")
        parsed.has.add(value.lower())
    elif sep and value and name in ("after", "before"):
        setattr(parsed, name, _date(value))
    elif token.startswith("-") and len(token) > 1:
        parsed.excluded.append(token[1:])
    elif token.strip():
        parsed.terms.append(token)


def _date(value: str) -> float:
    try:
        day = datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError as exc:
        raise QueryError(f"not a date (want YYYY-MM-DD): {value}") from exc
    return day.timestamp()


def fts_phrase(term: str) -> str:
    """Quote one term for FTS5; a trailing * makes it a prefix query."""
    prefix = term.endswith("*") and len(term) > 1
    body = term.rstrip("*") if prefix else term
    body = re.sub(r"\s+", " ", body).strip()
    return '"' + body.replace('"', '""') + '"' + ("*" if prefix else "")


_FTS = "a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"
_FTS_PROBED = "+" + _FTS
"""The same test with the planner told not to drive the query from it ("+" keeps the
index on ``a.id`` out): the rows are then read in time order from an index and each one
probed in the list of matches. For a common word (100,000 matches in 100,000 articles)
that is 50 ms instead of 145 ms spent looking every match up and sorting them; for a rare
one, 7 ms instead of 0.1 ms. Everything else a query tests is in an index too (time,
feed, read, starred; the author through the full-text index), so no row is read."""
_WORDS = re.compile(r"\w+")


def author_filter(name: str) -> str | None:
    """FTS5 for ``author:NAME``: every word of NAME begins a word of the author's name
    ("author:ana rep" finds "Ana Reporter"); None when NAME has no word."""
    words = _WORDS.findall(name)
    if not words:
        return None
    return "author : (" + " AND ".join(fts_phrase(w + "*") for w in words) + ")"


FTS_TABLE = "articles_fts"


def compile_query(query: str, *, index: str = FTS_TABLE) -> tuple[str, list[object]]:
    """SQL (over ``articles a``) and parameters for a search query.

    ``index`` is the full-text table its words are looked up in: the store's, or a
    temporary one holding just the articles a rule is tested on (see
    :class:`newsreader.store.rules.Batch`): the name only, never text of the query, is
    put into the SQL.
    """
    q = parse_query(query)
    clauses: list[str] = []
    params: list[object] = []
    terms = [t for t in q.terms if t.strip("*").strip()]
    matches = [fts_phrase(t) for t in terms]
    for author in q.authors:
        fts = author_filter(author)
        if fts is None:  # no word in it ("author:-"): nothing can match
            clauses.append("0")
        else:
            matches.append(fts)
    matches += [f"title : {fts_phrase(t)}" for t in q.titles if t.strip("*").strip()]
    if matches:
        clauses.append(_FTS_PROBED)
        params.append(" AND ".join(matches))
    for term in q.excluded:
        clauses.append("NOT " + _FTS)
        params.append(fts_phrase(term))
    for feed in q.feeds:
        clauses.append(
            "a.feed_id IN (SELECT id FROM feeds WHERE title LIKE ? OR url LIKE ?"
            " OR CAST(id AS TEXT) = ?)"
        )
        params.extend([f"%{feed}%", f"%{feed}%", feed])
    for label in q.labels:
        clauses.append(LABEL_SQL)
        params.append(label)
    for url in q.urls:
        clauses.append(r"a.url LIKE ? ESCAPE '\'")
        params.append("%" + re.sub(r"([\\%_])", r"\\\1", url) + "%")
    for actor in q.actors:
        clauses.append(ACTOR_SQL)
        params.extend([actor, actor] * 3)
    clauses.extend(HAS_SQL[kind] for kind in sorted(q.has))
    clauses.extend(_flag_sql(q.flags))
    if "hidden" not in q.flags:
        clauses.append(NOT_HIDDEN_SQL)
    if q.after is not None:
        clauses.append("a.sort_time >= ?")
        params.append(q.after)
    if q.before is not None:
        clauses.append("a.sort_time < ?")
        params.append(q.before)
    sql = ("(" + " AND ".join(clauses) + ")") if clauses else "1"
    return (sql if index == FTS_TABLE else sql.replace(FTS_TABLE, index)), params


LABEL_SQL = (
    "a.id IN (SELECT al.article_id FROM article_labels al"
    " WHERE al.label_id = (SELECT id FROM labels WHERE name = ?))"
)
"""``label:NAME``: the article has the label (names compare without case)."""
LATER_SQL = "a.id IN (SELECT article_id FROM later)"
HIDDEN_SQL = "a.id IN (SELECT article_id FROM hidden)"
NOT_HIDDEN_SQL = "a.id NOT IN (SELECT article_id FROM hidden)"
"""Every list leaves out what a rule hid (``is:hidden`` shows it)."""
_ACTOR_IDS = (
    "SELECT id FROM actors WHERE name = ? UNION"
    " SELECT actor_id FROM actor_aliases WHERE alias = ? COLLATE NOCASE"
)
ACTOR_SQL = (
    "(a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH coalesce("
    "(SELECT '{title text} : (' || group_concat('\"' || replace(n, '\"', '\"\"') || '\"',"
    " ' OR ') || ')' FROM (SELECT name AS n FROM actors WHERE id IN (" + _ACTOR_IDS + ")"
    " UNION SELECT alias FROM actor_aliases WHERE actor_id IN (" + _ACTOR_IDS + "))),"
    " '\"\"'))"
    " OR a.id IN (SELECT article_id FROM annotations WHERE kind = 'mention'"
    " AND deleted IS NULL AND actor_id IN (" + _ACTOR_IDS + ")))"
)
"""``actor:NAME`` (NAME given six times): the actor's name or an alias is in the title or
the text (a phrase of the full-text index), or the actor is tagged there. Nothing matches
when no actor has that name."""
_MARK = (
    "EXISTS (SELECT 1 FROM annotations n WHERE n.article_id = a.id AND n.deleted IS NULL"
    " AND n.kind = '{}')"
)
HAS_SQL = {
    "claims": _MARK.format("claim"),
    "mentions": _MARK.format("mention"),
    "highlights": _MARK.format("highlight"),
    "notes": "EXISTS (SELECT 1 FROM notes o WHERE o.article_id = a.id)",
}
"""``has:KIND``: the article carries a claim, mention or highlight (not deleted), or a note."""
LABELLED_SQL = "a.id IN (SELECT article_id FROM article_labels)"
DUPLICATE_SQL = (
    "a.id IN (SELECT d.article_id FROM articles_dup d WHERE EXISTS (SELECT 1 FROM"
    " articles_dup o WHERE o.group_id = d.group_id AND o.article_id != d.article_id))"
)
"""``is:duplicate``: another copy of the story is stored (see
:mod:`newsreader.feeds.duplicates`)."""


def _flag_sql(flags: set[str]) -> list[str]:
    sql = {
        "unread": "a.is_read = 0",
        "read": "a.is_read = 1",
        "starred": "a.is_starred = 1",
        "annotated": ANNOTATED_SQL,
        "later": LATER_SQL,
        "labelled": LABELLED_SQL,
        "labeled": LABELLED_SQL,
        "hidden": HIDDEN_SQL,
        "duplicate": DUPLICATE_SQL,
        "revised": REVISED_SQL,
        "changed": CHANGED_SQL,
    }
    return list(dict.fromkeys(sql[f] for f in sorted(flags)))
