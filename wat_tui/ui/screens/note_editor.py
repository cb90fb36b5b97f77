"""Write or edit a note in Markdown with a live preview; it is saved as you type."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Checkbox, Input, Markdown, Static, TextArea

from wat_tui.ui.text import visible

#: Typing is saved after this pause, and always when the editor closes.
SAVE_DELAY = 0.4


class NoteEditor(ModalScreen[None]):
    BINDINGS = [("escape", "close", "Done"), ("ctrl+s", "save", "Save now")]

    def __init__(self, title: str, author: str, body: str, private: bool,
                 save: Callable[[str, str, bool], None]) -> None:
        super().__init__()
        self._title = title
        self._author = author
        self._body = body
        self._private = private
        self._save = save
        self._saved = (author, body, private)
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(Text(self._title, style="bold"), classes="dialog-title")
            with Horizontal(classes="row"):
                yield Input(self._author, placeholder="Author", id="note-author")
                yield Checkbox("Private to the facilitator", self._private, id="note-private")
            with Horizontal(id="note-edit-row"):
                yield TextArea(self._body, id="note-body", soft_wrap=True, show_line_numbers=False)
                yield Markdown(visible(self._body), id="note-live")
            yield Static(Text("Markdown · saved as you type · Esc done"), classes="dialog-help")

    def on_mount(self) -> None:
        self.query_one("#note-body", TextArea).focus()

    def _values(self) -> tuple[str, str, bool]:
        return (self.query_one("#note-author", Input).value,
                self.query_one("#note-body", TextArea).text,
                self.query_one("#note-private", Checkbox).value)

    def _changed(self) -> None:
        self.query_one("#note-live", Markdown).update(visible(self.query_one("#note-body", TextArea).text))
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(SAVE_DELAY, self.action_save)

    def on_text_area_changed(self) -> None:
        self._changed()

    def on_input_changed(self) -> None:
        self._changed()

    def on_checkbox_changed(self) -> None:
        self._changed()

    def action_save(self) -> None:
        values = self._values()
        if values != self._saved and values[1].strip():
            self._save(*values)
            self._saved = values

    def action_close(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self.action_save()
        self.dismiss(None)
