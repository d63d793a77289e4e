"""Where the sync server's API password comes from: the environment, a file only its
owner can read, or the OS keyring; never config.toml, never a message or a log."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from newsreader.sync.client import SyncError

ENVIRONMENT = "NEWSREADER_SYNC_PASSWORD"
SERVICE = "newsreader-sync"
DEFAULT_FILE = "sync-password"
"""The file beside config.toml that keeps the password when there is no keyring."""


def account(url: str, user: str) -> str:
    """The keyring's name for this account."""
    return f"{user}@{url.rstrip('/')}"


def password_file(config_path: Path, configured: str) -> Path:
    """The password file: the one configured (``password_file``), else beside config.toml."""
    if configured:
        return Path(configured).expanduser()
    return config_path.parent / DEFAULT_FILE


def find_password(url: str, user: str, config_path: Path, configured_file: str = "") -> str:
    """The API password, from the first of: $NEWSREADER_SYNC_PASSWORD, the configured
    password file, the keyring, the default password file.

    Raises:
        SyncError: none has it, or a password file others can read.
    """
    if os.environ.get(ENVIRONMENT):
        return os.environ[ENVIRONMENT]
    path = password_file(config_path, configured_file)
    if configured_file:
        return _read_file(path)
    kept = _from_keyring(url, user)
    if kept:
        return kept
    if path.exists():
        return _read_file(path)
    raise SyncError(
        f"no API password for {user!r} at {url}: run `newsreader sync login`"
        f" (or set ${ENVIRONMENT})"
    )


def store_password(
    url: str, user: str, password: str, config_path: Path, configured_file: str = ""
) -> str:
    """Keep the password: in the keyring when there is one (and no file is configured),
    else in a file only its owner can read. Returns where, for the user."""
    if not configured_file and _to_keyring(url, user, password):
        return "the system keyring"
    path = password_file(config_path, configured_file)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".new")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        os.fchmod(out.fileno(), 0o600)
        out.write(password + "\n")
    os.replace(temporary, path)
    return str(path)


def _read_file(path: Path) -> str:
    try:
        mode = path.stat().st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise SyncError(f"{path}: others can read it; keep it to yourself (chmod 600 {path})")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SyncError(f"{path}: no such password file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SyncError(f"{path}: {exc.__class__.__name__}") from None
    password = text.strip("\r\n")
    if not password:
        raise SyncError(f"{path} is empty")
    return password


def _keyring_usable() -> bool:
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return False
    backend = keyring.get_keyring()
    return not isinstance(backend, fail.Keyring)


def _from_keyring(url: str, user: str) -> str:
    if not _keyring_usable():
        return ""
    import keyring

    try:
        return keyring.get_password(SERVICE, account(url, user)) or ""
    except Exception:  # any backend's failure: the other sources still count
        return ""


def _to_keyring(url: str, user: str, password: str) -> bool:
    if not _keyring_usable():
        return False
    import keyring

    try:
        keyring.set_password(SERVICE, account(url, user), password)
    except Exception:  # a locked or broken keyring: fall back to the file
        return False
    return True
