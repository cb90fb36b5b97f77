"""The wat-tui application. ``build_app`` is the one place the app is assembled: the CLI and every test use it."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import signal
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from textual.app import App
from textual.binding import Binding

from wat_tui.review.service import Review
from wat_tui.termtext import for_terminal
from wat_tui.ui.commands import QuestionCommands
from wat_tui.ui.themes import PALETTES, THEME_ORDER, THEMES, Palette

Now = Callable[[], datetime]


def system_now() -> datetime:
    return datetime.now(UTC)


class WatApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "wat-tui"
    COMMANDS = App.COMMANDS | {QuestionCommands}
    BINDINGS = [
        Binding("f1,question_mark", "help", "Help", id="help"),
        Binding("ctrl+t", "cycle_theme", "Theme", id="cycle-theme"),
        Binding("ctrl+q,q", "quit", "Quit", id="quit"),
    ]

    def __init__(self, review: Review, session_id: str | None, *, now: Now = system_now,
                 theme: str = "wat-dark", ticking: bool = True) -> None:
        super().__init__()
        self.review = review
        self.session_id = session_id
        self.now = now
        self.ticking = ticking
        for t in THEMES:
            self.register_theme(t)
        self.theme = theme

    def validate_title(self, title: object) -> str:
        """Whatever sets the title (a session or lens name, one day), it is text, never terminal control."""
        return for_terminal(str(title), single_line=True)

    def validate_sub_title(self, sub_title: object) -> str:
        return for_terminal(str(sub_title), single_line=True)

    @property
    def palette(self) -> Palette:
        return PALETTES.get(self.theme, PALETTES["wat-dark"])

    def on_mount(self) -> None:
        if self.session_id:
            self.open_session(self.session_id)
        else:
            self.action_sessions()
        # The objects made at start-up live as long as the app: keep them out of the cyclic garbage collector,
        # whose full passes over them otherwise cost 100 ms keypresses now and then.
        self.call_after_refresh(gc.freeze)
        # A closed terminal window or a shutdown ends the app as a quit does, so the session clock stops then.
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGHUP, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, self.exit)

    def open_session(self, session_id: str) -> None:
        from wat_tui.ui.screens.workspace import WorkspaceScreen

        self.session_id = session_id
        self.push_screen(WorkspaceScreen(session_id))

    def action_sessions(self) -> None:
        """Back to the session picker (made on first use, so opening a session does not wait for it)."""
        from wat_tui.ui.screens.picker import PickerScreen

        if any(isinstance(s, PickerScreen) for s in self.screen_stack):
            while not isinstance(self.screen, PickerScreen):
                self.pop_screen()
        else:
            self.switch_screen(PickerScreen()) if len(self.screen_stack) > 1 else self.push_screen(PickerScreen())

    def action_cycle_theme(self) -> None:
        i = THEME_ORDER.index(self.theme) if self.theme in THEME_ORDER else -1
        self.theme = THEME_ORDER[(i + 1) % len(THEME_ORDER)]
        self.notify(f"Theme: {self.theme.removeprefix('wat-')}")

    def action_help(self) -> None:
        from wat_tui.ui.screens.help import HelpScreen
        from wat_tui.ui.screens.workspace import WorkspaceScreen
        from wat_tui.ui.widgets.question import ChoiceList

        sections: list[tuple[str, list[object]]] = [("anywhere", list(self.BINDINGS))]
        if any(isinstance(s, WorkspaceScreen) for s in self.screen_stack):
            sections.insert(0, ("workspace", list(WorkspaceScreen.BINDINGS)))
            sections.insert(1, ("practices list", list(ChoiceList.BINDINGS)))
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


def build_app(data_dir: Path, session_id: str | None = None, *, now: Now = system_now,
              theme: str = "wat-dark", ticking: bool = True) -> WatApp:
    review = Review.open(data_dir)
    review.set_clock(now)  # edits are stamped by the same clock the session clock reads
    return WatApp(review, session_id, now=now, theme=theme, ticking=ticking)


def run_app(data_dir: Path, session_id: str | None = None) -> int:
    app = build_app(data_dir, session_id)
    try:
        app.run()
    finally:
        app.review.close()
    return 0
