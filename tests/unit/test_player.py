"""Playing an enclosure with ``[reader] player``: the command line, the description, and
real player processes (a small Python script standing in for mpv)."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest

from newsreader.config import ConfigError, load_settings
from newsreader.models import Article, Enclosure
from newsreader.pipes import CommandError
from newsreader.player import describe, human_size, play, player_command

ARTICLE = Article(
    id=7,
    feed_id=1,
    feed_title="Pod",
    key="guid:ep1",
    guid="ep1",
    url="https://pod.example/ep1",
    title='Ep 1; rm -rf ~ "$(reboot)"',
    author="",
    published=None,
    updated=None,
)
MP3 = Enclosure("https://cdn.example/ep1.mp3?a=1&b=2", "audio/mpeg", 24_123_456)


def script(tmp_path: Path, body: str) -> str:
    """A player: ``python script.py``, its argv written to argv.json."""
    path = tmp_path / "player.py"
    path.write_text(
        "import json, sys\n"
        f"open({str(tmp_path / 'argv.json')!r}, 'w').write(json.dumps(sys.argv[1:]))\n" + body
    )
    return f"{sys.executable} {path}"


def wait_for(path: Path) -> list[str]:
    for _ in range(100):
        if path.exists() and path.read_text():
            return list(json.loads(path.read_text()))
        time.sleep(0.05)
    raise AssertionError(f"{path} was never written")


def test_describe_and_sizes() -> None:
    assert describe(MP3) == "▶ audio/mpeg · 24.1 MB  https://cdn.example/ep1.mp3?a=1&b=2"
    assert describe(Enclosure("https://c.example/v", "", None)) == "▶ https://c.example/v"
    assert describe(Enclosure("https://c.example/v", "video/mp4", 0)) == (
        "▶ video/mp4  https://c.example/v"
    )
    assert [human_size(n) for n in (812, 3400, 24_123_456, 1_200_000_000, 5 * 10**13)] == [
        "812 B",
        "3.4 kB",
        "24.1 MB",
        "1.2 GB",
        "50000.0 GB",
    ]


def test_the_player_line_is_split_first_and_gets_the_url_last_without_a_placeholder() -> None:
    assert player_command("mpv --no-video {url}").argv == ("mpv", "--no-video", "{url}")
    assert player_command("mpv --force-window").argv == ("mpv", "--force-window", "{url}")
    with pytest.raises(CommandError, match="placeholder in code"):
        player_command("python -c {title}")
    with pytest.raises(CommandError, match="the program itself"):
        player_command("{url} x")


def test_a_bad_player_in_config_is_an_error_naming_the_file(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[reader]\nplayer = "mpv \'unclosed"\n')
    with pytest.raises(ConfigError, match=r"config.toml: \[reader\] player: cannot split"):
        load_settings(config)
    config.write_text('[reader]\nplayer = "mpv {url}"\n')
    assert load_settings(config).reader.player == "mpv {url}"
    assert load_settings(tmp_path / "none.toml").reader.player == ""


def test_the_player_gets_the_url_as_one_argument_and_no_terminal(tmp_path: Path) -> None:
    seen = tmp_path / "seen.json"
    body = (
        f"import os\nopen({str(seen)!r}, 'w').write(json.dumps([os.getsid(0), sys.stdin.read()]))\n"
    )
    command = player_command(script(tmp_path, body) + " --title {title} {url}")
    result = play(command, ARTICLE, MP3)
    assert result.ok, result.message
    assert wait_for(tmp_path / "argv.json") == ["--title", ARTICLE.title, MP3.url]
    session, stdin = wait_for(seen)
    assert session != os.getsid(0) and stdin == ""  # its own session; stdin is /dev/null


def test_a_long_running_player_is_not_waited_for(tmp_path: Path) -> None:
    command = player_command(script(tmp_path, "import time; time.sleep(30)"))
    started = time.monotonic()
    result = play(command, ARTICLE, MP3)
    assert result.ok and time.monotonic() - started < 10
    assert wait_for(tmp_path / "argv.json") == [MP3.url]


def test_a_failing_player_says_its_exit_code_and_last_error_line(tmp_path: Path) -> None:
    body = "sys.stderr.write('loading\\n\\x1b]52;c;aGk=\\x07cannot open: 404\\n'); sys.exit(3)"
    result = play(player_command(script(tmp_path, body)), ARTICLE, MP3)
    assert not result.ok
    assert result.message == "exit 3: cannot open: 404"  # the OSC 52 sequence is gone


def test_no_http_no_play_and_a_missing_player_is_named(tmp_path: Path) -> None:
    command = player_command(script(tmp_path, ""))
    result = play(command, ARTICLE, Enclosure("file:///etc/passwd"))
    assert (result.ok, result.message) == (False, "only http and https media are played")
    assert not (tmp_path / "argv.json").exists()
    missing = play(player_command("no-such-player-xyz {url}"), ARTICLE, MP3)
    assert missing == type(missing)(False, "no-such-player-xyz: command not found")
