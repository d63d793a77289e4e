"""Article commands: articles, show, stats."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from newsreader.cli.context import CliError, Context
from newsreader.cli.output import format_time, iso_time, print_table
from newsreader.models import Article, Enclosure
from newsreader.player import describe
from newsreader.wording import plural

JSON_KEYS = (
    "id",
    "feed_id",
    "feed_title",
    "title",
    "url",
    "author",
    "published",
    "date_kind",
    "is_read",
    "is_starred",
)
"""The stable keys of ``articles --json`` (a documented contract for scripts), with
``labels`` (the article's labels, by name) and ``also_in`` (the titles of the other feeds
the same story came from)."""


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the article commands to the subparsers ``sub``."""
    p = sub.add_parser("articles", parents=[common], help="list articles, newest first")
    p.add_argument("--unread", action="store_true", help="only unread articles")
    p.add_argument("--starred", action="store_true", help="only starred articles")
    p.add_argument("--annotated", action="store_true", help="only articles with annotations")
    p.add_argument("--feed", type=int, metavar="ID", help="only this feed")
    p.add_argument("--label", default="", metavar="NAME", help="only articles with this label")
    p.add_argument("--later", action="store_true", help="only articles in the Later queue")
    p.add_argument(
        "--search",
        default="",
        metavar="QUERY",
        help="full-text search, with filters (e.g. 'petro -maduro \"white house\"')",
    )
    p.add_argument("--limit", type=_positive, default=100, help="at most N articles (100)")
    p.add_argument("--json", action="store_true", help="one JSON document")
    p.set_defaults(handler=cmd_articles)

    p = sub.add_parser("show", parents=[common], help="print an article as the reader shows it")
    p.add_argument("article", type=int, metavar="ARTICLE")
    p.add_argument("--json", action="store_true", help="one JSON object (text and summary too)")
    p.set_defaults(handler=cmd_show)

    p = sub.add_parser("stats", parents=[common], help="count feeds and articles in the store")
    p.set_defaults(handler=cmd_stats)


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def cmd_articles(ctx: Context, args: argparse.Namespace) -> int:
    """List articles matching the filters."""
    from newsreader.store.articles import ArticleFilter, list_articles
    from newsreader.store.feeds import get_feed
    from newsreader.store.labels import labels_by_article
    from newsreader.store.search import QueryError

    if args.feed is not None and get_feed(ctx.conn, args.feed) is None:
        raise CliError(f"no such feed: {args.feed}")  # as refresh says it
    flt = ArticleFilter(
        feed_id=args.feed,
        unread=args.unread,
        starred=args.starred,
        annotated=args.annotated,
        search=args.search,
        label=" ".join(args.label.split()),
        later=args.later,
    )
    try:
        found = list_articles(ctx.conn, flt, limit=args.limit)
    except QueryError as exc:
        raise CliError(str(exc)) from exc
    if args.json:
        from newsreader.store.duplicates import also_in

        labels = labels_by_article(ctx.conn, [a.id for a in found])
        copies = also_in(ctx.conn, [a.id for a in found])
        data = [
            {
                **article_json(a),
                "labels": labels.get(a.id, []),
                "also_in": list(copies.get(a.id, ())),
            }
            for a in found
        ]
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    rows = [
        (
            str(a.id),
            "★" if a.is_starred else " ",
            " " if a.is_read else "●",
            format_time(a.published),
            a.feed_title,
            a.title,
        )
        for a in found
    ]
    print_table(("id", "*", "N", "published", "feed", "title"), rows)
    return 0


def article_json(article: Article) -> dict[str, object]:
    """An article as the stable JSON object of ``articles --json``."""
    data = {key: getattr(article, key) for key in JSON_KEYS}
    data["published"] = iso_time(article.published)
    return data


def cmd_show(ctx: Context, args: argparse.Namespace) -> int:
    """Print one article: header, canonical text, numbered link references, media."""
    from newsreader.store.articles import get_article
    from newsreader.store.enclosures import enclosures_of

    article = get_article(ctx.conn, args.article)
    if article is None:
        raise CliError(f"no article with id {args.article}")
    media = enclosures_of(ctx.conn, article.id)
    if args.json:
        from newsreader.store.duplicates import other_copies
        from newsreader.store.pages import get_page

        data = show_json(article)
        data["duplicates"] = other_copies(ctx.conn, article.id)
        data["enclosures"] = [{"url": e.url, "type": e.type, "length": e.length} for e in media]
        page = get_page(ctx.conn, article.id)
        data["page"] = (
            None
            if page is None
            else {
                "url": page.final_url,
                "status": page.status,
                "site_name": page.site_name,
                "canonical_url": page.canonical_url,
                "language": page.language,
                "size": len(page.body),
            }
        )
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    sys.stdout.write(render_article(article, media))
    return 0


def show_json(article: Article) -> dict[str, object]:
    """``show --json``: the article with its text, the feed's summary, where the text came
    from ("feed" or "page") and when its page was fetched (null: never)."""
    return {
        "id": article.id,
        "feed_id": article.feed_id,
        "title": article.title,
        "url": article.url,
        "author": article.author,
        "published": iso_time(article.published),
        "text": article.text,
        "summary": article.summary,
        "text_source": article.text_source,
        "fetched": iso_time(article.page_fetched),
        "page_error": article.page_error,
        "labels": list(article.labels),
        "later": article.in_later,
    }


def render_article(article: Article, media: Sequence[Enclosure] = ()) -> str:
    """The article as plain text, the way the reader pane lays it out (its podcasts and
    videos in a "Media" block at the end)."""
    when = format_time(article.published)
    if article.date_kind == "updated" and when != "-":
        when = f"updated {when}"  # the feed gives no published date
    byline = " · ".join(p for p in (article.feed_title, article.author, when) if p and p != "-")
    parts = [article.title or "(untitled)", byline]
    if article.url:
        parts.append(article.url)
    if article.text_source == "page":
        parts.append(f"full text from the page, fetched {format_time(article.page_fetched)}")
    elif article.page_error:
        parts.append(f"page not used: {article.page_error}")
    triage = [f"labels: {', '.join(article.labels)}"] if article.labels else []
    if article.in_later:
        triage.append("in Later")
    if triage:
        parts.append(" · ".join(triage))
    parts += ["", article.text.rstrip()]
    if article.links:
        parts += ["", "References"]
        parts += [f"[{n}] {url}" for n, url in enumerate(article.links, 1)]
    if media:
        parts += ["", "Media"]
        parts += [describe(enclosure) for enclosure in media]
    return "\n".join(parts) + "\n"


def cmd_stats(ctx: Context, args: argparse.Namespace) -> int:
    """Print counts of feeds and articles (cheap: a start-up probe for benchmarks)."""
    from newsreader.store.articles import counts
    from newsreader.store.feeds import count_feeds

    totals = counts(ctx.conn)
    feeds = count_feeds(ctx.conn)
    print(
        f"{plural(feeds, 'feed')}, {plural(totals['all'], 'article')}, "
        f"{totals['unread']} unread, {totals['starred']} starred, "
        f"{totals['annotated']} annotated, {totals['later']} in Later"
    )
    return 0
