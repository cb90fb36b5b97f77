"""Shared set-up for the UI tests: the demo session in a fresh data directory, a frozen clock."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from tests.clocks import FakeClock
from wat_tui.review.demo import ensure_demo
from wat_tui.review.service import Review
from wat_tui.ui.app import WatApp, build_app

FROZEN = datetime(2026, 11, 27, 14, 5, 0, tzinfo=UTC)


def frozen_now() -> datetime:
    return FROZEN


def frozen_clock() -> FakeClock:
    """A clock stopped at :data:`FROZEN`, which the app does not tick (tests move it and tick by hand)."""
    return FakeClock(FROZEN)


#: The demo is prepared the evening before the workshop: its edits are stamped then, before any test's clock.
PREPARED = datetime(2026, 11, 26, 18, 0, 0, tzinfo=UTC)


def make_demo(data_dir: Path) -> str:
    review = Review.open(data_dir)
    review.set_clock(lambda: PREPARED)
    try:
        sid = ensure_demo(review)
        # The picker shows the creation date: pin it so pictures do not change from day to day.
        review.set_session_field(sid, "created_at", "2026-11-27T09:00:00+00:00")
        return sid
    finally:
        review.close()


def demo_app(data_dir: Path, theme: str = "wat-dark", session: bool = True) -> tuple[WatApp, str]:
    sid = make_demo(data_dir)
    return build_app(data_dir, sid if session else None, clock=frozen_clock(), theme=theme), sid


def running_clock_app(data_dir: Path, theme: str = "wat-dark", minutes: int = 95) -> WatApp:
    """The demo with its session clock started ``minutes`` before the frozen time, in its first block."""
    from datetime import timedelta

    from wat_tui.review import timekeeping as tk

    sid = make_demo(data_dir)
    review = Review.open(data_dir)
    try:
        start = FROZEN - timedelta(minutes=minutes)
        review.set_clock(lambda: start)
        tk.start_session_clock(review, sid, start)
        # The app that started it is still running (its heartbeat is fresh), so reopening asks nothing.
        tk.heartbeat(review, sid, FROZEN)
    finally:
        review.close()
    return build_app(data_dir, sid, clock=frozen_clock(), theme=theme)


async def until(pilot: Pilot[None], condition: Callable[[], bool], seconds: float = 10.0,
                what: str = "waited in vain") -> None:
    """Let the app run, a little at a time, until ``condition()`` holds (work in a job's thread, another app
    following this one through the database); fail with ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        await pilot.pause(0.02)


def said_by(app: WatApp) -> list[str]:
    """Every message the app shows with notify from now on, in order (the toasts fade; the list keeps them)."""
    said: list[str] = []
    original = app.notify

    def notify(message: str, **kwargs: Any) -> None:
        said.append(message)
        original(message, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    return said
