"""The clock bar: repainted once a second by re-arming a one-shot timer, so a slow repaint never piles up."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.widgets import Static


class ClockBar(Static):
    def __init__(self, compute: Callable[[], Text], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._compute = compute
        self.ticking = True

    def on_mount(self) -> None:
        # Tests and screenshots run with a frozen clock and call tick() themselves.
        self.ticking = bool(getattr(self.app, "ticking", True))
        self.tick()

    def tick(self) -> None:
        self.show(self._compute())
        if self.ticking:
            self.set_timer(1.0, self.tick)

    def show(self, text: Text) -> None:
        """Repaint only when the words changed: every update of a Static lays the screen out again."""
        if text != getattr(self, "_shown", None):
            self._shown = text
            self.update(text)
