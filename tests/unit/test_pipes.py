"""Pipes: [commands] parsed and checked, and commands really run on an article (real child
processes: this Python and its -c scripts) with feed text only ever as whole arguments."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from newsreader.config import ConfigError, load_settings
from newsreader.models import Article
from newsreader.pipes import (
    MAX_OUTPUT,
    CommandError,
    build_argv,
    parse_command,
    parse_commands,
    run_command,
)

HOSTILE = "\"; touch pwned1 $(touch pwned2) `touch pwned3` 'quote' & | > out"
"""A title built to break out of any quoting it is pasted into; run as code, it leaves
files in the working directory (a tmp dir: see :func:`_in_tmp`)."""
PY = sys.executable


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Commands run in ``tmp_path``; afterwards, nothing of the title ran there."""
    monkeypatch.chdir(tmp_path)
    yield
    assert sorted(p.name for p in tmp_path.glob("pwned*")) == []
    assert not (tmp_path / "out").exists()


def article(title: str = HOSTILE, text: str = "First paragraph.\n\nSecond.") -> Article:
    return Article(
        id=7,
        feed_id=1,
        feed_title="Feed; $(whoami)",
        key="k",
        guid="g",
        url="https://news.example/a?b=1&c=2",
        title=title,
        author="",
        published=None,
        updated=None,
        text=text,
    )


def dump_argv(out: Path) -> str:
    """A command line (for shlex) running Python that writes its argv and stdin as JSON."""
    script = (
        "import json, sys; "
        f"open({str(out)!r}, 'w').write(json.dumps([sys.argv[1:], sys.stdin.read()]))"
    )
    return f"{PY} -c {json.dumps(script)}"


