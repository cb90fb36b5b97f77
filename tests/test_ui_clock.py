"""Clocks in the workspace with an injected clock: never a sleep, time moves when the test says so."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.widgets import Digits

from tests.clocks import FakeClock
from tests.ui_support import make_demo, said_by
from wat_tui.review import timekeeping as tk
from wat_tui.review.service import Review
from wat_tui.ui.app import WatApp, build_app
from wat_tui.ui.screens.workspace import WorkspaceScreen
from wat_tui.ui.widgets.clock import ClockBar
from wat_tui.ui.widgets.question import QuestionPane

SIZE = (120, 36)
START = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def app_with(data_dir: Path, clock: FakeClock) -> tuple[WatApp, str, list[str]]:
    sid = make_demo(data_dir)
    app = build_app(data_dir, sid, clock=clock)
    said = said_by(app)
    return app, sid, said


def to_two_minutes_left(app: WatApp, clock: FakeClock) -> None:
    """Move the clock to just inside the last two minutes of the block the session clock started in."""
    ws = app.screen
    assert isinstance(ws, WorkspaceScreen)
    block = ws.clock.strip().block
    assert block is not None
    clock.set(START + timedelta(seconds=block.minutes * 60 - 119))


def bar(app: WatApp) -> str:
    ws = app.screen
    assert isinstance(ws, WorkspaceScreen)
    ws.query_one(ClockBar).tick()
    return str(ws.query_one(ClockBar).render())


async def test_offer_then_start_pause_resume(data_dir: Path) -> None:
    clock = FakeClock(START)
    app, sid, said = app_with(data_dir, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "clock not started · c to start" in bar(app)  # the offer stays in view until taken
        await pilot.press("c")
        clock.advance(minutes=30)
        assert "▶ 30:00" in bar(app)
        await pilot.press("c")  # pause
        clock.advance(minutes=10)
        text = bar(app)
        assert "⏸ PAUSED" in text and "30:00" in text
        await pilot.press("c")  # resume
        clock.advance(minutes=5)
        assert "35:00" in bar(app)


async def test_countdown_alerts_fire_once_and_overrun_shows(data_dir: Path) -> None:
    clock = FakeClock(START)
    app, sid, said = app_with(data_dir, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("c")
        to_two_minutes_left(app, clock)
        bar(app)
        bar(app)
        assert sum("2 minutes left" in s for s in said) == 1
        clock.advance(seconds=150)
        text = bar(app)
        bar(app)
        assert sum("time is up" in s for s in said) == 1
        assert "⚠ Security +00:31 · move on?" in text and "ahead" not in text


async def test_reopening_keeps_elapsed_time_and_does_not_count_the_time_closed(data_dir: Path) -> None:
    clock = FakeClock(START)
    app, sid, _ = app_with(data_dir, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("c")
        clock.advance(minutes=42)
    app.review.close()
    clock.advance(minutes=3)  # the app ended normally; the laptop was restarted
    app2, _, _ = app_with(data_dir, clock)
    async with app2.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = bar(app2)
        assert "⏸ PAUSED" in text and "42:00" in text


async def test_moving_to_a_question_enters_its_block_and_times_it(data_dir: Path) -> None:
    clock = FakeClock(START)
    app, sid, _ = app_with(data_dir, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("c")
        clock.advance(minutes=1)
        await pilot.press("n")
        ws = app.screen
        assert isinstance(ws, WorkspaceScreen)
        clock.advance(minutes=2)
        cs = ws.clock.strip()
        assert cs.block is not None and cs.block.kind == "pillar" and cs.block.pillar == "security"
        assert cs.question == "wellarchitected/protect-data-rest"
        assert cs.question_elapsed == 120


async def test_park_a_question(data_dir: Path) -> None:
    clock = FakeClock(START)
    app, sid, _ = app_with(data_dir, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("L")
        await pilot.pause()
        assert "parked" in app.screen.query_one(QuestionPane).header_text()
    review = Review.open(data_dir)
    assert [p.key for p in tk.parking_lot(review, sid)] == ["wellarchitected/data-classification"]
    review.close()


async def test_agenda_screen_changes_are_saved(data_dir: Path) -> None:
    clock = FakeClock(START)
    app, sid, _ = app_with(data_dir, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("A")
        await pilot.pause()
        before = tk.load_agenda(app.review, sid)
        await pilot.press("down", "plus")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    review = Review.open(data_dir)
    after = tk.stored_agenda(review, sid)
    review.close()
    assert after is not None
    assert after[1].minutes == before[1].minutes + 5
    assert sum(b.minutes for b in after) == sum(b.minutes for b in before)


async def test_break_screen_counts_down_a_stored_break(data_dir: Path) -> None:
    clock = FakeClock(START)
    app, sid, _ = app_with(data_dir, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("c")
        clock.advance(minutes=20)
        await pilot.press("B")
        await pilot.pause()
        clock.advance(minutes=3)
        app.screen.refresh_countdown()  # type: ignore[attr-defined]
        assert app.screen.query_one(Digits).value in ("07:00", "7:00")
        clock.advance(minutes=7)
        await pilot.press("escape")  # the break is over: the clock goes back to the question on screen
        await pilot.pause()
    review = Review.open(data_dir)
    tl = tk.load_timeline(review, sid)
    assert sum(tl.block_elapsed(b.id, clock.now()) for b in tl.blocks if b.kind == "break") == 10 * 60
    assert tk.current_block(review, sid, clock.now()).kind == "pillar"  # type: ignore[union-attr]
    review.close()


async def test_the_bell_rings_with_alerts_and_can_be_switched_off(data_dir: Path) -> None:
    clock = FakeClock(START)
    app, sid, said = app_with(data_dir, clock)
    rings: list[int] = []
    app.bell = lambda: rings.append(1)  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("c")
        to_two_minutes_left(app, clock)
        bar(app)
        assert rings == [1]
        await pilot.press("M")  # bell off, remembered for this session on this laptop
        clock.advance(seconds=150)
        bar(app)
        assert rings == [1] and any("time is up" in s for s in said)
    assert Review.open(data_dir).local_setting(sid, "bell") == "off"


async def test_an_edit_between_ticks_does_not_swallow_an_alert(data_dir: Path) -> None:
    clock = FakeClock(START)
    app, sid, said = app_with(data_dir, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("c")
        to_two_minutes_left(app, clock)
        await pilot.press("3")  # the room ticks a practice just as the two-minute mark passes
        await pilot.press("n")  # and moves on
        bar(app)  # the next second's tick
        assert sum("2 minutes left" in s for s in said) == 1
