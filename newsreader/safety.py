"""The one boundary for untrusted text: everything from a feed or a web page passes here.

Feed text is stored clean, so the store, the exports and both front ends agree on it.
Terminal escape sequences (CSI, OSC such as OSC 8 links and OSC 52 clipboard writes),
other C0/C1 controls and bidi overrides are removed; newline and tab survive only where
the caller asks for multi-line text.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

# Whole escape sequences first, so no payload ("52;c;...") is left behind as text.
_OSC = r"(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
_CSI = r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
_DCS_PM_APC = r"(?:\x1b[P^_X]|[\x90\x98\x9e\x9f])[^\x1b\x9c]*(?:\x1b\\|\x9c)?"
_ESC_OTHER = r"\x1b[ -/]*[0-~]?"
_ESCAPES = re.compile("|".join((_OSC, _CSI, _DCS_PM_APC, _ESC_OTHER)))
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_CONTROLS_KEEP_NL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + _BIDI + "\ufeff]")
_CONTROLS_ALL = re.compile("[\x00-\x1f\x7f-\x9f" + _BIDI + "\ufeff]")
_SPACES = re.compile(r"\s+")
_SAFE_SCHEMES = ("http", "https")


def clean_text(value: object, *, multiline: bool = False) -> str:
    """Return ``value`` as a string with escape sequences and control characters removed.

    Args:
        value: any value from a feed (None becomes "").
        multiline: keep newlines and tabs (article bodies); otherwise they become spaces.
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    controls = _CONTROLS_KEEP_NL if multiline else _CONTROLS_ALL
    if not controls.search(text):  # every escape sequence starts with a control character
        return text
    text = _ESCAPES.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if multiline:
        return _CONTROLS_KEEP_NL.sub("", text)
    text = text.replace("\n", " ").replace("\t", " ")
    return _CONTROLS_ALL.sub("", text)


def clean_line(value: object) -> str:
    """Return a single-line, whitespace-collapsed, control-free string (titles, authors)."""
    return _SPACES.sub(" ", clean_text(value)).strip()


def is_safe_link(url: str) -> bool:
    """True when ``url`` may be opened or followed: an absolute http(s) URL with a host."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in _SAFE_SCHEMES and bool(parts.netloc)


def clean_url(value: object) -> str:
    """Return a control-free URL string ("" for None)."""
    return clean_line(value).replace(" ", "%20")


_UNSAFE_NAME = re.compile(r"[^\w\-. ]+")
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}


def safe_filename(title: str, *, max_length: int = 80, fallback: str = "untitled") -> str:
    """Make a portable file name (no extension) from an untrusted title.

    Never contains a path separator, never starts with a dot, is never a Windows device
    name, and is at most ``max_length`` characters.
    """
    name = unicodedata.normalize("NFKC", clean_line(title))
    name = _UNSAFE_NAME.sub("-", name)
    name = re.sub(r"[-\s]+", "-", name).strip("-. ")[:max_length].rstrip("-. ")
    if not name or name.upper().split(".")[0] in _RESERVED:
        name = f"{fallback}-{name}" if name else fallback
    return name
