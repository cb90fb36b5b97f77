"""The break screen: a countdown in digits as large as the terminal allows, for the back of the room.

Opening it enters the next break in the agenda (adding a 10-minute one after the current block when there is
none, or when the next one has been taken already), so the break's time is stored like any other block's and
survives a restart. The facilitator sets its length here (+/-, a typed number of minutes, or a 5/10/15 preset):
that is the break block's minutes in the agenda, saved as any agenda edit is. Leaving puts the clock back on the
block the room was in before the break, so the clock bar leaves "Break" even when the question on screen belongs
to no block of the agenda.
"""

from __future__ import annotations

from datetime import timedelta

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from wat_tui.errors import WatError
from wat_tui.review import agenda as ag
from wat_tui.review import timekeeping as tk
from wat_tui.ui.base import WatScreen
from wat_tui.ui.clocktext import hms
from wat_tui.ui.roomclock import RoomClock
from wat_tui.ui.widgets.bigdigits import BigDigits

#: The break a new one gets, the presets offered, and the longest a facilitator can type.
DEFAULT_MINUTES = 10
PRESETS = (5, 10, 15)
LONGEST = 120


class ClickButton(Button, can_focus=False):
    """A button for the mouse only: the keys belong to the screen (digits, Enter, +/-)."""


class BreakScreen(WatScreen[None]):
    DEFAULT_CSS = """
    BreakScreen #break { width: 1fr; height: 1fr; }
    BreakScreen .break-line { width: 1fr; height: 1; text-align: center; }
    BreakScreen #break-clock { color: $accent; text-style: bold; }
    BreakScreen #break-clock.-over { color: $warning; }
    BreakScreen #break-length { width: 1fr; height: 1; align-horizontal: center; }
    BreakScreen #break-length Button { height: 1; min-width: 5; border: none; margin: 0 1; }
    BreakScreen #break-length Static { width: auto; }
    """
    BINDINGS = [
        Binding("escape", "dismiss", "Back to the review", id="break-back"),
        Binding("plus,equals_sign", "longer", "A minute longer", id="break-longer"),
        Binding("minus", "shorter", "A minute shorter", id="break-shorter"),
        Binding("enter", "set_typed", "Set the typed length", id="break-set", show=False),
        Binding("backspace", "untype", "Rub out a typed digit", id="break-untype", show=False),
    ]

    def __init__(self, clock: RoomClock) -> None:
        super().__init__()
        self.clock = clock
        #: The agenda block of this break, once entered.
        self.break_id: str | None = None
        #: Where the clock goes back to when the break ends: the block before it, else the next one after it.
        self.back_to: str | None = None
        #: Minutes the facilitator is typing, until Enter.
        self.typed = ""

    def compose(self) -> ComposeResult:
        with Vertical(id="break"):
            yield Static(id="break-heading", classes="break-line")
            yield BigDigits("10:00", id="break-clock")
            yield Static(id="break-back", classes="break-line")
            with Horizontal(id="break-length"):
                yield ClickButton("−", id="break-minus", compact=True)
                yield Static(id="break-minutes")
                yield ClickButton("+", id="break-plus", compact=True)
                for m in PRESETS:
                    yield ClickButton(f"{m} min", id=f"break-{m}", compact=True)
            yield Static(Text("+/− a minute · type minutes and Enter · Esc back to the review"),
                          id="break-keys", classes="break-line")

    def on_mount(self) -> None:
        self._enter_break()
        self.refresh_countdown()
        if self.wat_app.clock_ticks:  # tests and screenshots move a frozen clock themselves
            self.set_interval(1.0, self.refresh_countdown)

    # -- entering and leaving ---------------------------------------------------------------------------------

    def _enter_break(self) -> None:
        review = self.wat_app.review
        sid = self.clock.session_id
        now = self.clock.now()
        cs = self.clock.strip()
        blocks = tk.load_agenda(review, sid)
        if cs.block is not None and cs.block.kind == "break" and cs.status == "running":
            self.break_id = cs.block.id
            self.back_to = self._after(blocks, cs.block.id)
            return
        after = cs.block.id if cs.block is not None else None
        self.back_to = after
        ids = [b.id for b in blocks]
        start = ids.index(after) + 1 if after in ids else 0
        # The next block, if it is a break no time has gone to yet (one already taken is not taken twice).
        brk = next((b for b in blocks[start:start + 1]
                    if b.kind == "break" and self.clock.timeline.block_elapsed(b.id, now) == 0), None)
        if brk is None:
            blocks, brk_id = ag.add_break(blocks, after, DEFAULT_MINUTES)
            tk.save_agenda(review, sid, blocks)
        else:
            if tk.stored_agenda(review, sid) is None:
                tk.save_agenda(review, sid, blocks)
            brk_id = brk.id
        if self.back_to is None:
            self.back_to = self._after(blocks, brk_id)
        tk.enter_block(review, sid, brk_id, now)
        self.break_id = brk_id
        self.clock.reload()

    @staticmethod
    def _after(blocks: list[ag.Block], block_id: str) -> str | None:
        ids = [b.id for b in blocks]
        rest = blocks[ids.index(block_id) + 1:] if block_id in ids else []
        return next((b.id for b in rest if b.kind != "break"), None)

    def _leave_break(self) -> None:
        """The break is over: the clock goes back to the room's block (the workspace then follows the question)."""
        cs = self.clock.strip()
        if self.back_to is None or cs.status != "running" or cs.block is None or cs.block.id != self.break_id:
            return
        review = self.wat_app.review
        if any(b.id == self.back_to for b in tk.load_agenda(review, self.clock.session_id)):
            tk.enter_block(review, self.clock.session_id, self.back_to, self.clock.now())
            self.clock.reload()

    async def action_dismiss(self, result: None = None) -> None:
        self.wat_app.save(self._leave_break)
        self.dismiss(result)

    # -- the length ---------------------------------------------------------------------------------------------

    def minutes(self) -> int:
        block = self.clock.timeline.block(self.break_id)
        return block.minutes if block is not None else DEFAULT_MINUTES

    def set_length(self, minutes: int) -> None:
        """Make the break ``minutes`` long: the agenda's break block, saved as any agenda edit."""
        self.typed = ""
        if self.break_id is None:
            return
        minutes = max(1, min(LONGEST, minutes))
        if minutes == self.minutes():
            self.refresh_countdown()
            return
        review = self.wat_app.review
        sid = self.clock.session_id
        break_id = self.break_id

        def save() -> None:
            blocks = tk.load_agenda(review, sid)
            tk.save_agenda(review, sid, ag.set_block_minutes(blocks, break_id, minutes))
            self.clock.reload()

        try:
            self.wat_app.save(save, then=self.refresh_countdown)
        except WatError as exc:
            self.notify(str(exc), severity="error", markup=False)
        self.refresh_countdown()

    def action_longer(self) -> None:
        self.set_length(self.minutes() + 1)

    def action_shorter(self) -> None:
        self.set_length(self.minutes() - 1)

    def action_set_typed(self) -> None:
        if self.typed:
            self.set_length(int(self.typed))

    def action_untype(self) -> None:
        self.typed = self.typed[:-1]
        self.refresh_countdown()

    def on_key(self, event: events.Key) -> None:
        if event.character is not None and event.character.isdigit() and event.character.isascii():
            event.stop()
            self.typed = (self.typed + event.character).lstrip("0")[-3:]
            self.refresh_countdown()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        which = (event.button.id or "").removeprefix("break-")
        if which == "minus":
            self.action_shorter()
        elif which == "plus":
            self.action_longer()
        elif which.isdigit():
            self.set_length(int(which))

    # -- the countdown ------------------------------------------------------------------------------------------

    def refresh_countdown(self) -> None:
        cs = self.clock.strip()
        remaining = cs.block_remaining if cs.block_remaining is not None else 0.0
        digits = self.query_one(BigDigits)
        digits.update(("+" if remaining < 0 else "") + hms(remaining))
        digits.set_class(remaining < 0, "-over")
        minutes = self.minutes()
        self.query_one("#break-heading", Static).update(Text(f"Break · {minutes} min", style="bold"))
        back = (cs.now + timedelta(seconds=max(remaining, 0))).astimezone().strftime("%H:%M")
        self.query_one("#break-back", Static).update(
            Text(f"Back at {back}" if remaining >= 0 else "Time to start again", style="bold"))
        length = (Text(f" Length: {self.typed}_ min, Enter to set ", style="bold reverse") if self.typed
                  else Text(f" Length: {minutes} min "))
        self.query_one("#break-minutes", Static).update(length)
