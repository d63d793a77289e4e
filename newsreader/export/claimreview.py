"""Claims with a verdict as schema.org ``ClaimReview`` JSON-LD (schema.org/ClaimReview).

An export is one JSON-LD document: ``@context`` https://schema.org and an ``@graph`` of
``ClaimReview`` nodes, one for each claim whose status is a verdict, in the order of the
articles' export ids, then the claims' places in the text. Unverified claims have no
verdict and are left out (:attr:`ClaimReviews.left_out` counts them).

- ``@id``: ``urn:uuid:`` + the claim's uid (as in the W3C export), stable across stores;
- ``claimReviewed``: the quote; ``reviewBody``: the claim's note, when it has one;
- ``reviewRating``: a ``Rating`` on a 1-5 scale (:data:`RATINGS`): supported 5, disputed 3,
  false 1, with ``alternateName`` the verdict's word;
- ``itemReviewed``: the ``Claim``: its ``author`` is the speaker (a ``Person`` for an actor
  of kind person, else an ``Organization``: Claim authors are one or the other; no author
  without a speaker); its ``appearance`` the article as a ``NewsArticle`` (url, headline,
  datePublished, or dateModified when the feed gave only an updated date, the byline as
  authors, the feed as publisher); the Claim's ``datePublished`` is the article's;
- ``datePublished``: when the claim got its current verdict (the status history's last
  change, else the claim's last change); ``dateModified``: the claim's last change;
- ``author``: an anonymous ``Person``. newsreader knows no names of its users (as in the
  W3C export); schema.org does not require an author on the type, Google's rich results
  do: whoever publishes the reviews adds a name;
- ``citation``: the claim's sources (evidence), each a ``CreativeWork`` with its ``url``
  and, for an article, its ``name``; only for a claim that has some. A claim's event date
  (when it was said) is the Claim's ``dateCreated``;
- ``url``: a link to the quote in the article (a text fragment, as the Markdown export's),
  the article url alone when the quote was orphaned; none without an article url.

Text is cleaned (:func:`newsreader.safety.clean_text`) and :func:`dumps` escapes ``<``,
U+2028 and U+2029, so the document can go into an HTML ``<script type="application/ld+json">``
as it is.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from newsreader.export.collect import ArticleInfo, ExportData, Scope, load
from newsreader.export.mdtext import iso_time, quote_link
from newsreader.export.names import authors
from newsreader.export.webannotation import uid_to_id
from newsreader.models import Actor, Annotation, Evidence
from newsreader.safety import clean_text

CONTEXT = "https://schema.org"
BEST, WORST = 5, 1
RATINGS: dict[str, tuple[int, str]] = {
    "supported": (5, "Supported"),
    "disputed": (3, "Disputed"),
    "false": (1, "False"),
}
"""A verdict's rating value and name; "unverified" is no verdict and has none."""
REVIEWER: dict[str, str] = {"@type": "Person"}
"""Who reviewed: the person using newsreader (no name is known to be given)."""
PERSON_KINDS = frozenset({"person"})
"""Actor kinds that speak as a Person; every other kind speaks as an Organization."""


@dataclass(frozen=True, slots=True)
class ClaimReviews:
    """The document and how many claims without a verdict were left out."""

    document: dict[str, Any]
    left_out: int

    @property
    def reviewed(self) -> int:
        """How many ClaimReviews the document holds."""
        return len(self.document["@graph"])


def _one_line(text: str | None) -> str:
    return clean_text(text or "").strip()


def _speaker(a: Annotation, actors: dict[int, Actor]) -> dict[str, str] | None:
    if not a.speaker_name:
        return None
    actor = actors.get(a.speaker_id) if a.speaker_id is not None else None
    kind = actor.kind if actor is not None else "person"
    return {
        "@type": "Person" if kind in PERSON_KINDS else "Organization",
        "name": _one_line(a.speaker_name),
    }


