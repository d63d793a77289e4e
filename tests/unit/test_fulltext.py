"""Full text through a real refresh: a loopback server serves teaser feeds and their pages;
what is stored is checked (text, summary, snapshot, errors, annotations)."""

from __future__ import annotations

from pathlib import Path

from newsreader.annotations import service
from newsreader.config import FetchSettings
from newsreader.feeds.fulltext import fetch_full_text
from newsreader.feeds.refresh import refresh
from newsreader.models import RefreshProgress
from newsreader.store import connect
from newsreader.store.articles import ArticleFilter, get_article, list_articles
from newsreader.store.feeds import set_full_text
from newsreader.store.pages import get_page
from tests.httpserver import LoopbackServer
from tests.unit.refresh_helpers import settings as feed_settings
from tests.unit.refresh_helpers import subscribe_all

SENTENCES = [
    "The council voted on Tuesday night to close the old river bridge to cars from spring.",
    "Engineers had warned that its supports were failing after years of neglect.",
    "The vote was eleven to four after a debate that lasted almost three hours.",
    "Councillor Ana Ruiz, who proposed the closure, said the report left no choice.",
    "Opponents said the closure would add twenty minutes to thousands of commutes.",
    "A plan for a replacement bridge will be published in the autumn of next year.",
    "Work on the new bridge is not expected to start before the year 2028 at the earliest.",
    "Cyclists and walkers will still be allowed to cross the bridge while it stands.",
]


def settings(**overrides: object) -> FetchSettings:
    """The refresh tests' settings with full text on ("auto") and no per-host delay."""
    return feed_settings(**{"full_text": "auto", "page_delay": 0.0, **overrides})


def story(n: int) -> list[str]:
    """The paragraphs of story ``n`` (distinct per story)."""
    return [f"Story {n}: {s}" for s in SENTENCES] * 3


def page(n: int, extra: str = "") -> bytes:
    """The web page of story ``n``: navigation, the article, a footer."""
    body = "".join(f"<p>{p}</p>" for p in story(n))
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Bridge story {n}</title>"
        f'<meta name="author" content="Ana Reyes"></head><body>'
        f'<nav><a href="/">Home</a> <a href="/local">Local</a></nav>'
        f"<main><article><h1>Bridge story {n}</h1>{body}{extra}</article></main>"
        f"<footer><p>© 2026 The Example Gazette</p></footer></body></html>"
    ).encode()


def feed(server: LoopbackServer, items: int, text: str = "teaser", prefix: str = "s") -> bytes:
    """An RSS feed of ``items`` stories linking to ``/{prefix}/N`` on ``server``."""
    out = []
    for n in range(items):
        if text == "teaser":
            description = story(n)[0][:60] + "…"
        elif text == "full":
            description = " ".join(story(n) * 2)
        else:  # medium: neither short nor long, the page's opening words
            description = " ".join(story(n)[:10])
        out.append(
            f"<item><guid>{prefix}-{n}</guid><title>Bridge story {n}</title>"
            f"<link>{server.url(f'/{prefix}/{n}')}</link>"
            f"<description>{description}</description></item>"
        )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Gazette</title>'
        f"<link>{server.url('/')}</link>{''.join(out)}</channel></rss>"
    ).encode()


def serve(server: LoopbackServer, items: int, text: str = "teaser", prefix: str = "s") -> str:
    server.route(f"/{prefix}.xml", body=feed(server, items, text, prefix))
    for n in range(items):
        server.route(f"/{prefix}/{n}", body=page(n), content_type="text/html; charset=utf-8")
    return server.url(f"/{prefix}.xml")


def texts(db_path: Path) -> list[tuple[str, str, str]]:
    """(title, text_source, first words of the text) of every article, by title."""
    conn = connect(db_path)
    try:
        found = []
        for row in list_articles(conn, ArticleFilter(), limit=None):
            article = get_article(conn, row.id)
            assert article is not None
            found.append((article.title, article.text_source, article.text[:20]))
        return sorted(found)
    finally:
        conn.close()


