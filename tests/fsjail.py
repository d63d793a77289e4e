"""Run newsreader on a real small file system: a tmpfs mounted in a private mount namespace.

A full disk and a read-only file system cannot be faked honestly (SQLite's own errors come
from the file system), and mounting one needs root. ``unshare --user --map-root-user
--mount`` gives a process its own mount namespace where it may mount a tmpfs of a chosen
size without touching the machine's mounts; everything mounted vanishes with it. Where that
is not allowed (no user namespaces, no ``unshare``), the tests skip, saying why.

A test gives a plan, a list of steps run in order inside the namespace by this file's
``__main__`` (the mount only lives as long as that process):

- ``{"run": [ARGS...]}``: ``python -m newsreader --db MNT/store.db ARGS``; its exit code,
  stdout and stderr are recorded;
- ``{"fill": KB}``: fill the file system, leaving ``KB`` kilobytes free;
- ``{"unfill": true}``: remove the filling;
- ``{"copy": [SRC, DST]}``: copy a file (e.g. a new version of a local feed);
- ``{"checkpoint": true}``: merge the store's WAL into it and close, as a clean exit does;
- ``{"readonly": true}``: remount the file system read-only.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Ran:
    """One ``run`` step's outcome."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str


def run_on_tmpfs(tmp_path: Path, plan: list[dict[str, Any]], size_kb: int = 8192) -> list[Ran]:
    """Run ``plan`` on a fresh tmpfs of ``size_kb``; the outcomes of its ``run`` steps.

    Skips the test when a private tmpfs cannot be mounted here.
    """
    if shutil.which("unshare") is None:
        pytest.skip("needs unshare(1) to mount a private tmpfs")
    mount = tmp_path / "mnt"
    mount.mkdir()
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(
        json.dumps(
            {
                "mount": str(mount),
                "size_kb": size_kb,
                "plan": plan,
                "config": str(tmp_path / "config.toml"),
            }
        )
    )
    done = subprocess.run(
        [
            "unshare",
            "--user",
            "--map-root-user",
            "--mount",
            sys.executable,
            __file__,
            str(plan_file),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    if done.returncode == 77:
        pytest.skip(f"cannot mount a private tmpfs here: {done.stderr.strip()[:200]}")
    if done.returncode != 0 and "unshare" in done.stderr[:200]:
        pytest.skip(f"no private mount namespace here: {done.stderr.strip()[:200]}")
    assert done.returncode == 0, done.stderr
    return [Ran(**r) for r in json.loads(done.stdout)]


def _drive(plan_file: Path) -> int:
    spec = json.loads(plan_file.read_text())
    mount = Path(spec["mount"])
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={spec['size_kb']}k", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        print(mounted.stderr, file=sys.stderr)
        return 77
    store, filler = mount / "store.db", mount / "filler"
    results = []
    env = {**os.environ, "NEWSREADER_CONFIG": spec["config"], "PYTHONPATH": str(ROOT)}
    for step in spec["plan"]:
        if "run" in step:
            done = subprocess.run(
                [sys.executable, "-m", "newsreader", "--db", str(store), *step["run"]],
                capture_output=True,
                text=True,
                env=env,
                timeout=120,
            )
            results.append(
                {
                    "args": step["run"],
                    "returncode": done.returncode,
                    "stdout": done.stdout,
                    "stderr": done.stderr,
                }
            )
        elif "fill" in step:
            _fill(filler, int(step["fill"]) * 1024)
        elif "copy" in step:
            shutil.copyfile(*step["copy"])
        elif "unfill" in step:
            filler.unlink()
        elif "checkpoint" in step:
            conn = sqlite3.connect(store)
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.close()
        elif "readonly" in step:
            subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
    print(json.dumps(results))
    return 0


def _fill(filler: Path, leave: int) -> None:
    """Write ``filler`` until the file system is full, then give back ``leave`` bytes."""
    block = b"\0" * 65536
    with filler.open("wb", buffering=0) as handle:
        try:
            while True:
                handle.write(block)
        except OSError:
            pass
        try:
            while True:  # the last bytes that still fit
                handle.write(b"\0" * 512)
        except OSError:
            pass
        size = handle.tell()
        handle.truncate(max(0, size - leave))


if __name__ == "__main__":
    sys.exit(_drive(Path(sys.argv[1])))
