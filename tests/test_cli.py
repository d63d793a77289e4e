"""The real `newsreader` entry point, run in a subprocess against real stores and servers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.httpserver import LoopbackServer

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "seeds" / "demo.xml"

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Loop News</title>
<link>http://loop.example/</link>
<item><title>Petro visits</title><guid>g1</guid><link>http://loop.example/1</link>
<pubDate>Tue, 06 Jan 2026 10:00:00 +0000</pubDate><description>Petro and Trump.</description></item>
<item><title>Maduro captured</title><guid>g2</guid><link>http://loop.example/2</link>
<pubDate>Mon, 05 Jan 2026 10:00:00 +0000</pubDate><description>Caracas raid.</description></item>
</channel></rss>"""

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run(tmp_path: Path) -> Run:
    """Run `python -m newsreader --db <tmp store> ARGS`."""
    db = tmp_path / "cli.db"

    def _run(
        *args: str,
        db_option: bool = True,
        env: dict[str, str] | None = None,
        stdin: str | None = None,
    ) -> subprocess.CompletedProcess[str]:
        argv = [
            sys.executable,
            "-m",
            "newsreader",
            *(["--db", str(db)] if db_option else []),
            *args,
        ]
        return subprocess.run(
            argv,
            capture_output=True,
            text=True,
            timeout=120,
            input=stdin,
            env={**os.environ, **(env or {})},
            cwd=tmp_path,
        )

    return _run


def assert_clean_failure(result: subprocess.CompletedProcess[str], code: int = 1) -> None:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("newsreader: ") or code == 2


def test_version_and_help_on_every_command(run: Run) -> None:
    version = run("--version", db_option=False)
    assert version.returncode == 0 and version.stdout.startswith("newsreader ")
    for command in (
        "add",
        "import-opml",
        "export-opml",
        "feeds",
        "refresh",
        "articles",
        "show",
        "stats",
        "label",
        "labels",
        "later",
        "prune",
    ):
        result = run(command, "--help", db_option=False)
        assert result.returncode == 0, command
        assert "--db" in result.stdout and "--config" in result.stdout


def test_usage_error_is_exit_2(run: Run) -> None:
    assert run("articles", "--limit", "zero").returncode == 2
    assert run("no-such-command").returncode == 2
    assert run("show").returncode == 2


def test_add_local_feed_then_list_show_and_search(run: Run) -> None:
    added = run("add", str(DEMO))
    assert added.returncode == 0, added.stderr
    assert "Inter Bellum News" in added.stdout
    feeds = json.loads(run("feeds", "--json").stdout)
    assert [
        (f["title"], f["article_count"], f["unread_count"], f["last_status"]) for f in feeds
    ] == [("Inter Bellum News", 2, 2, "ok")]
    listed = json.loads(run("articles", "--json").stdout)
    assert [set(a) for a in listed] == [
        {
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
            "labels",
            "also_in",
        }
    ] * 2
    sample = next(a for a in listed if a["author"] == "FRANZ AG")
    assert sample["published"] == "2026-01-08T14:30:00Z"
    shown = run("show", str(sample["id"]))
    assert shown.returncode == 0
    assert shown.stdout.startswith("Trump and Petro Open Channel After Diplomatic Standoff\n")
    assert "\n\nFrom accusations to dialogue\n\n" in shown.stdout
    assert "Trump described the conversation as constructive" in shown.stdout
    found = json.loads(run("articles", "--search", "petro -getting", "--json").stdout)
    assert [a["id"] for a in found] == [sample["id"]]
    assert len(json.loads(run("articles", "--limit", "1", "--json").stdout)) == 1
    assert "Getting started" in run("articles").stdout
    assert run("add", str(DEMO)).stdout.startswith("already subscribed")


def test_unknown_article_and_missing_file_fail_cleanly(run: Run, tmp_path: Path) -> None:
    assert_clean_failure(run("show", "999"))
    assert_clean_failure(run("import-opml", str(tmp_path / "missing.opml")))
    assert_clean_failure(run("add", str(tmp_path / "missing.xml")))
    assert_clean_failure(run("articles", "--search", "after:soon"))


