"""Starting without a session: the picker lists sessions, and the new-session form creates one."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList, Select, TextArea

from tests.ui_support import demo_app, frozen_clock
from wat_tui.review.service import Review
from wat_tui.ui.app import build_app
from wat_tui.ui.screens.new_session import NewSessionScreen, parse_participants
from wat_tui.ui.screens.picker import PickerScreen
from wat_tui.ui.screens.workspace import WorkspaceScreen

SIZE = (120, 36)


async def test_picker_lists_sessions_with_progress_and_opens_one(data_dir: Path) -> None:
    app, sid = demo_app(data_dir, session=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        options = app.screen.query_one(OptionList)
        prompt = str(options.get_option_at_index(1).prompt)
        assert "Demo: ShopFast checkout review" in prompt and "23/66 answered" in prompt and "7 high" in prompt
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen) and app.screen.session_id == sid
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)


async def test_new_session_form_creates_the_session(data_dir: Path) -> None:
    app = build_app(data_dir, None, clock=frozen_clock())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, NewSessionScreen)
        form.query_one("#ns-name", Input).value = "Payments review"
        form.query_one("#ns-workload", Input).value = "Card payments API"
        form.query_one("#ns-type", Select).value = "financial"
        form.query_one("#ns-duration", Input).value = "4h30m"
        form.query_one("#ns-people", TextArea).text = "Ana Ruiz: Facilitator\nBen: workload owner\nCarla"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        sid = app.screen.session_id
    review = Review.open(data_dir)
    st = review.state(sid)
    review.close()
    assert (st.name, st.workload, st.workload_type, st.planned_minutes) == (
        "Payments review", "Card payments API", "financial", 270)
    assert [lens.alias for lens in st.lenses] == ["wellarchitected"]
    assert sorted((p.name, p.role) for p in st.participants) == [
        ("Ana Ruiz", "Facilitator"), ("Ben", "Workload owner"), ("Carla", "Other")]


async def test_new_session_form_refuses_a_bad_duration(data_dir: Path) -> None:
    app = build_app(data_dir, None, clock=frozen_clock())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        app.screen.query_one("#ns-name", Input).value = "X"
        app.screen.query_one("#ns-duration", Input).value = "5x"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NewSessionScreen)
        assert "5x" in str(app.screen.query_one("#ns-error").render())
    review = Review.open(data_dir)
    assert review.list_sessions() == []
    review.close()


def test_participants_parse_name_and_role() -> None:
    assert parse_participants("Ana: facilitator\n\n  Bo  \nCy: Chief of stuff") == [
        ("Ana", "Facilitator"), ("Bo", "Other"), ("Cy", "Chief of stuff")]
