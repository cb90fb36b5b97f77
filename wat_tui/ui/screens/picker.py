"""Start: recent sessions with their progress and risk counts, and a way to start a new one."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from wat_tui.review.durations import format_duration
from wat_tui.ui.base import WatScreen
from wat_tui.ui.text import plain

NEW = "__new__"


class PickerScreen(WatScreen[None]):
    BINDINGS = [Binding("c", "new_session", "New session", id="new-session")]

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Static(Text("wat-tui · Well-Architected reviews", style="bold"), id="picker-title")
            yield Static(Text("Pick a session to continue, or start a new one."), id="picker-help")
            yield OptionList(id="sessions")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_sessions()
        self.query_one(OptionList).focus()

    def on_screen_resume(self) -> None:
        self.refresh_sessions()

    def refresh_sessions(self) -> None:
        palette = self.wat_app.palette
        sessions = self.wat_app.review.list_sessions()
        options = [Option(Text("+ New session…", style=f"bold {palette.accent}"), id=NEW)]
        for s in sessions:
            t = Text()
            t.append_text(plain(s.name, "bold", single_line=True))
            t.append("\n  ")
            t.append_text(plain(s.workload or "", palette.muted, single_line=True))
            t.append("\n  ")
            t.append(f"{s.answered}/{s.total} answered", style=palette.text)
            t.append(f"   ▲ {s.high} high", style=f"bold {palette.high}")
            t.append(f"   ● {s.medium} medium", style=f"bold {palette.medium}")
            t.append_text(plain(f"   {s.workload_type} · {format_duration(s.planned_minutes)} · {s.created_at[:10]}",
                                palette.muted, single_line=True))
            options.append(Option(t, id=s.id))
        ol = self.query_one(OptionList)
        ol.set_options(options)
        ol.highlighted = 1 if len(options) > 1 else 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == NEW:
            self.action_new_session()
        elif event.option.id:
            self.wat_app.open_session(event.option.id)

    def action_new_session(self) -> None:
        from wat_tui.ui.screens.new_session import NewSessionScreen

        self.app.push_screen(NewSessionScreen())
