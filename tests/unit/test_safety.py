"""The untrusted-text boundary."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsreader.safety import clean_line, clean_text, is_safe_link, safe_filename

HOSTILE = [
    ("Feed title\x1b]52;c;cHduZWQ=\x1b\\ (harmless)", "Feed title (harmless)"),
    ("A\x1b[2J\x1b[HB", "AB"),
    ("\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\", "click"),
    ("\x1b]0;new window title\x07Title", "Title"),
    ("left\u202eright", "leftright"),
    ("C1\x9b31mred\x9dx\x9c", "C1red"),
    ("bell\x07 bs\x08 nul\x00", "bell bs nul"),
]


@pytest.mark.parametrize(("raw", "clean"), HOSTILE)
def test_escape_sequences_are_removed(raw: str, clean: str) -> None:
    assert clean_line(raw) == clean


def test_multiline_keeps_newlines_and_tabs() -> None:
    assert clean_text("a\r\nb\tc\x1b[31m\n", multiline=True) == "a\nb\tc\n"
    assert clean_text("a\nb") == "a b"
    assert clean_text(None) == ""


@given(st.text())
def test_nothing_dangerous_survives(raw: str) -> None:
    out = clean_text(raw, multiline=True)
    assert not any(ord(c) < 32 and c not in "\n\t" for c in out)
    assert not any(0x7F <= ord(c) <= 0x9F for c in out)
    assert "\u202e" not in out


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.org/a", True),
        ("http://example.org", True),
        ("javascript:alert(1)", False),
        ("file:///etc/passwd", False),
        ("data:text/html,x", False),
        ("//example.org/x", False),
        ("https:///nohost", False),
        ("", False),
    ],
)
def test_only_http_links_are_safe(url: str, ok: bool) -> None:
    assert is_safe_link(url) is ok


@pytest.mark.parametrize(
    "title",
    [
        "../../etc/passwd",
        "CON",
        "con.txt",
        "a" * 300,
        "",
        "...",
        "x/y\\z:*?",
        "\x1b]52;c;x\x07evil",
    ],
)
def test_safe_filename(title: str) -> None:
    name = safe_filename(title)
    assert name and len(name) <= 80
    assert "/" not in name and "\\" not in name and not name.startswith(".")
    assert name.upper().split(".")[0] not in {"CON", "PRN", "AUX", "NUL"}
    assert "\x1b" not in name


def test_clean_shortcut_changes_exactly_what_the_full_pass_changes() -> None:
    """clean_text skips its escape pass on text with no control character: never unsafely."""
    from newsreader import safety

    for code in [*range(0x0, 0x3000), 0xFEFF, 0xFFFD, 0x1F600]:
        sample = f"a{chr(code)}b\x1b[2J"[: 3 if code % 2 else 6]
        for multiline in (True, False):
            full = safety._ESCAPES.sub("", sample).replace("\r", "\n")
            pattern = safety._CONTROLS_KEEP_NL if multiline else safety._CONTROLS_ALL
            if not multiline:
                full = full.replace("\n", " ").replace("\t", " ")
            assert clean_text(sample, multiline=multiline) == pattern.sub("", full), hex(code)
