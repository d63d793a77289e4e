"""Make a fetched XML document safe and unambiguous before any parser sees it.

- **Encoding** is settled once, here, and both parsers get UTF-8: a byte-order mark wins,
  then UTF-16/32 or EBCDIC recognised from the first bytes, then the XML declaration, then
  the HTTP ``charset``, then UTF-8, then windows-1252 (which takes almost any bytes), then
  Latin-1 (which takes all). A candidate that cannot decode the bytes strictly is skipped,
  so a feed that lies about its charset still reads. The declaration is rewritten to say
  UTF-8. Encodings that rewrite text (UTF-7, ``unicode_escape``...) are never used.
- **Entity declarations** are removed: the internal subset of a DOCTYPE in the prolog
  (what libxml2 would read) and every ``<!ENTITY`` feedparser's own DOCTYPE handling would
  find (its lenient parser expands them without limit: 7.7 s and 315 MB for a 60 KB
  document). The external part of a DOCTYPE is kept (feedparser reads the RSS 0.91 one).
- **Character references** to code points XML forbids (lone surrogates, beyond U+10FFFF)
  make feedparser raise: :func:`scrub_char_refs` replaces them with U+FFFD.

What had to be repaired is reported (:func:`prepare`'s ``problems``), so the feed shows it:
bytes that are not valid in any charset the document claims ("wrong charset"), and removed
entity declarations (:func:`entity_problem` tells an attack's shape from a plain value).
"""

from __future__ import annotations

import codecs
import re

_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)
_SNIFF = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
    (b"\x4c\x6f\xa7\x94", "cp037"),
)
_DECLARED = re.compile(rb"\s*<\?xml[^>]{0,200}?encoding\s*=\s*[\"']([A-Za-z][\w.:-]{0,40})[\"']")
_DECL_ENCODING = re.compile(r"\s*<\?xml[^>]{0,200}?encoding\s*=\s*([\"'])([^\"']*)\1")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z][\w.:-]{0,40})", re.IGNORECASE)
_WIDE = ("utf-16", "utf-32")
_NEVER = {
    "utf-7",
    "unicode-escape",
    "raw-unicode-escape",
    "idna",
    "punycode",
    "undefined",
    "unicode-internal",
}
_UTF8 = "utf-8"

_FIRST_ELEMENT = re.compile(r"<\w")
_ANY_ENTITY = re.compile(r"<!ENTITY[^>]*>", re.IGNORECASE)
"""An entity declaration as feedparser's pattern (sanitizer.RE_ENTITY_PATTERN) reads it,
but anywhere, not only at the start of a line, and in any letter case."""
_HOSTILE_ENTITY = re.compile(r"%|&(?!#)|\bSYSTEM\b|\bPUBLIC\b")
"""In an ENTITY declaration: a parameter entity, a reference to another entity (character
references such as "&#160;" aside) or an external one."""
_ENTRY_END = re.compile(rb"</(?:[\w.-]+:)?(?:item|entry)\s*>", re.IGNORECASE)
_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));")
_REPLACEMENT = "&#xFFFD;"


def is_blank(body: bytes) -> bool:
    """True for an empty document (only whitespace or a BOM)."""
    return not body.lstrip(b"\xef\xbb\xbf\xfe\xff\x00 \t\r\n")


def looks_like_json(body: bytes, content_type: str) -> bool:
    """JSON Feed: the document starts with "{" (XML never does) or is served as JSON."""
    start = body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return start == b"{" or ("json" in content_type.lower() and start == b"[")


