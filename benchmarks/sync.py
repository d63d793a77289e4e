#!/usr/bin/env python3
"""Sync against a real FreshRSS (../shared/vendor) on 127.0.0.1, against a cold refresh of
the same feeds, in one run: 50 generated feeds x 200 items (the shared harness's
genfeeds.py) served from a loopback server, subscribed on FreshRSS (which fetches them).

    python benchmarks/sync.py

Prints, each by the real `newsreader` command in a subprocess with a fresh store:
the cold refresh, the first sync of the 10,000 items (and their ratio), an incremental
sync with 50 changes (25 read here, 25 starred on the server), a sync with nothing
changed, and each one's peak RSS. Needs PHP (see tests/freshrss.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from freshrss import FreshRSS, missing  # noqa: E402
from httpserver import LoopbackServer  # noqa: E402

from newsreader.store import connect  # noqa: E402
from newsreader.store.articles import set_read  # noqa: E402
from newsreader.store.feeds import add_feed  # noqa: E402

GENFEEDS = ROOT.parent / "shared" / "bench" / "genfeeds.py"
FEEDS = Path(tempfile.gettempdir()) / "newsreader-bench" / "sync-50x200"


def generated() -> list[Path]:
    if not (FEEDS / "manifest.json").exists():
        subprocess.run(
            [sys.executable, str(GENFEEDS), str(FEEDS), "--feeds", "50", "--items", "200"],
            check=True,
            capture_output=True,
        )
    return sorted(FEEDS.glob("feed*.xml"))


def timed(folder: Path, *args: str, env: dict[str, str]) -> tuple[float, float, str]:
    """(seconds, peak RSS in MB, stdout) of one `newsreader` command in a subprocess."""
    argv = [sys.executable, "-m", "newsreader", "--db", str(folder / "store.db")]
    argv += ["--config", str(folder / "config.toml"), *args]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(argv, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if child.returncode:
            raise SystemExit(f"newsreader {' '.join(args)} failed: {err.read().decode()}")
        return seconds, usage.ru_maxrss / 1024, out.read().decode().strip()


def main() -> None:
    reason = missing()
    if reason:
        raise SystemExit(reason)
    feeds = generated()
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    with LoopbackServer() as server, tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        for feed in feeds:
            server.route("/" + feed.name, body=feed.read_bytes())
        urls = [server.url("/" + feed.name) for feed in feeds]
        fresh = FreshRSS(work / "freshrss")
        try:
            account = fresh.new_account()
            started = time.perf_counter()
            for url in urls:
                account.subscribe(url, folder="Bench")
            print(
                f"FreshRSS fetched {len(account.all_ids())} items in "
                f"{time.perf_counter() - started:.1f} s (setup, not timed below)"
            )
            cold = work / "cold"
            cold.mkdir()
            (cold / "config.toml").write_text('[fetch]\nfull_text = "never"\n')
            conn = connect(cold / "store.db")
            for url in urls:
                add_feed(conn, url)
            conn.close()
            refresh_s, refresh_mb, _ = timed(cold, "refresh", "--quiet", env=env)
            print(f"cold refresh:      {refresh_s:6.2f} s  peak RSS {refresh_mb:5.0f} MB")
            synced = work / "synced"
            synced.mkdir()
            (synced / "config.toml").write_text(
                f'[fetch]\nfull_text = "never"\n[sync]\nkind = "greader"\n'
                f'url = "{fresh.api}"\nuser = "{account.user}"\n'
            )
            env["NEWSREADER_SYNC_PASSWORD"] = account.password
            first_s, first_mb, line = timed(synced, "sync", env=env)
            print(f"first sync:        {first_s:6.2f} s  peak RSS {first_mb:5.0f} MB  ({line})")
            print(f"  ratio first sync / cold refresh: {first_s / refresh_s:.2f}x")
            conn = connect(synced / "store.db")
            ids = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY id LIMIT 25")]
            set_read(conn, ids)
            remote = [
                r[0]
                for r in conn.execute(
                    "SELECT remote_id FROM sync_items ORDER BY remote_id DESC LIMIT 25"
                )
            ]
            conn.close()
            account.edit(remote, add="user/-/state/com.google/starred")
            inc_s, inc_mb, line = timed(synced, "sync", env=env)
            print(f"50 changes:        {inc_s:6.2f} s  peak RSS {inc_mb:5.0f} MB  ({line})")
            none_s, none_mb, line = timed(synced, "sync", env=env)
            print(f"nothing changed:   {none_s:6.2f} s  peak RSS {none_mb:5.0f} MB  ({line})")
        finally:
            fresh.stop()


if __name__ == "__main__":
    main()
