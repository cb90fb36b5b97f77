"""Add or edit an action item: title, owner from the participants, due date, status."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Select, Static

from wat_tui.review.state import ACTION_STATUSES
from wat_tui.ui.base import WatModal
from wat_tui.ui.text import plain


@dataclass(frozen=True)
class ActionDraft:
    title: str
    owner: str
    due: str
    status: str
    delete: bool = False


class ActionEditor(WatModal[ActionDraft | None]):
    BINDINGS = [("escape", "cancel", "Cancel"), ("ctrl+s", "save", "Save")]

    def __init__(self, heading: str, owners: list[str], draft: ActionDraft, can_delete: bool,
                 error: str = "") -> None:
        super().__init__()
        self._heading = heading
        self._owners = owners
        self._draft = draft
        self._can_delete = can_delete
        #: Why the last attempt to save this draft failed, shown under the fields (the draft is kept).
        self._error = error

    def compose(self) -> ComposeResult:
        d = self._draft
        owners = list(dict.fromkeys([*self._owners, *([d.owner] if d.owner else [])]))
        with Vertical(classes="dialog"):
            yield Static(Text(self._heading, style="bold"), classes="dialog-title")
            yield Input(d.title, placeholder="What needs doing", id="action-title")
            yield Select([(Text(o), o) for o in owners], value=d.owner or Select.NULL, prompt="Owner",
                         id="action-owner")
            with Horizontal(classes="row"):
                yield Input(d.due, placeholder="Due YYYY-MM-DD", id="action-due")
                yield Select([(s, s) for s in ACTION_STATUSES], value=d.status, allow_blank=False,
                             id="action-status")
            with Horizontal(classes="row buttons"):
                yield Button("Save", variant="primary", id="save")
                if self._can_delete:
                    yield Button("Delete", variant="error", id="delete")
                yield Button("Cancel", id="cancel")
            yield Static(plain(self._error), id="action-error", classes="error")

    def on_mount(self) -> None:
        self.query_one("#action-title", Input).focus()

    def _current(self, delete: bool = False) -> ActionDraft:
        owner = self.query_one("#action-owner", Select).value
        status = self.query_one("#action-status", Select).value
        return ActionDraft(
            self.query_one("#action-title", Input).value.strip(),
            owner if isinstance(owner, str) else "",
            self.query_one("#action-due", Input).value.strip(),
            status if isinstance(status, str) else "open",
            delete,
        )

    def action_save(self) -> None:
        draft = self._current()
        if not draft.title:
            self.query_one("#action-error", Static).update(Text("An action item needs a title."))
            return
        self.dismiss(draft)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_input_submitted(self) -> None:
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        elif event.button.id == "delete":
            self.dismiss(self._current(delete=True))
        else:
            self.dismiss(None)

    def show_error(self, message: str) -> None:
        self.query_one("#action-error", Static).update(Text(message))