def prepare(body: bytes, content_type: str = "", problems: list[str] | None = None) -> bytes:
    """The document as UTF-8 bytes with no entity declarations, ready for any parser.

    Args:
        problems: when given, a line is added for each thing that had to be repaired: a
            charset the bytes are not valid in, entity declarations removed.

    Raises:
        ValueError: the DOCTYPE declaration is malformed (its internal subset never ends).
    """
    text, encoding, wrong = _decode(body, content_type)
    declared = _DECL_ENCODING.match(text)
    relabel = False
    if declared is not None and _codec(declared.group(2), ascii_compatible=False) != _UTF8:
        text = text[: declared.start(2)] + _UTF8 + text[declared.end(2) :]
        relabel = True
    cleaned, removed = _strip_entities(text)
    if problems is not None:
        problems += [p for p in (wrong, entity_problem(removed)) if p]
    if encoding == _UTF8 and cleaned is text and not relabel:
        return body[3:] if body.startswith(b"\xef\xbb\xbf") else body
    return cleaned.encode("utf-8")


def truncate_entries(data: bytes, limit: int) -> bytes:
    """``data`` cut after its ``limit``-th entry when more follow (feedparser's slow path
    reads every entry; a hostile 100,000-entry document would take a minute)."""
    for count, match in enumerate(_ENTRY_END.finditer(data), 1):
        if count == limit:
            return data[: match.end()] if _ENTRY_END.search(data, match.end()) else data
    return data


def count_entries(data: bytes) -> int:
    """How many entries (closing ``</item>`` or ``</entry>`` tags) ``data`` holds."""
    return sum(1 for _ in _ENTRY_END.finditer(data))


def _decode(body: bytes, content_type: str) -> tuple[str, str, str]:
    """(text, codec name, problem) using the first candidate encoding that decodes strictly.

    The problem is "" unless the bytes are invalid in every encoding the document claims
    (its BOM, XML declaration or HTTP charset; UTF-8 when it claims none).
    """
    wide: str | None = None
    for mark, name in _BOMS:
        if body.startswith(mark):
            body, wide = body[len(mark) :], name
            break
    else:
        wide = next((name for mark, name in _SNIFF if body.startswith(mark)), None)
    candidates = [wide] if wide else []
    declared = _DECLARED.match(body) if wide is None else None
    if declared:
        candidates.append(declared.group(1).decode("ascii"))
    http = _CHARSET.search(content_type or "")
    if http:
        candidates.append(http.group(1))
    names = [_codec(c, ascii_compatible=wide is None) for c in candidates]
    claimed = [name for name in names if name] or [_UTF8]
    for codec in [*names, _UTF8, "windows-1252"]:
        if codec is None:
            continue
        try:
            text = body.decode(codec)
        except UnicodeDecodeError:
            continue
        return text, codec, _wrong_charset(claimed, codec)
    return body.decode("latin-1"), "iso8859-1", _wrong_charset(claimed, "iso8859-1")


def _wrong_charset(claimed: list[str], used: str) -> str:
    if used in claimed:
        return ""
    return f"wrong charset: the document is not valid {claimed[0]}; read as {used}"


def _codec(label: str, *, ascii_compatible: bool) -> str | None:
    """The normalised codec name for a charset label, or None when it must not be used."""
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    name = info.name.replace("_", "-")
    if name in _NEVER or not getattr(info, "_is_text_encoding", True):
        return None
    if ascii_compatible and name.startswith(_WIDE):
        return None
    return name


def strip_entity_declarations(text: str) -> str:
    """Remove DTD internal subsets and ENTITY declarations from the document's prolog.

    Returns ``text`` itself (the same object) when there was nothing to remove.

    Raises:
        ValueError: a DOCTYPE internal subset never ends.
    """
    return _strip_entities(text)[0]


def _strip_entities(text: str) -> tuple[str, str]:
    """:func:`strip_entity_declarations`, and the ENTITY declarations it removed."""
    first = _FIRST_ELEMENT.search(text)
    prolog_end, subsets = _prolog(text)
    head_end = max(prolog_end, first.end() if first else len(text))
    if "<!" not in text[:head_end]:
        return text, ""
    pieces, i = [], 0
    for start, end in subsets:
        pieces.append(text[i:start])
        i = end
    removed = "".join(_ANY_ENTITY.findall(text, 0, head_end))
    head = _ANY_ENTITY.sub("", "".join(pieces) + text[i:head_end])
    first = _FIRST_ELEMENT.search(head)  # what feedparser's DOCTYPE handling reads
    if _ANY_ENTITY.search(head[: first.end() if first else len(head)]):
        raise ValueError("entity declarations that hide other entity declarations")
    if head == text[:head_end]:
        return text, removed
    return head + text[head_end:], removed


