"""Rules: read from config tables (a bad rule is left out with its name), the search
filters they use, their actions on a real store (delete spares what the user holds,
hide keeps the article out of every list), and at refresh against a real loopback feed."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from httpserver import LoopbackServer
from refresh_helpers import rss, settings, subscribe_all

from newsreader.annotations import service
from newsreader.feeds.refresh import refresh
from newsreader.feeds.rules import apply_rules, compile_rules, explain
from newsreader.models import ParsedEntry
from newsreader.rulespec import Rule, parse_rules
from newsreader.store import connect
from newsreader.store.actors import add_actor
from newsreader.store.articles import ArticleFilter, get_article, list_articles, upsert_entries
from newsreader.store.feeds import add_feed
from newsreader.store.labels import change_labels, labels_of, set_later


def stored(conn: sqlite3.Connection, *entries: tuple[str, str, str]) -> list[int]:
    """Articles (key, title, text) in one feed, the first the newest."""
    feed_id, _ = add_feed(conn, "http://127.0.0.1:1/feed")
    parsed = [
        ParsedEntry(
            key=key,
            title=title,
            text=text,
            url=f"https://news.example/{key}",
            published=2000.0 - n,
        )
        for n, (key, title, text) in enumerate(entries)
    ]
    return list(upsert_entries(conn, feed_id, parsed).new_ids)


def listed(conn: sqlite3.Connection, query: str = "") -> list[int]:
    return [a.id for a in list_articles(conn, ArticleFilter(search=query), limit=None)]


def rules(*tables: dict) -> list[Rule]:
    found, warnings = parse_rules(list(tables), "config.toml:")
    assert warnings == []
    return found


def test_config_tables_become_rules_and_a_bad_one_is_left_out_by_name() -> None:
    found, warnings = parse_rules(
        [
            {"name": "sport", "query": "title:football", "actions": ["read", "label:sport"]},
            {"name": "typo", "query": "x", "actions": ["raed"]},
            {"name": "Sport", "query": "y", "actions": ["read"]},
            {"query": "", "actions": ["read"]},
            {"name": "extra", "query": "z", "actions": ["hide"], "colour": "red"},
        ],
        "c.toml:",
    )
    assert [(r.name, r.labels) for r in found] == [("sport", ("sport",)), ("extra", ())]
    assert any("rule 'typo': unknown action 'raed'" in w for w in warnings)
    assert any("rule 'Sport': another rule has this name" in w for w in warnings)
    assert any("rule 4: query must be" in w for w in warnings)
    assert any("rule 'extra': unknown key 'colour'" in w for w in warnings)
    assert parse_rules({"name": "x"}, "c.toml:")[0] == []


def test_a_rule_with_a_bad_query_or_label_is_reported_and_the_rest_compile() -> None:
    compiled, problems = compile_rules(
        rules(
            {"name": "dated", "query": "after:2026-99-01", "actions": ["read"]},
            {"name": "labelled", "query": "x", "actions": ["label:a,b"]},
            {"name": "fine", "query": "petro", "actions": ["star"]},
        )
    )
    assert [c.rule.name for c in compiled] == ["fine"]
    assert problems[0].startswith("rule 'dated': not a date") and "not used" in problems[0]
    assert problems[1].startswith("rule 'labelled': a label cannot hold a comma")


def test_the_filters_rules_use(conn: sqlite3.Connection) -> None:
    petro, cup, other = stored(
        conn,
        ("p", "Petro speaks", "Gustavo Petro said the talks went well."),
        ("c", "World Cup final", "Football tonight: Petro watches."),
        ("o", "Weather", "Rain in Bogotá; GUSTAVO PETRO stays home."),
    )
    add_actor(conn, "Gustavo Petro", "person", ["Petro"])
    add_actor(conn, "Nobody Known", "person")
    service.create_from_quote(conn, cup, "Football tonight", "claim")
    assert listed(conn, "title:petro") == [petro]
    assert listed(conn, 'title:"world cup"') == [cup]
    assert listed(conn, "url:news.example/c") == [cup]
    assert listed(conn, "url:%") == []  # a wildcard is a character to find
    assert listed(conn, 'actor:"gustavo petro"') == [petro, cup, other]
    assert listed(conn, "actor:nobody") == [] and listed(conn, "actor:unknown") == []
    assert listed(conn, "has:claims") == [cup]
    assert listed(conn, "has:notes") == []


def test_actions_and_what_delete_spares(conn: sqlite3.Connection) -> None:
    ids = stored(conn, *[(f"k{n}", f"Football {n}", "a match") for n in range(6)])
    starred, labelled, later, annotated, plain, hidden = ids
    conn.execute("UPDATE articles SET is_starred = 1 WHERE id = ?", (starred,))
    change_labels(conn, [labelled], add=["keep"])
    set_later(conn, [later], True)
    service.create_from_quote(conn, annotated, "a match", "highlight")
    first, _ = compile_rules(rules({"name": "h", "query": "football 5", "actions": ["hide"]}))
    apply_rules(conn, first, None)
    compiled, _ = compile_rules(
        rules({"name": "drop", "query": "football", "actions": ["read", "label:seen", "delete"]})
    )
    dry = apply_rules(conn, compiled, None, dry_run=True)
    assert dry.matched == {"drop": 5} and dry.done == {} and len(listed(conn)) == 5
    report = apply_rules(conn, compiled, None)
    assert report.deleted == []  # labelled "seen" first, so delete spares them all
    assert report.done == {"read": 5, "label": 5, "kept": 5}
    again, _ = compile_rules(rules({"name": "d", "query": "-x", "actions": ["delete"]}))
    change_labels(conn, ids, remove=["seen"])
    report = apply_rules(conn, again, None)
    assert report.deleted == [plain]
    assert report.done == {"delete": 1, "kept": 4}
    assert get_article(conn, plain) is None
    assert labels_of(conn, labelled) == ["keep"]
    assert hidden not in listed(conn) and listed(conn, "is:hidden") == [hidden]


def test_explain_says_where_each_word_is(conn: sqlite3.Connection) -> None:
    (article_id,) = stored(conn, ("k", "Bogotá talks", "Petro spoke."))
    article = get_article(conn, article_id)
    assert article is not None
    why = explain("bogota petro feed:inter is:unread", article)
    assert why[:2] == ["“bogota” in title", "“petro” in text"]
    assert why[2].startswith("feed:inter (") and why[3:] == ["is:unread"]


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as running:
        yield running


def test_refresh_applies_rules_to_new_articles_and_a_bad_rule_does_not_stop_it(
    server: LoopbackServer, db_path: Path
) -> None:
    server.route("/f.xml", body=rss("Sports", items=4, prefix="match"))
    subscribe_all(db_path, [server.url("/f.xml")])
    summary = refresh(
        db_path,
        settings=settings(),
        rules=rules(
            {"name": "bad", "query": "before:nope", "actions": ["read"]},
            {"name": "hide two", "query": "title:2", "actions": ["hide"]},
            {"name": "drop three", "query": "title:3", "actions": ["delete"]},
            {"name": "label", "query": "match", "actions": ["label:sport"]},
        ),
    )
    assert summary.new_articles == 4 and not summary.errors
    assert summary.rules.problems[0].startswith("rule 'bad': not a date")
    assert summary.rules.done == {"hide": 1, "delete": 1, "label": 2}
    conn = connect(db_path)
    try:
        titles = {a.title for a in list_articles(conn, limit=None)}
        assert titles == {"match 0", "match 1"}
        assert [a.title for a in list_articles(conn, ArticleFilter(search="is:hidden"))] == [
            "match 2"
        ]
    finally:
        conn.close()
    again = refresh(db_path, settings=settings(), rules=[])  # the document is the same
    assert again.new_articles == 0  # the deleted one left a tombstone: it stays gone
