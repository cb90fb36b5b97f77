"""The clock strip: wall clock, session elapsed and planned end, and the current block's time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.text import Text
from textual.widgets import Static

from wat_tui.ui.themes import Palette


def hm(seconds: float) -> str:
    sign = "-" if seconds < 0 else ""
    s = int(abs(seconds))
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"{sign}{h}:{m:02d}:{sec:02d}" if h else f"{sign}{m:02d}:{sec:02d}"


class ClockStrip(Static):
    """Repainted once a second by re-arming a one-shot timer, so a slow repaint never piles up."""

    def __init__(self, compute: Callable[[datetime], Text], now: Callable[[], datetime], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._compute = compute
        self._now = now
        self.ticking = True

    def on_mount(self) -> None:
        self.ticking = bool(getattr(self.app, "ticking", True))
        self.tick()

    def tick(self) -> None:
        self.update(self._compute(self._now()))
        if self.ticking:
            now = self._now()
            self.set_timer(1.0 - now.microsecond / 1_000_000 + 0.01, self.tick)


def wall_clock_text(now: datetime, palette: Palette) -> Text:
    return Text(now.astimezone().strftime("%H:%M"), style=f"bold {palette.text}")
