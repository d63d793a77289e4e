"""Retention through the real `newsreader` entry point, in a subprocess, against a loopback
server: prune --dry-run lists what would go, prune removes it and shrinks the store, and a
refresh with [retention] keep_days prunes at its end without bringing pruned items back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from email.utils import formatdate
from pathlib import Path

from newsreader.store import connect
from newsreader.store.articles import set_read
from tests.httpserver import LoopbackServer

OLD = "Mon, 06 Jan 2020 10:00:00 +0000"


def rss(server: LoopbackServer) -> bytes:
    """Three old items and one of today; each text long enough to weigh on the file."""
    recent = formatdate(time.time() - 3600, usegmt=True)
    body = "Petro and Trump spoke by phone this week. " * 300
    items = [("old-a", OLD), ("old-b", OLD), ("old-c", OLD), ("today", recent)]
    xml = "".join(
        f"<item><title>Story {key}</title><guid>{key}</guid>"
        f"<link>{server.url('/' + key)}</link><pubDate>{date}</pubDate>"
        f"<description>{key} {body}</description></item>"
        for key, date in items
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Loop News</title>'
        f"<link>{server.url('/')}</link>{xml}</channel></rss>"
    ).encode()


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m newsreader --db … --config …`."""
    config = tmp_path / "config.toml"
    if not config.exists():
        config.write_text('[fetch]\nfull_text = "never"\n', encoding="utf-8")
    argv = [sys.executable, "-m", "newsreader", "--db", str(tmp_path / "cli.db")]
    argv += ["--config", str(config), *args]
    return subprocess.run(
        argv, capture_output=True, text=True, timeout=120, cwd=tmp_path, env={**os.environ}
    )


def subscribe_and_read(tmp_path: Path, server: LoopbackServer) -> dict[str, int]:
    """Subscribe to the feed, mark every article read; ids by title."""
    server.route("/feed.xml", body=rss(server))
    added = run(tmp_path, "add", server.url("/feed.xml"))
    assert added.returncode == 0, added.stderr
    ids = titles(tmp_path)
    conn = connect(tmp_path / "cli.db")
    set_read(conn, ids.values())
    conn.close()
    return ids


def titles(tmp_path: Path) -> dict[str, int]:
    listed = run(tmp_path, "articles", "--json")
    assert listed.returncode == 0, listed.stderr
    return {a["title"]: a["id"] for a in json.loads(listed.stdout)}


def test_prune_says_what_goes_then_removes_it(tmp_path: Path, http_server: LoopbackServer) -> None:
    ids = subscribe_and_read(tmp_path, http_server)
    off = run(tmp_path, "prune")
    assert off.returncode == 0 and off.stdout.startswith("retention is off")
    assert run(tmp_path, "label", str(ids["Story old-b"]), "+keep").returncode == 0

    dry = run(tmp_path, "prune", "--dry-run", "--keep-days", "90")
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.startswith("would prune 2 articles read and older than 90 days")
    assert "Story old-a" in dry.stdout and "Story old-c" in dry.stdout
    assert "Story old-b" not in dry.stdout and "Story today" not in dry.stdout
    assert len(titles(tmp_path)) == 4  # a dry run changes nothing

    done = run(tmp_path, "prune", "--keep-days", "90")
    assert done.returncode == 0, done.stderr
    assert "pruned 2 articles read and older than 90 days; store " in done.stdout
    assert set(titles(tmp_path)) == {"Story old-b", "Story today"}
    again = run(tmp_path, "prune", "--keep-days", "90")
    assert "pruned 0 articles" in again.stdout


def test_prune_shrinks_the_store_file(tmp_path: Path, http_server: LoopbackServer) -> None:
    subscribe_and_read(tmp_path, http_server)
    db = tmp_path / "cli.db"
    conn = connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = db.stat().st_size
    assert run(tmp_path, "prune", "--keep-days", "90").returncode == 0
    assert db.stat().st_size <= before - 3 * 16_384  # three articles' pages went back


def test_refresh_prunes_by_config_and_keeps_pruned_items_out(
    tmp_path: Path, http_server: LoopbackServer
) -> None:
    subscribe_and_read(tmp_path, http_server)
    (tmp_path / "config.toml").write_text(
        '[fetch]\nfull_text = "never"\n\n[retention]\nkeep_days = 90\n', encoding="utf-8"
    )
    first = run(tmp_path, "refresh", "--quiet")
    assert first.returncode == 0, first.stderr
    assert "pruned 3 articles read and older than 90 days" in first.stdout
    assert set(titles(tmp_path)) == {"Story today"}

    second = run(tmp_path, "refresh", "--quiet")  # the feed still lists the old items
    assert second.returncode == 0, second.stderr
    assert "pruned" not in second.stdout
    assert set(titles(tmp_path)) == {"Story today"}
    assert http_server.count("/feed.xml") == 3


def test_bad_keep_days_are_refused(tmp_path: Path) -> None:
    negative = run(tmp_path, "prune", "--keep-days", "-3")
    assert negative.returncode == 2 and "cannot be negative" in negative.stderr
    (tmp_path / "config.toml").write_text("[retention]\nkeep_days = -1\n", encoding="utf-8")
    bad = run(tmp_path, "prune")
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert "[retention] keep_days must be a whole number from 0 to 36500 days" in bad.stderr
