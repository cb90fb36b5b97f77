"""Issue 13, the room's defects on the break, help, new-session and conflicts screens, driven as a user would."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.widget import Widget
from textual.widgets import Markdown, SelectionList, Static, TabbedContent

from tests.clocks import FakeClock
from tests.ui_support import demo_app, frozen_clock, make_demo
from wat_tui.exchange.bundle import write_bundle
from wat_tui.exchange.conflicts import open_conflicts
from wat_tui.exchange.merge import merge_files
from wat_tui.lens.risk import Risk
from wat_tui.review import timekeeping as tk
from wat_tui.review.service import Review
from wat_tui.review.state import Answer
from wat_tui.ui.app import WatApp, build_app
from wat_tui.ui.screens.workspace import WorkspaceScreen
from wat_tui.ui.widgets.badges import BADGES
from wat_tui.ui.widgets.clock import ClockBar

START = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
SIZES = [(80, 24), (100, 28), (120, 36)]


def shown(widget: Widget) -> str:
    return str(widget.render())


def bar(app: WatApp) -> str:
    ws = app.screen
    assert isinstance(ws, WorkspaceScreen)
    ws.query_one(ClockBar).tick()
    return shown(ws.query_one(ClockBar))


def break_blocks(data_dir: Path, sid: str) -> list[int]:
    review = Review.open(data_dir)
    try:
        return [b.minutes for b in tk.stored_agenda(review, sid) or [] if b.kind == "break"]
    finally:
        review.close()


# -- the break screen --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_break_digits_fill_the_screen(data_dir: Path, size: tuple[int, int]) -> None:
    from wat_tui.ui.widgets.bigdigits import BigDigits

    sid = make_demo(data_dir)
    clock = FakeClock(START)
    app = build_app(data_dir, sid, clock=clock)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("c", "B")
        await pilot.pause()
        digits = app.screen.query_one(BigDigits)
        lines = [line for line in digits.big_lines() if line.strip()]
        width, height = size
        # As big as fits: at least half the terminal's height and most of its width, and all of it on screen.
        assert len(lines) >= height // 2
        assert max(len(line.rstrip()) - (len(line) - len(line.lstrip())) for line in lines) >= width * 0.6
        assert digits.region.bottom <= height and digits.region.right <= width
        assert all(set(line) <= set(" █▀▄") for line in lines)
        # Blank columns at both edges: a projector may crop the picture's edges.
        assert max(len(line.rstrip()) for line in lines) <= digits.content_size.width - 2
        assert min(len(line) - len(line.lstrip()) for line in lines) >= 2


async def test_break_digits_too_big_for_a_tiny_terminal_are_plain(data_dir: Path) -> None:
    from wat_tui.ui.widgets.bigdigits import BigDigits

    sid = make_demo(data_dir)
    app = build_app(data_dir, sid, clock=FakeClock(START))
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        await pilot.press("c", "B")
        await pilot.pause()
        digits = app.screen.query_one(BigDigits)
        drawn = "".join("".join(seg.text for seg in digits.render_line(y)) for y in range(digits.size.height))
        assert "10:00" in drawn


async def test_the_facilitator_sets_the_break_length(data_dir: Path) -> None:
    sid = make_demo(data_dir)
    clock = FakeClock(START)
    app = build_app(data_dir, sid, clock=clock)
    async with app.run_test(size=(100, 28)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        clock.advance(minutes=20)
        before = break_blocks(data_dir, sid)
        await pilot.press("B")
        await pilot.pause()
        screen = app.screen
        await pilot.press("plus", "plus")
        await pilot.pause()
        assert screen.query_one("#break-clock").value == "12:00"  # type: ignore[attr-defined]
        await pilot.press("1", "5", "enter")  # typed: a fifteen-minute break
        await pilot.pause()
        assert screen.query_one("#break-clock").value == "15:00"  # type: ignore[attr-defined]
        clock.advance(minutes=1)
        await pilot.press("minus")
        await pilot.pause()
        assert screen.query_one("#break-clock").value == "13:00"  # type: ignore[attr-defined]
        await pilot.click("#break-5")  # a preset
        await pilot.pause()
        assert screen.query_one("#break-clock").value == "04:00"  # type: ignore[attr-defined]
    after = break_blocks(data_dir, sid)
    assert sorted(after) == sorted([*before, 5])  # stored as the agenda's break block, as before


async def test_a_spent_break_is_not_taken_again(data_dir: Path) -> None:
    sid = make_demo(data_dir)
    clock = FakeClock(START)
    app = build_app(data_dir, sid, clock=clock)
    async with app.run_test(size=(100, 28)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        clock.advance(minutes=20)
        await pilot.press("B")
        clock.advance(minutes=10)
        await pilot.press("escape")
        clock.advance(minutes=30)
        await pilot.press("B")
        await pilot.pause()
        assert app.screen.query_one("#break-clock").value == "10:00"  # type: ignore[attr-defined]


async def test_the_bar_leaves_the_break_when_the_question_has_no_block(data_dir: Path) -> None:
    """The question on screen is in no agenda block (its pillar's block was taken out of the agenda)."""
    sid = make_demo(data_dir)
    review = Review.open(data_dir)
    blocks = tk.load_agenda(review, sid)
    tk.save_agenda(review, sid, [b for b in blocks if b.pillar != "security"])
    review.close()
    clock = FakeClock(START)
    app = build_app(data_dir, sid, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        clock.advance(minutes=20)
        await pilot.press("B")
        await pilot.pause()
        clock.advance(minutes=12)  # the break ran two minutes over
        await pilot.press("escape")
        await pilot.pause()
        assert "Break" not in bar(app)
        assert "move on" not in bar(app)


async def test_a_break_started_from_the_agenda_ends_on_the_break_screen(data_dir: Path) -> None:
    """Entered from the agenda, a break runs on after its time while the room works on the same question (the
    workspace moves the clock only when the question changes); B then Esc ends it."""
    sid = make_demo(data_dir)
    clock = FakeClock(START)
    app = build_app(data_dir, sid, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        clock.advance(minutes=20)
        await pilot.press("A")
        await pilot.pause()
        await pilot.press("down", "down", "enter", "escape")  # the agenda's planned break, third row
        await pilot.pause()
        assert "Break" in bar(app)
        clock.advance(minutes=12)
        await pilot.press("B")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert "Break" not in bar(app)


# -- help ---------------------------------------------------------------------------------------------------------


async def test_help_builds_the_keys_only_and_a_guide_when_it_is_opened(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        help_screen = app.screen
        assert type(help_screen).__name__ == "HelpScreen"
        # Opening help lays out a handful of widgets, not every guide's hundreds of Markdown blocks.
        assert not help_screen.query(Markdown)
        assert len(list(help_screen.query("*"))) < 60
        tabs = help_screen.query_one(TabbedContent)
        first_guide = [p.id for p in tabs.query("TabPane")][1]
        await pilot.click(f"#--content-tab-{first_guide}")
        await pilot.pause()
        assert tabs.active == first_guide
        guides = list(help_screen.query(Markdown))
        assert len(guides) == 1 and guides[0].source.strip()
        second_guide = [p.id for p in tabs.query("TabPane")][2]
        await pilot.click(f"#--content-tab-{second_guide}")
        await pilot.pause()
        assert [m.parent.id for m in help_screen.query(Markdown)] == [second_guide]  # one guide built at a time
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)


# -- the new-session form -------------------------------------------------------------------------------------------


async def test_new_session_form_labels_fields_marks_ticks_and_names_pillars(data_dir: Path) -> None:
    app, _ = demo_app(data_dir, session=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        texts = " | ".join(shown(s) for s in form.query(Static))
        for label in ("Name", "Workload", "Workload type", "Planned duration", "Lenses", "Participants"):
            assert f"{label}" in texts
        # Every field has its label just above it.
        for field in ("#ns-name", "#ns-workload", "#ns-type", "#ns-duration", "#ns-lenses", "#ns-people"):
            widget = form.query_one(field)
            siblings = list(widget.parent.children)  # type: ignore[union-attr]
            before = siblings[siblings.index(widget) - 1]
            assert isinstance(before, Static) and shown(before).strip(), field
        rationale = shown(form.query_one("#ns-rationale"))
        assert "operationalExcellence" not in rationale and "Operational Excellence" in rationale

        lenses = form.query_one("#ns-lenses", SelectionList)

        def row(i: int) -> str:
            return "".join(seg.text for seg in lenses.render_line(i))

        assert "✓" in row(0) and "✓" not in row(1)  # ticked or not, told by a mark as well as colour
        lenses.focus()
        await pilot.press("down", "space")
        await pilot.pause()
        assert "✓" in row(1)


# -- conflicts -------------------------------------------------------------------------------------------------------

KEY = ("wellarchitected", "data-classification")


def conflicting_laptops(tmp_path: Path, data_dir: Path) -> str:
    """Laptop A marks the question not applicable (out of scope); Bo's laptop B ticks a practice."""
    sid = make_demo(data_dir)
    a = Review.open(data_dir)
    handout = tmp_path / "handout.json"
    write_bundle(a, sid, handout)
    b = Review.open(tmp_path / "laptop-b")
    merge_files(b, [handout])
    a.set_not_applicable(sid, *KEY, "OUT_OF_SCOPE")
    question = b.state(sid).lens(KEY[0]).question(KEY[1])  # type: ignore[union-attr]
    assert question is not None
    b.set_answer(sid, *KEY, Answer((question.choices[0].id,)))
    from_b = tmp_path / "from-b.json"
    write_bundle(b, sid, from_b)
    # Both laptops' accounts are "root"; A knows B's facilitator by name (the name prompt's business).
    a.add_writers({b.writer_id: ("Bo Lind", "laptop-b")})
    merge_files(a, [from_b])
    a.close()
    b.close()
    return sid


async def test_conflicts_speak_words_names_and_each_values_risk(data_dir: Path, tmp_path: Path) -> None:
    sid = conflicting_laptops(tmp_path, data_dir)
    review = Review.open(data_dir)
    (conflict,) = open_conflicts(review, sid)
    question = review.state(sid).lens(KEY[0]).question(KEY[1])  # type: ignore[union-attr]
    assert question is not None
    risks = [Answer.from_value(v.value).risk(question) for v in conflict.values]  # type: ignore[union-attr]
    review.close()
    assert Risk.NOT_APPLICABLE in risks and len(set(risks)) == 2
    app = build_app(data_dir, sid, clock=frozen_clock())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("C")
        await pilot.pause()
        detail = shown(app.screen.query_one("#conflict-detail"))
        assert "OUT_OF_SCOPE" not in detail and "out of scope" in detail
        assert "Bo Lind" in detail and "this laptop" in detail
        words = {Risk.HIGH: "high risk", Risk.MEDIUM: "medium risk", Risk.NONE: "no risk",
                 Risk.NOT_APPLICABLE: "not applicable", Risk.UNANSWERED: "unanswered"}
        for risk in risks:  # a symbol and words, as everywhere risk is shown
            assert f"if kept: {BADGES[risk][0]} {words[risk]}" in detail.lower()


def test_conflict_values_carry_risk_and_reason_words(data_dir: Path, tmp_path: Path) -> None:
    sid = conflicting_laptops(tmp_path, data_dir)
    review = Review.open(data_dir)
    (conflict,) = open_conflicts(review, sid)
    review.close()
    assert all(v.risk is not None for v in conflict.values)
    assert any("out of scope" in v.summary for v in conflict.values)
    assert not any("OUT_OF_SCOPE" in v.summary for v in conflict.values)

