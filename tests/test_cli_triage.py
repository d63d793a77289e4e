"""The triage commands of the real `newsreader` entry point, in a subprocess: label, labels,
later, and rules (list, test, apply, and at refresh) against a loopback feed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.httpserver import LoopbackServer
from tests.unit.refresh_helpers import rss

RULES = """
[[rules]]
name = "fours"
query = "title:4"
actions = ["read", "label:four"]

[[rules]]
name = "hide fives"
query = "title:5"
actions = ["hide"]

[[rules]]
name = "broken"
query = "after:2026-99-99"
actions = ["read"]

[[rules]]
name = "typo"
query = "x"
actions = ["raed"]
"""


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m newsreader --db … --config …` (config.toml holds the rules above)."""
    config = tmp_path / "config.toml"
    if not config.exists():
        config.write_text("[fetch]\ntotal_timeout = 2\nfull_text = 'never'\n" + RULES)
    argv = [sys.executable, "-m", "newsreader", "--db", str(tmp_path / "cli.db")]
    argv += ["--config", str(config), *args]
    return subprocess.run(
        argv, capture_output=True, text=True, timeout=120, cwd=tmp_path, env={**os.environ}
    )


@pytest.fixture
def refreshed(tmp_path: Path, http_server: LoopbackServer) -> subprocess.CompletedProcess[str]:
    """A feed subscribed with items 0..3, then refreshed with 0..6: the rules apply to the
    new ones at each step (5 is hidden, 4 read and labelled)."""
    http_server.route("/f.xml", body=rss("Wire", items=4, prefix="story"))
    added = run(tmp_path, "add", http_server.url("/f.xml"))
    assert added.returncode == 0, added.stderr
    assert "rule 'broken': not a date" in added.stderr  # among the subscription's notes
    http_server.route("/f.xml", body=rss("Wire", items=7, prefix="story"))
    return run(tmp_path, "refresh")


def test_rules_run_at_refresh_and_bad_ones_are_named(
    tmp_path: Path, refreshed: subprocess.CompletedProcess[str]
) -> None:
    assert refreshed.returncode == 0, refreshed.stderr
    assert "rules: 1 marked read, 1 labelled, 1 hidden" in refreshed.stdout
    assert "rule 'broken': not a date" in refreshed.stderr
    assert "rule 'typo': unknown action 'raed'" in refreshed.stderr
    assert "Traceback" not in refreshed.stderr
    listed = json.loads(run(tmp_path, "articles", "--json").stdout)
    titles = {a["title"]: a for a in listed}
    assert "story 5" not in titles and titles["story 4"]["labels"] == ["four"]
    assert titles["story 4"]["is_read"] and not titles["story 3"]["is_read"]
    hidden = json.loads(run(tmp_path, "articles", "--search", "is:hidden", "--json").stdout)
    assert [a["title"] for a in hidden] == ["story 5"]


def test_rules_list_test_and_apply(
    tmp_path: Path, refreshed: subprocess.CompletedProcess[str]
) -> None:
    listed = run(tmp_path, "rules", "list", "--json")
    assert [r["name"] for r in json.loads(listed.stdout)] == ["fours", "hide fives", "broken"]
    tested = run(tmp_path, "rules", "test", "story title:3")
    assert tested.returncode == 0
    assert "1 article match" in tested.stdout
    assert "why: “story” in title; title has “3”" in tested.stdout
    bad = run(tmp_path, "rules", "test", "before:soon")
    assert bad.returncode == 1 and "bad query: not a date" in bad.stderr
    dry = run(tmp_path, "rules", "apply", "--dry-run")
    assert "fours: would match 1 article" in dry.stdout  # matched again: nothing to change
    assert "hide fives: would match 0 articles" in dry.stdout  # hidden ones are not matched
    applied = run(tmp_path, "rules", "apply")
    assert applied.returncode == 0 and "rules: nothing changed" in applied.stdout


def test_label_labels_and_later(
    tmp_path: Path, refreshed: subprocess.CompletedProcess[str]
) -> None:
    changed = run(tmp_path, "label", "1", "2", "+Brief", "-four", "+to check")
    assert changed.returncode == 0, changed.stderr
    assert changed.stdout.splitlines() == ["1  Brief, to check", "2  Brief, to check"]
    labels = json.loads(run(tmp_path, "labels", "--json").stdout)
    assert {x["name"]: x["articles"] for x in labels} == {"Brief": 2, "four": 1, "to check": 2}
    bad = run(tmp_path, "label", "1", "+a,b")
    assert bad.returncode == 1 and "cannot hold a comma" in bad.stderr
    missing = run(tmp_path, "label", "99", "+x")
    assert missing.returncode == 1 and "no article with id 99" in missing.stderr
    assert run(tmp_path, "later", "2", "1").stdout.strip() == "2 articles put in Later"
    queue = json.loads(run(tmp_path, "later", "--json").stdout)
    assert [a["id"] for a in queue] == [1, 2]  # the last named is the newest entry
    assert run(tmp_path, "later", "1", "--remove").stdout.strip() == "1 article taken out of Later"
    shown = run(tmp_path, "show", "2").stdout
    assert "labels: Brief, to check · in Later" in shown


def test_pipe_hands_the_article_to_a_command(
    tmp_path: Path, refreshed: subprocess.CompletedProcess[str]
) -> None:
    config = tmp_path / "config.toml"
    script = "import sys; print('got', sys.argv[1], sys.stdin.read().split()[0])"
    command = f'{sys.executable} -c "{script}" {{title}}'
    config.write_text(config.read_text() + f"\n[commands]\necho = '''{command}'''\n")
    listed = run(tmp_path, "pipe", "1")
    assert listed.stdout.startswith("echo  ")
    piped = run(tmp_path, "pipe", "1", "echo")
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout.strip() == "echo: got story 0 story"  # the title, then the text
    unknown = run(tmp_path, "pipe", "1", "wallabag")
    assert unknown.returncode == 1 and "no command named wallabag" in unknown.stderr


def test_labels_rename_delete_and_hide(
    tmp_path: Path, refreshed: subprocess.CompletedProcess[str]
) -> None:
    run(tmp_path, "label", "1", "2", "+brief")
    run(tmp_path, "label", "3", "+Briefing")
    renamed = run(tmp_path, "labels", "--rename", "brief", "briefing")  # merges
    assert renamed.returncode == 0 and "brief → briefing: 3 articles" in renamed.stdout
    labels = json.loads(run(tmp_path, "labels", "--json").stdout)
    assert {x["name"]: x["articles"] for x in labels} == {"Briefing": 3, "four": 1}
    assert run(tmp_path, "labels", "--rename", "nothing", "x").returncode == 1
    deleted = run(tmp_path, "labels", "--delete", "four")
    assert "label four taken off 1 article" in deleted.stdout
    assert run(tmp_path, "hide", "2").stdout.startswith("1 article hidden")
    ids = [a["id"] for a in json.loads(run(tmp_path, "articles", "--json").stdout)]
    assert 2 not in ids
    assert run(tmp_path, "hide", "2", "6", "--undo").stdout.strip() == "2 articles shown again"
    ids = [a["id"] for a in json.loads(run(tmp_path, "articles", "--json").stdout)]
    assert 2 in ids and 6 in ids  # 6 ("story 5") was hidden by its rule
