"""Config: defaults with no file, typed values, unknown keys reported with the file name."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsreader import paths
from newsreader.config import ConfigError, load_settings, save_theme


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "none.toml")
    assert settings.fetch.max_connections == 16
    assert settings.fetch.max_per_host == 4
    assert settings.fetch.max_body_mb == 20
    assert settings.reader.mark_read_on_open is True
    assert settings.warnings == []


def test_values_and_unknown_keys(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[fetch]\nmax_per_host = 8\ntotal_timeout = 5\ncolour = "red"\n'
                    '[keymap]\nnext_unread = "n,J"\n[bogus]\nx = 1\n')
    settings = load_settings(path)
    assert settings.fetch.max_per_host == 8
    assert settings.fetch.total_timeout == 5.0
    assert settings.keymap == {"next_unread": "n,J"}
    assert any(str(path) in w and "colour" in w for w in settings.warnings)
    assert any(str(path) in w and "bogus" in w for w in settings.warnings)


@pytest.mark.parametrize("text", [
    '[fetch]\nmax_per_host = "lots"\n', "not toml [", "[reader]\nmark_read_on_open = 1\n",
])
def test_bad_config_is_an_error_naming_the_file(tmp_path: Path, text: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=str(path)):
        load_settings(path)


def test_save_theme_keeps_other_settings(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "config.toml"
    save_theme(path, "nord")
    assert load_settings(path).ui.theme == "nord"
    path.write_text('[ui]\ntheme = "nord"\n\n[fetch]\nmax_per_host = 2\n')
    save_theme(path, "gruvbox")
    settings = load_settings(path)
    assert (settings.ui.theme, settings.fetch.max_per_host) == ("gruvbox", 2)
    assert path.read_text().count("theme") == 1


def test_paths_follow_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert paths.db_path(tmp_path / "x.db") == tmp_path / "x.db"
    monkeypatch.setenv("NEWSREADER_DB", str(tmp_path / "env.db"))
    assert paths.db_path() == tmp_path / "env.db"
    monkeypatch.delenv("NEWSREADER_DB")
    assert paths.db_path().name == "newsreader.db"
    assert str(paths.db_path()).startswith(str(tmp_path))  # the isolated XDG dirs
