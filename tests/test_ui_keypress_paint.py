"""The outline and the practices list draw their own lines and keep them (issue 13's keypress budget): what a
person does with them still works, and a keypress repaints the lines it changed, not the whole widget.

The figures are bench_ui.py's; these tests check behaviour: which lines are drawn again, not how long it took."""

from __future__ import annotations

from pathlib import Path

from tests.ui_support import demo_app
from wat_tui.lens.risk import Risk
from wat_tui.review.service import Review
from wat_tui.ui.screens.workspace import WorkspaceScreen
from wat_tui.ui.widgets.nav import NavTree
from wat_tui.ui.widgets.question import QuestionPane

SIZE = (120, 36)
PROJECTOR = (100, 28)


def workspace(app: object) -> WorkspaceScreen:
    ws = app.screen  # type: ignore[attr-defined]
    assert isinstance(ws, WorkspaceScreen)
    return ws


def drawn_lines(choices: QuestionPane) -> dict[int, object]:
    """The strip kept for each line on screen, by practice index (the first line of each practice)."""
    return {i: choices.render_line(choices.line_of(i)) for i in range(len(choices.choice_ids))}


async def test_a_tick_redraws_only_the_ticked_practice(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = workspace(app)
        ws.go_to_key("wellarchitected/data-classification")
        await pilot.pause()
        choices = ws.query_one(QuestionPane)
        choices.highlighted = 3  # the highlight elsewhere: its line is not the ticked one
        await pilot.pause()
        before = drawn_lines(choices)
        third = choices.choice_ids[2]
        was = third in ws.current_answer().selected
        await pilot.press("3")
        await pilot.pause()
        after = drawn_lines(choices)
        assert after[2] is not before[2]
        assert "[✓]" in after[2].text if not was else "[ ]" in after[2].text  # type: ignore[attr-defined]
        assert all(after[i] is before[i] for i in before if i != 2), "untouched practices were drawn again"
        # What was painted at once is what was saved, and the session read after the frame agrees.
        with Review.open(data_dir) as review:
            saved = review.answer_of(sid, "wellarchitected", "data-classification")
        assert (third in saved.selected) is not was
        assert ws.state.answers["wellarchitected/data-classification"] == saved


async def test_moving_redraws_only_the_outline_lines_the_cursor_leaves_and_reaches(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = workspace(app)
        ws.go_to_key("wellarchitected/securely-operate")  # SEC01: the next question is in the same pillar
        await pilot.pause()
        nav = ws.query_one(NavTree)
        height = nav.scrollable_content_region.height
        before = [nav.render_line(y) for y in range(height)]
        await pilot.press("n")
        await pilot.pause()
        assert ws.current_key == "wellarchitected/identities"
        after = [nav.render_line(y) for y in range(height)]
        changed = [y for y in range(height) if after[y] is not before[y]]
        assert len(changed) == 2, changed
        left, reached = (before[changed[0]].text, after[changed[1]].text)  # type: ignore[attr-defined]
        assert "SEC01" in left and "SEC02" in reached


async def test_the_outline_is_worked_with_keys_and_the_mouse(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = workspace(app)
        nav = ws.query_one(NavTree)
        ws.go_to_key("wellarchitected/identities")
        await pilot.pause()
        await pilot.press("f2")
        await pilot.press("left")  # from a question to its pillar: nothing else opens
        await pilot.pause()
        assert nav.cursor_ref is not None and nav.cursor_ref.question_id is None
        assert nav.cursor_ref.pillar_id == "security"
        assert ws.current_key == "wellarchitected/identities"
        shown = len(nav.shown_lines())
        await pilot.press("space")  # the pillar closes: its questions leave the outline
        await pilot.pause()
        assert len(nav.shown_lines()) == shown - len(ws.state.lens("wellarchitected").pillar("security").questions)  # type: ignore[union-attr]
        assert any(line.startswith("  ▸ Security") for line in nav.shown_lines())
        await pilot.press("right")  # and opens again
        await pilot.pause()
        assert len(nav.shown_lines()) == shown
        await pilot.press("down", "down")  # SEC01, SEC02: each question reached opens
        await pilot.pause()
        assert ws.current_key == "wellarchitected/identities"
        await pilot.press("up")
        await pilot.pause()
        assert ws.current_key == "wellarchitected/securely-operate"
        # A click on a question's line opens it.
        line = next(i for i, text in enumerate(nav.shown_lines()) if "SEC05" in text)
        await pilot.click(NavTree, offset=(8, line - round(nav.scroll_offset.y)))
        await pilot.pause()
        assert ws.current_key == "wellarchitected/network-protection"


async def test_practices_are_worked_with_keys_and_the_mouse(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    async with app.run_test(size=PROJECTOR) as pilot:
        await pilot.pause()
        ws = workspace(app)
        ws.go_to_key("wellarchitected/data-classification")
        await pilot.pause()
        choices = ws.query_one(QuestionPane)
        assert choices.has_focus and choices.highlighted == 0
        await pilot.press("down", "down", "space")  # the third practice, ticked with space
        await pilot.pause()
        third = choices.choice_ids[2]
        assert third in ws.current_answer().selected
        await pilot.press("end")
        assert choices.highlighted == len(choices.choice_ids) - 1  # "None of these"
        await pilot.press("enter")  # ticks "None of these", which clears the others
        await pilot.pause()
        assert ws.current_answer().selected == (choices.choice_ids[-1],)
        assert ws.state.risk(*ws.current) is Risk.HIGH
        await pilot.press("home")
        assert choices.highlighted == 0
        await pilot.click(QuestionPane, offset=(12, choices.line_of(1)))  # a click ticks the practice
        await pilot.pause()
        assert ws.current_answer().selected == (choices.choice_ids[1],)


async def test_a_long_practice_wraps_under_its_title_at_the_projector_size(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        ws = workspace(app)
        ws.go_to_key("wellarchitected/cloud-financial-management")  # COST01: the longest practice titles
        await pilot.pause()
        choices = ws.query_one(QuestionPane)
        lines = [choices.render_line(y).text for y in range(choices.line_of(0), choices.size.height)]
        title_at = lines[0].index(choices.title_at(0).split()[0])  # after key, tick box and level
        continued = [line for line in lines if line.strip() and not line.lstrip()[:1].isdigit()
                     and not line.lstrip().startswith("-")]
        assert continued, lines
        assert all(len(line) - len(line.lstrip()) == title_at for line in continued), lines
        assert all(len(line.rstrip()) <= choices.size.width for line in lines)


async def test_the_outline_tells_the_notes_only_where_the_notes_pane_is_hidden(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = workspace(app)
        nav = ws.query_one(NavTree)
        ws.go_to_key("wellarchitected/identities")  # SEC02: a question with notes and an action in the demo
        await pilot.pause()
        # Beside the notes pane, nothing under the outline: a new caption there repainted every line of it.
        assert not ws.has_class("-narrow") and not nav.border_subtitle
        await pilot.resize_terminal(100, 28)
        await pilot.pause()
        notes, actions = len(ws.state.notes_for(ws.current_key)), len(ws.state.actions_for(ws.current_key))
        assert ws.has_class("-narrow") and notes and actions
        assert nav.border_subtitle.startswith(f"{notes} note")
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        assert not nav.border_subtitle
