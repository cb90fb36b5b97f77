"""The room's view (``wat-tui present``): a second terminal, on the projector, that follows the facilitator's app
on the same laptop through the local database.

What the room sees when (a break's countdown, the agenda, or the facilitator's question, never a private note or a
hint) and the words of each view: ``presenter_text.py``. The clock bar is the workspace's
(:func:`wat_tui.ui.clocktext.strip_text`).

The view reads the session when :meth:`Review.outside_changes` moved (polled every :data:`POLL_SECONDS`) and
every 30 seconds regardless, repaints the clocks once a second, and writes nothing of the session: its one write
is this laptop's heartbeat (:mod:`wat_tui.ui.presenter_link`), a local setting that never goes into a bundle.
Its keys: quit and theme.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from datetime import datetime, timedelta
from pathlib import Path

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle, Vertical
from textual.widgets import ContentSwitcher, Digits, Static

from wat_tui.errors import WatError
from wat_tui.review import timekeeping as tk
from wat_tui.review.clock import Clock, ClockStrip, SystemClock, clock_strip
from wat_tui.review.service import Review
from wat_tui.review.state import Answer
from wat_tui.store.errors import StoreError
from wat_tui.ui import presenter_link as link
from wat_tui.ui.clocktext import hms
from wat_tui.ui.presenter_text import (
    Mode,
    Room,
    agenda_text,
    agenda_title,
    next_block,
    notes_text,
    phase,
    practices_text,
    question_header,
    read_room,
    room_mode,
    room_strip,
)
from wat_tui.ui.text import plain
from wat_tui.ui.themes import PALETTES, THEME_ORDER, THEMES, Palette
from wat_tui.ui.widgets.keybar import key_hints

#: Seconds between looks at whether another process changed the database (a look is one PRAGMA).
POLL_SECONDS = 0.1
#: Terminal height from which the question's description is shown under its prompt.
TALL = 30


class PresenterApp(App[None]):
    """The room's view of one session; read-only (see the module docstring)."""

    CSS_PATH = "presenter.tcss"
    TITLE = "wat-tui: room view"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("q,ctrl+q", "quit", "Quit", priority=True, id="room-quit"),
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True, id="room-quit-c"),
        Binding("ctrl+t", "cycle_theme", "Theme", priority=True, id="room-theme"),
    ]

    def __init__(self, review: Review, session_id: str, *, clock: Clock | None = None,
                 theme: str = "wat-projector") -> None:
        super().__init__()
        self.review = review
        self.session_id = session_id
        #: Where the view reads the time: the wall clock, or a test's clock moved by hand.
        self.clock: Clock = clock or SystemClock()
        for t in THEMES:
            self.register_theme(t)
        self.theme = theme
        self.room: Room | None = None
        self.mode: Mode = "agenda"
        #: Why the database could not be read ("read") or the heartbeat written ("heartbeat"), until it can again.
        self.problems: dict[str, str] = {}
        self._seen: int | None = None
        self._phase: tuple[str, str | None] | None = None
        self._phase_position: str | None = None

    @property
    def palette(self) -> Palette:
        return PALETTES.get(self.theme, PALETTES["wat-projector"])

    @property
    def clock_ticks(self) -> bool:
        """Whether the clocks repaint once a second (a test's clock, moved by hand, leaves it to the test)."""
        return bool(getattr(self.clock, "ticking", True))

    def now(self) -> datetime:
        return self.clock.now()

    def compose(self) -> ComposeResult:
        with Vertical(id="room-top"):
            yield Static(id="room-title")
            yield Static(id="room-clock")
        with ContentSwitcher(initial="room-agenda", id="room-body"):
            with Vertical(id="room-question"):
                yield Static(id="room-q-header")
                yield Static(id="room-q-prompt")
                yield Static(id="room-q-about")
                yield Static(id="room-q-practices")
                yield Static(id="room-q-notes")
            with Middle(id="room-break"), Center():
                yield Static(id="room-break-title")
                yield Digits("00:00", id="room-break-digits")
                yield Static(id="room-break-until")
                yield Static(id="room-break-next")
            with Vertical(id="room-agenda"):
                yield Static(id="room-agenda-title")
                yield Static(id="room-agenda-list")
        yield Static(id="room-keys")

    def on_mount(self) -> None:
        # Intervals, not re-armed one-shot timers: each callback is synchronous, so one can never overlap the
        # next (a late tick is skipped), and one timer task costs less than a new one ten times a second.
        self._poll()
        self.set_interval(POLL_SECONDS, self._poll)
        self._heartbeat()
        self.set_interval(link.HEARTBEAT_EVERY, self._heartbeat)
        # Nothing is committed when the facilitator's app dies: read again now and then, so that its clock, left
        # running, stops counting here too once its heartbeat is stale (as the app counts it when reopened).
        self.set_interval(tk.HEARTBEAT_EVERY, self.reread)
        # A closed terminal window ends the view as q does, so the facilitator's indicator goes off at once.
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGHUP, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, self.exit)
        if self.clock_ticks:
            self.set_interval(1.0, self.tick)

    # -- following the facilitator --------------------------------------------------------------------------------

    def _poll(self) -> None:
        """Re-read the session when another connection committed (a look is one PRAGMA)."""
        if not self.is_running:  # shutting down: the widgets are going
            return
        try:
            seen = self.review.outside_changes()  # before the read: a commit during it moves it again
            if seen != self._seen or self.room is None:
                self.room = read_room(self.review, self.session_id, self.now())
                self._seen = seen
                self._trouble("read", None)
                self.paint()
        except (StoreError, WatError) as exc:
            self._trouble("read", f"cannot read the session: {exc}")

    def reread(self) -> None:
        """Read the session again whether or not anything was committed."""
        self._seen = None
        self._poll()

    def _heartbeat(self) -> None:
        """Tell the facilitator's app that a room view follows (a local setting, every few seconds)."""
        try:
            link.record_heartbeat(self.review, self.session_id, self.now())
        except StoreError as exc:  # the database is busy or read-only: the next beat tries again
            self._trouble("heartbeat", f"cannot tell the facilitator's app that the room view follows: {exc}")
        else:
            self._trouble("heartbeat", None)

    def _trouble(self, what: str, why: str | None) -> None:
        """Say on the key bar why ``what`` failed, or (None) that it works again."""
        if self.problems.get(what) == why:
            return
        if why is None:
            self.problems.pop(what, None)
        else:
            self.problems[what] = why
        if self.is_running:
            self._paint_keys()

    def on_unmount(self) -> None:
        with contextlib.suppress(StoreError, WatError):
            link.record_closed(self.review, self.session_id)

    def tick(self) -> None:
        """Once a second: the clocks (a test moving its own clock calls this itself)."""
        self.paint(only_time=True)

    # -- painting -------------------------------------------------------------------------------------------------

    def _put(self, widget_id: str, text: Text) -> None:
        """Update a Static only when its words changed: every update lays the screen out again."""
        widget = self.query_one(f"#{widget_id}", Static)
        if getattr(widget, "_room_text", None) != text:
            widget._room_text = text  # type: ignore[attr-defined]
            widget.update(text)

    def paint(self, *, only_time: bool = False) -> None:
        """Show what was last read. ``only_time``: nothing was read since the last paint, only the clock moved, so
        the question's words are left as they are (the once-a-second tick stays cheap)."""
        room = self.room
        if room is None or not self.is_running:
            return
        now = self.now()
        palette = self.palette
        current = phase(room.timeline, now)
        if current != self._phase:
            self._phase, self._phase_position = current, room.position
        mode = room_mode(room, now, self._phase_position)
        moved, self.mode = mode != self.mode, mode
        cs = clock_strip(room.timeline, now)
        self._put("room-clock", room_strip(cs, palette, self.size.width))
        switcher = self.query_one(ContentSwitcher)
        if switcher.current != f"room-{mode}":
            switcher.current = f"room-{mode}"
        if mode == "break":
            self._paint_break(room, cs, palette)
        elif mode == "agenda":
            self._put("room-agenda-title", agenda_title(room, now, palette))
            self._put("room-agenda-list", agenda_text(room, now, palette, self.size.width))
        elif moved or not only_time:
            self._paint_question(room, palette)
        if not only_time:
            self._put("room-title", plain(room.state.name, f"bold {palette.text}", single_line=True))
            self._paint_keys()

    def _paint_question(self, room: Room, palette: Palette) -> None:
        found = room.question()
        if found is None:
            return
        lens, q = found
        key = f"{lens.alias}/{q.id}"
        answer = room.state.answer(lens.alias, q.id) or Answer()
        self._put("room-q-header", question_header(room, lens, q, palette))
        self._put("room-q-prompt", plain(q.title, f"bold {palette.question}"))
        about = self.query_one("#room-q-about", Static)
        about.display = bool(q.description) and self.size.height >= TALL
        self._put("room-q-about", plain(q.description or "", palette.muted))
        self._put("room-q-practices", practices_text(q, answer, palette))
        notes = notes_text(room, key, palette)
        self.query_one("#room-q-notes", Static).display = bool(notes.plain)
        self._put("room-q-notes", notes)

    def _paint_break(self, room: Room, cs: ClockStrip, palette: Palette) -> None:
        remaining = cs.block_remaining if cs.block_remaining is not None else 0.0
        title = plain(cs.block.title if cs.block else "Break", f"bold {palette.text}", single_line=True)
        if cs.status == "paused":
            title.append("  ⏸ paused", style=f"bold {palette.warning}")
        self._put("room-break-title", title)
        digits = self.query_one(Digits)
        digits.update(("+" if remaining < 0 else "") + hms(remaining))
        digits.set_class(remaining < 0, "-over")
        back = (cs.now + timedelta(seconds=max(remaining, 0))).astimezone().strftime("%H:%M")
        self._put("room-break-until", Text(f"Back at {back}" if remaining >= 0 else "Time to start again",
                                           style=f"bold {palette.text}"))
        after = next_block(room.timeline, cs.block.id if cs.block else None)
        nxt = Text()
        if after is not None:
            nxt.append("Next: ", style=palette.muted)
            nxt.append_text(plain(after.title, f"bold {palette.accent}", single_line=True))
            nxt.append(f" · {after.minutes} min", style=palette.muted)
        self._put("room-break-next", nxt)

    def _paint_keys(self) -> None:
        palette = self.palette
        text = key_hints([b for b in self.BINDINGS if isinstance(b, Binding)], palette)
        if self.problems:
            why = "; ".join(self.problems.values())
            text.append_text(plain(f" ⚠ {why}", f"bold {palette.warning}", single_line=True))
        else:
            text.append(" Room view · follows wat-tui on this laptop", style=palette.muted)
        self._put("room-keys", text)

    def on_resize(self) -> None:
        self.paint()

    def action_cycle_theme(self) -> None:
        i = THEME_ORDER.index(self.theme) if self.theme in THEME_ORDER else -1
        self.theme = THEME_ORDER[(i + 1) % len(THEME_ORDER)]
        self.paint()


def build_presenter(data_dir: Path, session_id: str, *, clock: Clock | None = None,
                    theme: str = "wat-projector") -> PresenterApp:
    """The room's view of ``session_id``, with its own connection to the database in ``data_dir``."""
    return PresenterApp(Review.open(data_dir), session_id, clock=clock, theme=theme)


def run_presenter(data_dir: Path, session_id: str) -> int:
    app = build_presenter(data_dir, session_id)
    try:
        app.run()
    finally:
        app.review.close()
    return app.return_code or 0