def test_auto_fetches_teasers_pages_after_storing_the_items(
    db_path: Path, http_server: LoopbackServer
) -> None:
    url = serve(http_server, 3)
    subscribe_all(db_path, [url])
    seen: list[RefreshProgress] = []
    summary = refresh(db_path, settings=settings(), on_progress=seen.append)
    assert summary.new_articles == 3
    assert summary.full_text is not None and summary.full_text.fetched == 3
    assert "full text from 3 of 3 pages" in summary.line()
    stages = [p.stage for p in seen]
    assert stages.index("full text") > max(i for i, s in enumerate(stages) if s == "feeds")
    assert seen[-1].stage == "full text" and (seen[-1].done, seen[-1].total) == (3, 3)
    conn = connect(db_path)
    try:
        article = list_articles(conn, ArticleFilter(search="twenty minutes"), limit=None)
        assert len(article) == 3  # the page's words are searchable
        full = get_article(conn, article[0].id)
        assert full is not None and full.text_source == "page"
        assert "twenty minutes to thousands of commutes" in full.text
        assert full.summary.endswith("…") and len(full.summary) < 80
        assert full.author == "Ana Reyes"  # the feed gave none: the page's
        assert "Home" not in full.text and "Gazette" not in full.text
        snapshot = get_page(conn, full.id)
        assert snapshot is not None
        number = int(full.title.rsplit(" ", 1)[1])
        assert snapshot.body == page(number)  # byte for byte what the server sent
        assert snapshot.status == 200 and snapshot.language == "en"
    finally:
        conn.close()


def test_never_fetches_no_page(db_path: Path, http_server: LoopbackServer) -> None:
    url = serve(http_server, 2)
    (feed_id,) = subscribe_all(db_path, [url])
    conn = connect(db_path)
    set_full_text(conn, feed_id, "never")
    conn.close()
    summary = refresh(db_path, settings=settings())
    assert http_server.count("/s/0") == 0
    assert summary.full_text is not None and summary.full_text.skipped == 2
    assert "full text" not in summary.line()
    assert {source for _, source, _ in texts(db_path)} == {"feed"}


def test_config_never_and_feed_always(db_path: Path, http_server: LoopbackServer) -> None:
    teasers, full = serve(http_server, 2), serve(http_server, 2, "full", prefix="f")
    _, full_id = subscribe_all(db_path, [teasers, full])
    conn = connect(db_path)
    set_full_text(conn, full_id, "always")
    conn.close()
    refresh(db_path, settings=settings(full_text="never"))
    assert http_server.count("/s/0") == 0  # the config says never
    assert http_server.count("/f/0") == 1  # this feed says always, full text or not
    sources = {title_source[1] for title_source in texts(db_path)}
    assert sources == {"feed", "page"}


def test_auto_leaves_a_full_feed_alone(db_path: Path, http_server: LoopbackServer) -> None:
    subscribe_all(db_path, [serve(http_server, 2, "full")])
    summary = refresh(db_path, settings=settings())
    assert http_server.count("/s/0") == http_server.count("/s/1") == 0
    assert summary.full_text is not None and summary.full_text.skipped == 2


def test_auto_probes_a_medium_text_and_follows_when_it_opens_the_page(
    db_path: Path, http_server: LoopbackServer
) -> None:
    subscribe_all(db_path, [serve(http_server, 3, "medium")])
    summary = refresh(db_path, settings=settings())
    assert summary.full_text is not None and summary.full_text.fetched == 3
    assert {source for _, source, _ in texts(db_path)} == {"page"}


def test_auto_probe_that_the_page_does_not_extend_skips_the_feeds_others(
    db_path: Path, http_server: LoopbackServer
) -> None:
    url = serve(http_server, 3, "medium")
    for n in range(3):  # pages about something else: the feed's text is not a teaser of them
        http_server.route(f"/s/{n}", body=page(n + 10), content_type="text/html")
    subscribe_all(db_path, [url])
    summary = refresh(db_path, settings=settings())
    pages = summary.full_text
    assert pages is not None
    assert (pages.fetched, pages.whole, pages.skipped) == (0, 1, 2)
    assert sum(http_server.count(f"/s/{n}") for n in range(3)) == 1
    assert {source for _, source, _ in texts(db_path)} == {"feed"}


def test_a_failing_page_keeps_the_feed_text_and_stops_nothing(
    db_path: Path, http_server: LoopbackServer
) -> None:
    url = serve(http_server, 4)
    http_server.route("/s/1", status=404, body=b"gone", content_type="text/html")
    http_server.route("/s/2", delay=3.0, body=page(2), content_type="text/html")
    no_article = Path(__file__).parents[1] / "fixtures" / "pages" / "no-article.html"
    http_server.route("/s/3", body=no_article.read_bytes(), content_type="text/html")
    subscribe_all(db_path, [url])
    summary = refresh(db_path, settings=settings(total_timeout=1.0))
    pages = summary.full_text
    assert pages is not None and pages.fetched == 1
    assert sorted(article_id for article_id, _, _ in pages.errors) == [2, 3, 4]
    conn = connect(db_path)
    try:
        failed = {i: get_article(conn, i) for i in (2, 3, 4)}
        for article in failed.values():
            assert article is not None
            assert article.text_source == "feed" and article.text.endswith("…")
            assert article.page_error
        assert "404" in failed[2].page_error  # type: ignore[union-attr]
        assert "time" in failed[3].page_error  # type: ignore[union-attr]
        assert get_page(conn, 4) is not None  # the page as it was, though it had no article
    finally:
        conn.close()


