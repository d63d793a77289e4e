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
pairs of the longest words of the text's beginning), looked up in an index
(:mod:`newsreader.store.duplicates`), so a batch costs what its size costs, whatever the
store holds.
"""

from __future__ import annotations

import gc
import hashlib
import re
import sqlite3
import string
import unicodedata
import zlib
from collections import Counter
from collections.abc import Sequence
from itertools import combinations

from newsreader.store.duplicates import (
    NewArticle,
    Print,
    groups_of,
    members_of,
    new_articles,
    prints,
    save_groups,
    save_prints,
    sharing,
)

WINDOW = 7 * 86400.0
"""Copies of one story are published within a week of each other."""
HEAD_WORDS = 40
"""The text's first words compared."""
MAX_SHARING = 50
"""A key more articles share than this names no story (a title such as "Letters")."""
LONG_WORDS = 3
"""The longest words of a text's beginning whose pairs are its keys."""
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
_URL = re.compile(r"(?i)https?://([^/?#]+)([^?#]*)(?:\?([^#]*))?")
"""An http(s) URL: (host with any port and user info, path, query)."""
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
    found = _URL.match(url.strip())
    if found is None:
        return ""
    host, path, query = found.groups()
    host = host.rpartition("@")[2].lower().rstrip(".").removeprefix("www.")
    host = host.removesuffix(":80").removesuffix(":443")
    if not host or host.startswith(":"):
        return ""
    kept = sorted(p for p in (query or "").split("&") if p and not _tracking(p))
    path = path.rstrip("/")
    if not path and not kept:
        return ""
    return host + path + ("?" + "&".join(kept) if kept else "")


def _tracking(parameter: str) -> bool:
    name = parameter.partition("=")[0].lower()
    return name in TRACKING or name.startswith(_TRACKING_PREFIXES)


_ASCII_PUNCTUATION = str.maketrans(dict.fromkeys(string.punctuation.replace("_", ""), " "))
"""ASCII punctuation as spaces (the underscore is a word character, as in ``\\w``)."""
_MARKS = dict.fromkeys(range(0x300, 0x370))
"""Combining accents (after NFKD), dropped."""


def words(text: str) -> list[str]:
    """Lower-case words without accents or punctuation: "Pétro's" and "petro s" compare
    equal. (A translation table and a split: four times quicker than a regex.)"""
    folded = text.casefold()
    if folded.isascii():
        return folded.translate(_ASCII_PUNCTUATION).split()
    folded = unicodedata.normalize("NFKD", folded).translate(_MARKS)
    return _WORDS.findall(folded)


def title_key(title: str) -> str:
    """A title's fingerprint: its words, without a label in front ("Update:") or the
    site's name at the end ("… - Reuters")."""
    title = _LABEL_PREFIX.sub("", title.strip())
    found = words(title)
    suffix = _SITE_SUFFIX.search(title)
    if suffix is not None:
        shorter = words(title[: suffix.start()])
        if len(shorter) >= 3:
            found = shorter
    return " ".join(found)


def make_print(article: NewArticle) -> Print:
    """What an article is compared by."""
    head = " ".join(words(article.text[: HEAD_WORDS * 10])[:HEAD_WORDS])
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


Shingle = tuple[str, str, str]


def keys(p: Print) -> set[int]:
    """The keys a copy of ``p`` would share with it (see :class:`_Features`)."""
    return _Features(p).keys()


def jaccard(a: set[str] | set[Shingle], b: set[str] | set[Shingle]) -> float:
    """|a ∩ b| / |a ∪ b| (0 for two empty sets)."""
    return len(a & b) / len(a | b) if a or b else 0.0


class _Features:
    """A print as compared: its title's words, its text's words and (made when first
    asked for) their 3-word shingles."""

    __slots__ = ("print", "title", "words", "_shingles")

    def __init__(self, p: Print) -> None:
        self.print = p
        self.title = set(p.title_key.split())
        self.words = p.head.split()
        self._shingles: set[Shingle] | None = None

    @property
    def shingles(self) -> set[Shingle]:
        if self._shingles is None:
            w = self.words
            self._shingles = set(zip(w, w[1:], w[2:], strict=False))
        return self._shingles

    def keys(self) -> set[int]:
        """The hashes of the canonical URL, of the title fingerprint, and of each pair
        of the longest words at the beginning of the text (long words are rare ones: a
        pair of them names the story, and a word edited in a copy leaves the other
        pairs)."""
        found = set()
        if self.print.url_key:
            found.add(_hash("u", self.print.url_key))
        if len(self.title) >= 3:
            found.add(_hash("t", self.print.title_key))
        if len(self.words) >= SHORT_TEXT:
            longest = sorted(set(self.words))  # ties in length: from a to z
            longest.sort(key=len, reverse=True)
            found.update(
                zlib.crc32(f"{a} {b}".encode())
                for a, b in combinations(sorted(longest[:LONG_WORDS]), 2)
            )
        return found


