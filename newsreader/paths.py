"""Where newsreader keeps its files. Nothing here runs at import time.

``--db PATH`` / ``NEWSREADER_DB`` choose the store, ``--config PATH`` /
``NEWSREADER_CONFIG`` the config file; otherwise platformdirs' user dirs are used.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "newsreader"


def data_dir() -> Path:
    """The user data dir (holds the store by default)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """The user config dir (holds config.toml)."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """The user cache dir."""
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def db_path(override: str | os.PathLike[str] | None = None) -> Path:
    """The store's path: the override, else $NEWSREADER_DB, else the data dir."""
    chosen = override or os.environ.get("NEWSREADER_DB")
    return Path(chosen).expanduser() if chosen else data_dir() / "newsreader.db"


def config_path(override: str | os.PathLike[str] | None = None) -> Path:
    """The config file's path: the override, else $NEWSREADER_CONFIG, else the config dir."""
    chosen = override or os.environ.get("NEWSREADER_CONFIG")
    return Path(chosen).expanduser() if chosen else config_dir() / "config.toml"
