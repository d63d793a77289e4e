"""Typed settings read from config.toml with tomllib; every field has a working default.

Every value is checked: its type, and for numbers a range (a timeout is a finite number of
seconds above 0, a body cap a size a fetch can hold...), so a wrong value is one clear
message naming the file and the key instead of a traceback later. A UTF-8 byte order mark
at the start of the file (as some editors write) is accepted.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from newsreader.pipes import Command, CommandError, parse_commands
from newsreader.player import player_command
from newsreader.rulespec import Rule, parse_rules


class ConfigError(Exception):
    """The config file cannot be read or has a value of the wrong type or out of range."""


@dataclass(frozen=True)
class Range:
    """The values a number setting accepts: ``low`` (or above it, when ``above``) to ``high``."""

    low: float
    high: float
    above: bool = False
    """``low`` itself is refused (e.g. a timeout of 0 s)."""
    unit: str = ""

    def __contains__(self, value: float) -> bool:
        if not math.isfinite(value) or value > self.high:
            return False
        return value > self.low if self.above else value >= self.low

    def describe(self, whole: bool) -> str:
        """'a whole number from 1 to 256', 'a number more than 0 and at most 600 s'."""
        unit = f" {self.unit}" if self.unit else ""
        if whole and not self.above:
            return f"a whole number from {self.low:g} to {self.high:g}{unit}"
        low = f"more than {self.low:g}" if self.above else f"at least {self.low:g}"
        return f"a number {low} and at most {self.high:g}{unit}"


def _number(default: float, accepted: Range) -> Any:
    return field(default=default, metadata={"range": accepted})


def _text(
    default: str,
    *,
    required: bool = False,
    one_line: bool = False,
    header: bool = False,
    choices: tuple[str, ...] = (),
) -> Any:
    return field(
        default=default,
        metadata={"required": required, "one_line": one_line, "header": header, "choices": choices},
    )


FULL_TEXT_MODES = ("auto", "always", "never")
"""When an article's page is fetched for its full text: when the feed gives only a teaser
(auto), for every new article (always), or never."""


@dataclass
class FetchSettings:
    """[fetch]: how feeds are downloaded."""

    max_connections: int = _number(16, Range(1, 256))
    """Feeds fetched at once."""
    max_per_host: int = _number(4, Range(1, 64))
    """Feeds fetched at once from one host (be polite to a single server)."""
    connect_timeout: float = _number(10.0, Range(0, 600, above=True, unit="s"))
    """Seconds to wait for a connection."""
    total_timeout: float = _number(30.0, Range(0, 3600, above=True, unit="s"))
    """Seconds one feed may take from request to last byte."""
    max_body_mb: float = _number(20.0, Range(0.01, 1024, unit="MB"))
    """Largest feed body accepted, in MB; larger is an error on that feed."""
    user_agent: str = _text(
        "newsreader/0.1 (+https://github.com/newsreader)", required=True, header=True
    )
    """User-Agent header sent with every request."""
    parse_workers: int = _number(0, Range(0, 64))
    """Processes used to parse feeds (0 = one per core, 1 = parse in the refreshing thread)."""
    full_text: str = _text("auto", choices=FULL_TEXT_MODES)
    """Fetch each new article's page for its full text: "auto" (when the feed gives only a
    teaser), "always" or "never"; a feed's own setting overrides it."""
    page_delay: float = _number(0.5, Range(0, 60, unit="s"))
    """Seconds between two page fetches (full text) from the same host: polite to sites."""
    interval_minutes: float = _number(30.0, Range(1, 10080, unit="min"))
    """How often a feed is refreshed while the TUI runs (a feed's own setting overrides it)."""
    auto_refresh: bool = True
    """Refresh each feed on its schedule while the TUI runs (false: only r / R)."""


@dataclass
class ReaderSettings:
    """[reader]: reading behaviour."""

    mark_read_on_open: bool = True
    """Opening an article marks it read."""
    player: str = _text("", one_line=True)
    """What P plays an article's podcast or video with, e.g. "mpv {url}" (no shell; the
    URL is added at the end when the line has no {url}); "" opens it in the browser."""


