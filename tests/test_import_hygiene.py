"""The domain never imports Textual or Rich; the headless CLI never imports Textual."""

from __future__ import annotations

import subprocess
import sys

DOMAIN = [
    "newsreader.models", "newsreader.safety", "newsreader.paths", "newsreader.config",
    "newsreader.store", "newsreader.store.articles", "newsreader.store.feeds",
    "newsreader.store.search", "newsreader.feeds.parse", "newsreader.feeds.text",
    "newsreader.feeds.fetch", "newsreader.feeds.refresh", "newsreader.feeds.opml",
    "newsreader.feeds.discover", "newsreader.feeds.subscribe", "newsreader.demo",
]


def loaded_after(code: str) -> set[str]:
    probe = code + "\nimport sys\nprint('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True,
                         text=True, timeout=60).stdout
    return {name.split(".")[0] for name in out.split()}


def test_domain_imports_neither_textual_nor_rich() -> None:
    modules = loaded_after("\n".join(f"import {m}" for m in DOMAIN))
    assert "textual" not in modules
    assert "rich" not in modules


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
