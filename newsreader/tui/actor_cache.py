"""The actor matcher and the actor list, built once and rebuilt only after actors change.

Building a matcher over thousands of actors costs tens of milliseconds, and scanning an
article with it costs about as much: both happen in the open worker's thread, and the
result is shared by every later article until an actor is added, extended or merged.
"""

from __future__ import annotations

import sqlite3
import threading

from newsreader.annotations import service
from newsreader.annotations.actors import ActorMatcher
from newsreader.annotations.folding import fold
from newsreader.safety import clean_line
from newsreader.store import actors as actor_store


class ActorCache:
    """Thread-safe cache of the matcher and the ``(id, name, searchable)`` actor rows."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._matcher: ActorMatcher | None = None
        self._rows: list[tuple[int, str, str]] | None = None
        self._generation = 0

    def matcher(self, conn: sqlite3.Connection) -> ActorMatcher:
        """The matcher over every name and alias (built now if actors changed)."""
        with self._lock:
            found, generation = self._matcher, self._generation
        if found is not None:
            return found
        built = service.actor_matcher(conn)
        with self._lock:
            if self._generation == generation:
                self._matcher = built
        return built

    def built_matcher(self) -> ActorMatcher | None:
        """The matcher if it is built already (never builds it: for the UI thread)."""
        with self._lock:
            return self._matcher

    def rows(self, conn: sqlite3.Connection) -> list[tuple[int, str, str]]:
        """Every actor as ``(id, name, "name | alias…" folded)``, by name (folded as the
        dialogs' filters fold what is typed: case and diacritics ignored).

        Names are cleaned for display (stored ones already are, unless written by other
        means).
        """
        with self._lock:
            found, generation = self._rows, self._generation
        if found is not None:
            return found
        names: dict[int, str] = {}
        words: dict[int, list[str]] = {}
        for actor_id, text in actor_store.actor_names(conn):
            names.setdefault(actor_id, clean_line(text))  # names come first, then aliases
            words.setdefault(actor_id, []).append(fold(text))
        built = sorted(
            ((i, names[i], " | ".join(words[i])) for i in names), key=lambda row: row[1].casefold()
        )
        with self._lock:
            if self._generation == generation:
                self._rows = built
        return built

    def names(self, conn: sqlite3.Connection) -> dict[int, str]:
        """Every actor's name by id."""
        return {actor_id: name for actor_id, name, _ in self.rows(conn)}

    def invalidate(self) -> None:
        """Actors changed: rebuild on next use."""
        with self._lock:
            self._matcher, self._rows = None, None
            self._generation += 1
