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
import unicodedata
from datetime import UTC, datetime, timedelta

MAX_FUTURE = 2 * 86400.0
"""A date may lie at most this far ahead of now (clock skew, time zones); later is bogus."""
MIN_TIMESTAMP = 0.0
"""Dates at or before the epoch are placeholders (0, -1) or garbage."""

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_ZONES = {
    "gmt": 0,
    "ut": 0,
    "utc": 0,
    "z": 0,
    "edt": -4,
    "est": -5,
    "cdt": -5,
    "cst": -6,
    "mdt": -6,
    "mst": -7,
    "pdt": -7,
    "pst": -8,
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
    stamp = datetime(
        int(year),
        int(month),
        int(day),
        int(hour or 0),
        int(minute or 0),
        int(second or 0),
        tzinfo=UTC,
    )
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
    stamp = datetime(
        int(year), month, int(day), int(hour), int(minute), int(second or 0), tzinfo=UTC
    )
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
    """Any date string we or feedparser understand, else None (JSON Feed's free-form dates,
    and every date on feedparser's path).

    The strict forms first (identical to feedparser on them), then :func:`parse_loose`
    (localized names, 12-hour clocks, month-first order: forms feedparser misreads or
    refuses), then feedparser's own handlers.
    """
    if not isinstance(value, str) or not value.strip() or len(value) > 100:
        return None
    try:
        return parse_strict(value)
    except (ValueError, OverflowError):
        pass
    loose = parse_loose(value)
    if loose is not None:
        return loose
    from feedparser.datetimes import _parse_date  # feedparser's date handlers, no I/O

    try:
        return from_struct(_parse_date(value), value)
    except Exception:  # noqa: BLE001 - third-party date handlers may raise anything
        return None


def parse_loose(value: str) -> float | None:
    """A date written with a month *name* in any common order and language, else None.

    Reads "Sat, Dec 16 2023 02:02:33 PM" (month first, 12-hour clock), "mer, 16 nov 2022
    00:38:15 +0100" (French), "Mi, 16. Nov. 2022", "16 de noviembre de 2022 10:00",
    "mercoledì 16 novembre 2022", "qua, 16 nov 2022", "wo 16 nov 2022" — English, French,
    German, Spanish, Italian, Portuguese and Dutch day and month names, full or short,
    with or without accents and dots. Needs exactly one month name, one day and a
    four-digit year; any word it does not know makes it give up (None) rather than guess.
    A date without a zone is taken as UTC, as feedparser does.
    """
    if len(value) > 100:
        return None
    text = _fold(value)
    clock = _CLOCK.search(text)
    hour: int | None = 0
    minute = second = 0
    offset = 0
    if clock:
        hour, minute, second = (int(part or 0) for part in clock.group(1, 2, 3))
        hour = _twelve_hour(hour, clock.group(4))
        text = text[: clock.start()] + " " + text[clock.end() :]
    zone = _ZONE.search(text)
    if zone:
        east = _zone_offset(zone)
        if east is None:
            return None
        offset = east
        text = text[: zone.start()] + " " + text[zone.end() :]
    fields = _date_fields(_TOKEN.findall(text))
    if fields is None or hour is None:
        return None
    year, month, day = fields
    try:
        stamp = datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError:
        return None
    return float(calendar.timegm(stamp.utctimetuple())) - offset


def _fold(value: str) -> str:
    """Lower case without accents ("Déc." -> "dec.", "März" -> "marz")."""
    decomposed = unicodedata.normalize("NFKD", value.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("ß", "ss")


def _twelve_hour(hour: int, meridiem: str | None) -> int | None:
    """The 24-hour hour for "02 PM" (14), "12 AM" (0); None for "13 PM"."""
    if not meridiem:
        return hour
    if not 1 <= hour <= 12:
        return None
    pm = meridiem.startswith("p")
    return (hour % 12) + (12 if pm else 0)


def _zone_offset(match: re.Match[str]) -> int | None:
    """Seconds east of UTC of a "+0100" / "+01:00" / "CEST" zone; None if out of range."""
    sign, hours, minutes, name = match.groups()
    if name is not None:
        return _NAMED_ZONES[name] * 3600
    if int(hours) > 14 or int(minutes) > 59:
        return None
    return (-1 if sign == "-" else 1) * (int(hours) * 3600 + int(minutes) * 60)


def _date_fields(tokens: list[str]) -> tuple[int, int, int] | None:
    """(year, month, day) from the words and numbers left once time and zone are gone."""
    words = [t for t in tokens if not t.isdigit()]
    numbers = [t for t in tokens if t.isdigit()]
    months = [w for w in words if w in _MONTH_NAMES]
    weekday_too = len(months) > 1 and months[0] in _WEEKDAYS  # French "mar" = mardi
    if weekday_too:
        months = months[1:]
    if len(months) != 1:
        return None
    unknown = [
        w for w in words if w not in _MONTH_NAMES and w not in _WEEKDAYS and w not in _FILLERS
    ]
    years = [n for n in numbers if len(n) == 4]
    days = [n for n in numbers if len(n) <= 2]
    if unknown or len(years) != 1 or len(days) != 1 or len(numbers) != 2:
        return None
    return int(years[0]), _MONTH_NAMES[months[0]], int(days[0])


def _names(table: dict[int, str]) -> dict[str, int]:
    return {name: number for number, names in table.items() for name in names.split()}


_MONTH_NAMES = _names(
    {
        1: "jan january janv janvier januar janner ene enero gen gennaio janeiro januari",
        2: "feb february febr fev fevr fevrier februar febrero febbraio fevereiro februari",
        3: "mar march mars marz maerz mrz marzo marco mrt maart",
        4: "apr april avr avril abr abril aprile",
        5: "may mai mayo mag maggio maio mei",
        6: "jun june juin juni junio giu giugno junho",
        7: "jul july juil juillet juli julio lug luglio julho",
        8: "aug august aout ago agosto augustus",
        9: "sep sept september septembre septiembre setiembre set settembre setembro",
        10: "oct october octobre okt oktober octubre ott ottobre out outubro",
        11: "nov november novembre noviembre novembro",
        12: "dec december decembre dez dezember dic diciembre dicembre dezembro",
    }
)
_WEEKDAYS = frozenset(
    """
    mon monday tue tues tuesday wed wednesday thu thur thurs thursday fri friday sat
    saturday sun sunday
    lun lundi mar mardi mer mercredi jeu jeudi ven vendredi sam samedi dim dimanche
    mo montag di dienstag mi mittwoch do donnerstag fr freitag sa samstag sonnabend so
    sonntag
    lunes martes mie miercoles jue jueves vie viernes sab sabado dom domingo
    lunedi martedi mercoledi gio giovedi venerdi sabato domenica
    seg segunda ter terca qua quarta qui quinta sex sexta
    ma maandag dinsdag wo woensdag donderdag vr vrijdag za zaterdag zo zondag
""".split()
)
_FILLERS = frozenset(
    "de del of the at um a as le el der den het om alle las feira uhr st nd rd th er h".split()
)
_NAMED_ZONES = {
    **_ZONES,  # RFC 822's, as feedparser reads them; then common others
    "wet": 0,
    "bst": 1,
    "west": 1,
    "cet": 1,
    "met": 1,
    "mez": 1,
    "cest": 2,
    "mest": 2,
    "mesz": 2,
    "eet": 2,
    "eest": 3,
    "msk": 3,
    "jst": 9,
    "kst": 9,
    "aest": 10,
    "aedt": 11,
}
_CLOCK = re.compile(
    r"(?<![\d:])(\d{1,2})[:h](\d{2})(?::(\d{2}))?(?:[.,]\d+)?"
    r"(?:\s*(a\.?\s?m\.?|p\.?\s?m\.?)(?![a-z]))?",
    re.ASCII,
)
_ZONE = re.compile(
    r"(?<![a-z0-9])(?:(?:gmt|utc)?([+-])(\d{2}):?(\d{2})(?!\d)|("
    + "|".join(sorted(_NAMED_ZONES, key=len, reverse=True))
    + r")(?![a-z]))",
    re.ASCII,
)
_TOKEN = re.compile(r"[^\W\d_]+|\d+")


def bounded(timestamp: float | None, now: float | None = None) -> float | None:
    """``timestamp`` if it is a plausible article date, else None."""
    if timestamp is None:
        return None
    now = time.time() if now is None else now
    if timestamp <= MIN_TIMESTAMP or timestamp > now + MAX_FUTURE:
        return None
    return timestamp
