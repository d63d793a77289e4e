"""A fetched web page's bytes -> text, as a browser would decode them (WHATWG order).

A byte-order mark wins, then the charset of the HTTP Content-Type, then a ``<meta
charset>`` (or ``http-equiv`` Content-Type) in the first 4 KB, then UTF-8. Decoding never
fails: bytes that are not valid in the chosen encoding become U+FFFD. Labels are read as
browsers read them: latin-1 and ASCII mean windows-1252, UTF-16 declared in the page
itself means UTF-8 (the page could not have been read to find it otherwise), and UTF-7,
which browsers refuse, is ignored.
"""

from __future__ import annotations

import codecs
import re

_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,500}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_ALIASES = {
    "latin1": "cp1252",
    "latin_1": "cp1252",
    "iso8859_1": "cp1252",
    "ascii": "cp1252",
    "iso8859_9": "cp1254",
    "tis_620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
}
_REFUSED = frozenset(("utf_7",))
_SNIFF = 4096


def decode_page(body: bytes, content_type: str = "") -> str:
    """Decode a page's bytes: BOM, then the header's charset, then the page's, then UTF-8.

    Args:
        body: the page as fetched (any bytes).
        content_type: the HTTP Content-Type header ("" when unknown).
    """
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(encoding, "replace")
    match = _HEADER_CHARSET.search(content_type)
    chosen = _codec(match.group(1)) if match else None
    if chosen is None:
        meta = _META_CHARSET.search(body[:_SNIFF])
        chosen = _codec(meta.group(1).decode("ascii"), in_page=True) if meta else None
    return body.decode(chosen or "utf-8", "replace")


def _codec(label: str, *, in_page: bool = False) -> str | None:
    """Python's codec for a charset label, or None when there is no usable one."""
    try:
        name = codecs.lookup(label.strip()).name.replace("-", "_")
    except LookupError:
        return None
    if name in _REFUSED:
        return None
    if name.startswith("utf_16"):
        return "utf-8" if in_page else name
    try:
        b"ab".decode(name, "replace")  # a codec that is not a text encoding (rot13, hex)
    except LookupError:
        return None
    return _ALIASES.get(name, name)