def test_an_unknown_feed_is_an_error_for_articles_as_for_refresh(run: Run) -> None:
    """`articles --feed 999` says there is no such feed (one line, exit 1), like refresh;
    a known feed with no matching articles is still an empty listing (exit 0)."""
    assert run("add", str(DEMO)).returncode == 0
    feed_id = json.loads(run("feeds", "--json").stdout)[0]["id"]
    for result in (
        run("articles", "--feed", "999"),
        run("articles", "--feed", "999", "--json"),
        run("refresh", "999"),
    ):
        assert_clean_failure(result)
        assert result.stderr == "newsreader: no such feed: 999\n"
        assert result.stdout == ""
    empty = run("articles", "--feed", str(feed_id), "--search", "nothingmatches", "--json")
    assert empty.returncode == 0 and json.loads(empty.stdout) == []


def test_summaries_agree_in_number(run: Run, tmp_path: Path) -> None:
    """One feed is "1 feed", never "1 feeds" or "1 feed(s)"."""
    assert run("add", str(DEMO)).returncode == 0
    stats = run("stats").stdout
    assert stats.startswith("1 feed, 2 articles, ")
    refreshed = run("refresh", "--quiet").stdout
    assert refreshed.startswith("refreshed 1 feed: ") and "(s)" not in refreshed
    opml = tmp_path / "one.opml"
    opml.write_text(
        '<opml version="2.0"><body><outline type="rss" text="One"'
        ' xmlUrl="http://one.example/rss"/></body></opml>'
    )
    assert run("import-opml", str(opml)).stdout == "imported 1 new feed, 0 already subscribed\n"


def test_opml_import_export_round_trip(run: Run, tmp_path: Path) -> None:
    opml = tmp_path / "subs.opml"
    opml.write_text("""<?xml version="1.0"?><opml version="2.0"><body>
      <outline text="World"><outline text="Region"><outline type="rss" text="Loop News"
        xmlUrl="http://loop.example/feed.xml"/></outline></outline>
      <outline type="rss" text="Top" xmlUrl="http://top.example/rss"/>
      <outline type="rss" text="Top again" xmlUrl="http://top.example/rss"/></body></opml>""")
    imported = run("import-opml", str(opml))
    assert imported.returncode == 0, imported.stderr
    assert "imported 2 new feeds" in imported.stdout
    assert "imported 0 new" in run("import-opml", str(opml)).stdout
    feeds = {f["url"]: (f["title"], f["folder"]) for f in json.loads(run("feeds", "--json").stdout)}
    assert feeds == {
        "http://loop.example/feed.xml": ("Loop News", "World/Region"),
        "http://top.example/rss": ("Top", ""),
    }
    exported = tmp_path / "out.opml"
    assert run("export-opml", str(exported)).returncode == 0
    assert run("export-opml").stdout == exported.read_text()
    other = tmp_path / "other.db"
    assert run("--db", str(other), "import-opml", str(exported), db_option=False).returncode == 0
    again = {
        f["url"]: (f["title"], f["folder"])
        for f in json.loads(run("--db", str(other), "feeds", "--json", db_option=False).stdout)
    }
    assert again == feeds
    broken = tmp_path / "broken.opml"
    broken.write_text("<opml><body><outline")
    assert_clean_failure(run("import-opml", str(broken)))


def test_refresh_reports_bad_feeds_and_exit_codes(run: Run, http_server: LoopbackServer) -> None:
    http_server.route("/good.xml", body=RSS, etag='"v1"')
    http_server.route("/missing.xml", status=404, body=b"nope")
    for path in ("/good.xml", "/missing.xml"):
        run("add", http_server.url(path))  # the missing one fails to subscribe
    ok = run("refresh")
    assert ok.returncode == 0, ok.stderr
    feeds = json.loads(run("feeds", "--json").stdout)
    # subscribing stored the validators, so the refresh is a conditional GET answered 304
    assert [(f["article_count"], f["last_status"]) for f in feeds] == [(2, "not-modified")]
    assert http_server.conditional_count("/good.xml") == 1
    # a second feed that breaks after subscribing: its error shows, the good one refreshes
    http_server.route("/later.xml", body=RSS.replace(b"g1", b"g3").replace(b"g2", b"g4"))
    assert run("add", http_server.url("/later.xml")).returncode == 0
    http_server.route("/later.xml", status=500, body=b"boom")
    partial = run("refresh")
    assert partial.returncode == 0
    assert "500" in partial.stderr
    status = {
        f["url"].rsplit("/", 1)[1]: (f["last_status"], f["last_error"])
        for f in json.loads(run("feeds", "--json").stdout)
    }
    assert status["later.xml"][0] == "error" and "500" in status["later.xml"][1]
    assert status["good.xml"][0] in ("ok", "not-modified")
    http_server.route("/good.xml", status=500, body=b"boom")
    all_failed = run("refresh")
    assert_clean_failure(all_failed)
    assert "no feed refreshed" in all_failed.stderr


