"""Screenshots of the main states, compared with the approved SVGs in __snapshots__.

Fixed terminal size, fixed data and time zone, and every worker finished before the shot.
Update after a deliberate visual change with ``pytest tests/tui/test_snapshots.py
--snapshot-update`` and review the SVG diff.
"""

from __future__ import annotations

from pathlib import Path

from tui_helpers import make_app


async def _settled(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_main_screen(store: Path, tmp_path: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(store, tmp_path), terminal_size=(120, 30),
                        run_before=_settled)


def test_reader(store: Path, tmp_path: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(store, tmp_path), press=["enter"], terminal_size=(120, 30),
                        run_before=_settled)


def test_help(store: Path, tmp_path: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(store, tmp_path), press=["question_mark"],
                        terminal_size=(120, 36), run_before=_settled)


def test_narrow_layout(store: Path, tmp_path: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(store, tmp_path), press=["enter"], terminal_size=(80, 24),
                        run_before=_settled)


def test_reader_with_claims_and_actors(annotated: Path, tmp_path: Path,
                                       snap_compare) -> None:  # type: ignore[no-untyped-def]
    """Claims coloured by status, actors underlined, the cursor, and the panel beside."""
    async def annotated_reader(pilot) -> None:  # type: ignore[no-untyped-def]
        await _settled(pilot)
        await pilot.press("j", "enter")
        await _settled(pilot)  # the annotations and actors arrive from a worker
        await pilot.press("right_curly_bracket", "a")
        await _settled(pilot)

    assert snap_compare(make_app(annotated, tmp_path), terminal_size=(130, 34),
                        run_before=annotated_reader)
