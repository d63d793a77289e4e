"""newsreader: a keyboard-first terminal news reader with claim and actor annotation."""

__version__ = "0.1.0"
"""The one place the version is written; pyproject.toml reads it (hatch dynamic version)."""
