"""The domain never imports Textual or Rich; the headless CLI never imports Textual."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import newsreader

DOMAIN_PACKAGES = ("store", "feeds", "annotations", "export")
DOMAIN_MODULES = (
    "models",
    "safety",
    "paths",
    "config",
    "demo",
    "resources",
    "browser",
    "wording",
    "urls",
    "pipes",
    "rulespec",
)
"""The domain: these packages (every module in them) and top-level modules."""


def domain_modules() -> list[str]:
    """Every module of the domain, found on disk (a new module is covered by itself)."""
    root = Path(newsreader.__file__).parent
    names = [f"newsreader.{name}" for name in DOMAIN_MODULES if (root / f"{name}.py").exists()]
    for package in DOMAIN_PACKAGES:
        names.append(f"newsreader.{package}")
        names += [
            f"newsreader.{package}.{info.name}"
            for info in pkgutil.iter_modules([str(root / package)])
        ]
    return names


_WHO_IMPORTS = """
import sys
wanted, importers = ("textual", "rich"), set()
class Spy:
    def find_spec(self, name, path=None, target=None):
        if name == "click":  # as if absent: else httpx loads its CLI, and Rich with it
            raise ModuleNotFoundError(name)
        if name.split(".")[0] in wanted:
            frame = sys._getframe(1)
            skip = ("importlib", "_frozen")
            while frame and frame.f_globals.get("__name__", "").startswith(skip):
                frame = frame.f_back
            importers.add((name, frame.f_globals.get("__name__", "?") if frame else "?"))
        return None
sys.meta_path.insert(0, Spy())
for module in sys.argv[1:]:
    __import__(module)
print("\\n".join(f"{who} imports {name}" for name, who in sorted(importers)))
"""


def loaded_after(code: str) -> set[str]:
    probe = code + "\nimport sys\nprint('\\n'.join(sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    return {name.split(".")[0] for name in out.split()}


def test_the_domain_list_is_complete() -> None:
    modules = domain_modules()
    assert len(modules) > 50 and "newsreader.feeds.fetch" in modules
    assert "newsreader.annotations.service" in modules


def test_no_domain_module_imports_textual_or_rich() -> None:
    """Each import of them is traced to the module that made it. httpx loads its CLI, and
    Rich with it, when click is installed (import-linter brings it): the probe hides click,
    so that Rich, once loaded by a library, cannot hide a later import of ours."""
    done = subprocess.run(
        [sys.executable, "-c", _WHO_IMPORTS, *domain_modules()],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    ours = [line for line in done.stdout.splitlines() if line.startswith("newsreader")]
    assert ours == []


def test_headless_cli_does_not_import_textual(tmp_path) -> None:
    db = tmp_path / "store.db"
    modules = loaded_after(
        "import contextlib, io\n"
        "from newsreader.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['--db', {str(db)!r}, 'stats']) == 0\n"
    )
    assert "sqlite3" in modules  # the command really ran
    assert "textual" not in modules


def test_a_refresh_that_parses_nothing_never_imports_the_parsers(tmp_path) -> None:
    """Start-up is part of every refresh: one where nothing needs parsing (here, no feeds;
    in practice every feed answering 304) skips lxml, feedparser and the fast path."""
    db = tmp_path / "store.db"
    modules = loaded_after(
        "import contextlib, io\n"
        "from newsreader.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['--db', {str(db)!r}, 'refresh', '--quiet'])\n"
        "import newsreader.feeds.refresh\n"
    )
    assert "httpx" in modules  # the refresh stack is loaded
    assert not modules & {"lxml", "feedparser"}