def similar(a: Print, b: Print) -> bool:
    """Whether ``a`` and ``b`` are copies of one story (see the module's docstring)."""
    return _similar(_Features(a), _Features(b))


def _similar(a: _Features, b: _Features) -> bool:
    if a.print.url_key and a.print.url_key == b.print.url_key:
        return True
    if jaccard(a.title, b.title) < TITLE_MIN:
        return False
    if min(len(a.words), len(b.words)) < SHORT_TEXT:  # too little text: only the same text
        same_text = bool(a.print.head) and a.print.head == b.print.head
        return same_text and a.print.title_key == b.print.title_key
    return jaccard(a.shingles, b.shingles) >= TEXT_MIN


def detect(conn: sqlite3.Connection, ids: Sequence[int], window: float = WINDOW) -> int:
    """Print the new articles ``ids`` and put each in a group with its copies (in the
    caller's transaction; run where the articles are stored, never on the UI thread).
    Returns how many joined a group."""
    if not ids:
        return 0
    collecting = gc.isenabled()
    gc.disable()  # the work makes many small tuples and sets and no cycle: a collection
    try:  # now and then would walk the whole heap (a TUI's, a refresh's) for nothing
        return _detect(conn, ids, window)
    finally:
        if collecting:
            gc.enable()


def _detect(conn: sqlite3.Connection, ids: Sequence[int], window: float) -> int:
    features = {p.article_id: _Features(p) for p in map(make_print, new_articles(conn, ids))}
    by_key: dict[int, list[int]] = {}
    for article_id, f in features.items():
        for key in f.keys():
            by_key.setdefault(key, []).append(article_id)
    stored = sharing(conn, by_key, MAX_SHARING)  # before the new keys are stored
    save_prints(
        conn,
        [f.print for f in features.values()],
        ((key, i) for key, members in by_key.items() for i in members),
    )
    sizes = Counter(key for key, *_ in stored)
    sizes.update({key: len(members) for key, members in by_key.items()})
    common = {key for key, n in sizes.items() if n > MAX_SHARING}
    pairs = {
        pair
        for key, members in by_key.items()
        if key not in common
        for pair in combinations(members, 2)
    }
    for key, other, feed_id, when in stored:
        if key not in common:
            for a in by_key[key]:
                mine = features[a].print
                if feed_id != mine.feed_id and abs(when - mine.sort_time) <= window:
                    pairs.add((a, other))
    wanted = {i for pair in pairs for i in pair} - features.keys()
    features |= {i: _Features(p) for i, p in prints(conn, wanted).items()}
    links: dict[int, set[int]] = {}
    for a, b in pairs:
        fa, fb = features[a], features[b]
        if (
            fa.print.feed_id != fb.print.feed_id
            and abs(fa.print.sort_time - fb.print.sort_time) <= window
            and _similar(fa, fb)
        ):
            links.setdefault(a, set()).add(b)
            links.setdefault(b, set()).add(a)
    return _group(conn, links) if links else 0


def _group(conn: sqlite3.Connection, links: dict[int, set[int]]) -> int:
    """Join each connected set of ``links``, with the groups its members were in, into one
    group named by its smallest member. Returns how many articles joined a group."""
    before = groups_of(conn, links)
    members = members_of(conn, before.values())
    parent: dict[int, int] = {}

    def root(node: int) -> int:
        while parent.get(node, node) != node:
            node = parent[node]
        return node

    def union(a: int, b: int) -> None:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for article_id, others in links.items():
        for other in others:
            union(article_id, other)
    for article_id, group_id in members.items():
        union(article_id, group_id)  # a group's id is one of its members' (or was)
    everyone = set(links) | set(members)
    save_groups(conn, {article_id: root(article_id) for article_id in everyone})
    return len(everyone) - len(members)
