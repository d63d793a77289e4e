"""Rules at work: compiled once, applied to a refresh's new articles as each feed is
stored (in its transaction, so a hidden article never shows) and on demand to every
article; ``test`` says what a query would match, and why.

A rule whose query or label cannot be used is reported with its name and left out; the
other rules and the refresh go on. Within a rule the actions run in this order: read,
star, labels, hide, delete; rules run in the order config.toml gives them, and an article
one rule deleted is gone for the next. Delete spares what the user holds (starred,
labelled, in Later, annotated): those are counted as kept.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from newsreader.models import Article
from newsreader.rulespec import Rule
from newsreader.store import rules as rule_store
from newsreader.store.labels import LabelError, change_labels, clean_label
from newsreader.store.search import QueryError, compile_query, parse_query


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A rule with its query as SQL over ``articles a``."""

    rule: Rule
    where: str
    params: tuple[object, ...]
    batch_where: str
    """The same over a :class:`newsreader.store.rules.Batch`'s own full-text index."""


@dataclass
class RulesReport:
    """What rules did (or, in a dry run, would do)."""

    matched: dict[str, int] = field(default_factory=dict)
    """Articles each rule matched, by rule name."""
    done: dict[str, int] = field(default_factory=dict)
    """Articles each action changed: read, star, label, hide, delete; kept (spared by
    delete)."""
    deleted: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def add(self, other: RulesReport) -> None:
        """Fold another report (a later feed's) into this one."""
        for name, count in other.matched.items():
            self.matched[name] = self.matched.get(name, 0) + count
        for action, count in other.done.items():
            self.done[action] = self.done.get(action, 0) + count
        self.deleted += other.deleted

    def count(self, action: str, number: int) -> None:
        """Count ``number`` articles changed by ``action``."""
        if number:
            self.done[action] = self.done.get(action, 0) + number

    def line(self) -> str:
        """'rules: 3 marked read, 2 labelled, 1 deleted' ("" when they did nothing)."""
        words = {
            "read": "marked read",
            "star": "starred",
            "label": "labelled",
            "hide": "hidden",
            "delete": "deleted",
            "kept": "kept from deletion (starred, labelled, in Later or annotated)",
        }
        parts = [f"{n} {words[a]}" for a, n in self.done.items() if n]
        return "rules: " + ", ".join(parts) if parts else ""


def compile_rules(rules: Iterable[Rule]) -> tuple[list[CompiledRule], list[str]]:
    """The usable rules as SQL, and one line for each that is not (its name, why)."""
    compiled, problems = [], []
    for rule in rules:
        try:
            for label in rule.labels:
                clean_label(label)
            where, params = compile_query(rule.query)
        except (QueryError, LabelError) as exc:
            problems.append(f"rule {rule.name!r}: {exc}; the rule is not used")
            continue
        batch_where, _ = compile_query(rule.query, index=rule_store.BATCH_INDEX)
        compiled.append(CompiledRule(rule, where, tuple(params), batch_where))
    return compiled, problems


def apply_rules(
    conn: sqlite3.Connection,
    rules: Sequence[CompiledRule],
    ids: Sequence[int] | None,
    *,
    dry_run: bool = False,
) -> RulesReport:
    """Apply ``rules`` to the articles ``ids`` (every article when None), in the caller's
    transaction when there is one."""
    report = RulesReport()
    gone: set[int] = set()
    batch = rule_store.Batch(conn, ids) if ids is not None and rules else None
    for compiled in rules:
        if batch is not None:
            found = batch.matching(compiled.batch_where, compiled.params, gone)
        else:
            found = [
                i
                for i in rule_store.matching(conn, compiled.where, compiled.params, None)
                if i not in gone
            ]
        report.matched[compiled.rule.name] = len(found)
        if found and not dry_run:
            gone.update(_act(conn, compiled.rule, found, report))
    report.deleted = sorted(gone)
    return report


def _act(conn: sqlite3.Connection, rule: Rule, ids: list[int], report: RulesReport) -> list[int]:
    """Run one rule's actions on the articles it matched; returns those it deleted."""
    actions = rule.actions
    if "read" in actions:
        report.count("read", rule_store.mark_read(conn, ids))
    if "star" in actions:
        report.count("star", rule_store.star(conn, ids))
    if rule.labels:
        report.count("label", change_labels(conn, ids, add=rule.labels).added)
    if "hide" in actions:
        report.count("hide", rule_store.hide(conn, ids, rule.name))
    if "delete" not in actions:
        return []
    deleted = rule_store.delete_unheld(conn, ids)
    report.count("delete", len(deleted))
    report.count("kept", len(ids) - len(deleted))
    return deleted


def explain(query: str, article: Article) -> list[str]:
    """Why ``article`` matches ``query``: where each word was found, and the filters
    (which the match itself proves)."""
    parsed = parse_query(query)
    fields = {"title": article.title, "author": article.author, "text": article.text}
    folded = {name: _fold(value) for name, value in fields.items()}
    why = []
    for term in parsed.terms:
        word = _fold(term.rstrip("*"))
        places = [name for name, value in folded.items() if word and word in value]
        why.append(f"“{term}” in {', '.join(places) or 'the index'}")
    why += [f"title has “{t}”" for t in parsed.titles]
    why += [f"url has “{u}”" for u in parsed.urls]
    why += [f"feed:{f} ({article.feed_title})" for f in parsed.feeds]
    why += [f"author:{a} ({article.author})" for a in parsed.authors]
    why += [f"label:{x}" for x in parsed.labels]
    why += [f"mentions {x}" for x in parsed.actors]
    why += [f"has:{x}" for x in sorted(parsed.has)]
    why += [f"is:{x}" for x in sorted(parsed.flags)]
    why += [f"without “{x}”" for x in parsed.excluded]
    return why


def _fold(text: str) -> str:
    """Lower case without diacritics, as the full-text index compares words."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def describe(rule: Rule) -> str:
    """'title:football → read, label:sport, hide'."""
    return f"{rule.query} → {', '.join(rule.actions)}"
