"""The export and import commands through the real entry point (`python -m newsreader`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from export_sample import CLAIM, Sample, build_sample

from newsreader.store import connect


@pytest.fixture
def store(db_path: Path) -> tuple[Path, Sample]:
    """A store holding the annotated sample article."""
    conn = connect(db_path)
    sample = build_sample(conn)
    conn.close()
    return db_path, sample


def run(db: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "newsreader", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=cwd,
    )


def ok(db: Path, *args: str) -> str:
    done = run(db, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_export_one_article_to_stdout(store: tuple[Path, Sample]) -> None:
    db, sample = store
    page = ok(db, "export", "--article", str(sample.article_id), "--format", "md")
    assert page.startswith("---\nid: ")
    assert f"> {CLAIM}" in page and "- Speaker: [[Donald-Trump|Donald Trump]]" in page
    plain = ok(db, "export", "--article", str(sample.article_id), "--no-wiki-links")
    assert "[[" not in plain and "- Speaker: Donald Trump" in plain
    missing = run(db, "export", "--article", "999")
    assert missing.returncode == 1 and "no article with id 999" in missing.stderr


def test_export_an_actor_dossier(store: tuple[Path, Sample]) -> None:
    db, _ = store
    page = ok(db, "export", "--actor", "Petro", "--format", "md")  # an alias finds him
    assert "# Gustavo Petro" in page and "## Claims about Gustavo Petro (1)" in page
    unknown = run(db, "export", "--actor", "Nobody")
    assert unknown.returncode == 1 and "no actor named 'Nobody'" in unknown.stderr


def test_export_all_to_a_folder_then_again(store: tuple[Path, Sample], tmp_path: Path) -> None:
    db, _ = store
    out = tmp_path / "notes"
    first = ok(db, "export", "--all", "--format", "md", "--out", str(out))
    assert "5 files written, 0 unchanged" in first
    assert sorted(p.name for p in out.iterdir()) == ["actors", "articles", "index.md"]
    again = ok(db, "export", "--all", "--format", "md", "--out", str(out))
    assert "0 files written, 5 unchanged" in again
    no_out = run(db, "export", "--all", "--format", "md")
    assert no_out.returncode == 1 and "--out" in no_out.stderr


def test_json_backup_and_import_into_an_empty_store(
    store: tuple[Path, Sample], tmp_path: Path
) -> None:
    db, _ = store
    backup = tmp_path / "backup.json"
    assert "wrote" in ok(db, "export", "--all", "--format", "json", "--out", str(backup))
    assert "unchanged" in ok(db, "export", "--all", "--format", "json", "--out", str(backup))
    document = json.loads(backup.read_text(encoding="utf-8"))
    assert document["type"] == "AnnotationCollection" and document["total"] == 5
    fresh = tmp_path / "fresh.db"
    report = ok(fresh, "import", str(backup))
    assert "imported 4 annotations and 1 note; actors: 3 added" in report
    assert "5 wait for their article" in report
    assert "already in the store" in ok(fresh, "import", str(backup))
    claims = json.loads(ok(fresh, "claims", "--json"))
    assert {c["exact"] for c in claims} >= {CLAIM} and claims[0]["article_id"] is None
    exported = ok(fresh, "export", "--all", "--format", "json")
    assert exported == backup.read_text(encoding="utf-8")


def test_a_malformed_file_is_refused_with_nothing_written(
    store: tuple[Path, Sample], tmp_path: Path
) -> None:
    db, _ = store
    backup = tmp_path / "backup.json"
    ok(db, "export", "--format", "json", "--out", str(backup))
    document = json.loads(backup.read_text(encoding="utf-8"))
    document["first"]["items"][-1]["target"]["selector"][1]["end"] = "twelve"
    backup.write_text(json.dumps(document), encoding="utf-8")
    fresh = tmp_path / "fresh.db"
    done = run(fresh, "import", str(backup))
    assert done.returncode == 1
    assert "selector[1].end: expected an integer; nothing was imported" in done.stderr
    assert json.loads(ok(fresh, "actors", "--json")) == []
    missing = run(fresh, "import", str(tmp_path / "nope.json"))
    assert missing.returncode == 1 and "cannot read it" in missing.stderr