@dataclass
class UISettings:
    """[ui]: look and feel."""

    theme: str = _text("textual-dark", required=True, one_line=True)
    """A Textual theme name; changed from the TUI and saved here."""


@dataclass
class ExportSettings:
    """[export]: notes exported as Markdown."""

    wiki_links: bool = True
    """Actors as Obsidian-style [[wiki links]] to their pages (false: plain names)."""
    notes_dir: str = ""
    """Where the TUI's `e` writes notes ("" = a "notes" folder in the user data dir)."""


@dataclass
class RetentionSettings:
    """[retention]: how long read articles stay in the store."""

    keep_days: int = _number(0, Range(0, 36500, unit="days"))
    """Read articles older than this many days (by their date) are pruned after a refresh
    and by `newsreader prune`, unless starred, labelled, in Later or annotated; 0 keeps
    everything."""


SYNC_KINDS = ("", "greader")
SYNC_ARTICLES = ("server", "direct")


@dataclass
class SyncSettings:
    """[sync]: a feed server this store keeps in step with (the Google Reader API)."""

    kind: str = _text("", choices=SYNC_KINDS)
    """"greader" to sync; "" (the default) for none."""
    url: str = _text("", one_line=True)
    """The server's API address (FreshRSS: https://HOST/api/greader.php)."""
    user: str = _text("", one_line=True)
    articles: str = _text("server", choices=SYNC_ARTICLES)
    """Where articles come from: the server (it fetches the feeds) or this machine."""
    password_file: str = _text("", one_line=True)
    """A file holding the API password (mode 0600); else the keyring, else
    $NEWSREADER_SYNC_PASSWORD, else sync-password beside config.toml."""
    later_label: str = _text("Later", required=True, one_line=True)
    """The server label that holds the Later queue."""
    auto_sync: bool = True
    """The TUI syncs in the background on the refresh schedule."""

    @property
    def enabled(self) -> bool:
        return bool(self.kind)

    @property
    def delivers(self) -> bool:
        """The server brings the articles of its feeds: a refresh here leaves them out."""
        return self.enabled and self.articles == "server"


@dataclass
class Settings:
    """All settings; ``warnings`` lists problems found while reading the file."""

    fetch: FetchSettings = field(default_factory=FetchSettings)
    reader: ReaderSettings = field(default_factory=ReaderSettings)
    ui: UISettings = field(default_factory=UISettings)
    export: ExportSettings = field(default_factory=ExportSettings)
    retention: RetentionSettings = field(default_factory=RetentionSettings)
    sync: SyncSettings = field(default_factory=SyncSettings)
    keymap: dict[str, str] = field(default_factory=dict)
    """Binding id -> keys (comma separated), e.g. ``next_unread = "n,J"``."""
    commands: list[Command] = field(default_factory=list)
    """[commands]: what ``|`` pipes the open article to, in the file's order (name ->
    command line, or ``{ run = "…", input = "url"|"text"|"none", timeout = s }``)."""
    rules: list[Rule] = field(default_factory=list)
    """[[rules]]: queries and what to do with the articles they match, in the file's
    order (a rule that cannot be used is left out, with a warning naming it)."""
    warnings: list[str] = field(default_factory=list)


_SECTIONS = {
    "fetch": FetchSettings,
    "reader": ReaderSettings,
    "ui": UISettings,
    "export": ExportSettings,
    "retention": RetentionSettings,
    "sync": SyncSettings,
}


