"""Issue 14 in the app, a first slice: J and K score the open question's impact and effort, Z lists the findings
(sortable, Enter opens one), m draws the impact/effort matrix, Y records a milestone."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import DataTable, Input, Static

from tests.ui_support import demo_app
from wat_tui.review import analysis as an
from wat_tui.review.analysis import Analysis
from wat_tui.review.service import Review
from wat_tui.ui.app import WatApp
from wat_tui.ui.screens.analysis import (
    FindingsScreen,
    MatrixScreen,
    MilestoneScreen,
    describe,
    next_level,
    sorted_findings,
)
from wat_tui.ui.screens.workspace import WorkspaceScreen

SIZES = [(120, 36), (100, 28)]


def stored(data_dir: Path, sid: str) -> dict[str, Analysis]:
    with Review.open(data_dir) as review:
        return review.analysis(sid)


def shown(widget: Widget) -> str:
    """The widget's lines as drawn, without colour."""
    return "\n".join(strip.text for strip in widget.render_lines(Region(0, 0, *widget.size)))


def messages(app: WatApp) -> list[str]:
    return [n.message for n in app._notifications]


def test_the_levels_cycle_through_not_set() -> None:
    assert [next_level(x) for x in (None, "low", "medium", "high")] == ["low", "medium", "high", None]
    assert describe("SEC07", Analysis("high", "low"), "impact") == (
        "SEC07 business impact: high (technical effort: low), quick win")
    assert describe("SEC07", Analysis(None, "low"), "effort") == (
        "SEC07 technical effort: low (business impact: not set)")


async def test_j_and_k_score_the_open_question_and_say_the_new_value(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.pause()
        ws = app.screen
        assert isinstance(ws, WorkspaceScreen)
        key, label = ws.current_key, ws.current[1].label
        await pilot.press("J")
        await pilot.pause()
        assert stored(data_dir, sid)[key] == Analysis("low", None)
        assert messages(app)[-1].startswith(f"{label} business impact: low")
        await pilot.press("J", "J", "K")
        await pilot.pause()
        assert stored(data_dir, sid)[key] == Analysis("high", "low")
        assert messages(app)[-1] == f"{label} technical effort: low (business impact: high), quick win"
        await pilot.press("J")  # high -> not set, effort stays
        await pilot.pause()
        assert stored(data_dir, sid)[key] == Analysis(None, "low")
        await pilot.press("K", "K", "K")  # low -> medium -> high -> not set: nothing left, cleared
        await pilot.pause()
        assert key not in stored(data_dir, sid)
        await pilot.press("ctrl+z")  # one undoable edit each
        await pilot.pause()
        assert stored(data_dir, sid)[key] == Analysis(None, "high")


async def test_the_findings_table_sorts_and_enter_opens_the_question(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.pause()
        ws = app.screen
        assert isinstance(ws, WorkspaceScreen)
        found = an.findings(ws.review.state(sid), {})
        assert len(found) > 5
        ws.review.set_analysis(sid, found[-1].key, "high", "low")
        ws.review.set_analysis(sid, found[0].key, "low", "high")
        await pilot.press("Z")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FindingsScreen)
        table = screen.query_one(DataTable)
        assert table.row_count == len(found)
        assert [f.key for f in screen.shown()][:2] == [found[-1].key, found[0].key]  # by priority
        assert "▲ HIGH" in str(table.get_row_at(0)[3]) or "● MED" in str(table.get_row_at(0)[3])
        for key, by in (("r", "risk"), ("i", "impact"), ("e", "effort"), ("p", "pillar")):
            await pilot.press(key)
            await pilot.pause()
            assert screen.sort == by
            assert [f.key for f in screen.shown()] == [f.key for f in sorted_findings(screen.findings, by)]
        risks = [f.question_risk for f in sorted_findings(screen.findings, "risk")]
        assert risks == sorted(risks, key=an.RISK_ORDER.index)
        efforts = [f.effort for f in sorted_findings(screen.findings, "effort")]
        assert efforts[:2] == ["low", "high"]
        # J on the table scores the highlighted row and keeps it highlighted.
        await pilot.press("o")
        table.move_cursor(row=3)
        await pilot.pause()
        target = screen.shown()[3]
        await pilot.press("J")
        await pilot.pause()
        assert stored(data_dir, sid)[target.key].impact == "low"
        assert screen.highlighted_key() == target.key
        # Enter opens that question in the workspace.
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is ws
        assert ws.current_key == f"{target.lens}/{target.question}"


async def test_the_matrix_shows_each_quadrant_with_counts_and_ids(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZES[1]) as pilot:
        await pilot.pause()
        ws = app.screen
        assert isinstance(ws, WorkspaceScreen)
        found = an.findings(ws.review.state(sid), {})
        scores = [("high", "low"), ("medium", "medium"), ("low", "low"), ("low", "high"), ("high", "low")]
        for f, (impact, effort) in zip(found, scores, strict=False):
            ws.review.set_analysis(sid, f.key, impact, effort)
        await pilot.press("Z", "m")
        await pilot.pause()
        assert isinstance(app.screen, MatrixScreen)
        text = shown(app.screen.query_one("#matrix-body", Static))
        assert "QUICK WINS (2)" in text and "MAJOR PROJECTS (1)" in text
        assert "FILL-INS (1)" in text and "DEPRIORITISED (1)" in text
        assert found[0].label in text and found[2].label in text
        assert f"Not scored yet ({len(found) - 5})" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, FindingsScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is ws


async def test_y_records_a_named_milestone(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.pause()
        ws = app.screen
        await pilot.press("Y")
        await pilot.pause()
        assert isinstance(app.screen, MilestoneScreen)
        await pilot.press("enter")  # no name: the dialog says so and stays
        await pilot.pause()
        assert isinstance(app.screen, MilestoneScreen)
        await pilot.press(*"End of workshop", "enter")
        await pilot.pause()
        assert app.screen is ws
        assert messages(app)[-1] == "Milestone 'End of workshop' recorded."
        await pilot.press("Y")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, MilestoneScreen)
        dialog.query_one(Input).value = "end of WORKSHOP"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog  # the name is taken: said in the dialog
        assert "exists already" in str(dialog.query_one("#milestone-problem", Static).render())
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is ws
    with Review.open(data_dir) as review:
        assert [m.name for m in review.milestones(sid)] == ["End of workshop"]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_screens_fit_and_read_without_colour(data_dir: Path, size: tuple[int, int]) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("Z")
        await pilot.pause()
        shot = shown(app.screen.query_one(DataTable))
        assert "▲ HIGH" in shot and "● MED" in shot
        assert "Quadrant" in shot
        await pilot.press("m")
        await pilot.pause()
        shot = shown(app.screen.query_one("#matrix-body", Static))
        for name in ("QUICK WINS", "MAJOR PROJECTS", "FILL-INS", "DEPRIORITISED"):
            assert name in shot


@pytest.mark.parametrize("size", [(120, 36), (100, 28)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_matrix_picture(snap_compare, data_dir: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    """The impact/effort matrix with a scored finding in three quadrants (frozen clock, pinned TZ)."""
    app, sid = demo_app(data_dir)
    with Review.open(data_dir) as review:
        review.set_analysis(sid, "wellarchitected/data-classification", "high", "low")
        review.set_analysis(sid, "wellarchitected/identities", "high", "high")
        review.set_analysis(sid, "wellarchitected/securely-operate", "low", "low")
    assert snap_compare(app, terminal_size=size, press=["Z", "m"])
