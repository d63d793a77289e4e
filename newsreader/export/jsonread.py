"""Hostile JSON, read safely: bounded size, typed and bounded values, located errors.

Every accessor of :class:`Obj` checks the type and size of what it returns and raises
:class:`ImportFormatError` naming where the problem is
(``first.items[3].target.selector[0].exact: …``). Strings lose lone surrogates (JSON
allows them, SQLite cannot store them); callers clean them further with
:mod:`newsreader.safety`.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, overload

from newsreader.safety import clean_text
from newsreader.store.actors import ActorError, clean_name

MAX_BYTES = 200 * 1024 * 1024
"""Largest file accepted."""
MAX_ITEMS = 2_000_000
"""Most annotations and notes, or actors, in one file."""
MAX_EXACT = 1_000_000
"""Longest quote, in characters."""
MAX_CONTEXT = 1_000
"""Longest prefix or suffix."""
MAX_LINE = 10_000
"""Longest title, feed title or url."""
MAX_LIST = 10_000
"""Most entries of a small list (aliases, actors a claim is about, status changes)."""
_LATEST = 253402300799.0  # 9999-12-31T23:59:59Z


class ImportFormatError(ValueError):
    """The file is not a newsreader export it is safe to import; the message says where."""


_SURROGATE = re.compile("[\ud800-\udfff]")


def _text(value: str) -> str:
    """Lone surrogates (which JSON allows and SQLite cannot store) become U+FFFD."""
    return _SURROGATE.sub("\ufffd", value)


class Obj:
    """A JSON object with typed, bounded accessors that raise ImportFormatError."""

    def __init__(self, value: object, where: str) -> None:
        if not isinstance(value, dict):
            raise ImportFormatError(f"{where}: expected an object")
        self.value, self.where = value, where

    def fail(self, key: str, problem: str) -> ImportFormatError:
        """An error about ``key`` of this object."""
        return ImportFormatError(f"{self.where}.{key}: {problem}")

    def raw(self, key: str, *, required: bool = True) -> Any:
        """The value at ``key`` (None when absent and not required)."""
        if key not in self.value:
            if required:
                raise self.fail(key, "missing")
            return None
        return self.value[key]

    def string(
        self, key: str, limit: int, *, required: bool = True, nullable: bool = False
    ) -> str | None:
        """A string of at most ``limit`` characters (None if allowed and null/absent)."""
        value = self.raw(key, required=required and not nullable)
        if value is None:
            if nullable or not required:
                return None
            raise self.fail(key, "must not be null")
        if not isinstance(value, str):
            raise self.fail(key, "expected a string")
        if len(value) > limit:
            raise self.fail(key, f"longer than {limit} characters")
        return _text(value)

    def text(self, key: str, limit: int, *, multiline: bool = True) -> str:
        """A required string, cleaned of control characters."""
        value = self.string(key, limit)
        assert value is not None
        return clean_text(value, multiline=multiline)

    def integer(self, key: str, *, minimum: int = 0, maximum: int = 2**53) -> int:
        """An integer within bounds (booleans refused)."""
        value = self.raw(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.fail(key, "expected an integer")
        if not minimum <= value <= maximum:
            raise self.fail(key, f"must be between {minimum} and {maximum}")
        return value

    def boolean(self, key: str, default: bool = False) -> bool:
        """A boolean (``default`` when absent)."""
        value = self.raw(key, required=False)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.fail(key, "expected true or false")
        return value

    @overload
    def choice(self, key: str, allowed: tuple[str, ...]) -> str: ...

    @overload
    def choice(self, key: str, allowed: tuple[str, ...], *, nullable: bool) -> str | None: ...

    def choice(self, key: str, allowed: tuple[str, ...], *, nullable: bool = False) -> str | None:
        """One of ``allowed`` (or None when ``nullable`` and null/absent)."""
        value = self.string(key, 100, nullable=nullable)
        if value is not None and value not in allowed:
            raise self.fail(key, f"must be one of {', '.join(allowed)}")
        return value

    def time(self, key: str, *, nullable: bool = False) -> float | None:
        """An ISO 8601 date-time as a unix time (UTC when no offset is given)."""
        value = self.string(key, 64, nullable=nullable)
        if value is None:
            return None
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise self.fail(key, f"not an ISO 8601 date-time: {value!r}") from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        stamp = moment.timestamp()
        if not 0 <= stamp <= _LATEST:
            raise self.fail(key, "date out of range")
        return stamp

    def items(self, key: str, limit: int = MAX_LIST, *, required: bool = False) -> list[Any]:
        """A list of at most ``limit`` elements ([] when absent and not required)."""
        value = self.raw(key, required=required)
        if value is None and not required:
            return []
        if not isinstance(value, list):
            raise self.fail(key, "expected a list")
        if len(value) > limit:
            raise self.fail(key, f"more than {limit} entries")
        return value

    def obj(self, key: str) -> Obj:
        """A nested object."""
        return Obj(self.raw(key), f"{self.where}.{key}")


def name(value: object, where: str) -> str:
    """An actor name or alias, as the registry would store it."""
    if not isinstance(value, str):
        raise ImportFormatError(f"{where}: expected a name (a string)")
    try:
        return clean_name(_text(value))
    except ActorError as exc:
        raise ImportFormatError(f"{where}: {exc}") from None


def optional_name(obj: Obj, key: str) -> str | None:
    """An actor named at ``key``, or None."""
    value = obj.raw(key, required=False)
    return None if value is None else name(value, f"{obj.where}.{key}")


def uid_of(obj: Obj, key: str = "id") -> str:
    """The uid behind the ``urn:uuid:`` id at ``key`` (an item's own id by default)."""
    value = obj.string(key, 100)
    assert value is not None
    if not value.lower().startswith("urn:uuid:"):
        raise obj.fail(key, "expected urn:uuid:…")
    try:
        return uuid.UUID(value[9:]).hex
    except ValueError:
        raise obj.fail(key, f"not a UUID: {value!r}") from None


def read_json(path: Path) -> object:
    """Parse ``path`` as JSON, bounded in size; NaN and Infinity refused."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ImportFormatError(f"cannot read it: {exc.strerror or exc}") from exc
    if len(data) > MAX_BYTES:
        raise ImportFormatError(f"larger than {MAX_BYTES // 2**20} MB")
    return parse_json(data)


def parse_json(data: bytes) -> object:
    """Parse JSON bytes (UTF-8, an optional BOM), refusing NaN/Infinity and deep nesting."""

    def refuse(constant: str) -> object:
        raise ImportFormatError(f"not valid JSON: {constant} is not a number")

    try:
        return json.loads(data.decode("utf-8-sig"), parse_constant=refuse)
    except UnicodeDecodeError as exc:
        raise ImportFormatError(f"not UTF-8 text: {exc.reason} at byte {exc.start}") from None
    except json.JSONDecodeError as exc:
        raise ImportFormatError(
            f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except RecursionError:
        raise ImportFormatError("not valid JSON: nested too deeply") from None
