"""Locate the data shipped with newsreader (styles/, seeds/).

In a wheel they live in ``newsreader/_data/``; in a source checkout (editable install)
they are the top-level ``styles/`` and ``seeds/`` folders beside the package.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the folder holding shipped data ``name`` ("styles" or "seeds")."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"newsreader data folder {name!r} is missing from the install")
