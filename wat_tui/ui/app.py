"""The wat-tui application. ``build_app`` is the one place the app is assembled: the CLI and every test use it.

It is also the one place a write the database refuses is handled (:meth:`WatApp.save`, :meth:`store_failed`):
the edit is kept and retried, the room is told why, and the app carries on. Edits go through :meth:`WatApp.save`;
any key's action that raises :class:`StoreError` anyway opens the same dialog, and a refused write anywhere else
(a timer, a screen's handler) is told instead of ending the app. ``screens/store_error.py`` says what the
facilitator sees in each case.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events
from textual._context import active_message_pump
from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.theme import Theme
from textual.widget import Widget

from wat_tui.errors import WatError
from wat_tui.review.clock import Clock, SystemClock
from wat_tui.review.service import Review
from wat_tui.store.errors import StoreError
from wat_tui.termtext import for_terminal
from wat_tui.ui.collector import IdleCollector
from wat_tui.ui.screens.picker import QuestionSearch
from wat_tui.ui.screens.store_error import Retry, StoreErrorScreen, what_to_do
from wat_tui.ui.text import visible
from wat_tui.ui.themes import PALETTES, THEME_ORDER, THEMES, Palette, remember_theme, remembered_theme

if TYPE_CHECKING:  # loaded only when a follow-up runs: opening a review must not wait for it
    from wat_tui.review.followup_meeting import FollowupMeeting

#: Seconds a notification that saving fails stays up; it comes again while saving keeps failing.
NOTICE_SECONDS = 30.0
#: Where Textual catches a handler's exception and its message pump keeps running (a timer, a queued callback).
_PUMP_SURVIVES = {"_tick", "_flush_next_callbacks"}


class WatApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "wat-tui"
    #: The command palette (Ctrl+P) finds questions as ``g`` does (screens/picker.py), with the app's commands.
    COMMANDS = App.COMMANDS | {QuestionSearch}
    BINDINGS = [
        Binding("f1,question_mark", "help", "Help", id="help"),
        Binding("ctrl+t", "cycle_theme", "Theme", id="cycle-theme"),
        Binding("ctrl+q,q", "quit", "Quit", id="quit"),
        # Ctrl+Q quits from any screen, a dialog or an editor too (q is text there); what waits is saved first.
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="quit-anywhere"),
    ]

    def __init__(self, review: Review, session_id: str | None, *, clock: Clock | None = None,
                 theme: str = "wat-dark", ask_name: bool = False, followup: FollowupMeeting | None = None) -> None:
        super().__init__()
        self.review = review
        self.session_id = session_id
        #: The follow-up meeting (``wat-tui followup``) the app runs on its session, until the facilitator goes
        #: back to the sessions; None in a review.
        self.followup = followup
        #: Ask who facilitates on this laptop, once, when nobody has said yet (``wat-tui`` does; tests opt in).
        self.ask_name = ask_name
        #: Where the app reads the time: the wall clock, or a test's clock that it moves by hand.
        self.clock: Clock = clock or SystemClock()
        for t in THEMES:
            self.register_theme(t)
        self.theme = theme
        #: Why the last write failed, until one succeeds again; None while everything is saved.
        self.store_problem: StoreError | None = None
        self._noticed: tuple[str, float] = ("", 0.0)
        #: What quitting tells the facilitator in the terminal once the app has closed (the clock it paused), or
        #: None when there is nothing to say.
        self.farewell: str | None = None
        self.collector = IdleCollector()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseEvent)) and not event.is_forwarded:  # once per key
            self.collector.stirred(self)
        await super().on_event(event)

    def on_unmount(self) -> None:
        self.collector.stop()

    def validate_title(self, title: object) -> str:
        """Whatever sets the title (a session or lens name, one day), it is text, never terminal control."""
        return for_terminal(str(title), single_line=True)

    def validate_sub_title(self, sub_title: object) -> str:
        return for_terminal(str(sub_title), single_line=True)

    @property
    def palette(self) -> Palette:
        return PALETTES.get(self.theme, PALETTES["wat-dark"])

    def now(self) -> datetime:
        return self.clock.now()

    @property
    def clock_ticks(self) -> bool:
        """Whether the screens repaint the clocks every second. A clock with ``ticking = False`` (a test's or a
        screenshot's, moved by hand) leaves that to whoever moves it."""
        return bool(getattr(self.clock, "ticking", True))

    def on_mount(self) -> None:
        # Set after start-up, so only a choice made here (Ctrl+T, the command palette) is remembered.
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if self.session_id:
            self.open_session(self.session_id)
        else:
            self.action_sessions()
        if self.ask_name and not self.review.facilitator_named:
            from wat_tui.ui.screens.facilitator_name import FacilitatorNameScreen

            self.push_screen(FacilitatorNameScreen())
        # The cyclic garbage collector's full passes wait for a quiet moment, not a keypress (ui/collector.py).
        self.call_after_refresh(self.collector.start, self)
        # A closed terminal window or a shutdown ends the app as a quit does, so the session clock stops then.
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGHUP, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, self._exit_saving)

    # -- saving: the one place a refused write is told and retried ----------------------------------------------

    def save(self, do: Callable[[], object], *, then: Callable[[], object] | None = None) -> bool:
        """Make one edit now. If the database refuses it, the dialog tries it again until it is saved and then
        runs ``then`` (a repaint); returns False then. Errors that are not the store's go to the caller."""
        changes = self.review.write_count
        try:
            do()
        except StoreError as exc:
            def again() -> None:
                do()
                if then is not None:
                    then()

            self.store_failed(exc, again)
            return False
        if self.review.write_count != changes:  # something was written: saving works
            self.store_saved()
        return True

    def store_failed(self, error: StoreError, retry: Retry | None = None, *, dropped: bool = False) -> None:
        """Tell the room a write failed. With ``retry``, the dialog holds that edit and tries it again until it
        is saved; without, the caller keeps it and tries again itself (a note's editor, the clock's heartbeat),
        or, ``dropped``, nobody does: the facilitator is asked to do it again."""
        self.store_problem = error
        if retry is None:
            self._notice(error, dropped)
        elif isinstance(self.screen, StoreErrorScreen):
            self.screen.add(error, retry)
        else:
            self.push_screen(StoreErrorScreen(error, retry))

    def store_saved(self) -> None:
        """A write went through: if saving had failed, say that it works again."""
        if self.store_problem is not None:
            self.store_problem = None
            self._noticed = ("", 0.0)
            self.notify("Saved: the database takes edits again.", markup=False)

    def _notice(self, error: StoreError, dropped: bool) -> None:
        then = ("Nothing was changed: do it again once that is fixed. Nothing else you typed is lost." if dropped
                else what_to_do())
        message = f"{visible(str(error))}\n{then}"
        now = time.monotonic()
        if self._noticed[0] == message and now - self._noticed[1] < NOTICE_SECONDS:
            return
        self._noticed = (message, now)
        self.notify(message, title=f"Could not save: {error.headline}", severity="error", timeout=NOTICE_SECONDS,
                    markup=False)

    async def _dispatch_action(self, namespace: DOMNode, action_name: str, params: Any) -> bool:
        """Every key's action: a write the database refuses opens the dialog that retries it, never a traceback."""
        try:
            return await super()._dispatch_action(namespace, action_name, params)
        except StoreError as exc:
            dispatch = super()._dispatch_action
            self.store_failed(exc, lambda: dispatch(namespace, action_name, params))
            return True

    def _handle_exception(self, error: Exception) -> None:
        """A refused write that no edit caught (a timer, a screen's message handler): told, and the app goes on.

        Textual stops a screen's message loop after its handler raised; such a screen is closed (the workspace is
        opened afresh from what is stored), so nothing on screen stops answering.
        """
        if not isinstance(error, StoreError):
            super()._handle_exception(error)
            return
        self.store_failed(error, dropped=True)
        tb = error.__traceback__
        if tb is not None and tb.tb_frame.f_code.co_name in _PUMP_SURVIVES:
            return
        pump = active_message_pump.get(None)
        if pump is self or pump is None:
            self.exit(return_code=1, message=f"wat-tui: error: {visible(str(error))}")
        else:
            self.call_later(self._after_stopped_pump, pump)

    def _after_stopped_pump(self, pump: MessagePump) -> None:
        if pump.is_running:
            return
        screen = pump if isinstance(pump, Screen) else pump.screen if isinstance(pump, Widget) else None
        if screen is None or screen is not self.screen:
            return
        from wat_tui.ui.screens.workspace import WorkspaceScreen

        if isinstance(screen, WorkspaceScreen):
            self.pop_screen()
            self.open_session(screen.session_id)
        else:
            screen.dismiss(None)

    def _save_open_screens(self) -> None:
        """Save what waits to be saved on every open screen, top first (the note being typed, the clock)."""
        for screen in reversed(self.screen_stack):
            flush = getattr(screen, "flush_edits", None)
            if callable(flush):
                flush()

    async def action_quit(self) -> None:
        """Quit once what waits to be saved is saved; if the database refuses it, the dialog says so first, and
        quitting again there quits without it. Quitting pauses a running session clock: the terminal says so."""
        running = self._clock_running()
        if isinstance(self.screen, StoreErrorScreen) or self.save(self._save_open_screens,
                                                                  then=lambda: self.call_later(self._quit, running)):
            self._quit(running)

    def _clock_running(self) -> bool:
        from wat_tui.ui.screens.workspace import WorkspaceScreen

        return any(isinstance(s, WorkspaceScreen) and s.clock.status == "running" for s in self.screen_stack)

    def _quit(self, clock_was_running: bool) -> None:
        if clock_was_running and self.followup is not None:
            self.farewell = ("wat-tui: the follow-up's clock stopped (it is not kept); the answers and action "
                             "statuses are saved.")
        elif clock_was_running and not self._clock_running():
            self.farewell = ("wat-tui: quitting paused the session clock; press c when you open the session again "
                             "to start it.")
        # A Text, not a string: Textual prints the exit message as markup otherwise.
        self.exit(message=Text(self.farewell) if self.farewell else None)

    def _exit_saving(self) -> None:
        """A closed terminal window or a shutdown: save what can be saved, and end as a quit does."""
        with contextlib.suppress(StoreError):
            self._save_open_screens()
        self.exit()

    def followup_for(self, session_id: str) -> FollowupMeeting | None:
        """The follow-up meeting to run on ``session_id``, if the app was opened for one."""
        return self.followup if self.followup is not None and self.followup.session_id == session_id else None

    def open_session(self, session_id: str) -> None:
        from wat_tui.ui.screens.workspace import WorkspaceScreen

        self.session_id = session_id
        self.push_screen(WorkspaceScreen(session_id))

    def action_sessions(self) -> None:
        """Back to the session picker (made on first use, so opening a session does not wait for it)."""
        from wat_tui.ui.screens.picker import PickerScreen

        self.followup = None  # leaving the follow-up: a session opened from the picker is a review again
        if any(isinstance(s, PickerScreen) for s in self.screen_stack):
            while not isinstance(self.screen, PickerScreen):
                self.pop_screen()
        else:
            self.switch_screen(PickerScreen()) if len(self.screen_stack) > 1 else self.push_screen(PickerScreen())

    def action_cycle_theme(self) -> None:
        i = THEME_ORDER.index(self.theme) if self.theme in THEME_ORDER else -1
        self.theme = THEME_ORDER[(i + 1) % len(THEME_ORDER)]
        self.notify(f"Theme: {self.theme.removeprefix('wat-')}")

    def _remember_theme(self, theme: Theme) -> None:
        """The next start on this laptop opens in the theme chosen last (one of ours; Textual's own are not)."""
        if theme.name not in PALETTES:
            return
        try:
            remember_theme(self.review.data_dir, theme.name)
        except WatError as exc:
            self.notify(f"The theme is not remembered for next time: {visible(str(exc))}", severity="warning",
                        markup=False)

    def action_help(self) -> None:
        from wat_tui.ui.screens.help import HelpScreen
        from wat_tui.ui.screens.workspace import WorkspaceScreen
        from wat_tui.ui.widgets.question import QuestionPane

        sections: list[tuple[str, list[object]]] = [("anywhere", list(self.BINDINGS))]
        if any(isinstance(s, WorkspaceScreen) for s in self.screen_stack):
            sections.insert(0, ("workspace", list(WorkspaceScreen.BINDINGS)))
            sections.insert(1, ("practices list", list(QuestionPane.BINDINGS)))
        self.push_screen(HelpScreen(_as_bindings(sections)))