def test_an_annotation_on_the_teaser_moves_onto_the_full_text(
    db_path: Path, http_server: LoopbackServer
) -> None:
    url = serve(http_server, 1)
    subscribe_all(db_path, [url])
    refresh(db_path, settings=settings(full_text="never"))
    conn = connect(db_path)
    try:
        (row,) = list_articles(conn, ArticleFilter(), limit=None)
        teaser = get_article(conn, row.id)
        assert teaser is not None and teaser.text_source == "feed"
        quote = "voted on Tuesday night"
        mark = service.create_from_quote(conn, row.id, quote, "claim", note="check this")
    finally:
        conn.close()
    summary = fetch_full_text(db_path, [row.id], settings=settings())
    assert summary.fetched == 1
    conn = connect(db_path)
    try:
        article = get_article(conn, row.id)
        (kept,) = service.list_for_article(conn, row.id).annotations
        assert article is not None and article.text_source == "page"
        assert not kept.orphaned and kept.id == mark.id and kept.note == "check this"
        assert article.text[kept.start : kept.end] == quote
    finally:
        conn.close()


def test_a_feed_update_after_full_text_only_changes_the_summary(
    db_path: Path, http_server: LoopbackServer
) -> None:
    url = serve(http_server, 1)
    subscribe_all(db_path, [url])
    refresh(db_path, settings=settings())
    reworded = feed(http_server, 1).replace(
        b"\xe2\x80\xa6</description>", b" (updated)</description>"
    )
    http_server.route("/s.xml", body=reworded)
    refresh(db_path, settings=settings())
    assert http_server.count("/s/0") == 1  # not new: its page is not fetched again
    conn = connect(db_path)
    try:
        article = get_article(conn, 1)
        assert article is not None and article.text_source == "page"
        assert article.summary.endswith("(updated)")
    finally:
        conn.close()


def test_fetch_full_text_missing_and_cancel(db_path: Path, http_server: LoopbackServer) -> None:
    url = serve(http_server, 3)
    subscribe_all(db_path, [url])
    refresh(db_path, settings=settings(full_text="never"))
    cancelled = fetch_full_text(db_path, settings=settings(), cancelled=lambda: True)
    assert cancelled.cancelled and cancelled.fetched == 0
    first = fetch_full_text(db_path, [1], settings=settings())
    assert first.fetched == 1
    rest = fetch_full_text(db_path, missing=True, settings=settings(full_text="always"))
    assert (rest.articles, rest.fetched) == (2, 2)
    assert "full text for 2 articles: 2 fetched" in rest.line()


def test_a_redirect_to_a_private_host_is_refused_per_article(
    db_path: Path, http_server: LoopbackServer
) -> None:
    url = serve(http_server, 2)
    with LoopbackServer(host="127.0.0.2") as inside:
        inside.route("/secret", body=page(0), content_type="text/html")
        http_server.route("/s/0", status=302, headers={"Location": inside.url("/secret")})
        subscribe_all(db_path, [url])
        summary = refresh(db_path, settings=settings())
        assert inside.count("/secret") == 0  # never asked
    pages = summary.full_text
    assert pages is not None and pages.fetched == 1
    ((article_id, _, error),) = pages.errors
    assert error.startswith("refused:") and "127.0.0.2" in error
    conn = connect(db_path)
    try:
        article = get_article(conn, article_id)
        assert article is not None and article.text_source == "feed"
        assert article.page_error == error
    finally:
        conn.close()


def test_hostile_and_oversized_pages(db_path: Path, http_server: LoopbackServer) -> None:
    url = serve(http_server, 2)
    hostile = page(
        0,
        extra='<script>alert("x")</script><p onclick="evil()">Click '
        '<a href="javascript:alert(1)">here</a>\x1b[31m red</p>',
    )
    http_server.route("/s/0", body=hostile, content_type="text/html")
    http_server.route(
        "/s/1", body=page(1, extra="<p>" + "word " * 2_300_000 + "</p>"), content_type="text/html"
    )
    subscribe_all(db_path, [url])
    summary = refresh(db_path, settings=settings(max_body_mb=5.0))
    pages = summary.full_text
    assert pages is not None and pages.fetched == 1
    ((_, _, error),) = pages.errors
    assert "larger than" in error
    conn = connect(db_path)
    try:
        article = get_article(conn, 1)
        assert article is not None and article.text_source == "page"
        for bad in ("alert", "evil", "javascript:", "\x1b", "<script"):
            assert bad not in article.text and bad not in article.html
        assert get_page(conn, 1).body == hostile  # type: ignore[union-attr]  # kept as sent
    finally:
        conn.close()
