"""Counted nouns for messages: "1 feed", "2 feeds" (shared by the CLI, the TUI and the domain)."""

from __future__ import annotations

_IRREGULAR = {"entry": "entries", "query": "queries"}


def plural(count: int, noun: str, many: str | None = None) -> str:
    """``count`` and ``noun`` agreeing in number: ``plural(1, "feed")`` is "1 feed".

    ``many`` is the plural form when it is not ``noun`` + "s" (nor a known irregular one).
    """
    if count == 1:
        return f"{count} {noun}"
    return f"{count} {many or _IRREGULAR.get(noun, noun + 's')}"