def test_a_hostile_title_is_one_argument_and_nothing_runs(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    command = parse_command("dump", dump_argv(out) + " --title={title} {feed} {url} {id}")
    result = run_command(command, article())
    assert result.ok, result
    argv, stdin = json.loads(out.read_text())
    assert argv == [
        f"--title={HOSTILE}",
        "Feed; $(whoami)",
        "https://news.example/a?b=1&c=2",
        "7",
    ]
    assert stdin == ""  # {url} in the line: nothing on stdin by default


def test_python_c_with_a_placeholder_is_refused() -> None:
    with pytest.raises(CommandError, match="NEWSREADER_TITLE"):
        parse_command("bad", f"{PY} -c 'print(\"{{title}}\")'")


def test_a_shell_script_gets_the_title_from_the_environment(tmp_path: Path) -> None:
    out = tmp_path / "shell.txt"
    command = parse_command("sh", f"sh -c 'printf %s \"{{title}}\" > {out}; echo done'")
    assert build_argv(command, article())[2].startswith('printf %s "${NEWSREADER_TITLE}" >')
    result = run_command(command, article())
    assert result.ok and result.output == "done", result
    assert out.read_text() == HOSTILE


@pytest.mark.parametrize(
    ("script", "printed"),
    [
        ("printf %s {title}", HOSTILE),  # unquoted
        ('printf %s "{title}"', HOSTILE),  # in double quotes
        ("printf %s '{title}'", HOSTILE),  # in single quotes
        ("printf %s \\\"'{title}'", '"' + HOSTILE),  # after an escaped quote
        ('printf %s "[{title}]"x', f"[{HOSTILE}]x"),
    ],
)
def test_a_placeholder_in_a_shell_script_is_data_wherever_it_stands(
    script: str, printed: str
) -> None:
    command = parse_command("sh", f"sh -c {json.dumps(script)}")
    result = run_command(command, article())
    assert result.ok, result
    assert result.output == printed


def test_arguments_after_a_shell_script_are_data(tmp_path: Path) -> None:
    command = parse_command("sh", "sh -c 'printf %s \"$1\"' sh {title}")
    assert build_argv(command, article())[-1] == HOSTILE
    result = run_command(command, article())
    assert result.ok and result.output == HOSTILE


def test_text_goes_to_stdin_when_the_line_has_no_url(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    result = run_command(parse_command("say", dump_argv(out)), article("Plain title"))
    assert result.ok
    argv, stdin = json.loads(out.read_text())
    assert argv == []
    assert stdin == "Plain title\n\nFirst paragraph.\n\nSecond.\n"


def test_input_url_sends_the_url(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    command = parse_command("u", {"run": dump_argv(out), "input": "url"})
    assert run_command(command, article()).ok
    assert json.loads(out.read_text())[1] == "https://news.example/a?b=1&c=2\n"


def test_a_non_http_url_is_not_handed_on(tmp_path: Path) -> None:
    bad = replace(article(), url="-oProxyCommand=evil")
    out = tmp_path / "out.json"
    result = run_command(parse_command("w", dump_argv(out) + " {url}"), bad)
    assert not result.ok and "http" in result.output
    assert not out.exists()


def test_a_missing_program_is_one_line() -> None:
    result = run_command(parse_command("wallabag", "wallabag-not-installed add {url}"), article())
    assert not result.ok
    assert result.message("wallabag") == "wallabag: wallabag-not-installed: command not found"
    same = parse_command("nope-nothing", "nope-nothing")
    assert run_command(same, article()).message("nope-nothing") == (
        "nope-nothing: command not found"
    )


def test_a_failure_says_its_exit_code_and_last_error_line() -> None:
    script = "import sys; print('partial'); sys.stderr.write('one\\nno such voice\\n'); sys.exit(3)"
    result = run_command(parse_command("say", f"{PY} -c {json.dumps(script)}"), article())
    assert (result.ok, result.exit_code) == (False, 3)
    assert result.message("say") == "say: exit 3: no such voice"


def test_a_slow_command_is_stopped_at_its_timeout() -> None:
    command = parse_command("slow", {"run": f"{PY} -c 'import time; time.sleep(30)'"})
    started = time.monotonic()
    result = run_command(command, article(), timeout=0.5)
    assert time.monotonic() - started < 5
    assert not result.ok and "timeout" in result.output


def test_the_configured_timeout_applies() -> None:
    command = parse_command(
        "slow", {"run": f"{PY} -c 'import time; time.sleep(30)'", "timeout": 0.3}
    )
    assert command.timeout == 0.3
    assert "0.3 s" in run_command(command, article()).output


def test_output_is_bounded_and_cleaned() -> None:
    script = (
        "import sys; sys.stdout.write('\\x1b]52;c;ZXZpbA==\\x07ok \\x1b[31mred\\u202e\\n'); "
        "sys.stdout.write('x' * 5_000_000)"
    )
    result = run_command(parse_command("big", f"{PY} -c {json.dumps(script)}"), article())
    assert result.ok
    first, second = result.output.split("\n")
    assert first == "ok red"
    assert second == "x" * 200  # one line shown, cut; only MAX_OUTPUT bytes were kept
    assert MAX_OUTPUT < 5_000_000


def test_a_command_that_reads_no_input_still_runs() -> None:
    text = "word " * 400_000  # more than a pipe holds
    result = run_command(parse_command("t", "true"), article(text=text))
    assert result.ok and result.message("t") == "t: done"


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("bad name", "true", "letters, digits"),
        ("x", "", "non-empty"),
        ("x", 3, "command line or a table"),
        ("x", {"run": "true", "input": "stdin"}, "input must be one of"),
        ("x", {"run": "true", "timeout": 0}, "timeout must be"),
        ("x", {"run": "true", "timeout": True}, "timeout must be"),
        ("x", {"run": "true", "shell": True}, "unknown key 'shell'"),
        ("x", "wallabag 'add", "cannot split"),
        ("x", "{url} add", "program itself"),
        ("x", "perl -e 'print \"{title}\"'", "NEWSREADER_TITLE"),
    ],
)
def test_bad_entries_are_refused(name: str, value: object, says: str) -> None:
    with pytest.raises(CommandError, match=says):
        parse_commands({name: value})


def test_default_inputs() -> None:
    parsed = parse_commands({"wallabag": "wallabag add {url}", "say": "espeak-ng"})
    assert [(c.name, c.input, c.argv) for c in parsed] == [
        ("wallabag", "none", ("wallabag", "add", "{url}")),
        ("say", "text", ("espeak-ng",)),
    ]


def test_config_reads_commands_and_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[commands]\nwallabag = "wallabag add {url}"\n'
        'say = { run = "espeak-ng", input = "text", timeout = 120 }\n'
    )
    settings = load_settings(path)
    assert [c.name for c in settings.commands] == ["wallabag", "say"]
    assert settings.commands[1].timeout == 120.0
    assert settings.warnings == []
    path.write_text('[commands]\nsay = { run = "espeak-ng", input = "sound" }\n')
    with pytest.raises(ConfigError, match=rf"{path}: \[commands\] say: input must be"):
        load_settings(path)
    path.write_text('commands = "x"\n')
    with pytest.raises(ConfigError, match="must be a table"):
        load_settings(path)
