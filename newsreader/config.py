"""Typed settings read from config.toml with tomllib; every field has a working default."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any


class ConfigError(Exception):
    """The config file cannot be read or has a value of the wrong type."""


@dataclass
class FetchSettings:
    """[fetch]: how feeds are downloaded."""

    max_connections: int = 16
    """Feeds fetched at once."""
    max_per_host: int = 4
    """Feeds fetched at once from one host (be polite to a single server)."""
    connect_timeout: float = 10.0
    """Seconds to wait for a connection."""
    total_timeout: float = 30.0
    """Seconds one feed may take from request to last byte."""
    max_body_mb: float = 20.0
    """Largest feed body accepted, in MB; larger is an error on that feed."""
    user_agent: str = "newsreader/0.1 (+https://github.com/newsreader)"
    """User-Agent header sent with every request."""
    parse_workers: int = 0
    """Processes used to parse feeds (0 = one per core, 1 = parse in the refreshing thread)."""


@dataclass
class ReaderSettings:
    """[reader]: reading behaviour."""

    mark_read_on_open: bool = True
    """Opening an article marks it read."""


@dataclass
class UISettings:
    """[ui]: look and feel."""

    theme: str = "textual-dark"
    """A Textual theme name; changed from the TUI and saved here."""


@dataclass
class ExportSettings:
    """[export]: notes exported as Markdown."""

    wiki_links: bool = True
    """Actors as Obsidian-style [[wiki links]] to their pages (false: plain names)."""
    notes_dir: str = ""
    """Where the TUI's `e` writes notes ("" = a "notes" folder in the user data dir)."""


@dataclass
class Settings:
    """All settings; ``warnings`` lists problems found while reading the file."""

    fetch: FetchSettings = field(default_factory=FetchSettings)
    reader: ReaderSettings = field(default_factory=ReaderSettings)
    ui: UISettings = field(default_factory=UISettings)
    export: ExportSettings = field(default_factory=ExportSettings)
    keymap: dict[str, str] = field(default_factory=dict)
    """Binding id -> keys (comma separated), e.g. ``next_unread = "n,J"``."""
    warnings: list[str] = field(default_factory=list)


_SECTIONS = {
    "fetch": FetchSettings, "reader": ReaderSettings, "ui": UISettings, "export": ExportSettings,
}


def load_settings(path: Path) -> Settings:
    """Read ``path`` (missing file = defaults); unknown keys become warnings naming the file."""
    settings = Settings()
    if not path.exists():
        return settings
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    for key, value in data.items():
        if key == "keymap" and isinstance(value, dict):
            settings.keymap = {str(k): str(v) for k, v in value.items()}
        elif key in _SECTIONS and isinstance(value, dict):
            _apply(getattr(settings, key), value, f"{path}: [{key}]", settings.warnings)
        else:
            settings.warnings.append(f"{path}: unknown key {key!r}")
    return settings


def _apply(section: Any, values: dict[str, Any], where: str, warnings: list[str]) -> None:
    known = {f.name: f for f in fields(section)}
    for key, value in values.items():
        if key not in known:
            warnings.append(f"{where} unknown key {key!r}")
            continue
        expected = type(getattr(section, key))
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise ConfigError(f"{where} {key} must be {expected.__name__}, got {value!r}")
        setattr(section, key, value)


def save_theme(path: Path, theme: str) -> None:
    """Record the chosen theme in ``[ui]`` of the config file, keeping everything else."""
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    out, in_ui, done = [], False, False
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("["):
            if in_ui and not done:
                out.append(f'theme = "{theme}"')
                done = True
            in_ui = stripped == "[ui]"
        elif in_ui and stripped.split("=")[0].strip() == "theme":
            if not done:
                out.append(f'theme = "{theme}"')
                done = True
            continue
        out.append(line)
    if not done:
        out.extend(([] if in_ui else ["", "[ui]"]) + [f'theme = "{theme}"'])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out).lstrip("\n") + "\n", encoding="utf-8")
