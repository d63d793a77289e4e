"""The Markdown of a claim's record beyond its quote: when it was said, its sources and its
links to other claims, as wiki links between the two articles' pages.

An article page gains a section "Links, sources and dates" (only when one of its claims
has any of them, so other pages are unchanged): for each such claim its quote, then
``Said on: YYYY-MM-DD``, ``Source: …`` lines and one line per link, e.g.
``Contradicts: “…” in [[other-article-page|Other article]]``. Quotes and titles are
escaped (:mod:`newsreader.export.mdtext`).
"""

from __future__ import annotations

from newsreader.annotations.claimlinks import describe
from newsreader.export.collect import ArticleBundle, ArticleInfo, ExportData, export_id
from newsreader.export.markdown import Style
from newsreader.export.mdtext import block_quote, escape, link_target, one_line
from newsreader.models import Annotation, ClaimEnd, ClaimLink, Evidence

HEADING = "## Links, sources and dates"


def _other_page(end: ClaimEnd, style: Style) -> str:
    info = ArticleInfo(
        export_id(end.article_url, end.feed_title, end.article_title),
        end.article_id,
        end.article_url,
        end.article_title,
        end.feed_title,
    )
    return style.article(info)


def _link_line(link: ClaimLink, claim_id: int, bundle: ArticleBundle, style: Style) -> str:
    relation, other = describe(link, claim_id)
    quoted = f"“{escape(one_line(other.exact), line_start=False)}”"
    here = any(a.id == other.id for a in bundle.annotations)
    where = "in this article" if here else f"in {_other_page(other, style)}"
    return f"- {relation.capitalize()}: {quoted} {where}"


def _source_line(e: Evidence) -> str:
    target = link_target(e.url)
    shown = escape(one_line(e.title or e.url), line_start=False)
    return f"- Source: [{shown}]({target})" if target else f"- Source: {shown}"


def _claim_part(
    a: Annotation, links: list[ClaimLink], data: ExportData, bundle: ArticleBundle, style: Style
) -> str | None:
    facts = [f"- Said on: {a.event_date}"] if a.event_date else []
    facts += [_source_line(e) for e in data.evidence.get(a.id, [])]
    facts += [_link_line(link, a.id, bundle, style) for link in links]
    if not facts:
        return None
    return block_quote(one_line(a.exact)) + "\n\n" + "\n".join(facts)


def record_section(bundle: ArticleBundle, data: ExportData, style: Style) -> str:
    """The section for an article page, or "" when none of its claims has a record."""
    by_claim: dict[int, list[ClaimLink]] = {}
    for link in data.links:
        for end in (link.source.id, link.target.id):
            by_claim.setdefault(end, []).append(link)
    parts = [
        part
        for a in bundle.annotations
        if a.kind == "claim"
        and (part := _claim_part(a, by_claim.get(a.id, []), data, bundle, style)) is not None
    ]
    return "\n\n".join([HEADING, *parts]) if parts else ""


def with_record(page: str, bundle: ArticleBundle, data: ExportData, style: Style) -> str:
    """An article page with its record section at the end (unchanged without one)."""
    section = record_section(bundle, data, style)
    return page if not section else page.rstrip("\n") + "\n\n" + section + "\n"
