"""Labels and the Later queue in the store: several labels an article, names without case,
``label:``/``is:later`` in search, the Later list in queue order, and nothing lost when
two feeds merge."""

from __future__ import annotations

import sqlite3

import pytest

from newsreader.models import ParsedEntry
from newsreader.store.articles import ArticleFilter, get_article, list_articles, upsert_entries
from newsreader.store.db import transaction
from newsreader.store.feeds import add_feed, merge_feeds
from newsreader.store.labels import (
    LabelError,
    change_labels,
    clean_label,
    label_names,
    labels_of,
    later_queue,
    list_labels,
    set_later,
)
from newsreader.store.views import Source, article_ids, feed_rows, neighbour_unread


def stored(conn: sqlite3.Connection, count: int, feed: str = "http://127.0.0.1:1/f") -> list[int]:
    feed_id, _ = add_feed(conn, feed)
    entries = [
        ParsedEntry(key=f"k{n}", title=f"Story {n}", text=f"text {n}", published=1000.0 + n)
        for n in range(count)
    ]
    return list(upsert_entries(conn, feed_id, entries).new_ids)


def test_labels_are_several_per_article_and_compare_without_case(
    conn: sqlite3.Connection,
) -> None:
    a, b, _ = stored(conn, 3)
    change_labels(conn, [a, b], add=["Brief", "to  check"])
    change = change_labels(conn, [a], add=["brief"], remove=["TO CHECK"])
    assert (change.added, change.removed) == (0, 1)
    assert labels_of(conn, a) == ["Brief"]
    assert labels_of(conn, b) == ["Brief", "to check"]
    assert [(x.name, x.articles, x.unread) for x in list_labels(conn)] == [
        ("Brief", 2, 2),
        ("to check", 1, 1),
    ]


def test_a_label_on_no_article_is_forgotten(conn: sqlite3.Connection) -> None:
    (a,) = stored(conn, 1)
    change_labels(conn, [a], add=["gone"])
    change_labels(conn, [a], remove=["gone"])
    assert label_names(conn) == []


@pytest.mark.parametrize("name", ["", "  ", "-x", "+x", "a,b", "x" * 65, "\x1b[31m"])
def test_bad_label_names_are_refused_and_change_nothing(
    conn: sqlite3.Connection, name: str
) -> None:
    (a,) = stored(conn, 1)
    with pytest.raises(LabelError):
        change_labels(conn, [a], add=["fine", name])
    assert labels_of(conn, a) == []


def test_control_characters_leave_the_name() -> None:
    assert clean_label("war\x1b[2J room\u202e") == "war room"


def test_search_and_filters_find_labels_and_later(conn: sqlite3.Connection) -> None:
    a, b, c = stored(conn, 3)
    change_labels(conn, [a, c], add=["to check"])
    set_later(conn, [b], True)

    def found(**kwargs: object) -> list[int]:
        return [x.id for x in list_articles(conn, ArticleFilter(**kwargs))]  # type: ignore[arg-type]

    assert found(search='label:"TO CHECK"') == [c, a]
    assert found(search="label:nothing") == []
    assert found(search="is:later") == [b]
    assert found(search="is:labelled story") == [c, a]
    assert found(label="to check", unread=True) == [c, a]
    assert found(later=True) == [b]


def test_later_lists_in_queue_order_and_steps_through_it(conn: sqlite3.Connection) -> None:
    a, b, c = stored(conn, 3)  # c is the newest article
    assert set_later(conn, [a], True) == 1
    assert set_later(conn, [c, b], True) == 2
    assert set_later(conn, [a], True) == 0  # already there: keeps its place
    assert list(article_ids(conn, Source("later"))) == [b, c, a]  # newest entry first
    assert [i for i, _ in later_queue(conn)] == [b, c, a]
    assert neighbour_unread(conn, Source("later"), b) == c
    assert neighbour_unread(conn, Source("later"), c) == a
    assert neighbour_unread(conn, Source("later"), c, forward=False) == b
    assert set_later(conn, [c], False) == 1
    assert list(article_ids(conn, Source("later"))) == [b, a]
    assert get_article(conn, a).in_later  # type: ignore[union-attr]
    assert not get_article(conn, c).in_later  # type: ignore[union-attr]


def test_feeds_pane_lists_later_and_each_label(conn: sqlite3.Connection) -> None:
    a, b = stored(conn, 2)
    change_labels(conn, [a, b], add=["brief"])
    set_later(conn, [a], True)
    rows = {row.source.key: row for row in feed_rows(conn)}
    assert rows["later"].label == "Later" and rows["later"].count == 1
    assert rows["label:brief"].count == 2
    assert list(article_ids(conn, rows["label:brief"].source)) == [b, a]


def test_merging_feeds_keeps_the_duplicates_labels_and_later(conn: sqlite3.Connection) -> None:
    (kept,) = stored(conn, 1, "http://127.0.0.1:1/a")
    (dup,) = stored(conn, 1, "http://127.0.0.1:1/b")  # the same key: one story twice
    change_labels(conn, [dup], add=["brief"])
    set_later(conn, [dup], True)
    source = get_article(conn, dup)
    target = get_article(conn, kept)
    assert source is not None and target is not None
    with transaction(conn):
        merge_feeds(conn, source.feed_id, target.feed_id)
    assert labels_of(conn, kept) == ["brief"]
    assert [i for i, _ in later_queue(conn)] == [kept]
