"""Rules as config.toml writes them: ``[[rules]]`` tables of a name, a search query and
actions. Read here without the store (the query is checked when rules are compiled, see
:mod:`newsreader.feeds.rules`); a rule that cannot be used is left out with one warning
naming it, and never stops the others or the program::

    [[rules]]
    name = "sport"
    query = "feed:bbc title:football"
    actions = ["read", "label:sport", "hide"]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ACTIONS = ("read", "star", "hide", "delete")
"""Actions besides ``label:NAME``: mark read, star, hide (kept, reachable with
``is:hidden``), delete (never an article that is starred, labelled, in Later or
annotated)."""
_KEYS = {"name", "query", "actions"}
MAX_RULES = 500


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule: its name, its search query and what it does to the articles it matches."""

    name: str
    query: str
    actions: tuple[str, ...]

    @property
    def labels(self) -> tuple[str, ...]:
        """The labels its ``label:NAME`` actions give."""
        return tuple(a.partition(":")[2] for a in self.actions if a.startswith("label:"))


def parse_rules(value: Any, where: str) -> tuple[list[Rule], list[str]]:
    """The usable rules of a ``rules`` value (a list of tables) and a warning for each
    problem (a bad rule is left out; the others stay)."""
    if not isinstance(value, list):
        return [], [f"{where} must be [[rules]] tables, each with name, query and actions"]
    rules: list[Rule] = []
    warnings: list[str] = []
    names: set[str] = set()
    for index, table in enumerate(value[:MAX_RULES], 1):
        try:
            rule = _rule(table, index, names)
        except ValueError as exc:
            warnings.append(f"{where} {exc}; the rule is not used")
            continue
        warnings += [f"{where} rule {rule.name!r}: unknown key {k!r}" for k in set(table) - _KEYS]
        names.add(rule.name.casefold())
        rules.append(rule)
    if len(value) > MAX_RULES:
        warnings.append(f"{where} more than {MAX_RULES} rules: the first {MAX_RULES} are used")
    return rules, warnings


def _rule(table: Any, index: int, names: set[str]) -> Rule:
    if not isinstance(table, dict):
        raise ValueError(f"rule {index} must be a table")
    name = table.get("name", f"rule {index}")
    if not isinstance(name, str) or not name.strip() or not name.isprintable():
        raise ValueError(f"rule {index}: name must be a non-empty line of text")
    name = name.strip()
    said = f"rule {name!r}" if "name" in table else f"rule {index}"
    if name.casefold() in names:
        raise ValueError(f"{said}: another rule has this name")
    query = table.get("query")
    if not isinstance(query, str) or not query.strip():
        raise ValueError(f'{said}: query must be a search (e.g. "title:football")')
    actions = table.get("actions")
    if not isinstance(actions, list) or not actions:
        raise ValueError(f'{said}: actions must be a list, e.g. ["read", "hide"]')
    for action in actions:
        if not isinstance(action, str) or not (
            action in ACTIONS or (action.startswith("label:") and action[6:].strip())
        ):
            known = ", ".join(f'"{a}"' for a in (*ACTIONS, "label:NAME"))
            raise ValueError(f"{said}: unknown action {action!r} (known: {known})")
    return Rule(name, query.strip(), tuple(dict.fromkeys(actions)))
