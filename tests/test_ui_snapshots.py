"""Pictures of the key screens at fixed sizes, in the default and projector themes.

Repeatable: frozen clock, no cursor blink (Textual's test driver), the demo's dates pinned, TZ=UTC.
Update after an intended change with `pytest tests/test_ui_snapshots.py --snapshot-update`, and look at them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui_support import demo_app, running_clock_app

#: 80x24 a small terminal, 100x28 a 1080p projector at a font the back row reads, 120x36 a laptop.
SIZES = [(80, 24), (100, 28), (120, 36)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("theme", ["wat-dark", "wat-projector"])
def test_workspace(snap_compare, data_dir: Path, size: tuple[int, int], theme: str) -> None:  # type: ignore[no-untyped-def]
    app, _ = demo_app(data_dir, theme=theme)
    assert snap_compare(app, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_workspace_with_notes(snap_compare, data_dir: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    app, _ = demo_app(data_dir)
    # The demo's first reliability question carries notes and an action item: reliability is the agenda's pillar
    # before security (P to the start of security, P again to reliability's first question).
    assert snap_compare(app, terminal_size=size, press=["P", "P", "v", "i"])


def test_focus_mode_projector(snap_compare, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    app, _ = demo_app(data_dir, theme="wat-projector")
    assert snap_compare(app, terminal_size=(120, 36), press=["f"])


def test_session_picker(snap_compare, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    app, _ = demo_app(data_dir, session=False)
    assert snap_compare(app, terminal_size=(120, 36))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_workspace_with_running_clock(snap_compare, data_dir: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(running_clock_app(data_dir), terminal_size=size)


def test_agenda_screen(snap_compare, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(running_clock_app(data_dir), terminal_size=(120, 36), press=["A"])


def test_break_screen_projector(snap_compare, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(running_clock_app(data_dir, "wat-projector"), terminal_size=(120, 36), press=["B"])


def test_left_running_prompt_projector(snap_compare, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """Reopened after a crash while the clock ran: the room sees the question asked, with times."""
    from datetime import timedelta

    from tests.ui_support import FROZEN, frozen_clock, make_demo
    from wat_tui.review import timekeeping as tk
    from wat_tui.review.service import Review
    from wat_tui.ui.app import build_app

    sid = make_demo(data_dir)
    review = Review.open(data_dir)
    try:
        review.set_clock(lambda: FROZEN - timedelta(minutes=80))
        tk.start_session_clock(review, sid, FROZEN - timedelta(minutes=80))
        tk.heartbeat(review, sid, FROZEN - timedelta(minutes=65))
    finally:
        review.close()
    app = build_app(data_dir, sid, clock=frozen_clock(), theme="wat-projector")
    assert snap_compare(app, terminal_size=(100, 28))


def test_projector_workspace_in_a_block(snap_compare, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """The projector's 100x28 in its theme, the room in a block with the clock behind: the outline says the
    question's notes and action items (the notes pane is hidden at this width), every bar whole."""
    app = running_clock_app(data_dir, "wat-projector")
    assert snap_compare(app, terminal_size=(100, 28), press=["P", "P"])


def test_projector_workspace_over_time(snap_compare, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """A block over time at 100x28: what to do, and still the pace."""
    assert snap_compare(running_clock_app(data_dir, "wat-projector"), terminal_size=(100, 28))


def test_projector_agenda_after_a_move(snap_compare, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """The agenda at 100x28 after moving a break: what moved, and the stretch without a break it leaves."""
    app, _ = demo_app(data_dir, theme="wat-projector")
    assert snap_compare(app, terminal_size=(100, 28), press=["A", "down", "down", "d"])
