"""A new session: name, workload, workload type, planned duration, lenses, and who is in the room."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, Input, Select, SelectionList, Static, TextArea

from wat_tui.errors import WatError
from wat_tui.lens.builtin import BUILTIN_ALIASES
from wat_tui.review.durations import parse_duration
from wat_tui.review.state import ROLES
from wat_tui.review.workload_types import PILLAR_NAMES, presets
from wat_tui.ui.base import WatScreen
from wat_tui.ui.widgets.ticklist import TickList


def parse_participants(text: str) -> list[tuple[str, str]]:
    """One person a line, ``Name: Role``; a missing role is "Other"."""
    people = []
    for line in text.splitlines():
        if not line.strip():
            continue
        name, _, role = line.partition(":")
        role = role.strip() or "Other"
        match = next((r for r in ROLES if r.lower() == role.lower()), role)
        people.append((name.strip(), match))
    return people


class NewSessionScreen(WatScreen[None]):
    DEFAULT_CSS = """
    NewSessionScreen .field { height: auto; width: 1fr; }
    NewSessionScreen #ns-duration-field { width: 24; margin-left: 2; }
    NewSessionScreen #ns-rationale { margin-bottom: 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Back"), Binding("ctrl+s", "create", "Create")]

    def compose(self) -> ComposeResult:
        types = presets().workload_types
        with VerticalScroll(id="new-session"):
            yield Static(Text("New review session", style="bold"), classes="form-title")
            yield Static("Name")
            yield Input(placeholder="e.g. Checkout platform review, March", id="ns-name")
            yield Static("Workload")
            yield Input(placeholder="What is being reviewed", id="ns-workload")
            with Horizontal(classes="row"):
                with Vertical(classes="field"):
                    yield Static("Workload type")
                    yield Select([(t.name, t.id) for t in types], value="general", allow_blank=False, id="ns-type")
                with Vertical(classes="field", id="ns-duration-field"):
                    yield Static("Planned duration")
                    yield Input("5h", placeholder="e.g. 5h or 4h30m", id="ns-duration")
            yield Static(id="ns-rationale")
            yield Static("Lenses (Space ticks or unticks the highlighted one)")
            yield TickList[str](*[(alias, alias, alias == "wellarchitected") for alias in BUILTIN_ALIASES],
                                id="ns-lenses")
            yield Static(f"Participants, one a line as Name: Role ({', '.join(ROLES)})")
            yield TextArea(id="ns-people")
            with Horizontal(classes="row buttons"):
                yield Button("Create", variant="primary", id="create")
                yield Button("Cancel", id="cancel")
            yield Static(id="ns-error", classes="error")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#ns-name", Input).focus()
        self._show_rationale()

    def on_select_changed(self) -> None:
        self._show_rationale()

    def _show_rationale(self) -> None:
        value = self.query_one("#ns-type", Select).value
        wt = presets().workload_type(str(value))
        order = " → ".join(PILLAR_NAMES.get(p, p) for p in wt.primary)
        then = PILLAR_NAMES.get(wt.secondary, wt.secondary)
        self.query_one("#ns-rationale", Static).update(
            Text(f"Priorities: {order}, then {then}. {wt.rationale}", style="italic"))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "create":
            self.action_create()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.app.pop_screen()

    def action_create(self) -> None:
        try:
            minutes = parse_duration(self.query_one("#ns-duration", Input).value)
            lenses = list(self.query_one("#ns-lenses", SelectionList).selected)
            sid = self.wat_app.review.create_session(
                self.query_one("#ns-name", Input).value.strip(),
                workload=self.query_one("#ns-workload", Input).value.strip(),
                workload_type=str(self.query_one("#ns-type", Select).value),
                planned_minutes=minutes,
                lenses=lenses,
                participants=parse_participants(self.query_one("#ns-people", TextArea).text),
            )
        except WatError as exc:
            self.query_one("#ns-error", Static).update(Text(str(exc)))
            return
        self.app.pop_screen()
        self.wat_app.open_session(sid)