def _as_bindings(sections: list[tuple[str, list[object]]]) -> list[tuple[str, list[Binding]]]:
    out = []
    for where, items in sections:
        bindings = []
        for b in items:
            if isinstance(b, Binding):
                bindings.append(b)
            elif isinstance(b, tuple):
                bindings.append(Binding(*b))
        out.append((where, bindings))
    return out


def build_app(data_dir: Path, session_id: str | None = None, *, clock: Clock | None = None,
              theme: str | None = None, ask_name: bool = False, followup: bool = False) -> WatApp:
    """The app on the data directory; without ``theme``, in the theme chosen last on this laptop (or dark).
    ``followup``: run the follow-up meeting on ``session_id``, planned from it as it stands now."""
    clock = clock or SystemClock()
    review = Review.open(data_dir)
    review.set_clock(clock.now)  # edits are stamped by the same clock the session clock reads
    theme = theme or remembered_theme(review.data_dir) or "wat-dark"
    meeting = None
    if followup and session_id is not None:
        from wat_tui.review.followup_meeting import followup_meeting

        try:
            meeting = followup_meeting(review, session_id)
        except BaseException:
            review.close()
            raise
    return WatApp(review, session_id, clock=clock, theme=theme, ask_name=ask_name, followup=meeting)


def run_app(data_dir: Path, session_id: str | None = None, *, followup: bool = False) -> int:
    app = build_app(data_dir, session_id, ask_name=True, followup=followup)
    try:
        app.run()
    finally:
        app.review.close()
    return app.return_code or 0
