"""Clocks for tests, benchmarks and screenshots: they never sleep, and the app does not tick them.

A clock with ``ticking = False`` tells the app not to repaint its clocks once a second (``WatApp.clock_ticks``):
whoever moves the clock calls the repaint, so a test waits on nothing and a picture never changes under it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from wat_tui.review.clock import SystemClock, utc


class FakeClock:
    """A clock tests move by hand."""

    ticking = False

    def __init__(self, start: datetime) -> None:
        self._now = utc(start)

    def now(self) -> datetime:
        return self._now

    def advance(self, seconds: float = 0, minutes: float = 0) -> datetime:
        self._now += timedelta(seconds=seconds, minutes=minutes)
        return self._now

    def set(self, when: datetime) -> None:
        self._now = utc(when)


class QuietWallClock(SystemClock):
    """The real time, but the app's screens are repainted only when a test or benchmark asks."""

    ticking = False