def load_settings(path: Path) -> Settings:
    """Read ``path`` (missing file = defaults); unknown keys become warnings naming the file.

    Raises:
        ConfigError: the file cannot be read or parsed, or a value has the wrong type or is
            out of range; the message names the file and the key.
    """
    settings = Settings()
    if not path.exists():
        return settings
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    for key, value in data.items():
        if key == "rules":
            settings.rules, found = parse_rules(value, f"{path}: [[rules]]")
            settings.warnings += found
        elif key not in _SECTIONS and key not in ("keymap", "commands"):
            settings.warnings.append(f"{path}: unknown key {key!r}")
        elif not isinstance(value, dict):
            raise ConfigError(f"{path}: {key} must be a table ([{key}]), got {value!r}")
        elif key == "keymap":
            settings.keymap = _keymap(value, f"{path}: [keymap]")
        elif key == "commands":
            try:
                settings.commands = parse_commands(value)
            except CommandError as exc:
                raise ConfigError(f"{path}: [commands] {exc}") from exc
        else:
            _apply(getattr(settings, key), value, f"{path}: [{key}]", settings.warnings)
    _check_sync(settings.sync, data.get("sync"), f"{path}: [sync]")
    if settings.reader.player.strip():
        try:
            player_command(settings.reader.player)
        except CommandError as exc:
            raise ConfigError(f"{path}: [reader] {exc}") from exc
    return settings


def _check_sync(sync: SyncSettings, given: Any, where: str) -> None:
    """A sync needs its server and user; its password never lives in this file."""
    if isinstance(given, dict) and any(k in given for k in ("password", "token", "api_password")):
        raise ConfigError(
            f"{where} the password does not belong in config.toml: run `newsreader sync login`,"
            " or set $NEWSREADER_SYNC_PASSWORD or password_file"
        )
    if sync.enabled and not (sync.url.strip() and sync.user.strip()):
        raise ConfigError(f"{where} kind = {sync.kind!r} needs url and user")
    if sync.enabled and not sync.url.startswith(("http://", "https://")):
        raise ConfigError(f"{where} url must start with http:// or https://, got {sync.url!r}")


def _keymap(values: dict[str, Any], where: str) -> dict[str, str]:
    for key, value in values.items():
        if not isinstance(value, str):
            raise ConfigError(f'{where} {key} must be a string of keys (e.g. "n,J"), got {value!r}')
    return dict(values)


def _apply(section: Any, values: dict[str, Any], where: str, warnings: list[str]) -> None:
    known = {f.name: f for f in fields(section)}
    for key, value in values.items():
        if key not in known:
            warnings.append(f"{where} unknown key {key!r}")
            continue
        setattr(section, key, _checked(known[key], value, f"{where} {key}"))


def _checked(spec: Any, value: Any, name: str) -> Any:
    """``value`` for the setting ``spec`` (an int is taken for a float), or ConfigError."""
    expected, given = type(spec.default), value
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        try:
            value = float(value)
        except OverflowError:
            value = math.inf  # out of any range: refused below
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        noun = {
            "int": "a whole number",
            "float": "a number",
            "str": "a string",
            "bool": "true or false",
        }.get(expected.__name__, expected.__name__)
        raise ConfigError(f"{name} must be {noun}, got {given!r}")
    accepted = spec.metadata.get("range")
    if accepted is not None and value not in accepted:
        raise ConfigError(f"{name} must be {accepted.describe(expected is int)}, got {given!r}")
    if isinstance(value, str):
        if spec.metadata.get("required") and not value.strip():
            raise ConfigError(f"{name} must not be empty")
        if spec.metadata.get("one_line") and any(ord(c) < 32 or ord(c) == 127 for c in value):
            raise ConfigError(f"{name} must be one line without control characters")
        choices = spec.metadata.get("choices")
        if choices and value not in choices:
            listed = ", ".join(f'"{choice}"' for choice in choices)
            raise ConfigError(f"{name} must be one of {listed}, got {given!r}")
        if spec.metadata.get("header") and not all(" " <= c <= "~" for c in value):
            raise ConfigError(
                f"{name} must be printable ASCII on one line (it is sent as an HTTP header)"
            )
    return value


def save_theme(path: Path, theme: str) -> None:
    """Record the chosen theme in ``[ui]`` of the config file, keeping everything else."""
    lines = path.read_text(encoding="utf-8-sig").splitlines() if path.exists() else []
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
