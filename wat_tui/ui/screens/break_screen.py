"""The break screen: a large countdown the back of the room can read.

Opening it enters the next break in the agenda (adding a 10-minute one after the current block when there is
none), so the break's time is stored like any other block's and survives a restart.
"""

from __future__ import annotations

from datetime import timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.widgets import Digits, Static

from wat_tui.review import agenda as ag
from wat_tui.review import timekeeping as tk
from wat_tui.ui.base import WatScreen
from wat_tui.ui.clocktext import hms
from wat_tui.ui.roomclock import RoomClock


class BreakScreen(WatScreen[None]):
    BINDINGS = [("escape", "dismiss", "Back to the review")]

    def __init__(self, clock: RoomClock) -> None:
        super().__init__()
        self.clock = clock

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static(Text("Break", style="bold"), id="break-title")
            yield Digits("10:00", id="break-digits")
            yield Static(id="break-until")
            yield Static(Text("Esc: back to the review"), id="break-help")

    def on_mount(self) -> None:
        self._enter_break()
        self.refresh_countdown()
        if self.wat_app.clock_ticks:  # tests and screenshots move a frozen clock themselves
            self.set_interval(1.0, self.refresh_countdown)

    def _enter_break(self) -> None:
        review = self.wat_app.review
        sid = self.clock.session_id
        now = self.clock.now()
        cs = self.clock.strip()
        if cs.block is not None and cs.block.kind == "break" and cs.status == "running":
            return
        blocks = tk.load_agenda(review, sid)
        after = cs.block.id if cs.block is not None else None
        ids = [b.id for b in blocks]
        start = ids.index(after) + 1 if after in ids else 0
        brk = next((b for b in blocks[start:start + 1] if b.kind == "break"), None)
        if brk is None:
            blocks, new_id = ag.add_break(blocks, after, 10)
            tk.save_agenda(review, sid, blocks)
            brk_id = new_id
        else:
            if tk.stored_agenda(review, sid) is None:
                tk.save_agenda(review, sid, blocks)
            brk_id = brk.id
        tk.enter_block(review, sid, brk_id, now)
        self.clock.reload()

    def refresh_countdown(self) -> None:
        cs = self.clock.strip()
        remaining = cs.block_remaining if cs.block_remaining is not None else 0.0
        digits = self.query_one(Digits)
        digits.update(("+" if remaining < 0 else "") + hms(remaining))
        digits.set_class(remaining < 0, "-over")
        back = (cs.now + timedelta(seconds=max(remaining, 0))).astimezone().strftime("%H:%M")
        self.query_one("#break-until", Static).update(
            Text(f"Back at {back}" if remaining >= 0 else "Time to start again", style="bold"))

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