def entity_problem(removed: str) -> str:
    """What to tell the user about removed ENTITY declarations ("" when there were none).

    Declarations that refer to other entities, to parameter entities or to outside
    resources (SYSTEM, PUBLIC), or that are very long, are the shapes of expansion and
    external-entity attacks. Plain values (text, character references such as "&#160;")
    are only left unexpanded.
    """
    if not removed:
        return ""
    hostile = _HOSTILE_ENTITY.search(removed) or len(removed) > 4096
    if hostile:
        return "entity declarations removed (possible entity-expansion attack)"
    return "entity declarations removed (their references are left unexpanded)"


def _prolog(text: str) -> tuple[int, list[tuple[int, int]]]:
    """Where the root element starts, and the spans of DTD internal subsets before it.

    Skips the XML declaration, comments, processing instructions and DOCTYPEs, as an
    XML parser does.
    """
    i, n, subsets = 0, len(text), []
    while i < n:
        if text[i].isspace():
            i += 1
        elif text.startswith("<?", i):
            i = _after(text, "?>", i + 2)
        elif text.startswith("<!--", i):
            i = _after(text, "-->", i + 4)
        elif text[i : i + 9].upper() == "<!DOCTYPE":
            subset_start, subset_end, i = _doctype_span(text, i)
            if subset_end > subset_start:
                subsets.append((subset_start, subset_end))
        else:
            return i, subsets
    return n, subsets


def _after(text: str, marker: str, start: int) -> int:
    end = text.find(marker, start)
    return len(text) if end < 0 else end + len(marker)


def _doctype_span(text: str, start: int) -> tuple[int, int, int]:
    """(subset start, subset end, declaration end) of the DOCTYPE at ``start``.

    The subset span is empty when there is no internal subset.

    Raises:
        ValueError: the internal subset or the declaration never ends.
    """
    i, n, quote = start + 9, len(text), ""
    while i < n:
        char = text[i]
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == ">":
            return i, i, i + 1
        elif char == "[":
            end = _subset_end(text, i + 1)
            close = text.find(">", end)
            if close < 0:
                break
            return i, end + 1, close + 1
        i += 1
    raise ValueError("malformed DOCTYPE declaration")


def _subset_end(text: str, i: int) -> int:
    """Index of the "]" closing an internal subset that starts at ``i``."""
    n, quote = len(text), ""
    while i < n:
        char = text[i]
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif text.startswith("<!--", i):
            i = _after(text, "-->", i + 4)
            continue
        elif char == "]":
            return i
        i += 1
    raise ValueError("malformed DOCTYPE declaration")


def scrub_char_refs(data: bytes) -> bytes:
    """Replace character references to code points XML forbids with U+FFFD's."""
    if b"&#" not in data:
        return data
    text = data.decode("utf-8", "replace")
    fixed = _CHAR_REF.sub(_check_ref, text)
    return data if fixed == text else fixed.encode("utf-8")


def _check_ref(match: re.Match[str]) -> str:
    digits = match.group(1) or match.group(2)
    if len(digits) > 8:
        return _REPLACEMENT
    value = int(digits, 16 if match.group(1) else 10)
    allowed = (
        value in (0x9, 0xA, 0xD)
        or 0x20 <= value <= 0xD7FF
        or 0xE000 <= value <= 0xFFFD
        or 0x10000 <= value <= 0x10FFFF
    )
    return match.group(0) if allowed else _REPLACEMENT
