"""The wheel ships what a fresh install needs: styles/, seeds/ and the console script."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

import newsreader

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    [path] = out.glob("newsreader-*.whl")
    return zipfile.ZipFile(path)


def test_wheel_ships_styles_and_seeds(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    styles = {p for p in (ROOT / "styles").rglob("*.tcss")}
    assert styles, "styles/ holds the TUI's CSS"
    for path in styles:
        assert f"newsreader/_data/styles/{path.relative_to(ROOT / 'styles')}" in names
    assert "newsreader/_data/seeds/demo.xml" in names
    assert "newsreader/_data/seeds/starter.opml" in names


def test_wheel_declares_console_script(wheel: zipfile.ZipFile) -> None:
    [entry_points] = [n for n in wheel.namelist() if n.endswith("entry_points.txt")]
    assert "newsreader = newsreader.cli:main" in wheel.read(entry_points).decode()


def test_version_agrees(wheel: zipfile.ZipFile) -> None:
    assert "version" in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dynamic"]
    assert f"newsreader-{newsreader.__version__}.dist-info/METADATA" in wheel.namelist()


def test_wheel_ships_the_markdown_templates(wheel: zipfile.ZipFile) -> None:
    from newsreader.export.templating import NAMES

    names = set(wheel.namelist())
    for name in NAMES:
        assert f"newsreader/export/templates/{name}" in names
