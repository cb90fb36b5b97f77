"""Add or edit an action item (title, owner, due date, status), and close or reopen one, from wherever an item is
shown: the notes pane of the workspace and the board. The owner is any name; the participants are suggested."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Select, Static

from wat_tui.errors import WatError
from wat_tui.review.state import ACTION_STATUSES, ActionItem, SessionState
from wat_tui.store.errors import StoreError
from wat_tui.ui.base import WatModal, WatScreen
from wat_tui.ui.text import plain, visible


@dataclass(frozen=True)
class ActionDraft:
    title: str
    owner: str
    due: str
    status: str
    delete: bool = False


class ActionEditor(WatModal[ActionDraft | None]):
    # The participants stay on one line: the dialog must fit 24 rows with a two-line error under it.
    DEFAULT_CSS = """
    ActionEditor #action-owners { height: 1; color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis; }
    """
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
        with Vertical(classes="dialog"):
            yield Static(Text(self._heading, style="bold"), classes="dialog-title")
            yield Input(d.title, placeholder="What needs doing", id="action-title")
            # Anyone can own an item, in the room or not; the participants' names complete as they are typed.
            yield Input(d.owner, placeholder="Owner (any name)", id="action-owner",
                        suggester=SuggestFromList(self._owners, case_sensitive=False))
            if self._owners:
                yield Static(plain("Participants: " + ", ".join(self._owners), single_line=True),
                             id="action-owners")
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
        status = self.query_one("#action-status", Select).value
        return ActionDraft(
            self.query_one("#action-title", Input).value.strip(),
            self.query_one("#action-owner", Input).value.strip(),
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

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "action-owner":
            before = event.value
            event.input.action_cursor_right()  # at the end of the name: takes the participant it suggests
            if event.input.value != before:
                return  # the completed name is shown; Enter again saves
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


def open_action_editor(host: WatScreen[Any], session_id: str, state: SessionState, action_id: str | None,
                       question: str | None, heading: str, then: Callable[[], object],
                       draft: ActionDraft | None = None, error: str = "") -> None:
    """Over ``host``: the editor of the item ``action_id``, or of a new item on ``question`` (None: the whole
    session), saved through the review; ``then`` repaints after a save. When saving fails the editor comes back
    with what was typed (``draft``) and why (``error``)."""
    item = next((a for a in state.actions if a.id == action_id), None)
    if draft is None:
        draft = (ActionDraft(item.title, item.owner, item.due, item.status) if item
                 else ActionDraft("", "", "", "open"))
    owners = [p.name for p in state.participants]
    review = host.wat_app.review

    def again(result: ActionDraft, error: str = "") -> None:
        open_action_editor(host, session_id, state, action_id, question, heading, then, result, error)

    def done(result: ActionDraft | None) -> None:
        if result is None:
            return
        try:
            if result.delete and action_id:
                review.delete_action(session_id, action_id)
            elif action_id:
                review.edit_action(session_id, action_id, title=result.title, owner=result.owner, due=result.due,
                                   status=result.status)
            else:
                review.add_action(session_id, result.title, result.owner, result.due, result.status, question)
        except StoreError as exc:
            # What was typed comes back in the editor with the reason; Enter tries again.
            again(result, f"Not saved: {exc}\nNothing you typed is lost: it is still here; Enter tries again.")
            return
        except WatError as exc:
            host.notify(visible(str(exc)), severity="error", markup=False)
            again(result)
            return
        then()

    host.app.push_screen(ActionEditor(heading, owners, draft, can_delete=item is not None, error=error), done)


def close_or_reopen(host: WatScreen[Any], session_id: str, item: ActionItem, then: Callable[[], object]) -> None:
    """Mark the item done, or open again if it is done; ``then`` repaints (also after a refused write is retried)."""
    status = "open" if item.status == "done" else "done"
    title = visible(item.title, single_line=True)

    def write() -> None:
        host.wat_app.review.edit_action(session_id, item.id, status=status)
        host.notify(f"Done: {title}" if status == "done" else f"Open again: {title}", markup=False)

    try:
        host.wat_app.save(write, then=then)
    except WatError as exc:  # deleted meanwhile (a merge): say so, and show what is there now
        host.notify(visible(str(exc)), severity="error", markup=False)
    then()
