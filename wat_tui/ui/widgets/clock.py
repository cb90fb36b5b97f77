"""The clock bar: repainted once a second by re-arming a one-shot timer, so a slow repaint never piles up."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.widgets import Static

from wat_tui.ui.base import UsesWatApp


class ClockBar(UsesWatApp, Static):
    def __init__(self, compute: Callable[[], Text], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._compute = compute

    def on_mount(self) -> None:
        self.tick()

    def tick(self) -> None:
        self.show(self._compute())
        # A test's or a screenshot's clock is moved by hand, and whoever moves it calls tick() then.
        if self.wat_app.clock_ticks:
            self.set_timer(1.0, self.tick)

    def show(self, text: Text) -> None:
        """Repaint only when the words changed: every update of a Static lays the screen out again."""
        if text != getattr(self, "_shown", None):
            self._shown = text
            self.update(text)
