"""Safe Markdown and YAML pieces for the exports.

Feed text (titles, quotes, names) is hostile and must read as literal text. The escaping
is minimal but covers CommonMark, GFM and Obsidian:

- inline, everywhere: a backslash before ``\\ ` * _ [ ] < | $ ~`` (emphasis, code, links
  and ``[[wiki links]]``, HTML and comments, tables, math, strikethrough); before ``#``
  at the start of a line or after white space (headings, Obsidian tags); before ``&``
  that starts an entity (``&amp;``); before ``^`` after white space (block ids); and
  before each ``=`` or ``%`` of a doubled run (``==highlight==``, ``%%comment%%``);
- at the start of a line: leading white space is dropped (it would make a code block)
  and a leading ``> - + =`` gets a backslash, as does the ``.``/``)`` of ``12.``/``12)``
  (quotes, lists, thematic breaks, setext headings, ordered lists).

CommonMark lets any ASCII punctuation be backslash-escaped, so every escape renders as
the character itself. User-written notes are Markdown and are left alone, except that a
line that would read as one of the user-section markers gets a leading backslash.

YAML values are always double-quoted, with ``\\``, ``"`` and every character that is not
printable (controls, line and paragraph separators, format characters) escaped, so no
title can end the front matter, start an alias (``*``/``&``), a tag (``!``) or a comment.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import UTC, datetime
from urllib.parse import quote

from newsreader.annotations.anchoring import CONTEXT
from newsreader.safety import is_safe_link

USER_BEGIN = "<!-- newsreader:user-notes -->"
"""The line that opens the part of a file whose text the user owns."""
USER_END = "<!-- /newsreader:user-notes -->"
"""The line that closes it."""
FRAGMENT_CONTEXT_WORDS = 3
"""Words of context on each side of a quote in a text fragment link."""
MARKER_LINE = re.compile(r"^[ \t]*<!--\s*/?\s*newsreader:user-notes\s*-->[ \t]*\r?$", re.MULTILINE)
"""A line that reads as (or like) a user-section marker."""

_INLINE = re.compile(
    r"[\\`*_\[\]<|$~]"  # always
    r"|(?:^|(?<=\s))[#^]"  # tags and headings, block ids
    r"|&(?=#?\w+;)"  # entities
    r"|(?<==)=|=(?==)"  # == highlight
    r"|(?<=%)%|%(?=%)",  # %% comment
    re.MULTILINE,
)
_LINE_START = re.compile(r"^[>+=-]", re.MULTILINE)
_ORDERED = re.compile(r"^(\d{1,9})([.)])", re.MULTILINE)
_EDGE_SPACE = re.compile(r"^[ \t]+|[ \t]+$", re.MULTILINE)


def escape(text: str, *, line_start: bool = True) -> str:
    """``text`` as Markdown that renders as exactly that text (see the module notes).

    ``line_start=False`` is for a fragment in the middle of a line: its edges are kept
    and only the inline rules apply.
    """
    if line_start:
        text = _EDGE_SPACE.sub("", text)
    text = _INLINE.sub(lambda m: "\\" + m.group(0), text)
    if not line_start:
        return text
    text = _ORDERED.sub(r"\1\\\2", text)
    return _LINE_START.sub(lambda m: "\\" + m.group(0), text)


def one_line(text: str) -> str:
    """White space (newlines included) collapsed to single spaces."""
    return " ".join(text.split())


def block_quote(text: str) -> str:
    """Escaped ``text`` as a Markdown block quote (blank lines kept as ``>``)."""
    lines = escape(text.strip()).split("\n")
    return "\n".join(f"> {line}" if line.strip() else ">" for line in lines)


def neutralise_markers(markdown: str) -> str:
    """User-written Markdown with any user-section marker line made inert."""
    return MARKER_LINE.sub(lambda m: "\\" + m.group(0).lstrip(" \t"), markdown)


def _yaml_char(char: str) -> str:
    if char == "\\":
        return "\\\\"
    if char == '"':
        return '\\"'
    if char == "\n":
        return "\\n"
    if char == "\t":
        return "\\t"
    if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
        code = ord(char)
        return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
    return char


_YAML_PLAIN = re.compile(r'[^\\"]*')


@functools.lru_cache(maxsize=8192)
def yaml_str(value: str) -> str:
    """A YAML double-quoted scalar holding ``value`` exactly."""
    if value.isascii() and value.isprintable() and _YAML_PLAIN.fullmatch(value):
        return f'"{value}"'
    return '"' + "".join(_yaml_char(c) for c in value) + '"'


def yaml_list(key: str, values: list[str]) -> str:
    """A YAML block list (``key: []`` when empty)."""
    if not values:
        return f"{key}: []"
    return "\n".join([f"{key}:", *(f"  - {yaml_str(v)}" for v in values)])


def iso_time(ts: float | None) -> str | None:
    """A unix time as ISO 8601 UTC (``Z``); microseconds only when there are some."""
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, UTC).isoformat().replace("+00:00", "Z")


def human_time(ts: float | None) -> str:
    """A unix time as ``YYYY-MM-DD HH:MM UTC``, or "" when unknown."""
    if ts is None:
        return ""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M UTC")


def human_date(ts: float | None) -> str:
    """A unix time as ``YYYY-MM-DD`` (UTC), or "undated"."""
    if ts is None:
        return "undated"
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d")


_DESTINATION = str.maketrans(
    {" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E", "\\": "%5C", "`": "%60"}
)


def link_target(url: str) -> str | None:
    """``url`` made safe inside ``(…)`` of a Markdown link, or None if it is not http(s)."""
    if not is_safe_link(url):
        return None
    return url.strip().translate(_DESTINATION)


def _fragment(text: str) -> str:
    """Percent-encoding for a text fragment (``-`` and ``,`` are its delimiters)."""
    return quote(text, safe="").replace("-", "%2D")


def fragment_context(text: str, *, before: bool) -> str:
    """Up to :data:`FRAGMENT_CONTEXT_WORDS` whole words of a quote's stored context, from
    its own paragraph (a text fragment's prefix or suffix; "" when there are none).

    A term of a text fragment is matched within one block of the page and on word
    boundaries, so the paragraph break ends the context and the word the stored window
    (:data:`~newsreader.annotations.anchoring.CONTEXT` characters) cut through is left out.
    """
    part = text.rsplit("\n", 1)[-1] if before else text.split("\n", 1)[0]
    words = part.split()
    edge = part[:1] if before else part[-1:]
    if words and part == text and len(text) >= CONTEXT and edge and not edge.isspace():
        words = words[1:] if before else words[:-1]
    kept = words[-FRAGMENT_CONTEXT_WORDS:] if before else words[:FRAGMENT_CONTEXT_WORDS]
    return " ".join(kept)


@functools.lru_cache(maxsize=32768)
def quote_link(url: str, exact: str, prefix: str = "", suffix: str = "") -> str | None:
    """A link to ``url`` that asks the browser to scroll to ``exact`` (a text fragment).

    The words around the quote (``prefix``/``suffix``, its stored context) become the
    fragment's ``prefix-,`` and ``,-suffix``, so a quote that occurs more than once on the
    page leads to the occurrence annotated, not to the first.
    """
    target = link_target(url)
    if target is None:
        return None
    words = exact.split()
    if not words:
        return target
    if len(words) <= 8:
        fragment = _fragment(" ".join(words))
    else:
        fragment = _fragment(" ".join(words[:4])) + "," + _fragment(" ".join(words[-4:]))
    before = fragment_context(prefix, before=True)
    after = fragment_context(suffix, before=False)
    if before:
        fragment = f"{_fragment(before)}-,{fragment}"
    if after:
        fragment = f"{fragment},-{_fragment(after)}"
    joiner = ":~:text=" if "#" in target else "#:~:text="
    return f"{target}{joiner}{fragment}"


def wiki_label(label: str) -> str:
    """A label usable after ``|`` in a wiki link (no brackets, pipes or line breaks)."""
    return one_line(label).translate(str.maketrans("[]|", "()/")).strip()


@functools.lru_cache(maxsize=32768)
def page_link(stem: str, label: str, *, wiki_links: bool, folder: str = "") -> str:
    """A link to the exported page ``stem``: ``[[stem|label]]`` or a relative Markdown link.

    Without wiki links and without ``folder`` (no known layout), the label alone.
    """
    if wiki_links:
        shown = wiki_label(label)
        return f"[[{stem}]]" if shown in ("", stem) else f"[[{stem}|{shown}]]"
    if not folder:
        return escape(one_line(label))
    return f"[{escape(one_line(label))}]({quote(folder + stem + '.md')})"


def plural(count: int, word: str) -> str:
    """``1 claim``, ``2 claims``."""
    return f"{count} {word}{'' if count == 1 else 's'}"
