"""Duplicates: the same story from several feeds is one group (one row in the lists).

Two articles of different feeds, published within :data:`WINDOW` of each other, are copies
of one story when

- their canonical URLs are equal (:func:`canonical_url`: tracking parameters such as
  ``utm_*`` dropped, the rest sorted; the page's own canonical URL when its page was
  fetched), or
- their titles are near-identical *and* so are the beginnings of their texts
  (:func:`similar`). The same title over a different text (a near-miss: "Live updates",
  "Morning briefing") is not a copy.

Candidates come from keys a copy shares (the URL's hash, the title fingerprint's hash, the
smallest hashes of the text's word shingles), looked up in an index
(:mod:`newsreader.store.duplicates`), so a batch costs what its size costs, whatever the
store holds.
"""

from __future__ import annotations

import hashlib
import heapq
import re
import sqlite3
import unicodedata
import zlib
from collections.abc import Sequence
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from newsreader.store.duplicates import (
    NewArticle,
    Print,
    candidates,
    groups_of,
    join_groups,
    new_articles,
    save_prints,
)

WINDOW = 7 * 86400.0
"""Copies of one story are published within a week of each other."""
HEAD_WORDS = 60
"""The text's first words compared."""
SKETCH = 4
"""Shingle hashes kept as keys per article (the smallest ones)."""
TITLE_MIN, TEXT_MIN = 0.5, 0.6
"""Least word-set similarity (Jaccard) of the titles and of the texts' 3-word shingles."""
SHORT_TEXT = 8
"""Texts of fewer words than this are too short to tell a story apart."""

TRACKING = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
        "mc_cid", "mc_eid", "ref", "ref_src", "ref_url", "referrer", "cmpid", "cmp",
        "igshid", "_ga", "_gl", "ocid", "smid", "smtyp", "ito", "spm", "share", "soc_src",
        "soc_trk", "at_medium", "at_campaign", "at_custom1", "at_custom2", "mkt_tok",
        "oly_enc_id", "oly_anon_id", "vero_id", "wt.mc_id", "__twitter_impression",
    }
)  # fmt: skip
"""Query parameters that say who sent the reader, not which page it is."""
_TRACKING_PREFIXES = ("utm_", "ns_", "pk_", "mtm_", "hsa_", "itm_")
_WORDS = re.compile(r"\w+")
_SITE_SUFFIX = re.compile(r"\s+[-|–—:·]\s+[^-|–—:·]{1,40}$")
_LABEL_PREFIX = re.compile(
    r"^(update[ds]?|updated|breaking|exclusive|live|watch|video|opinion|analysis)\s*[:|-]\s*",
    re.IGNORECASE,
)


def canonical_url(url: str) -> str:
    """The URL a story is known by: scheme left out (http and https are one page), host
    in lower case without ``www.`` or its default port, no fragment, no tracking
    parameters, the other parameters sorted, no trailing slash; "" for anything not an
    http(s) URL or a site's front page (a feed linking every entry there says nothing).

    >>> canonical_url("https://WWW.Example.com/a/b/?utm_source=rss&id=2&b=1#top")
    'example.com/a/b?b=1&id=2'
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return ""
    host = (parts.hostname or "").rstrip(".")
    if parts.scheme.lower() not in ("http", "https") or not host:
        return ""
    host = host.removeprefix("www.")
    if port is not None and port not in (80, 443):
        host += f":{port}"
    query = sorted(
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _tracking(name)
    )
    path = parts.path.rstrip("/")
    if not path and not query:
        return ""
    return urlunsplit(("", host, path, urlencode(query), ""))[2:]


def _tracking(name: str) -> bool:
    name = name.lower()
    return name in TRACKING or name.startswith(_TRACKING_PREFIXES)


def words(text: str) -> list[str]:
    """Lower-case words without accents: "Pétro's" and "petro s" compare equal."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    return _WORDS.findall(folded.encode("ascii", "ignore").decode("ascii"))


def title_key(title: str) -> str:
    """A title's fingerprint: its words, without a label in front ("Update:") or the
    site's name at the end ("… - Reuters")."""
    title = _LABEL_PREFIX.sub("", title.strip())
    shorter = _SITE_SUFFIX.sub("", title)
    if len(words(shorter)) >= 3:
        title = shorter
    return " ".join(words(title))


def make_print(article: NewArticle) -> Print:
    """What an article is compared by."""
    head = " ".join(words(article.text)[:HEAD_WORDS])
    return Print(
        article.article_id,
        article.feed_id,
        article.sort_time,
        canonical_url(article.url),
        title_key(article.title),
        head,
    )


def _hash(kind: str, value: str) -> int:
    digest = hashlib.blake2b(f"{kind}\x1f{value}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _shingles(head: str) -> set[str]:
    w = head.split()
    return {" ".join(w[i : i + 3]) for i in range(max(0, len(w) - 2))}


def keys(p: Print) -> set[int]:
    """The keys a copy of ``p`` would share with it."""
    found = set()
    if p.url_key:
        found.add(_hash("u", p.url_key))
    if len(p.title_key.split()) >= 3:
        found.add(_hash("t", p.title_key))
    if len(p.head.split()) >= SHORT_TEXT:
        hashes = (zlib.crc32(s.encode()) for s in _shingles(p.head))
        found.update(heapq.nsmallest(SKETCH, hashes))
    return found


def jaccard(a: set[str], b: set[str]) -> float:
    """|a ∩ b| / |a ∪ b| (0 for two empty sets)."""
    return len(a & b) / len(a | b) if a or b else 0.0


def similar(a: Print, b: Print) -> bool:
    """Whether ``a`` and ``b`` are copies of one story (see the module's docstring)."""
    if a.url_key and a.url_key == b.url_key:
        return True
    title = jaccard(set(a.title_key.split()), set(b.title_key.split()))
    if title < TITLE_MIN:
        return False
    short = min(len(a.head.split()), len(b.head.split())) < SHORT_TEXT
    if short:  # too little text to tell: only the same text under the same title
        return bool(a.head) and a.head == b.head and a.title_key == b.title_key
    return jaccard(_shingles(a.head), _shingles(b.head)) >= TEXT_MIN


def detect(conn: sqlite3.Connection, ids: Sequence[int], window: float = WINDOW) -> int:
    """Print the new articles ``ids`` and put each in a group with its copies (in the
    caller's transaction; run where the articles are stored, never on the UI thread).
    Returns how many joined a group."""
    if not ids:
        return 0
    prints = [make_print(article) for article in new_articles(conn, ids)]
    if not prints:
        return 0
    save_prints(conn, prints, ((key, p.article_id) for p in prints for key in keys(p)))
    mine = {p.article_id: p for p in prints}
    links: dict[int, set[int]] = {}
    for article_id, other in candidates(conn, list(mine), window):
        if similar(mine[article_id], other):
            links.setdefault(article_id, set()).add(other.article_id)
            links.setdefault(other.article_id, set()).add(article_id)
    return _group(conn, links)


def _group(conn: sqlite3.Connection, links: dict[int, set[int]]) -> int:
    """Join each connected set of ``links`` (and the groups its members are in)."""
    seen: set[int] = set()
    joined = 0
    for start in sorted(links):
        if start in seen:
            continue
        members, todo = set(), [start]
        while todo:
            article_id = todo.pop()
            if article_id not in members:
                members.add(article_id)
                todo.extend(links.get(article_id, ()))
        seen |= members
        old = groups_of(conn, members)
        join_groups(conn, sorted(members), old.values())
        joined += len(members) - len(old)
    return joined