def test_refresh_of_a_damaged_feed_counts_when_it_stored_articles(
    run: Run, http_server: LoopbackServer, tmp_path: Path
) -> None:
    """A truncated document that still gives entries is a refresh (exit 0), also when they
    are stored already, with its problem printed and kept as the feed's error; cut before
    any entry, it refreshes nothing: exit 1."""
    route = http_server.route("/cut.xml", body=RSS[: RSS.index(b"<guid>g2") + 8])
    opml = tmp_path / "cut.opml"
    opml.write_text(
        '<opml version="2.0"><body><outline type="rss" text="Cut" xmlUrl="'
        f'{http_server.url("/cut.xml")}"/></body></opml>'
    )
    assert run("import-opml", str(opml)).returncode == 0  # subscribed, not fetched yet
    stored = run("refresh")
    assert stored.returncode == 0, stored.stderr
    problem = "damaged XML, 2 entries recovered: Premature end of data in tag guid"
    assert problem in stored.stderr
    assert "1 failed (1 stored what it could)" in stored.stdout and "2 new" in stored.stdout
    [feed] = json.loads(run("feeds", "--json").stdout)
    assert (feed["article_count"], feed["last_status"]) == (2, "error")
    assert feed["last_error"].startswith(problem)
    assert {a["title"] for a in json.loads(run("articles", "--json").stdout)} == {
        "Petro visits",
        "Maduro captured",
    }
    again = run("refresh")  # the same damage: its entries are stored already
    assert again.returncode == 0, again.stderr
    assert problem in again.stderr and "0 new" in again.stdout
    route.body = RSS[: RSS.index(b"<item>") + 20]  # cut inside the first entry
    nothing = run("refresh")
    assert_clean_failure(nothing)
    assert "damaged XML, 0 entries recovered" in nothing.stderr
    assert "no feed refreshed: every feed failed" in nothing.stderr
    assert json.loads(run("feeds", "--json").stdout)[0]["article_count"] == 2


def test_db_from_environment_and_config_warnings(run: Run, tmp_path: Path) -> None:
    env_db = tmp_path / "env.db"
    config = tmp_path / "config.toml"
    config.write_text("[fetch]\nspeed = 3\n")
    result = run(
        "stats",
        db_option=False,
        env={"NEWSREADER_DB": str(env_db), "NEWSREADER_CONFIG": str(config)},
    )
    assert result.returncode == 0
    assert result.stdout.startswith("0 feeds, 0 articles")
    assert env_db.exists()
    assert str(config) in result.stderr and "speed" in result.stderr
    config.write_text("[fetch]\nmax_per_host = 'x'\n")
    assert_clean_failure(run("stats", "--config", str(config)))


def _big_feed(items: int, words: int = 400) -> str:
    """An RSS document with ``items`` long entries (about 2.5 KB of text each)."""
    entries = "".join(
        f"<item><title>Story {i}</title><guid>big-{i}</guid><link>http://big.example/{i}</link>"
        f"<description>{' '.join(f'word{i}x{j}' for j in range(words))}</description></item>"
        for i in range(items)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>'
        f"<link>http://big.example/</link>{entries}</channel></rss>"
    )


def _one_line_failure(ran: object, words: str) -> None:
    assert ran.returncode == 1, (ran.args, ran.stdout, ran.stderr)  # type: ignore[attr-defined]
    stderr = ran.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in stderr and stderr.count("\n") == 1, stderr
    assert stderr.startswith("newsreader: ") and words in stderr, stderr


def test_disk_full_is_one_line_and_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    """On a real full file system, every writing command says "database or disk is full"
    in one line and exits 1; with the space back, the store holds exactly what it held."""
    from tests.fsjail import run_on_tmpfs

    other = tmp_path / "other.xml"
    other.write_text(_big_feed(3))
    snapshot = [
        ["articles", "--json"],
        ["actors", "--json"],
        ["claims", "--json"],
        ["feeds", "--json"],
        ["stats"],
    ]
    ran = run_on_tmpfs(
        tmp_path,
        [
            {"run": ["add", str(DEMO)]},
            {"run": ["actor", "add", "Gustavo Petro", "--kind", "person"]},
            *({"run": args} for args in snapshot),
            {"checkpoint": True},
            {"fill": 0},
            {"run": ["actor", "add", "Nicolás Maduro", "--kind", "person"]},
            {
                "run": [
                    "annotate",
                    "2",
                    "--quote",
                    "Petro",
                    "--occurrence",
                    "1",
                    "--kind",
                    "highlight",
                ]
            },
            {"run": ["refresh"]},
            {"run": ["add", str(other)]},
            {"run": ["import-opml", "--starter"]},
            {"run": ["articles", "--json"]},  # reading still works on a full disk
            {"unfill": True},
            *({"run": args} for args in snapshot),
        ],
    )
    before, full, after = ran[2:7], ran[7:12], ran[13:]
    assert all(r.returncode == 0 for r in ran[:7]), [(r.args, r.stderr) for r in ran[:7]]
    for failed in full:
        _one_line_failure(failed, "database or disk is full")
    assert ran[12].returncode == 0 and ran[12].stdout == before[0].stdout
    assert [r.stdout for r in after] == [r.stdout for r in before]


