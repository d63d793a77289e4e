"""Feed dates -> unix seconds (UTC), and the bounds a stored date must respect.

Two kinds of parsing live here:

- :func:`parse_strict` reads only the two forms well-formed feeds use (RFC 822 as in RSS,
  RFC 3339 / W3C-DTF as in Atom and JSON Feed) and raises ``ValueError`` on anything else,
  so the fast path can hand such a feed to feedparser instead of guessing. On the forms it
  accepts it gives exactly what feedparser gives (a differential test checks this).
- :func:`from_struct` converts feedparser's UTC ``struct_time``, refusing what feedparser
  silently got wrong: a five-digit year ("10000-01-01" comes back as 2010).

:func:`bounded` applies the sanity bounds to every date, whichever parser produced it:
nothing before 1970-01-01T00:00:01Z, nothing more than two days in the future.
"""

from __future__ import annotations

import calendar
import re
import time
from datetime import UTC, datetime, timedelta

MAX_FUTURE = 2 * 86400.0
"""A date may lie at most this far ahead of now (clock skew, time zones); later is bogus."""
MIN_TIMESTAMP = 0.0
"""Dates at or before the epoch are placeholders (0, -1) or garbage."""

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_ZONES = {
    "gmt": 0, "ut": 0, "utc": 0, "z": 0, "edt": -4, "est": -5, "cdt": -5, "cst": -6,
    "mdt": -6, "mst": -7, "pdt": -7, "pst": -8,
}
_RFC822 = re.compile(
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun),\s+)?(\d{1,2})\s+([a-z]{3})\s+(\d{4})\s+"
    r"(\d{2}):(\d{2})(?::(\d{2}))?\s+([+-]\d{4}|[a-z]{1,3})",
    re.IGNORECASE | re.ASCII,
)
_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
    r"([Zz]|[+-]\d{2}:\d{2}))?",
    re.ASCII,
)
_LONG_NUMBER = re.compile(r"(?<![.\d])\d{5,}")
"""A run of five or more digits not after a decimal point: a year feedparser would mangle."""


def parse_strict(value: str) -> float | None:
    """Parse an RFC 822 or RFC 3339 date into unix seconds (fractions dropped).

    Returns None for an empty value. Raises ValueError when the value is not in one of the
    strict forms, or names an impossible date: the caller decides what to do then.
    """
    value = value.strip()
    if not value:
        return None
    if value[0].isdigit() and "-" in value[:5]:
        return _iso(value)
    return _rfc822(value)


def _iso(value: str) -> float:
    match = _ISO.fullmatch(value)
    if match is None:
        raise ValueError(f"not an RFC 3339 date: {value[:40]!r}")
    year, month, day, hour, minute, second, zone = match.groups()
    if hour is None:
        offset = timedelta(0)
    elif zone in ("Z", "z"):
        offset = timedelta(0)
    else:
        sign = -1 if zone[0] == "-" else 1
        offset = sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
    stamp = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                     int(second or 0), tzinfo=UTC)
    return float(calendar.timegm((stamp - offset).utctimetuple()))


def _rfc822(value: str) -> float:
    match = _RFC822.fullmatch(value)
    if match is None:
        raise ValueError(f"not an RFC 822 date: {value[:40]!r}")
    day, month_name, year, hour, minute, second, zone = match.groups()
    month = _MONTHS.get(month_name.lower())
    if month is None:
        raise ValueError(f"unknown month in {value[:40]!r}")
    if zone[0] in "+-":
        sign = -1 if zone[0] == "-" else 1
        offset = sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5]))
    elif zone.lower() in _ZONES:
        offset = timedelta(hours=_ZONES[zone.lower()])
    else:
        raise ValueError(f"unknown time zone in {value[:40]!r}")
    stamp = datetime(int(year), month, int(day), int(hour), int(minute), int(second or 0),
                     tzinfo=UTC)
    return float(calendar.timegm((stamp - offset).utctimetuple()))


def from_struct(parsed: object, raw: object) -> float | None:
    """Unix seconds from feedparser's UTC ``struct_time`` (None when absent or mangled).

    Args:
        parsed: feedparser's ``*_parsed`` value (a UTC time.struct_time or None).
        raw: the date string it was parsed from, checked for five-digit years.
    """
    if not isinstance(parsed, time.struct_time):
        return None
    if isinstance(raw, str) and _LONG_NUMBER.search(raw):
        return None
    try:
        return float(calendar.timegm(parsed))
    except (OverflowError, ValueError):
        return None


def parse_lenient(value: object) -> float | None:
    """Any date string feedparser understands, else None (for JSON Feed's free-form dates)."""
    if not isinstance(value, str) or not value.strip() or len(value) > 100:
        return None
    try:
        return parse_strict(value)
    except (ValueError, OverflowError):
        pass
    from feedparser.datetimes import _parse_date  # feedparser's date handlers, no I/O

    try:
        return from_struct(_parse_date(value), value)
    except Exception:  # noqa: BLE001 - third-party date handlers may raise anything
        return None


def bounded(timestamp: float | None, now: float | None = None) -> float | None:
    """``timestamp`` if it is a plausible article date, else None."""
    if timestamp is None:
        return None
    now = time.time() if now is None else now
    if timestamp <= MIN_TIMESTAMP or timestamp > now + MAX_FUTURE:
        return None
    return timestamp
