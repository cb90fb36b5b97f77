"""Asked on opening a session whose clock was left running by an app that did not close normally."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from wat_tui.review.durations import format_duration
from wat_tui.ui.base import WatModal

COUNT = "count"
DROP = "drop"


class LeftRunningScreen(WatModal[str]):
    """Dismisses with ``COUNT`` (the time while closed counts, the clock runs on) or ``DROP`` (it does not)."""

    def __init__(self, last_seen: datetime, now: datetime) -> None:
        super().__init__()
        self.last_seen = last_seen
        self.now = now

    def compose(self) -> ComposeResult:
        gap = format_duration(max(0, int((self.now - self.last_seen).total_seconds() // 60)))
        at = self.last_seen.astimezone().strftime("%H:%M")
        with Vertical(classes="dialog", id="left-running"):
            yield Static(Text("The session clock was left running", style="bold"), classes="dialog-title")
            yield Static(Text(
                f"wat-tui did not close normally (a crash or a power cut?). The last thing it recorded was at "
                f"{at}; since then {gap} went by. Should that time count as review time?"))
            yield OptionList(
                Option(Text(f"d  Drop it: the clock stopped at {at} (paused now)"), id=DROP),
                Option(Text(f"k  Count it: the room went on working, {gap} more (the clock runs on)"), id=COUNT),
                id="left-running-options",
            )
            yield Static(Text("d drop · k count · Enter choose"), classes="dialog-help")

    def on_key(self, event: events.Key) -> None:
        choice = {"d": DROP, "k": COUNT}.get(event.key)
        if choice is not None:
            event.stop()
            event.prevent_default()
            self.dismiss(choice)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id or DROP)
