"""Annotated articles as CSL-JSON, the citation data Zotero, pandoc and citeproc read.

An export is a JSON array of items, one for each article in scope with an annotation or
a note, sorted by id:

- ``id``: the article's export id (:func:`newsreader.export.collect.export_id`), the
  same in every store and in the other exports; ``type``: ``article-newspaper``;
- ``title``, ``container-title`` (the feed's title), ``URL`` (each left out when empty);
- ``author``: the byline's names (:mod:`newsreader.export.names`): ``given``/``family``
  for a person's name that splits cleanly, else ``literal``;
- ``issued``: the article's date (the feed's published date, else its updated one) as
  ``date-parts`` [[year, month, day]] in UTC; left out when the feed gave none;
- ``accessed``: when its page was fetched for the full text, else when it was first
  annotated (the earliest annotation or note: it was read then at the latest).
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from typing import Any

from newsreader.export.collect import ArticleBundle, ExportData, Scope, load
from newsreader.export.names import Name, authors
from newsreader.safety import clean_text

TYPE = "article-newspaper"


def date_parts(ts: float) -> dict[str, list[list[int]]]:
    """A unix time as a CSL date: ``{"date-parts": [[year, month, day]]}`` (UTC)."""
    day = datetime.fromtimestamp(ts, UTC)
    return {"date-parts": [[day.year, day.month, day.day]]}


def _name(name: Name) -> dict[str, str]:
    if name.is_person:
        return {"family": name.family, "given": name.given}
    return {"literal": name.literal}


def _accessed(bundle: ArticleBundle) -> float | None:
    if bundle.info.page_fetched is not None:
        return bundle.info.page_fetched
    times = [a.created for a in bundle.annotations] + [n.created for n in bundle.notes]
    return min(times, default=None)


def item(bundle: ArticleBundle) -> dict[str, Any]:
    """One annotated article as a CSL-JSON item (see the module notes)."""
    info = bundle.info
    entry: dict[str, Any] = {"id": info.export_id, "type": TYPE}
    title = clean_text(info.title).strip()
    if title:
        entry["title"] = title
    feed = clean_text(info.feed).strip()
    if feed:
        entry["container-title"] = feed
    if info.url:
        entry["URL"] = info.url
    names = authors(info.author)
    if names:
        entry["author"] = [_name(n) for n in names]
    if info.published is not None:
        entry["issued"] = date_parts(info.published)
    accessed = _accessed(bundle)
    if accessed is not None:
        entry["accessed"] = date_parts(accessed)
    return entry


def to_items(data: ExportData) -> list[dict[str, Any]]:
    """The CSL-JSON items of the loaded articles, by id."""
    items = [item(b) for b in data.bundles if b.annotations or b.notes]
    return sorted(items, key=lambda i: str(i["id"]))


def export_items(conn: sqlite3.Connection, scope: Scope | None = None) -> list[dict[str, Any]]:
    """The annotated articles in ``scope`` (default: the whole store) as CSL-JSON items."""
    return to_items(load(conn, scope or Scope()))


def dumps(items: list[dict[str, Any]]) -> str:
    """The items as stable JSON text (indented, UTF-8 as it is)."""
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