def test_disk_filling_up_during_a_refresh_stops_it_in_one_line(tmp_path: Path) -> None:
    """The disk fills while a refresh stores a big feed: one line, exit 1, no second
    traceback from recording the failure; the feed keeps its articles and its status."""
    from tests.fsjail import run_on_tmpfs

    feed, bigger = tmp_path / "feed.xml", tmp_path / "bigger.xml"
    feed.write_text(_big_feed(2))
    bigger.write_text(_big_feed(300))
    ran = run_on_tmpfs(
        tmp_path,
        [
            {"run": ["add", str(feed)]},
            {"run": ["feeds", "--json"]},
            {"copy": [str(bigger), str(feed)]},
            {"checkpoint": True},
            {"fill": 256},
            {"run": ["refresh"]},
            {"unfill": True},
            {"run": ["feeds", "--json"]},
            {"run": ["refresh"]},
            {"run": ["feeds", "--json"]},
        ],
    )
    assert ran[0].returncode == 0 and ran[1].returncode == 0, ran[0].stderr
    [before] = json.loads(ran[1].stdout)
    assert before["article_count"] == 2 and before["last_status"] == "ok"
    _one_line_failure(ran[2], "database or disk is full")
    assert json.loads(ran[3].stdout) == [before]
    assert ran[4].returncode == 0, ran[4].stderr  # with the space back, it goes through
    assert json.loads(ran[5].stdout)[0]["article_count"] == 300


@pytest.mark.parametrize("clean_exit", [True, False], ids=["no-wal-file", "with-wal-file"])
def test_a_store_on_a_read_only_file_system(tmp_path: Path, clean_exit: bool) -> None:
    """Reading commands read it as they would a writable one (with or without a -wal file
    left beside it); a write says "read-only" in one line and exits 1."""
    from tests.fsjail import run_on_tmpfs

    reads = [
        ["articles", "--json"],
        ["show", "2"],
        ["claims"],
        ["actors", "--json"],
        ["actor", "show", "Gustavo Petro"],
        ["feeds", "--json"],
        ["stats"],
        ["export-opml"],
        ["export", "--all", "--format", "json"],
        ["articles", "--search", "petro"],
    ]
    writes = [
        ["actor", "add", "Nicolás Maduro", "--kind", "person"],
        ["annotate", "2", "--quote", "Petro", "--occurrence", "1"],
        ["refresh"],
        ["add", str(DEMO)],
        ["import-opml", "--starter"],
    ]
    ran = run_on_tmpfs(
        tmp_path,
        [
            {"run": ["add", str(DEMO)]},
            {"run": ["actor", "add", "Gustavo Petro", "--kind", "person"]},
            *({"run": args} for args in reads),
            *([{"checkpoint": True}] if clean_exit else []),
            {"readonly": True},
            *({"run": args} for args in reads),
            *({"run": args} for args in writes),
        ],
    )
    before, after, failed = (
        ran[2 : 2 + len(reads)],
        ran[2 + len(reads) : -len(writes)],
        ran[-len(writes) :],
    )
    assert all(r.returncode == 0 for r in ran[: 2 + len(reads)]), [r.stderr for r in ran]
    for read, again in zip(before, after, strict=True):
        assert again.returncode == 0, (again.args, again.stderr)
        assert (again.stdout, again.stderr) == (read.stdout, read.stderr), again.args
    for write in failed:
        _one_line_failure(write, "read-only")


def test_the_tui_on_a_read_only_store_says_so_in_one_line(tmp_path: Path) -> None:
    from tests.fsjail import run_on_tmpfs

    ran = run_on_tmpfs(tmp_path, [{"run": ["add", str(DEMO)]}, {"readonly": True}, {"run": []}])
    _one_line_failure(ran[1], "read-only file system")
    assert "cannot open the TUI" in ran[1].stderr
