"""Pick one of the AWS tool's five reasons for marking a question or a practice not applicable."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from wat_tui.lens.risk import NA_REASONS
from wat_tui.ui.base import WatModal
from wat_tui.ui.text import plain
from wat_tui.ui.widgets.question import REASON_LABELS

APPLICABLE = "__applicable__"


class ReasonScreen(WatModal[str | None]):
    """Dismisses with a reason, with ``APPLICABLE`` to clear the mark, or None when cancelled."""

    BINDINGS = [("escape", "cancel", "Cancel")]

    def __init__(self, title: str, currently_na: bool) -> None:
        super().__init__()
        self._title = title
        self._currently_na = currently_na

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(plain(self._title, "bold", single_line=True), classes="dialog-title")
            options = [Option(Text(f"{i + 1}  {REASON_LABELS[r]}"), id=r) for i, r in enumerate(NA_REASONS)]
            if self._currently_na:
                options.append(Option(Text("a  Applicable again"), id=APPLICABLE))
            yield OptionList(*options, id="reasons")
            yield Static(Text("Enter choose · Esc cancel"), classes="dialog-help")

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
