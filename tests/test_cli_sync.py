"""The sync command of the real `newsreader` entry point, in a subprocess, against a real
FreshRSS on 127.0.0.1: login, the password's sources, sync, status, log, and the one-line
failures."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.freshrss import Account, FreshRSS
from tests.httpserver import LoopbackServer
from tests.unit.refresh_helpers import rss


def run(
    tmp_path: Path, *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "newsreader", "--db", str(tmp_path / "cli.db")]
    argv += ["--config", str(tmp_path / "config.toml"), *args]
    environment = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    environment.pop("NEWSREADER_SYNC_PASSWORD", None)
    return subprocess.run(
        argv,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        input=stdin,
        env={**environment, **(env or {})},
    )


def configure(tmp_path: Path, url: str, user: str, extra: str = "") -> None:
    (tmp_path / "config.toml").write_text(
        f'[fetch]\nfull_text = "never"\n[sync]\nkind = "greader"\nurl = "{url}"\n'
        f'user = "{user}"\n{extra}'
    )


@pytest.fixture
def account(freshrss: FreshRSS, http_server: LoopbackServer) -> Account:
    http_server.route("/wire.xml", body=rss("Wire", items=3, prefix="story"))
    user = freshrss.new_account()
    user.subscribe(http_server.url("/wire.xml"))
    return user


def one_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


def test_without_sync_set_up(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("")
    assert "sync is not set up" in one_line(run(tmp_path, "sync"))


def test_a_password_in_config_toml_is_refused(tmp_path: Path) -> None:
    configure(tmp_path, "http://127.0.0.1:9/api/greader.php", "me", 'password = "secret"\n')
    line = one_line(run(tmp_path, "sync"))
    assert "the password does not belong in config.toml" in line and "secret" not in line


def test_login_keeps_the_password_to_its_owner_then_sync(tmp_path: Path, account: Account) -> None:
    configure(tmp_path, account.server.api, account.user)
    wrong = run(tmp_path, "sync", "login", "--password-stdin", stdin="nope\n")
    assert "wrong user or API password" in one_line(wrong) and "nope" not in wrong.stderr
    assert not (tmp_path / "sync-password").exists()
    logged = run(tmp_path, "sync", "login", "--password-stdin", stdin=account.password + "\n")
    assert logged.returncode == 0, logged.stderr
    kept = tmp_path / "sync-password"
    assert str(kept) in logged.stdout and account.password not in logged.stdout
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    synced = run(tmp_path, "sync")
    assert synced.returncode == 0, synced.stderr
    assert synced.stdout.startswith("synced: 3 new articles")
    status = json.loads(run(tmp_path, "sync", "status", "--json").stdout)
    assert status["feeds"] == 1 and status["waiting"] == 0 and status["last_sync"]
    articles = run(tmp_path, "articles")
    assert "story 0" in articles.stdout


def test_the_password_from_the_environment_or_a_private_file(
    tmp_path: Path, account: Account
) -> None:
    secret = tmp_path / "secret"
    secret.write_text(account.password + "\n")
    secret.chmod(0o644)
    configure(tmp_path, account.server.api, account.user, f'password_file = "{secret}"\n')
    line = one_line(run(tmp_path, "sync"))
    assert "others can read it" in line and f"chmod 600 {secret}" in line
    secret.chmod(0o600)
    assert run(tmp_path, "sync").returncode == 0
    configure(tmp_path, account.server.api, account.user)
    done = run(tmp_path, "sync", env={"NEWSREADER_SYNC_PASSWORD": account.password})
    assert done.returncode == 0 and "synced: 0 new articles" in done.stdout


def test_an_unreachable_server_is_one_line(tmp_path: Path) -> None:
    configure(tmp_path, "http://127.0.0.1:9/api/greader.php", "me")
    line = one_line(run(tmp_path, "sync", env={"NEWSREADER_SYNC_PASSWORD": "x"}))
    assert line.startswith("newsreader: sync stopped: cannot reach the sync server at")


def test_synced_teasers_get_their_pages_as_after_a_refresh(
    tmp_path: Path, freshrss: FreshRSS, http_server: LoopbackServer
) -> None:
    from tests.unit.test_fulltext import serve

    url = serve(http_server, 3)  # a teaser feed whose stories' pages are on the same server
    user = freshrss.new_account()
    user.subscribe(url)
    configure(tmp_path, user.server.api, user.user)
    (tmp_path / "config.toml").write_text(
        (tmp_path / "config.toml").read_text().replace('full_text = "never"', "page_delay = 0")
    )
    done = run(tmp_path, "sync", env={"NEWSREADER_SYNC_PASSWORD": user.password})
    assert done.returncode == 0, done.stderr
    assert "synced: 3 new articles" in done.stdout
    assert "full text for 3 articles: 3 fetched" in done.stdout
    assert http_server.count("/s/0") == 1
    shown = json.loads(run(tmp_path, "show", "1", "--json").stdout)
    assert shown["text_source"] == "page"
