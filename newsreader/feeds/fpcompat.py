"""feedparser's value quirks, reproduced so the fast path gives exactly what it gives.

feedparser 6 post-processes every value it extracts (``_FeedParserMixin.pop``): it strips
it, repairs UTF-8 that was decoded as Latin-1, maps C1 controls to their cp1252
characters, resolves URL-valued elements against the document URL with its own
``_urljoin``, and undoes ``&amp;`` in link URLs. The functions here do the same, in the same order.
(Its split of RSS author strings into name and e-mail is *not* reproduced: it garbles
addresses with long top-level domains; both paths use :mod:`newsreader.feeds.authors`.)
"""

from __future__ import annotations

import re
import urllib.parse

_CP1252 = {
    c: bytes([c]).decode("cp1252") for c in range(128, 160) if c not in (129, 141, 143, 144, 157)
}
_C1_UTF8 = re.compile(b"\xc2[\x80-\x9f]")
_URI_FIXER = re.compile(r"^([A-Za-z][A-Za-z0-9+-.]*://)(/*)(.*?)")
_PLAIN_ABSOLUTE = re.compile(
    r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:/[\w\-.~!$&'()*+,=:@%/]*)?"
    r"(?:\?[\w\-.~!$&'()*+,;=:@%/?]+)?(?:#[\w\-.~!$&'()*+,;=:@%/?]+)?",
    re.ASCII,
)
"""An absolute http(s) URL that urljoin would return unchanged (checked by a property
test against feedparser's ``_urljoin``): joining it is skipped, it is the slow part."""
_ENTITY_LIKE = re.compile(r"&([A-Za-z0-9_]+);")


def fp_text(value: str | None) -> str:
    """Strip, repair Latin-1-decoded UTF-8, map C1 controls to cp1252 (as feedparser)."""
    if not value:
        return ""
    value = value.strip()
    if not value.isascii():
        value = fix_mojibake(value)
        # C1 controls are U+0080-U+009F: b"\xc2\x80"-b"\xc2\x9f" in UTF-8, which a bytes
        # search finds several times faster than a str search (long article bodies).
        data = value.encode("utf-8", "surrogatepass")
        if b"\xc2" in data and _C1_UTF8.search(data):
            value = value.translate(_CP1252)
    return value


def fix_mojibake(value: str) -> str:
    """Undo UTF-8 that was decoded as Latin-1 ("CafÃ©" -> "Café"); else the value as is."""
    try:
        return value.encode("iso-8859-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def resolve(base: str, uri: str) -> str:
    """feedparser's ``_urljoin``: collapse extra slashes after the scheme, then join."""
    if _PLAIN_ABSOLUTE.fullmatch(uri):
        return uri
    uri = _URI_FIXER.sub(r"\1\3", uri)
    try:
        return urllib.parse.urljoin(base, uri)
    except ValueError:
        return ""


def fp_resolved(value: str | None, base: str) -> str:
    """A URL-valued element's text: stripped, resolved, then post-processed."""
    text = (value or "").strip()
    if text:
        text = resolve(base, text)
    return fp_text(text)


def fp_link(value: str | None, base: str, *, entry: bool) -> str:
    """An RSS ``<link>`` text as feedparser stores it (``&amp;`` and ``&x;`` undone)."""
    text = fp_resolved(value, base)
    if entry:
        text = text.replace("&amp;", "&")
    return _ENTITY_LIKE.sub(r"&\g<1>", text)
