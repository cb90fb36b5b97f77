"""The workspace's time: the clock bar and its alerts, the clock, parking, the bell, the agenda, a break, and the
question on opening whether the time wat-tui was closed counts."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from wat_tui.errors import WatError
from wat_tui.ui.clocktext import strip_text
from wat_tui.ui.presenter_link import room_view_following
from wat_tui.ui.screens.workspace_part import WorkspacePart
from wat_tui.ui.text import visible
from wat_tui.ui.widgets.clock import ClockBar

#: The parking-lot reason when the facilitator gives none (Enter on an empty reason).
DEFAULT_PARK_REASON = "Parked in the room for follow-up"
#: Shown at the end of the clock bar while the room's view follows.
ROOM_MARK = "  ▣ room view"


class TimeKeys(WorkspacePart):
    """Keeping time in the room: the keys, the clock bar and the block alerts."""

    BINDINGS = [
        Binding("c", "clock", "Clock", id="clock"),
        Binding("A", "agenda", "Agenda", id="agenda"),
        Binding("B", "break", "Break", show=False, id="break"),
        Binding("L", "park", "Park question", show=False, id="park"),
        Binding("M", "bell", "Bell on/off", show=False, id="bell"),
    ]

    def __init__(self, session_id: str) -> None:
        super().__init__(session_id)
        #: Ring the terminal bell with a block alert (this laptop's setting).
        self.bell = self.review.local_setting(session_id, "bell", "on") == "on"
        #: Whether a room view (``wat-tui present``) on this laptop follows the session (checked each second).
        self.room_view = False

    def on_mount(self) -> None:
        # After the workspace's own on_mount (Textual calls the most derived class's first): the question is on
        # screen behind the prompt.
        self._ask_about_time_while_closed()
        if self.followup is not None:
            self._start_followup()

    def _start_followup(self) -> None:
        """A follow-up meeting: the header says so, and the room is told what it walks."""
        from textual.widgets import Static

        from wat_tui.ui.text import plain

        meeting = self.followup
        assert meeting is not None
        self.query_one("#session-title", Static).update(
            plain(f"Follow-up · {self.state.name}", "bold", single_line=True))
        minutes = f"c starts the {meeting.minutes}-minute plan (A shows it)"
        if meeting.nothing_open:
            said = (f"Follow-up: nothing is open, no question at high or medium risk and no open action item. "
                    f"The plan checks that the answers still match the workload: n and p walk every question; "
                    f"{minutes}. Record a milestone at the end (Y).")
        else:
            risks = len(meeting.questions)
            actions = len(meeting.actions)
            said = (f"Follow-up: n and p walk the {risks} open high and medium risk{'s' if risks != 1 else ''}, "
                    f"then b for the {actions} open action{'s' if actions != 1 else ''}; {minutes}. Record a "
                    f"milestone at the end (Y).")
        self.notify(visible(said), title="Follow-up", timeout=20, markup=False)

    def _ask_about_time_while_closed(self) -> None:
        """The clock was left running by an app that did not close normally: count that time, or drop it."""
        from wat_tui.ui.screens.left_running import COUNT, LeftRunningScreen

        left = self.clock.left_open
        if left is None or left.stop is None:
            return

        def done(choice: str | None) -> None:
            def settle() -> None:
                self.clock.settle_closed_time(choice == COUNT)
                self.notify("The time while wat-tui was closed counts; the clock runs on." if choice == COUNT
                            else "That time does not count; the clock is paused (c to start it again).")

            self.wat_app.save(settle, then=self.repaint_clock)
            self.repaint_clock()

        self.app.push_screen(LeftRunningScreen(left.stop, self.clock.now()), done)

    def repaint_clock(self) -> None:
        """After an edit or a move: show the clocks as they are, leaving alerts to the next tick."""
        self.query_one(ClockBar).show(self._with_room_mark(
            strip_text(self.clock.strip(), self.palette, self.app.size.width)))

    def _with_room_mark(self, text: Text) -> Text:
        """The bar says when a room view (``wat-tui present``) follows this session, where the width allows."""
        if self.room_view and text.cell_len + len(ROOM_MARK) <= self.app.size.width - 2:
            text = text.copy()
            text.append(ROOM_MARK, style=self.palette.muted)
        return text

    def check_room_view(self) -> None:
        """Look whether a room view follows (each second, and before each move); say so when that changes."""
        following = room_view_following(self.review, self.session_id, self.clock.now())
        if following != self.room_view:
            self.room_view = following
            self.notify("The room's view is following this session (private notes and hints stay here)."
                        if following else "The room's view has closed.", markup=False)

    def clock_text(self) -> Text:
        """Once a second: the clocks, and any alert or parking suggestion that falls due now."""
        cs, fired, suggestions = self.clock.tick()
        # A break whose time is over ends by itself (after its "time is up"), unless the break screen holds the
        # room in it: there the countdown shows the overrun, and Esc ends the break.
        if not self._break_shown() and self.clock.end_spent_break(self.current_key, self.state):
            cs = self.clock.strip()
            suggestions = []  # the next block's are offered on its own next tick
        if self.clock.problem is not None:  # the heartbeat (or a break's end) was refused: tried again next second
            self.wat_app.store_failed(self.clock.problem)
        for alert in fired:
            block = self.clock.timeline.block(alert.block_id)  # a break that just ended is no longer cs.block
            title = visible(block.title, single_line=True) if block else "This block"
            if alert.kind == "overrun":
                self.notify(f"⚠ {title}: time is up.", severity="error", timeout=15, markup=False)
            else:
                self.notify(f"{title}: 2 minutes left.", severity="warning", timeout=10, markup=False)
            if self.bell:
                self.app.bell()
        if suggestions:
            labels = ", ".join(self._label(k) for k in suggestions)
            self.notify(f"Behind by {int(cs.behind // 60)} min at this pace. Only LOW-level practices are "
                        f"missing in {labels}: park them for follow-up (L on each).", severity="warning",
                        timeout=20, markup=False)
        self.check_room_view()
        return self._with_room_mark(strip_text(cs, self.palette, self.app.size.width))

    def _break_shown(self) -> bool:
        from wat_tui.ui.screens.break_screen import BreakScreen

        return any(isinstance(screen, BreakScreen) for screen in self.app.screen_stack)

    def _label(self, key: str) -> str:
        for lens, q in self.order:
            if f"{lens.alias}/{q.id}" == key:
                return visible(q.label, single_line=True)
        return key

    def action_clock(self) -> None:
        # Two writes, each retried on its own if refused: starting twice would pause the clock again.
        self.wat_app.save(lambda: self.notify(self.clock.start_or_pause(), markup=False), then=self.repaint_clock)
        self.wat_app.save(lambda: self.clock.follow(self.current_key, self.state), then=self.repaint_clock)
        self.repaint_clock()

    def parked_reason(self) -> str | None:
        """The open question's parking-lot reason ("" when none was given) while it is parked, else None."""
        from wat_tui.review import timekeeping as tk

        key = self.current_key
        if key not in self.clock.timeline.parked:
            return None
        return next((p.reason for p in tk.parking_lot(self.review, self.session_id, self.state) if p.key == key), "")

    def action_park(self) -> None:
        """L: park the open question at once, for follow-up; on a parked one, say why (or bring it back)."""
        from wat_tui.ui.screens.reason import UNPARK, FollowUpScreen

        key = self.current_key
        label = visible(self.current[1].label, single_line=True)
        reason = self.parked_reason()
        if reason is None:
            self._park(key, label, DEFAULT_PARK_REASON)
            return

        def done(text: str | None) -> None:
            if text == UNPARK:
                self._park(key, label, None)
            elif text is not None and " ".join(text.split()) != reason:
                self._park(key, label, " ".join(text.split()) or DEFAULT_PARK_REASON)

        self.app.push_screen(FollowUpScreen(f"{label} is parked: why, or what to follow up?", reason), done)

    def _park(self, key: str, label: str, reason: str | None) -> None:
        """Park ``key`` for ``reason`` (or give a parked one this reason), or with None bring it back."""
        from wat_tui.review import timekeeping as tk

        parked = key in self.clock.timeline.parked

        def move() -> None:
            if reason is None:
                tk.unpark_question(self.review, self.session_id, key)
                self.notify(f"{label} is back from the parking lot.", markup=False)
                return
            tk.park_question(self.review, self.session_id, key, reason, self.author())
            if parked:
                self.notify(f"{label}: parked for {reason}", markup=False)
            else:
                self.notify(f"{label} moved to the parking lot (L again to say why, or to bring it back).",
                            markup=False)

        try:
            self.wat_app.save(move, then=lambda: self.reload(key))
        except WatError as exc:
            self.notify(visible(str(exc)), severity="error", markup=False)
        self.reload(key)

    def action_bell(self) -> None:
        on = not self.bell

        def switch() -> None:
            self.review.set_local_setting(self.session_id, "bell", "on" if on else "off")
            self.bell = on
            self.notify(f"Terminal bell {'on' if on else 'off'} for block alerts.")

        self.wat_app.save(switch)

    def action_agenda(self) -> None:
        if self.followup is not None:  # the follow-up's plan, not the workshop's agenda to edit
            lines = [f"{b.minutes:>3} min  {b.title}" for b in self.followup.blocks]
            self.notify(visible("\n".join(lines)), title=f"Follow-up plan: {self.followup.minutes} minutes",
                        timeout=20, markup=False)
            return
        from wat_tui.ui.screens.agenda import AgendaScreen

        self.app.push_screen(AgendaScreen(self.session_id, self.clock), lambda _: self.reload())

    def action_break(self) -> None:
        if self.followup is not None:
            self.notify("A follow-up has no break: c pauses its clock.", markup=False)
            return
        from wat_tui.ui.screens.break_screen import BreakScreen

        def back(_: object) -> None:
            # The break is over: the room is back on the question on screen, so the clock leaves the break block.
            self.wat_app.save(lambda: self.clock.follow(self.current_key, self.state), then=self.reload)
            self.reload()

        self.app.push_screen(BreakScreen(self.clock), back)
