"""Enclosures end to end: a podcast feed served on loopback, the real ``newsreader`` on a
pseudo-terminal, ``P`` typed in the reader; the configured player (a script) gets the
episode's URL and cannot reach the terminal, whose screen stays the app's."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from conftest import Launch, cli
from httpserver import LoopbackServer

PODCAST = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Loopback Pod</title><link>https://pod.example/</link>
<item><title>Episode one</title><guid>ep1</guid><description>A talk.</description>
<pubDate>Mon, 16 Nov 2026 10:00:00 +0000</pubDate>
<enclosure url="https://cdn.example/ep1.mp3" type="audio/mpeg" length="24123456"/></item>
</channel></rss>"""

PLAYER = """import json, sys
tty = "none"
try:
    with open("/dev/tty", "w") as terminal:  # a player must not have the terminal
        terminal.write("\\x1b[2JPLAYER WAS HERE")
        tty = "written"
except OSError:
    tty = "refused"
open({out!r}, "w").write(json.dumps([sys.argv[1:], tty]))
"""


def test_P_in_the_reader_plays_the_episode_without_the_terminal(
    launch: Launch, home: Path, db: Path, http_server: LoopbackServer
) -> None:
    out = home / "played.json"
    script = home / "player.py"
    script.write_text(PLAYER.format(out=str(out)), encoding="utf-8")
    (home / "config.toml").write_text(
        f'[fetch]\nfull_text = "never"\n[reader]\nplayer = "{sys.executable} {script}"\n',
        encoding="utf-8",
    )
    http_server.route("/pod.xml", body=PODCAST)
    added = cli(home, db, "add", http_server.url("/pod.xml"))
    assert added.returncode == 0, added.stderr
    with launch() as term:
        assert term.wait_for("Episode one", timeout=30), term.text()
        term.settle()
        term.press("enter")
        assert term.wait_for("▶ audio/mpeg · 24.1 MB"), term.text()
        term.press("P")
        deadline = time.monotonic() + 15
        while not (out.exists() and out.read_text()) and time.monotonic() < deadline:
            term.pump(0.1)
        argv, tty = json.loads(out.read_text())
        assert argv == ["https://cdn.example/ep1.mp3"]
        assert tty == "refused"
        screen = term.settle()
        assert "PLAYER WAS HERE" not in screen and "Episode one" in screen
        assert term.quit() == 0
