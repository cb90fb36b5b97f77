"""Reasons: one of the AWS tool's five for marking a question or a practice not applicable, and the parking
lot's own words."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from wat_tui.lens.risk import NA_REASONS
from wat_tui.review.targets import PARKING_REASON_MAX
from wat_tui.ui.base import WatModal
from wat_tui.ui.text import plain
from wat_tui.ui.widgets.question import REASON_LABELS

APPLICABLE = "__applicable__"
#: What :class:`FollowUpScreen` returns to bring the question back from the parking lot.
UNPARK = "__unpark__"


class ReasonScreen(WatModal[str | None]):
    """Dismisses with a reason, with ``APPLICABLE`` to clear the mark, or None when cancelled."""

    BINDINGS = [("escape", "cancel", "Cancel")]

    def __init__(self, title: str, currently_na: bool, reason: str | None = None) -> None:
        super().__init__()
        self._title = title
        self._currently_na = currently_na
        #: The reason highlighted on opening (the one already given): Enter keeps it.
        self._reason = reason

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(plain(self._title, "bold", single_line=True), classes="dialog-title")
            options = [Option(Text(f"{i + 1}  {REASON_LABELS[r]}"), id=r) for i, r in enumerate(NA_REASONS)]
            if self._currently_na:
                options.append(Option(Text("a  Applicable again"), id=APPLICABLE))
            yield OptionList(*options, id="reasons")
            # Opened on a reason already given, Esc leaves it as it is.
            keep = f"Esc keep {REASON_LABELS[self._reason]}" if self._reason in REASON_LABELS else "Esc cancel"
            yield Static(Text(f"Enter choose · {keep}"), classes="dialog-help")

    def on_mount(self) -> None:
        if self._reason in NA_REASONS:
            self.query_one(OptionList).highlighted = NA_REASONS.index(self._reason)

    def on_key(self, event: events.Key) -> None:
        if event.key.isdigit() and 1 <= int(event.key) <= len(NA_REASONS):
            event.stop()
            event.prevent_default()
            self.dismiss(NA_REASONS[int(event.key) - 1])
        elif event.key == "a" and self._currently_na:
            event.stop()
            event.prevent_default()
            self.dismiss(APPLICABLE)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class FollowUpScreen(WatModal[str | None]):
    """Why a parked question is parked, or what to follow up, in the facilitator's words. Dismisses with the text
    (Enter), with :data:`UNPARK` (Ctrl+B: back from the parking lot) or None (Esc: as it was).

    A dialog of its own, with a text field: :class:`ReasonScreen` is a choice of the tool's reasons whose digit
    and ``a`` shortcuts would swallow what is typed, and parking wrote a fixed reason without asking.
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+b", "unpark", "Back from the parking lot"),
    ]

    def __init__(self, title: str, reason: str) -> None:
        super().__init__()
        self._title = title
        self._reason = reason

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(plain(self._title, "bold", single_line=True), classes="dialog-title")
            # The whole reason is selected on opening, so typing replaces the one parking wrote.
            yield Input(self._reason, placeholder="e.g. needs the DBA; ask the security team",
                        max_length=PARKING_REASON_MAX, id="follow-up")
            yield Static(Text("Enter save · Ctrl+B back from the parking lot · Esc cancel"), classes="dialog-help")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_unpark(self) -> None:
        self.dismiss(UNPARK)

    def action_cancel(self) -> None:
        self.dismiss(None)
