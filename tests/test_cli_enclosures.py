"""Enclosures through the real `newsreader` command: a podcast feed served on loopback,
subscribed and refreshed; `show` prints its Media block, `show --json` its enclosures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.httpserver import LoopbackServer

PODCAST = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Pod</title><link>https://pod.example/</link>
<item><title>Episode 1</title><guid>ep1</guid><description>Talk.</description>
<enclosure url="https://cdn.example/ep1.mp3" type="audio/mpeg" length="{length}"/>
<enclosure url="javascript:alert(1)" type="audio/mpeg"/>
{more}
</item>
<item><title>Episode 0</title><guid>ep0</guid><description>None.</description></item>
</channel></rss>"""


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    config = tmp_path / "config.toml"
    if not config.exists():
        config.write_text("[fetch]\ntotal_timeout = 2\nfull_text = 'never'\n")
    argv = [sys.executable, "-m", "newsreader", "--db", str(tmp_path / "cli.db")]
    argv += ["--config", str(config), *args]
    return subprocess.run(
        argv, capture_output=True, text=True, timeout=120, cwd=tmp_path, env={**os.environ}
    )


def episode(tmp_path: Path, title: str) -> int:
    listed = json.loads(run(tmp_path, "articles", "--json").stdout)
    return int(next(a["id"] for a in listed if a["title"] == title))


def test_show_prints_the_media_and_json_has_the_enclosures(
    tmp_path: Path, http_server: LoopbackServer
) -> None:
    http_server.route("/pod.xml", body=PODCAST.format(length="24123456", more="").encode())
    added = run(tmp_path, "add", http_server.url("/pod.xml"))
    assert added.returncode == 0, added.stderr
    first = episode(tmp_path, "Episode 1")

    shown = run(tmp_path, "show", str(first))
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.endswith("\nMedia\n▶ audio/mpeg · 24.1 MB  https://cdn.example/ep1.mp3\n")
    assert "javascript" not in shown.stdout
    data = json.loads(run(tmp_path, "show", str(first), "--json").stdout)
    assert data["enclosures"] == [
        {"url": "https://cdn.example/ep1.mp3", "type": "audio/mpeg", "length": 24123456}
    ]
    none = json.loads(run(tmp_path, "show", str(episode(tmp_path, "Episode 0")), "--json").stdout)
    assert none["enclosures"] == []
    assert "Media" not in run(tmp_path, "show", str(episode(tmp_path, "Episode 0"))).stdout

    # The feed changes the episode's media: a refresh replaces them.
    more = '<enclosure url="https://cdn.example/ep1.mp4" type="video/mp4"/>'
    http_server.route("/pod.xml", body=PODCAST.format(length="huge", more=more).encode())
    refreshed = run(tmp_path, "refresh")
    assert refreshed.returncode == 0, refreshed.stderr
    data = json.loads(run(tmp_path, "show", str(first), "--json").stdout)
    assert data["enclosures"] == [
        {"url": "https://cdn.example/ep1.mp3", "type": "audio/mpeg", "length": None},
        {"url": "https://cdn.example/ep1.mp4", "type": "video/mp4", "length": None},
    ]
    assert "▶ video/mp4  https://cdn.example/ep1.mp4" in run(tmp_path, "show", str(first)).stdout
