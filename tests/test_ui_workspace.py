"""The workspace driven as a facilitator drives it: keys in, then the stored session is checked."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from textual.widgets import Input, TextArea

from tests.ui_support import demo_app
from wat_tui.lens.risk import Risk
from wat_tui.review.service import Review
from wat_tui.ui.screens.workspace import WorkspaceScreen
from wat_tui.ui.widgets.nav import NavTree
from wat_tui.ui.widgets.question import QuestionPane

SIZE = (120, 36)


def stored(data_dir: Path, sid: str):  # type: ignore[no-untyped-def]
    review = Review.open(data_dir)
    try:
        return review.state(sid)
    finally:
        review.close()


async def test_opens_on_the_remembered_question(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = app.screen
        assert isinstance(ws, WorkspaceScreen)
        assert ws.current_key == "wellarchitected/data-classification"


async def test_number_key_ticks_a_practice_and_risk_follows(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = app.screen
        assert isinstance(ws, WorkspaceScreen)
        lens, q = ws.current
        assert ws.state.risk(lens, q) is Risk.HIGH
        practices = [c for c in q.choices if not c.is_none_choice]
        for i, c in enumerate(practices):
            if c.id not in ws.current_answer().selected:
                await pilot.press(str((i + 1) % 10))
        await pilot.pause()
        assert ws.state.risk(lens, q) is Risk.NONE
        assert "✓ NONE" in ws.query_one(QuestionPane).header_text()
    state = stored(data_dir, sid)
    answer = state.answer("wellarchitected", "data-classification")
    assert answer is not None and set(answer.selected) == {c.id for c in practices}


async def test_none_of_these_clears_practices(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("minus")
        await pilot.pause()
    answer = stored(data_dir, sid).answer("wellarchitected", "data-classification")
    assert answer is not None and answer.selected == ("sec_data_classification_no",)


async def test_question_not_applicable_with_a_reason(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        assert "Not applicable: Business priorities" in app.screen.query_one(QuestionPane).section_text("status")
    state = stored(data_dir, sid)
    answer = state.answer("wellarchitected", "data-classification")
    assert answer is not None and answer.not_applicable and answer.reason == "BUSINESS_PRIORITIES"
    lens = state.lens("wellarchitected")
    assert lens is not None
    q = lens.question("data-classification")
    assert q is not None and state.risk(lens, q) is Risk.NOT_APPLICABLE


async def test_one_practice_not_applicable(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        choices = app.screen.query_one(QuestionPane)
        choices.focus()
        choices.highlighted = 2
        await pilot.press("x", "enter")  # the highlighted practice (x then a number names another)
        await pilot.pause()
        await pilot.press("1")  # its reason: the first of the tool's five
        await pilot.pause()
        highlighted = choices.choice_ids[2]
    answer = stored(data_dir, sid).answer("wellarchitected", "data-classification")
    assert answer is not None
    assert answer.na_choices == {highlighted: "OUT_OF_SCOPE"}


async def test_write_a_note_saves_it_with_its_author(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        app.screen.query_one("#note-body", TextArea).insert("Payment data found in **debug logs**.")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    notes = stored(data_dir, sid).notes_for("wellarchitected/data-classification")
    assert [(n.author, n.body) for n in notes] == [("Ana Ruiz", "Payment data found in **debug logs**.")]


async def test_add_an_action_item_with_an_owner(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        app.screen.query_one("#action-title", Input).value = "Write a data classification policy"
        app.screen.query_one("#action-due", Input).value = "2027-01-15"
        app.screen.query_one("#action-owner").value = "Dana Levi"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
    actions = stored(data_dir, sid).actions_for("wellarchitected/data-classification")
    assert [(a.title, a.owner, a.due, a.status) for a in actions] == [
        ("Write a data classification policy", "Dana Levi", "2027-01-15", "open")]


async def test_bad_due_date_is_refused_and_nothing_saved(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        app.screen.query_one("#action-title", Input).value = "Something"
        app.screen.query_one("#action-due", Input).value = "next week"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.query_one("#action-title", Input).value == "Something"  # the form is back
    assert stored(data_dir, sid).actions_for("wellarchitected/data-classification") == []


async def test_navigation_next_previous_and_next_pillar(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = app.screen
        assert isinstance(ws, WorkspaceScreen)
        await pilot.press("n")
        assert ws.current_key == "wellarchitected/protect-data-rest"
        await pilot.press("p", "p")
        assert ws.current_key == "wellarchitected/protect-compute"
        await pilot.press("N")  # the next pillar in the agenda: performance follows security for critical e-commerce
        assert ws.current_key == "wellarchitected/architecture"
        await pilot.pause()
        assert ws.query_one(NavTree).cursor_ref is not None
        assert ws.query_one(NavTree).cursor_ref.question_id == "architecture"  # type: ignore[union-attr]
        await pilot.press("P")  # back to the start of security, then to reliability, the agenda's first
        assert ws.current_key == "wellarchitected/securely-operate"
        await pilot.press("P")
        assert ws.current_key == "wellarchitected/manage-service-limits"


async def test_undo_and_redo(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        ws = app.screen
        assert isinstance(ws, WorkspaceScreen)
        third = [c for c in ws.current[1].choices if not c.is_none_choice][2].id
        assert third in ws.current_answer().selected
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert third not in ws.current_answer().selected
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert third in ws.current_answer().selected
    answer = stored(data_dir, sid).answer("wellarchitected", "data-classification")
    assert answer is not None and third in answer.selected


async def test_reopen_restores_position_and_data(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n", "n", "1")
        await pilot.pause()
        key = app.screen.current_key  # type: ignore[attr-defined]
    app.review.close()
    app2, _ = demo_app(data_dir)
    async with app2.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = app2.screen
        assert isinstance(ws, WorkspaceScreen)
        assert ws.current_key == key
        first = [c for c in ws.current[1].choices if not c.is_none_choice][0].id
        assert first in ws.current_answer().selected


async def test_jump_with_the_command_palette(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause()
        await pilot.press(*"COST07")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.current_key == "wellarchitected/pricing-model"  # type: ignore[attr-defined]


async def test_markup_and_escapes_in_notes_show_literally(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    app.review.add_note(sid, "wellarchitected/data-classification", "[red]Mallory[/]",
                        "[bold]x[/] \x1b[31mred\x1b[0m")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        svg = app.export_screenshot()
        assert "[red]Mallory[/]" in svg.replace("&#160;", " ")
        assert "\x1b" not in svg


async def test_focus_mode_gives_the_question_the_screen(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        assert not app.screen.query_one("#nav").display or app.screen.query_one("#nav").region.width == 0
        assert app.screen.query_one("#question").region.width == SIZE[0]


async def test_help_lists_every_workspace_key(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        from wat_tui.ui.screens.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        console = Console(width=200, record=True, file=io.StringIO())
        console.print(app.screen.table)
        text = console.export_text()
        for binding in WorkspaceScreen.BINDINGS:
            if not binding.action.startswith("toggle_choice("):  # type: ignore[union-attr]
                assert binding.description in text  # type: ignore[union-attr]
        assert "Tick practice 1 to 10" in text


async def test_theme_cycles_to_projector(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+t", "ctrl+t")
        await pilot.pause()
        assert app.theme == "wat-projector"


async def test_narrow_screen_swaps_outline_for_notes(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        ws = app.screen
        assert ws.query_one("#nav").region.width > 0
        assert ws.query_one("#notes").region.width == 0
        await pilot.press("v")
        await pilot.pause()
        assert ws.query_one("#notes").region.width > 0
        assert ws.query_one("#nav").region.width == 0


async def test_export_screen_writes_the_report(data_dir: Path, tmp_path: Path) -> None:
    app, sid = demo_app(data_dir)
    target = tmp_path / "out" / "report.html"
    target.parent.mkdir()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("E")
        await pilot.pause()
        await pilot.click("#fmt-html")
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await pilot.pause()
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "ShopFast" in html
    assert oct(target.stat().st_mode & 0o777) == "0o600"


async def test_next_from_a_closed_pillar_moves_one_question_at_a_time(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = app.screen
        assert isinstance(ws, WorkspaceScreen)
        ws.go_to_key("wellarchitected/priorities")  # operational excellence: its pillar was closed in the outline
        await pilot.pause()
        seen = []
        for _ in range(4):
            await pilot.press("n")
            await pilot.pause()
            seen.append(ws.current_key.split("/")[1])
        assert seen == ["ops-model", "org-culture", "telemetry", "dev-integ"]


async def test_moving_through_the_outline_opens_questions(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = app.screen
        assert isinstance(ws, WorkspaceScreen)
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("down")
        await pilot.pause()
        assert ws.current_key == "wellarchitected/protect-data-rest"


async def test_enter_on_a_note_opens_it_and_edits_are_saved(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.go_to_key("wellarchitected/manage-service-limits")  # type: ignore[attr-defined]
        await pilot.pause()
        await pilot.press("f4")
        await pilot.press("enter")
        await pilot.pause()
        body = app.screen.query_one("#note-body", TextArea)
        assert body.text.startswith("Quotas are tracked")
        body.insert("Update: ")
        await pilot.press("escape")
        await pilot.pause()
    notes = stored(data_dir, sid).notes_for("wellarchitected/manage-service-limits")
    assert notes[0].body.startswith("Update: Quotas are tracked")


async def test_the_highlighted_practice_is_always_in_view_on_a_small_screen(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        ws = app.screen
        assert isinstance(ws, WorkspaceScreen)
        ws.go_to_key("wellarchitected/dev-integ")  # ten practices and "None of these": taller than the pane
        await pilot.pause()
        choices = ws.query_one(QuestionPane)
        for _ in range(len(ws.current[1].choices) - 1):
            await pilot.press("down")
        await pilot.pause()
        assert choices.highlighted == len(ws.current[1].choices) - 1
        line = choices.line_of(choices.highlighted)
        assert choices.head_height <= line < choices.size.height  # under the header and prompt, in view


async def test_the_place_is_remembered_a_moment_after_each_move(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for expected in ("protect-data-rest", "protect-data-transit"):
            await pilot.press("n")
            await pilot.pause(0.6)  # the room stopped here
            assert app.review.position(sid) == f"wellarchitected/{expected}"
