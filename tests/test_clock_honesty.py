"""Clocks a room can trust: quitting stops the clock, a crash's lost time is counted only when the facilitator
says so, and another laptop's open interval never runs on behind anyone's back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.clocks import FakeClock
from tests.ui_support import make_demo
from wat_tui.exchange.bundle import write_bundle
from wat_tui.exchange.merge import merge_files
from wat_tui.exchange.report import render_markdown
from wat_tui.review import timekeeping as tk
from wat_tui.review.service import Review
from wat_tui.ui.app import build_app
from wat_tui.ui.screens.left_running import LeftRunningScreen
from wat_tui.ui.screens.workspace import WorkspaceScreen

START = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
SIZE = (100, 28)


def elapsed(data_dir: Path, sid: str, now: datetime) -> float:
    review = Review.open(data_dir)
    try:
        return tk.load_timeline(review, sid).elapsed(now)
    finally:
        review.close()


async def test_quitting_stops_the_clock_and_closed_time_does_not_count(data_dir: Path) -> None:
    """Reported: start the clock, Ctrl+Q, come back four minutes later: the clocks had counted the four."""
    sid = make_demo(data_dir)
    clock = FakeClock(START)
    app = build_app(data_dir, sid, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        clock.advance(minutes=20)
        await pilot.press("ctrl+q")
    assert elapsed(data_dir, sid, START + timedelta(minutes=24)) == 20 * 60
    clock.advance(minutes=4)
    app = build_app(data_dir, sid, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, LeftRunningScreen)  # a normal quit: nothing to ask
        ws = app.screen
        assert isinstance(ws, WorkspaceScreen)
        strip = ws.clock.strip()
        assert strip.status == "paused" and strip.elapsed == 20 * 60


def crashed_session(data_dir: Path, clock: FakeClock) -> str:
    """The app started the clock, the room worked 30 minutes (the app's heartbeat and an answer), then the power
    went: the interval is still open."""
    sid = make_demo(data_dir)
    review = Review.open(data_dir)
    review.set_clock(clock.now)
    try:
        tk.start_session_clock(review, sid, clock.now())
        clock.advance(minutes=30)
        tk.heartbeat(review, sid, clock.now())
    finally:
        review.close()
    return sid


async def test_after_a_crash_the_facilitator_drops_the_time_while_closed(data_dir: Path) -> None:
    clock = FakeClock(START)
    sid = crashed_session(data_dir, clock)
    clock.advance(minutes=75)  # lunch, while the laptop was off
    # Before anyone decides, reports and other commands count only up to the last recorded activity.
    assert elapsed(data_dir, sid, clock.now()) == 30 * 60
    review = Review.open(data_dir)
    try:
        assert "**Actual duration:** 30m" in render_markdown(review, sid)
    finally:
        review.close()
    app = build_app(data_dir, sid, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LeftRunningScreen)
        text = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert "09:30" in text and "1h15m" in text
        await pilot.press("d")
        await pilot.pause()
        ws = app.screen
        assert isinstance(ws, WorkspaceScreen)
        strip = ws.clock.strip()
        assert strip.status == "paused" and strip.elapsed == 30 * 60
        await pilot.press("ctrl+q")
    assert elapsed(data_dir, sid, clock.now() + timedelta(hours=3)) == 30 * 60


async def test_after_a_crash_the_facilitator_counts_the_time_while_closed(data_dir: Path) -> None:
    clock = FakeClock(START)
    sid = crashed_session(data_dir, clock)
    clock.advance(minutes=6)  # a reboot: the room went on talking
    app = build_app(data_dir, sid, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LeftRunningScreen)
        await pilot.press("k")
        await pilot.pause()
        ws = app.screen
        assert isinstance(ws, WorkspaceScreen)
        clock.advance(minutes=4)
        strip = ws.clock.strip()
        assert strip.status == "running" and strip.elapsed == 40 * 60
        await pilot.press("ctrl+q")
    assert elapsed(data_dir, sid, clock.now() + timedelta(hours=3)) == 40 * 60


def test_another_laptops_open_interval_counts_only_to_its_last_activity(tmp_path: Path) -> None:
    """A bundle exported while its clock ran carries an open interval: merged, it must not run on here."""
    clock = FakeClock(START)
    a, b = Review.open(tmp_path / "a"), Review.open(tmp_path / "b")
    try:
        a.set_clock(clock.now)
        b.set_clock(clock.now)
        sid = a.create_session("Two rooms", planned_minutes=240)
        tk.start_session_clock(a, sid, clock.now())
        clock.advance(minutes=10)
        lens = a.state(sid).lenses[0]
        q = lens.questions[0]
        a.toggle_choice(sid, lens.alias, q.id, q.choices[0].id)  # A's last recorded activity: 09:10
        clock.advance(minutes=5)
        write_bundle(a, sid, tmp_path / "a.json")  # exported with the clock running
        merge_files(b, [tmp_path / "a.json"])
        clock.advance(minutes=120)
        tl = tk.load_timeline(b, sid, live=True)
        assert tl.status(clock.now()) == "paused"  # B's own clock never started
        assert tl.elapsed(clock.now()) == 10 * 60
        assert "**Actual duration:** 10m" in render_markdown(b, sid)
    finally:
        a.close()
        b.close()
