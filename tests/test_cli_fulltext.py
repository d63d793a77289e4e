"""The full-text commands of the real `newsreader` entry point, in a subprocess, against a
loopback server: add --full-text, feed set, fulltext, show --json, snapshot, export."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.httpserver import LoopbackServer
from tests.unit.test_fulltext import page, serve


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m newsreader --db … --config …` with pages fetched without delay."""
    config = tmp_path / "config.toml"
    if not config.exists():
        config.write_text("[fetch]\npage_delay = 0\ntotal_timeout = 2\n", encoding="utf-8")
    argv = [sys.executable, "-m", "newsreader", "--db", str(tmp_path / "cli.db")]
    argv += ["--config", str(config), *args]
    return subprocess.run(
        argv, capture_output=True, text=True, timeout=120, cwd=tmp_path, env={**os.environ}
    )


@pytest.fixture
def subscribed(tmp_path: Path, http_server: LoopbackServer) -> LoopbackServer:
    """A teaser feed of three stories, subscribed with full text never (pages not yet)."""
    url = serve(http_server, 3)
    added = run(tmp_path, "add", url, "--full-text", "never")
    assert added.returncode == 0, added.stderr
    assert "full text: never" in added.stdout
    return http_server


def test_fulltext_show_json_and_snapshot(tmp_path: Path, subscribed: LoopbackServer) -> None:
    shown = json.loads(run(tmp_path, "show", "1", "--json").stdout)
    assert shown["text_source"] == "feed" and shown["fetched"] is None
    assert subscribed.count("/s/0") == 0
    missing = run(tmp_path, "snapshot", "1")
    assert missing.returncode == 1 and "no snapshot" in missing.stderr
    assert "Traceback" not in missing.stderr

    fetched = run(tmp_path, "fulltext", "1", "2")
    assert fetched.returncode == 0, fetched.stderr
    assert "full text for 2 articles: 2 fetched" in fetched.stdout
    shown = json.loads(run(tmp_path, "show", "1", "--json").stdout)
    assert set(shown) >= {
        "id", "feed_id", "title", "url", "author", "published",
        "text", "summary", "text_source", "fetched",
    }  # fmt: skip
    assert shown["text_source"] == "page" and shown["fetched"].endswith("Z")
    assert shown["summary"].endswith("…") and "twenty minutes" in shown["text"]
    assert "full text from the page" in run(tmp_path, "show", "1").stdout

    out = tmp_path / "page.html"
    written = run(tmp_path, "snapshot", "1", "--out", str(out))
    assert written.returncode == 0, written.stderr
    number = int(shown["title"].rsplit(" ", 1)[1])
    assert out.read_bytes() == page(number)
    piped = subprocess.run(
        [sys.executable, "-m", "newsreader", "--db", str(tmp_path / "cli.db"), "snapshot", "1"],
        capture_output=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert piped.stdout == page(number)


def test_fulltext_missing_reports_each_failed_page(
    tmp_path: Path, subscribed: LoopbackServer
) -> None:
    subscribed.route("/s/2", status=500, body=b"oops", content_type="text/html")
    result = run(tmp_path, "fulltext", "--feed", "1", "--missing")
    assert result.returncode == 0, result.stderr
    assert "2 fetched" in result.stdout and "1 failed" in result.stdout
    (line,) = [x for x in result.stderr.splitlines() if x.startswith("newsreader: article")]
    assert "HTTP 500" in line and "/s/2" in line
    again = run(tmp_path, "fulltext", "--missing", "3")
    assert again.returncode == 1 and again.stderr.strip().endswith("every page failed")


def test_feed_set_and_refresh_fetch_pages(tmp_path: Path, subscribed: LoopbackServer) -> None:
    bad = run(tmp_path, "feed", "set", "1", "--full-text", "sometimes")
    assert bad.returncode == 2 and "invalid choice" in bad.stderr
    unknown = run(tmp_path, "feed", "set", "9", "--full-text", "always")
    assert unknown.returncode == 1 and "no such feed" in unknown.stderr
    assert run(tmp_path, "feed", "set", "1", "--full-text", "default").returncode == 0
    subscribed.route(
        "/s.xml", body=subscribed.routes["/s.xml"].body.replace(b"s-0", b"s-new")
    )  # one new item: the refresh fetches its page (auto: the feed gives a teaser)
    subscribed.route("/s/0", status=403, body=b"paywall", content_type="text/html")
    refreshed = run(tmp_path, "refresh")
    assert refreshed.returncode == 0, refreshed.stderr  # a page error is not a feed's
    assert "full text from 0 of 1 page, 1 failed" in refreshed.stdout
    assert "newsreader: article 4 <" in refreshed.stderr and "HTTP 403" in refreshed.stderr
    listed = json.loads(run(tmp_path, "feeds", "--json").stdout)
    assert listed[0]["id"] == 1


def test_export_names_the_snapshot(tmp_path: Path, subscribed: LoopbackServer) -> None:
    assert run(tmp_path, "fulltext", "1").returncode == 0
    marked = run(
        tmp_path,
        "annotate",
        "1",
        "--quote",
        "twenty minutes",
        "--kind",
        "highlight",
        "--occurrence",
        "2",
    )
    assert marked.returncode == 0, marked.stderr
    exported = run(tmp_path, "export", "--format", "md", "--article", "1")
    assert exported.returncode == 0, exported.stderr
    front = exported.stdout.split("---")[1]
    assert "\nfetched: 20" in front
    assert "\nsource: " in front and "/s/" in front
