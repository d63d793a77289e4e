"""export --format claimreview and --format csl through the real entry point."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from export_sample import CLAIM, SECOND_CLAIM, Sample, build_sample

from newsreader.store import connect


@pytest.fixture
def store(db_path: Path) -> tuple[Path, Sample]:
    """A store holding the annotated sample article."""
    conn = connect(db_path)
    sample = build_sample(conn)
    conn.close()
    return db_path, sample


def run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsreader", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "200"},
    )


def test_claimreview_to_a_file_then_again_and_to_stdout(
    store: tuple[Path, Sample], tmp_path: Path
) -> None:
    db, _ = store
    out = tmp_path / "reviews.jsonld"
    done = run(db, "export", "--all", "--format", "claimreview", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout == (f"wrote {out} (1 claim reviewed, 1 without a verdict left out)\n")
    (review,) = json.loads(out.read_text(encoding="utf-8"))["@graph"]
    assert review["claimReviewed"] == SECOND_CLAIM
    again = run(db, "export", "--format", "claimreview", "--out", str(out))
    assert again.stdout.startswith(f"unchanged: {out} (")
    piped = run(db, "export", "--format", "claimreview")
    assert piped.returncode == 0 and piped.stdout == out.read_text(encoding="utf-8")
    assert "1 claim reviewed, 1 without a verdict left out" in piped.stderr
    folder = run(db, "export", "--format", "claimreview", "--out", str(tmp_path))
    assert folder.returncode == 1 and "is a folder" in folder.stderr


def test_claimreview_and_csl_honour_the_scopes(store: tuple[Path, Sample]) -> None:
    db, sample = store
    by_trump = run(db, "export", "--actor", "Trump", "--format", "claimreview")
    assert by_trump.returncode == 0, by_trump.stderr
    assert json.loads(by_trump.stdout)["@graph"] == []  # his claim has no verdict yet
    assert "0 claims reviewed, 1 without a verdict left out" in by_trump.stderr
    by_petro = run(db, "export", "--actor", "Petro", "--format", "claimreview")
    assert [r["claimReviewed"] for r in json.loads(by_petro.stdout)["@graph"]] == [SECOND_CLAIM]
    article = run(db, "export", "--article", str(sample.article_id), "--format", "csl")
    assert article.returncode == 0, article.stderr
    (item,) = json.loads(article.stdout)
    assert item["type"] == "article-newspaper" and item["container-title"] == "Inter Bellum News"
    assert article.stderr == "1 article\n"
    missing = run(db, "export", "--article", "999", "--format", "csl")
    assert missing.returncode == 1 and "no article with id 999" in missing.stderr
    unknown = run(db, "export", "--actor", "Nobody", "--format", "claimreview")
    assert unknown.returncode == 1 and "no actor named 'Nobody'" in unknown.stderr
    # Trump's claim about Petro is in his scope too, left out for want of a verdict
    assert "1 claim reviewed, 1 without a verdict left out" in by_petro.stderr
    assert CLAIM not in by_petro.stdout


def test_csl_to_a_file(store: tuple[Path, Sample], tmp_path: Path) -> None:
    db, _ = store
    out = tmp_path / "refs.json"
    done = run(db, "export", "--format", "csl", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"wrote {out} (1 article)\n"
    (item,) = json.loads(out.read_text(encoding="utf-8"))
    assert item["issued"] == {"date-parts": [[2026, 1, 8]]}