def _date(info: ArticleInfo) -> tuple[str, str] | None:
    """The article's date as (schema.org property, ISO time), when known."""
    when = iso_time(info.published)
    if when is None:
        return None
    return ("dateModified" if info.date_kind == "updated" else "datePublished", when)


def _appearance(info: ArticleInfo) -> dict[str, Any]:
    article: dict[str, Any] = {"@type": "NewsArticle"}
    if info.url:
        article["url"] = info.url
    article["headline"] = _one_line(info.title)
    date = _date(info)
    if date is not None:
        article[date[0]] = date[1]
    names = authors(info.author)
    if names:
        article["author"] = [
            {"@type": "Person" if n.is_person else "Organization", "name": n.text} for n in names
        ]
    if info.feed:
        article["publisher"] = {"@type": "Organization", "name": _one_line(info.feed)}
    return article


def _citation(evidence: list[Evidence]) -> list[dict[str, str]]:
    return [
        {"@type": "CreativeWork", "url": e.url, **({"name": _one_line(e.title)} if e.title else {})}
        for e in evidence
    ]


def review_item(
    a: Annotation,
    info: ArticleInfo,
    history: list[tuple[str, float]],
    actors: dict[int, Actor],
    evidence: list[Evidence] | None = None,
) -> dict[str, Any]:
    """One claim with a verdict as a ClaimReview (see the module notes)."""
    assert a.status in RATINGS, a.status
    value, word = RATINGS[a.status]
    claim: dict[str, Any] = {"@type": "Claim"}
    speaker = _speaker(a, actors)
    if speaker is not None:
        claim["author"] = speaker
    date = _date(info)
    if date is not None and date[0] == "datePublished":
        claim["datePublished"] = date[1]
    if a.event_date:
        claim["dateCreated"] = a.event_date
    claim["appearance"] = _appearance(info)
    decided = history[-1][1] if history and history[-1][0] == a.status else a.modified
    review: dict[str, Any] = {
        "@type": "ClaimReview",
        "@id": uid_to_id(a.uid),
        "claimReviewed": _one_line(a.exact),
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": value,
            "bestRating": BEST,
            "worstRating": WORST,
            "alternateName": word,
        },
        "itemReviewed": claim,
        "author": REVIEWER,
        "datePublished": iso_time(decided),
        "dateModified": iso_time(max(a.modified, decided)),
    }
    note = clean_text(a.note, multiline=True).strip()
    if note:
        review["reviewBody"] = note
    if evidence:
        review["citation"] = _citation(evidence)
    if info.url:
        link = None if a.orphaned else quote_link(info.url, a.exact, a.prefix, a.suffix)
        review["url"] = link or info.url
    return review


def to_document(data: ExportData) -> ClaimReviews:
    """The ClaimReviews of the loaded claims with a verdict."""
    graph: list[dict[str, Any]] = []
    left_out = 0
    for bundle in data.bundles:
        for a in bundle.annotations:
            if a.kind != "claim":
                continue
            if a.status not in RATINGS:
                left_out += 1
                continue
            history = data.history.get(a.id, [])
            evidence = data.evidence.get(a.id)
            graph.append(review_item(a, bundle.info, history, data.actors, evidence))
    return ClaimReviews({"@context": CONTEXT, "@graph": graph}, left_out)


def export_reviews(conn: sqlite3.Connection, scope: Scope | None = None) -> ClaimReviews:
    """The claims with a verdict in ``scope`` (default: the whole store) as ClaimReviews."""
    return to_document(load(conn, scope or Scope()))


_HTML_SAFE = str.maketrans({"<": "\\u003c", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def dumps(document: dict[str, Any]) -> str:
    """The document as stable JSON text (indented; safe inside an HTML script element:
    ``<`` only occurs in strings, so escaping it changes no value)."""
    return json.dumps(document, ensure_ascii=False, indent=2).translate(_HTML_SAFE) + "\n"
