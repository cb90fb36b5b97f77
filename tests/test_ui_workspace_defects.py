"""Issue 13: defects in the workspace, each driven as the facilitator meets it (keys in, screen and store out)."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

from textual.widgets import Input, OptionList

from tests.ui_support import FROZEN, demo_app, frozen_clock, make_demo, running_clock_app, said_by
from wat_tui.review import timekeeping as tk
from wat_tui.review.search import search_questions
from wat_tui.review.service import Review
from wat_tui.ui.app import build_app
from wat_tui.ui.screens.reason import ReasonScreen
from wat_tui.ui.screens.workspace import WorkspaceScreen
from wat_tui.ui.widgets.question import QuestionPane

SIZE = (120, 36)
KEY = "wellarchitected/data-classification"


def stored(data_dir: Path, sid: str):  # type: ignore[no-untyped-def]
    review = Review.open(data_dir)
    try:
        return review.state(sid)
    finally:
        review.close()


def workspace(app: object) -> WorkspaceScreen:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, WorkspaceScreen)
    return screen


# -- 1. the improvement plan ---------------------------------------------------------------------------------------


async def test_the_improvement_plan_scrolls_into_view_on_a_small_screen(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        ws = workspace(app)
        ws.go_to_key("wellarchitected/dev-integ")  # ten practices: the plan starts below the pane's edge
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        pane = ws.query_one(QuestionPane)
        plan = pane.plan_line()
        assert plan is not None  # open, and its first line in view under the question's header and prompt
        assert pane.head_height <= plan < pane.size.height


async def test_the_plan_of_a_question_not_applicable_lists_no_missing_practice(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = workspace(app)
        await pilot.press("a", "1")  # the question does not apply: out of scope
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        text = ws.query_one(QuestionPane).section_text("plan")
        missing = [c.title for c in ws.current[1].choices
                   if not c.is_none_choice and c.id not in ws.current_answer().selected]
        assert missing
        assert not any(title in text for title in missing)
        assert "not applicable" in text


# -- 2. parking ----------------------------------------------------------------------------------------------------


async def test_parking_then_l_again_types_the_reason_and_the_header_shows_it(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=(100, 28)) as pilot:
        await pilot.pause()
        ws = workspace(app)
        await pilot.press("L")  # parked at once, for follow-up
        await pilot.pause()
        assert app.screen is ws
        assert "parked for follow-up" in ws.query_one(QuestionPane).header_text()
        await pilot.press("L")  # why: typed, digits too, over the reason parking wrote
        await pilot.pause()
        assert isinstance(app.focused, Input)
        await pilot.press(*"needs the DBA 2", "enter")
        await pilot.pause()
        assert app.screen is ws
        pane = ws.query_one(QuestionPane)
        assert "parked: needs the DBA 2" in pane.header_text()
        # On the header's one line, not cut off past its edge.
        assert "parked: needs the DBA 2" in pane.header_shown()
        assert len(pane.header_shown()) <= pane.scrollable_content_region.width
    review = Review.open(data_dir)
    try:
        [parked] = tk.parking_lot(review, sid)
    finally:
        review.close()
    assert parked.key == KEY and parked.reason == "needs the DBA 2"


async def test_a_parked_question_comes_back_with_ctrl_b_and_escape_changes_nothing(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = workspace(app)
        await pilot.press("L", "L", "escape")
        await pilot.pause()
        assert app.screen is ws and KEY in ws.clock.timeline.parked
        await pilot.press("L", "ctrl+b")
        await pilot.pause()
        assert app.screen is ws and "parked" not in ws.query_one(QuestionPane).header_text()
    review = Review.open(data_dir)
    try:
        assert tk.parking_lot(review, sid) == []
    finally:
        review.close()


def hint_shown(ws: WorkspaceScreen) -> bool:
    """Whether the question pane has the facilitation hint (its title, open or closed), in view or not."""
    return any("Facilitation hint" in line for line in ws.query_one(QuestionPane).all_lines())


# -- 3. focus mode -------------------------------------------------------------------------------------------------


async def test_focus_mode_hides_the_facilitation_hint(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = workspace(app)
        assert hint_shown(ws)
        await pilot.press("f")
        await pilot.pause()
        assert not hint_shown(ws)
        await pilot.press("n")  # the next question's hint stays hidden too
        await pilot.pause()
        assert not hint_shown(ws)
        await pilot.press("f")
        await pilot.pause()
        assert hint_shown(ws)
# -- 4. a practice not applicable in two keys ----------------------------------------------------------------------


async def test_x_then_a_number_marks_that_practice_not_applicable(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = workspace(app)
        third = [c for c in ws.current[1].choices if not c.is_none_choice][2]
        await pilot.press("x", "3")
        await pilot.pause()
        assert isinstance(app.screen, ReasonScreen)  # the reason is asked, prefilled
        assert third.id in ws.current_answer().na_choices
        await pilot.press("3")  # architecture constraints
        await pilot.pause()
        assert app.screen is ws
    answer = stored(data_dir, sid).answer("wellarchitected", "data-classification")
    assert answer is not None and answer.na_choices == {third.id: "ARCHITECTURE_CONSTRAINTS"}


async def test_x_then_a_number_typed_at_once_marks_the_practice_not_applicable(data_dir: Path) -> None:
    """Seen in the rehearsal: typed quickly (both keys waiting before the app read either), the number ticked
    the practice, because the practices list said "x" to the workspace by a message read after the number."""
    from textual import events

    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = workspace(app)
        third = [c for c in ws.current[1].choices if not c.is_none_choice][2]
        was = third.id in ws.current_answer().selected
        for key in ("x", "3"):
            app.post_message(events.Key(key, key))
        await pilot.pause()
        assert isinstance(app.screen, ReasonScreen)
        assert third.id in ws.current_answer().na_choices
        assert (third.id in ws.current_answer().selected) is was


async def test_x_then_a_number_keeps_the_prefilled_reason_on_escape(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        fourth = [c for c in workspace(app).current[1].choices if not c.is_none_choice][3]
        await pilot.press("x", "4", "escape")
        await pilot.pause()
    answer = stored(data_dir, sid).answer("wellarchitected", "data-classification")
    assert answer is not None and answer.na_choices == {fourth.id: "OUT_OF_SCOPE"}


async def test_x_then_enter_is_the_highlighted_practice(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = workspace(app)
        choices = ws.query_one(QuestionPane)
        await pilot.press("down")
        await pilot.pause()
        second = choices.choice_ids[choices.highlighted or 0]
        await pilot.press("x", "enter")
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
    answer = stored(data_dir, sid).answer("wellarchitected", "data-classification")
    assert answer is not None and answer.na_choices == {second: "BUSINESS_PRIORITIES"}


async def test_x_then_another_key_does_nothing_and_the_key_still_works(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("x", "n")
        await pilot.pause()
        assert workspace(app).current_key == "wellarchitected/protect-data-rest"
    answer = stored(data_dir, sid).answer("wellarchitected", "data-classification")
    assert answer is not None and answer.na_choices == {}


# -- 5. the theme is remembered ------------------------------------------------------------------------------------


async def test_the_last_theme_chosen_is_the_next_start_s(data_dir: Path) -> None:
    sid = make_demo(data_dir)
    app = build_app(data_dir, sid, clock=frozen_clock())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "wat-dark"
        await pilot.press("ctrl+t", "ctrl+t")
        await pilot.pause()
    app.review.close()
    again = build_app(data_dir, sid, clock=frozen_clock())
    try:
        assert again.theme == "wat-projector"
    finally:
        again.review.close()


def test_an_unreadable_theme_file_starts_the_default_theme(data_dir: Path) -> None:
    sid = make_demo(data_dir)
    from wat_tui.ui.themes import SETTINGS_FILE

    for content in ("not json", json.dumps({"version": 99, "theme": "wat-light"}),
                    json.dumps({"version": 1, "theme": "no-such-theme"})):
        (data_dir / SETTINGS_FILE).write_text(content)
        app = build_app(data_dir, sid, clock=frozen_clock())
        try:
            assert app.theme == "wat-dark"
        finally:
            app.review.close()


# -- 6. quitting pauses the clock, and says so ---------------------------------------------------------------------


async def test_quitting_with_the_clock_running_says_it_was_paused(data_dir: Path) -> None:
    app = running_clock_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert workspace(app).clock.status == "running"
        await pilot.press("q")
        await pilot.pause()
    assert app.farewell is not None and "paused" in app.farewell
    sid = app.session_id
    review = Review.open(data_dir)
    try:
        assert tk.load_timeline(review, sid or "").status(FROZEN + timedelta(minutes=1)) == "paused"
    finally:
        review.close()


async def test_quitting_with_the_clock_stopped_says_nothing(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
    assert app.farewell is None


# -- 7. go to a question by what it is about ---------------------------------------------------------------------


async def test_go_to_finds_questions_by_their_practices_best_first(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = workspace(app)
        await pilot.press("g")
        await pilot.pause()
        search = app.screen.query_one(Input)
        assert "practices" in search.placeholder and "description" in search.placeholder
        await pilot.press(*"encrypt")
        await pilot.pause(0.6)
        found = app.screen.query_one(OptionList)
        labels = [str(found.get_option_at_index(i).prompt).split()[0] for i in range(found.option_count)]
        # Neither title says "encrypt": their practices do. In the search core's order, best first.
        assert labels == [f.question.label for f in search_questions(ws.state.lenses, "encrypt")]
        assert {"SEC08", "SEC09"} <= set(labels)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert ws.current_key == "wellarchitected/protect-data-rest"
# -- 8. long practice titles wrap under their text -----------------------------------------------------------------


async def test_a_long_practice_title_wraps_under_its_text(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        choices = workspace(app).query_one(QuestionPane)
        # The practices' lines: from the first practice's to the last one's.
        lines = [choices.render_line(y).text for y in range(choices.line_of(0), choices.size.height)]
        lines = lines[:max(i for i, line in enumerate(lines) if re.match(r"[0-9-] \[", line)) + 1]
        first = next(i for i, line in enumerate(lines) if "Apply data" in line)
        indent = lines[first].index("Apply data")
        follow = lines[first + 1]
        assert follow.strip() and not follow.lstrip().startswith(("[", "3 "))
        assert len(follow) - len(follow.lstrip()) == indent
        # Every line that does not start a practice goes on under the titles, whatever its style.
        for line in lines:
            if line.strip() and not re.match(r"[0-9-] \[", line):
                assert line[:indent].strip() == "" and line[indent] != " ", line


async def test_x_forgotten_when_another_question_opens_before_a_number(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = workspace(app)
        await pilot.press("x")
        ws.go_to_key("wellarchitected/protect-data-rest")  # chosen with the mouse in the outline
        await pilot.pause()
        await pilot.press("3")  # ticks practice 3, as 3 always does
        await pilot.pause()
        assert app.screen is ws
    answer = stored(data_dir, sid).answer("wellarchitected", "protect-data-rest")
    assert answer is not None and not answer.na_choices


async def test_h_in_focus_mode_says_the_hint_stays_off_the_room_s_screen(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    said = said_by(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = workspace(app)
        await pilot.press("f", "h")
        await pilot.pause()
        assert not hint_shown(ws)
        assert any("focus mode" in message for message in said)


async def test_a_long_parking_reason_ends_in_an_ellipsis_on_a_small_screen(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        ws = workspace(app)
        await pilot.press("L", "L", *"needs the DBA and the security team to confirm the keys", "enter")
        await pilot.pause()
        shown = ws.query_one(QuestionPane).header_shown().rstrip()
        assert "parked: needs the DBA" in shown and shown.endswith("…")


async def test_a_parking_reason_with_markup_shows_as_typed(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = workspace(app)
        await pilot.press("L", "L", *"[red]DBA[/]", "enter")
        await pilot.pause()
        assert "parked: [red]DBA[/]" in ws.query_one(QuestionPane).header_shown()
    review = Review.open(data_dir)
    try:
        assert [p.reason for p in tk.parking_lot(review, sid)] == ["[red]DBA[/]"]
    finally:
        review.close()


async def test_a_parked_question_is_marked_in_the_outline_and_unmarked_when_it_comes_back(data_dir: Path) -> None:
    """The outline's line of a parked question says so in words (readable without colour), from L on."""
    from wat_tui.ui.widgets.nav import NavTree

    app, _ = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = workspace(app)
        nav = ws.query_one(NavTree)

        def outline_line() -> str:
            return nav.label_of(ws.current_key)

        assert "parked" not in outline_line()
        await pilot.press("L")
        await pilot.pause()
        assert "⇢ parked" in outline_line()
        await pilot.press("L")  # the follow-up dialog: Ctrl+B brings the question back
        await pilot.pause()
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert "parked" not in outline_line()
