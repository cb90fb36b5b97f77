"""Issue 14 in the app, finer grain: x in the findings table shows a question's missing practices beneath it, each
scored with J and K as a finding of its own (and reported)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Static

from tests.ui_support import demo_app, until
from wat_tui.exchange.report import render_markdown
from wat_tui.review import analysis as an
from wat_tui.review.analysis import Analysis
from wat_tui.review.service import Review
from wat_tui.ui.screens.analysis import FindingsScreen
from wat_tui.ui.screens.workspace import WorkspaceScreen

SIZE = (120, 36)


def stored(data_dir: Path, sid: str) -> dict[str, Analysis]:
    with Review.open(data_dir) as review:
        return review.analysis(sid)


async def test_x_shows_the_missing_practices_and_j_k_score_one(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = app.screen
        assert isinstance(ws, WorkspaceScreen)
        await pilot.press("Z")
        await until(pilot, lambda: isinstance(app.screen, FindingsScreen))
        screen = app.screen
        assert isinstance(screen, FindingsScreen)
        table = screen.query_one(DataTable)
        before = table.row_count
        question = screen.shown()[0]
        assert question.choice is None
        missing = an.missing_practices(ws.review.state(sid), {}, question.key)
        assert len(missing) >= 2
        # x on the question: its missing practices, indented, right beneath it; the cursor stays on the question
        await pilot.press("x")
        await pilot.pause()
        assert table.row_count == before + len(missing)
        assert [f.key for f in screen.shown()[1:1 + len(missing)]] == [f.key for f in missing]
        assert screen.highlighted_key() == question.key
        assert str(table.get_row_at(0)[0]).startswith("▾ ")
        assert str(table.get_row_at(1)[0]) == f"  {missing[0].label}"
        # down to the second practice; J J (medium) and K (low) score that practice alone
        await pilot.press("down", "down")
        await pilot.pause()
        practice = missing[1]
        assert screen.highlighted_key() == practice.key
        await pilot.press("J", "J", "K")
        await pilot.pause()
        assert stored(data_dir, sid)[practice.key] == Analysis("medium", "low")
        assert question.key not in stored(data_dir, sid)
        assert screen.highlighted_key() == practice.key  # scoring does not move the row
        assert str(table.get_row_at(2)[4]) == "medium" and str(table.get_row_at(2)[6]) == "quick win"
        assert practice.key.count("/") == 2 and practice.key.startswith(question.key + "/")
        # x on a practice hides its question's practices; the one scored is a finding now and stays
        await pilot.press("x")
        await pilot.pause()
        assert screen.highlighted_key() == question.key
        assert table.row_count == before + 1
        keys = [f.key for f in screen.shown()]
        assert practice.key in keys and missing[0].key not in keys
        assert keys.index(practice.key) == 0  # a scored quick win ranks first
        assert "1 scored" in str(screen.query_one("#findings-title", Static).render())
        # the report names it: in the matrix, and as what ranks its question in the improvement plan
        with Review.open(data_dir) as review:
            md = render_markdown(review, sid)
        assert f"quick win (1): {practice.label}" in md
        assert f"Analysis (practice {practice.label}): impact medium, effort low (quick win)." in md
        # Enter on the practice opens its question
        table.move_cursor(row=keys.index(practice.key))
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is ws and isinstance(ws, WorkspaceScreen)
        assert ws.current_key == question.key


async def test_a_practice_scored_back_to_not_set_stays_while_shown(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("Z")
        await until(pilot, lambda: isinstance(app.screen, FindingsScreen))
        screen = app.screen
        assert isinstance(screen, FindingsScreen)
        table = screen.query_one(DataTable)
        before = table.row_count
        await pilot.press("x", "down")
        await pilot.pause()
        practice = screen.highlighted()
        assert practice is not None and practice.choice is not None
        await pilot.press("K")
        await pilot.pause()
        assert stored(data_dir, sid)[practice.key] == Analysis(None, "low")
        await pilot.press("K", "K", "K")  # low, medium, high, not set: cleared
        await pilot.pause()
        assert practice.key not in stored(data_dir, sid)
        assert screen.highlighted_key() == practice.key
        await pilot.press("up", "x")  # hidden again: nothing scored, nothing left
        await pilot.pause()
        assert table.row_count == before
        # sorting keeps a question's practices beneath it
        await pilot.press("x", "r")
        await pilot.pause()
        rows = screen.shown()
        opened = next(i for i, f in enumerate(rows) if f.key in screen.expanded)
        assert all(f.choice is not None for f in rows[opened + 1: opened + 3])


async def test_w_writes_a_findings_analysis_note_that_reaches_the_report(data_dir: Path) -> None:
    """The issue's optional note, written where the finding is scored: w in the findings table."""
    from wat_tui.ui.screens.analysis import AnalysisNoteScreen

    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("Z")
        await until(pilot, lambda: isinstance(app.screen, FindingsScreen))
        screen = app.screen
        assert isinstance(screen, FindingsScreen)
        finding = screen.shown()[0]
        await pilot.press("J", "J", "J")  # impact high first: the note keeps it
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, AnalysisNoteScreen))
        await pilot.press(*"Blocks the [b]launch[/b]", "enter")
        await until(pilot, lambda: app.screen is screen)
        assert stored(data_dir, sid)[finding.key] == Analysis("high", None, "Blocks the [b]launch[/b]")
        table = screen.query_one(DataTable)
        assert str(table.get_row_at(0)[0]).endswith(" ✎")
        await pilot.press("w")  # again: the note is there to change; Esc leaves it as it was
        await until(pilot, lambda: isinstance(app.screen, AnalysisNoteScreen))
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)
        assert stored(data_dir, sid)[finding.key].note == "Blocks the [b]launch[/b]"
    with Review.open(data_dir) as review:
        md = render_markdown(review, sid)
    assert "Analysis: impact high, effort not scored. Blocks the \\[b\\]launch\\[/b\\]" in md  # escaped Markdown
