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
    path.write_text(
        '[fetch]\nmax_per_host = 8\ntotal_timeout = 5\ncolour = "red"\n'
        '[keymap]\nnext_unread = "n,J"\n[bogus]\nx = 1\n'
    )
    settings = load_settings(path)
    assert settings.fetch.max_per_host == 8
    assert settings.fetch.total_timeout == 5.0
    assert settings.keymap == {"next_unread": "n,J"}
    assert any(str(path) in w and "colour" in w for w in settings.warnings)
    assert any(str(path) in w and "bogus" in w for w in settings.warnings)


@pytest.mark.parametrize(
    "text",
    [
        '[fetch]\nmax_per_host = "lots"\n',
        "not toml [",
        "[reader]\nmark_read_on_open = 1\n",
    ],
)
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


# --- values checked against ranges (issue 12, item 2) ---------------------------------

import json  # noqa: E402
import math  # noqa: E402
from dataclasses import fields  # noqa: E402

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from newsreader.config import FetchSettings  # noqa: E402
from newsreader.feeds.fetch import Fetcher  # noqa: E402


@pytest.mark.parametrize(
    ("line", "words"),
    [
        (
            "max_body_mb = 1e308",
            "max_body_mb must be a number at least 0.01 and at most 1024 MB, got 1e+308",
        ),
        ("max_body_mb = 0", "max_body_mb must be a number at least 0.01"),
        ("max_body_mb = inf", "max_body_mb must be"),
        (
            "total_timeout = nan",
            "total_timeout must be a number more than 0 and at most 3600 s, got nan",
        ),
        ("connect_timeout = -1", "connect_timeout must be a number more than 0"),
        ("total_timeout = -0.5", "total_timeout must be"),
        ("max_connections = 0", "max_connections must be a whole number from 1 to 256, got 0"),
        ("max_connections = 99999999999999999999", "max_connections must be a whole number"),
        ("max_per_host = -3", "max_per_host must be a whole number from 1 to 64"),
        ("parse_workers = 1000", "parse_workers must be a whole number from 0 to 64"),
        ("max_body_mb = true", "max_body_mb must be a number, got True"),
        ('user_agent = ""', "user_agent must not be empty"),
        ('user_agent = "a\\r\\nX-Evil: 1"', "user_agent must be printable ASCII on one line"),
        ('user_agent = "café"', "user_agent must be printable ASCII"),
    ],
)
def test_out_of_range_values_name_the_file_and_the_key(
    tmp_path: Path, line: str, words: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f"[fetch]\n{line}\n")
    with pytest.raises(ConfigError) as raised:
        load_settings(path)
    assert str(raised.value).startswith(f"{path}: [fetch] ")
    assert words in str(raised.value)


@pytest.mark.parametrize(
    "text", ['fetch = "x"\n', "reader = 3\n", 'keymap = "n"\n', "ui = [1, 2]\n"]
)
def test_a_section_given_as_a_value_is_an_error_not_an_unknown_key(
    tmp_path: Path, text: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    section = text.split(" ")[0]
    with pytest.raises(ConfigError, match=rf"^{path}: {section} must be a table \(\[{section}\]\)"):
        load_settings(path)


def test_a_keymap_value_must_be_keys(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[keymap]\nnext_unread = 5\n")
    with pytest.raises(ConfigError, match=rf"^{path}: \[keymap\] next_unread must be a string"):
        load_settings(path)


def test_a_byte_order_mark_is_accepted_and_kept_out_of_a_saved_theme(tmp_path: Path) -> None:
    """Some editors start a UTF-8 file with a BOM; tomllib alone refuses it."""
    path = tmp_path / "config.toml"
    path.write_bytes(b'\xef\xbb\xbf[ui]\ntheme = "nord"\n[fetch]\nmax_per_host = 2\n')
    settings_read = load_settings(path)
    assert (settings_read.ui.theme, settings_read.fetch.max_per_host) == ("nord", 2)
    assert settings_read.warnings == []
    save_theme(path, "gruvbox")
    assert not path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert path.read_text().count("[ui]") == 1
    assert load_settings(path).ui.theme == "gruvbox"


_NUMBERS = [f for f in fields(FetchSettings) if "range" in f.metadata]


def _toml(value: object) -> str:
    """``value`` written as a TOML value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return "{" + ", ".join(f"{_toml_string(k)} = {_toml(v)}" for k, v in value.items()) + "}"


def _toml_string(text: str) -> str:
    """A TOML basic string: JSON's escapes, and DEL escaped too."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


_VALUES = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.text(max_size=20),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    key=st.sampled_from([f.name for f in fields(FetchSettings)]), value=_VALUES, bom=st.booleans()
)
def test_any_fetch_value_is_accepted_in_range_or_refused_by_name(
    tmp_path: Path, key: str, value: object, bom: bool
) -> None:
    """Whatever a [fetch] value is, loading either gives a setting in its range (that a
    Fetcher can be built from) or a ConfigError naming the file and the key: nothing else."""
    path = tmp_path / "config.toml"
    path.write_bytes(
        (b"\xef\xbb\xbf" if bom else b"") + f"[fetch]\n{key} = {_toml(value)}\n".encode()
    )
    try:
        loaded = load_settings(path).fetch
    except ConfigError as exc:
        assert str(exc).startswith(f"{path}: [fetch] {key} must ")
        return
    got = getattr(loaded, key)
    spec = next(f for f in fields(FetchSettings) if f.name == key)
    assert type(got) is type(spec.default)
    if "range" in spec.metadata:
        assert got in spec.metadata["range"] and got == value
    with Fetcher(loaded) as fetcher:
        assert fetcher.max_bytes > 0


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(field_index=st.integers(0, len(_NUMBERS) - 1), data=st.data())
def test_every_value_in_range_is_accepted(
    tmp_path: Path, field_index: int, data: st.DataObject
) -> None:
    spec = _NUMBERS[field_index]
    accepted = spec.metadata["range"]
    if type(spec.default) is int:
        value: float = data.draw(st.integers(int(accepted.low), int(accepted.high)))
    else:
        value = data.draw(
            st.floats(accepted.low, accepted.high, allow_nan=False, exclude_min=accepted.above)
        )
    path = tmp_path / "config.toml"
    path.write_text(f"[fetch]\n{spec.name} = {_toml(value)}\n")
    assert getattr(load_settings(path).fetch, spec.name) == value
