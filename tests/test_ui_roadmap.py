"""Issue 14 in the app: R opens the action roadmap (actions by month of due date with owner, status and the findings
each addresses, then the findings no action addresses; Enter opens a question), c there the progress since the
latest milestone (or between two chosen with [ ] and t). Snapshots of the roadmap at 120x36 and 100x28.

Repeatable like tests/test_ui_snapshots.py: frozen clock, the demo's dates pinned, TZ=UTC, milestones dated by hand.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import DataTable, Static

from tests.ui_support import PREPARED, frozen_clock, make_demo
from wat_tui.review import analysis as an
from wat_tui.review import roadmap as rm
from wat_tui.review.service import Review
from wat_tui.review.state import Answer
from wat_tui.ui.app import WatApp, build_app
from wat_tui.ui.screens.analysis import FindingsScreen
from wat_tui.ui.screens.roadmap import NO_MILESTONE, CompareScreen, RoadmapScreen
from wat_tui.ui.screens.workspace import WorkspaceScreen

SIZES = [(120, 36), (100, 28)]
RELIABILITY = "wellarchitected/manage-service-limits"


def shown(widget: Widget) -> str:
    return "\n".join(strip.text for strip in widget.render_lines(Region(0, 0, *widget.size)))


def prepared(data_dir: Path, milestones: bool = True) -> tuple[WatApp, str]:
    """The demo, plus an action without a due date, one done in April linked to a practice, and (when asked)
    two milestones: one before the action closed and an answer changed, one after."""
    sid = make_demo(data_dir)
    with Review.open(data_dir) as review:
        review.set_clock(lambda: PREPARED)
        state = review.state(sid)
        if milestones:
            review.record_milestone(sid, "End of workshop", at=datetime(2026, 11, 27, 17, 0, tzinfo=UTC))
        review.add_action(sid, "Write the runbook for a Region failover", "Ben Okafor")
        done = review.add_action(sid, "Tag every resource with its cost centre", "Eli Novak", "2027-04-30",
                                 "done")
        found = an.findings(review.full_state(sid), {})
        review.link_action(sid, done, found[0].key)
        aid = next(a.id for a in state.actions if a.question == RELIABILITY)
        review.edit_action(sid, aid, status="done")
        if milestones:
            review.record_milestone(sid, "December check-in", at=datetime(2026, 12, 15, 10, 0, tzinfo=UTC))
    return build_app(data_dir, sid, clock=frozen_clock()), sid


async def test_r_lists_actions_by_month_then_findings_without_one(data_dir: Path) -> None:
    app, sid = prepared(data_dir)
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.pause()
        ws = app.screen
        assert isinstance(ws, WorkspaceScreen)
        await pilot.press("R")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RoadmapScreen)
        state = ws.review.full_state(sid)
        links = rm.action_links(state, state.links)
        months = rm.roadmap(state, links)
        missing = rm.unaddressed(an.findings(state, state.analysis), links)
        table = screen.query_one(DataTable)
        # A heading per month, a row per action, the section heading and a row per finding without an action.
        assert table.row_count == len(months) + len(state.actions) + 1 + max(len(missing), 1)
        assert [m.month for m in months][:2] == ["2026-12", "2027-01"] and months[-1].month == rm.NO_DUE_DATE
        text = shown(table)
        assert "2026-12" in text and "Chen Wei" in text and "no due date" in text
        assert f"{len(missing)} findings, no action addresses" in text
        assert "done" in text
        assert "▲" in text or "●" in text  # risk readable without colour
        # The cursor starts on the first action; Enter opens its question in the workspace.
        first = months[0].items[0].action
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is ws
        assert ws.current_key == first.question


async def test_enter_on_a_heading_or_an_action_without_question_opens_nothing(data_dir: Path) -> None:
    app, _ = prepared(data_dir, milestones=False)
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.pause()
        await pilot.press("R")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RoadmapScreen)
        table = screen.query_one(DataTable)
        table.move_cursor(row=0)  # the first month's heading
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        row = screen.targets.index("", 1)  # the next row without a question: the runbook (no due date, no question)
        table.move_cursor(row=row)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        # A finding row opens its question.
        finding_row = len(screen.targets) - 1
        target = screen.targets[finding_row]
        assert target
        table.move_cursor(row=finding_row)
        await pilot.press("enter")
        await pilot.pause()
        ws = app.screen
        assert isinstance(ws, WorkspaceScreen) and ws.current_key == target


async def test_the_findings_screen_opens_the_roadmap_with_a(data_dir: Path) -> None:
    app, _ = prepared(data_dir, milestones=False)
    async with app.run_test(size=SIZES[1]) as pilot:
        await pilot.pause()
        ws = app.screen
        await pilot.press("Z", "a")
        await pilot.pause()
        assert isinstance(app.screen, RoadmapScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, FindingsScreen)
        await pilot.press("a", "enter")  # a question opened from the roadmap opens in the workspace
        await pilot.pause()
        assert app.screen is ws


async def test_compare_says_when_there_is_no_milestone(data_dir: Path) -> None:
    app, _ = prepared(data_dir, milestones=False)
    async with app.run_test(size=SIZES[1]) as pilot:
        await pilot.pause()
        await pilot.press("R", "c")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        assert NO_MILESTONE[:40] in " ".join(shown(screen.query_one("#compare-body", Static)).split())
        await pilot.press("t", "left_square_bracket")  # nothing to choose: a bell, no error
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, RoadmapScreen)


async def test_compare_since_the_latest_milestone_and_between_two(data_dir: Path) -> None:
    app, sid = prepared(data_dir)
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.pause()
        ws = app.screen
        assert isinstance(ws, WorkspaceScreen)
        # An answer changes after the last milestone: the question's risk moves.
        state = ws.review.state(sid)
        lens = state.lenses[0]
        q = next(q for p in lens.pillars for q in p.questions
                 if state.risk(lens, q).value == "HIGH")
        ws.review.set_answer(sid, lens.alias, q.id, Answer(not_applicable=True, reason="OUT_OF_SCOPE"))
        await pilot.press("R", "c")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        span = shown(screen.query_one("#compare-span", Static))
        assert "December check-in" in span and "now" in span
        body = screen.query_one("#compare-body", Static)
        text = shown(body)
        assert "1 resolved" in text and "Resolved (1)" in text and q.label in text
        assert "Pillar" in text and "Open now" in text
        assert "Unchanged, still open" in text and ("▲ HIGH" in text or "● MED" in text)
        assert "No action closed in between." in text
        # [ : from the workshop's milestone, t: to the December check-in.
        await pilot.press("left_square_bracket", "t")
        await pilot.pause()
        span = shown(screen.query_one("#compare-span", Static))
        assert "End of workshop" in span and "December check-in" in span and "now" not in span.split("   ")[0]
        text = shown(body)
        assert "Actions closed (2)" in text and "Alarm at 80%" in text and "Tag every resource" in text
        assert "0 resolved" in text
        await pilot.press("t")  # back to now
        await pilot.pause()
        assert screen.target is None
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert app.screen is ws


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_roadmap_picture(snap_compare, data_dir: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    app, _ = prepared(data_dir)
    assert snap_compare(app, terminal_size=size, press=["R"])
