"""Write or edit a note in Markdown with a live preview; it is saved as you type.

What is typed is saved once the typing pauses for :data:`SAVE_DELAY`, and while it goes on at the latest
:data:`MAX_WAIT` after the first unsaved keystroke; also when the focus leaves a field, when the editor closes and
when the app quits. A crash loses at most the last second of typing.

When the database refuses the save (locked by another program, a full disk, a read-only file), the editor keeps
the text, says above it that it is not saved yet and why, and tries again every :data:`RETRY_EVERY` seconds while
the typing goes on; it does not close before the text is saved (``screens/store_error.py`` for the whole app).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Checkbox, Input, Markdown, Static, TextArea

from wat_tui.store.errors import StoreError
from wat_tui.ui.base import WatModal
from wat_tui.ui.screens.store_error import what_to_do
from wat_tui.ui.text import visible
from wat_tui.ui.widgets.notes import note_markdown

#: Typing is saved after this pause in it...
SAVE_DELAY = 0.4
#: ...and, while it goes on, at the latest this long after the first keystroke not yet saved.
MAX_WAIT = 1.0
#: Seconds between attempts while the database refuses the note.
RETRY_EVERY = 1.0


class NoteEditor(WatModal[None]):
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
        #: ``time.monotonic()`` of the first change not saved yet, None when everything is saved.
        self._unsaved_since: float | None = None
        #: Why the last save failed, until one succeeds.
        self.problem: StoreError | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(Text(self._title, style="bold"), classes="dialog-title")
            with Horizontal(classes="row"):
                yield Input(self._author, placeholder="Author", id="note-author")
                yield Checkbox("Private to the facilitator", self._private, id="note-private")
            yield Static(id="note-status", classes="error")
            with Horizontal(id="note-edit-row"):
                yield TextArea(self._body, id="note-body", soft_wrap=True, show_line_numbers=False)
                yield note_markdown(self._body, id="note-live")
            yield Static(Text("Markdown · saved as you type · Esc done"), classes="dialog-help")

    def on_mount(self) -> None:
        self.query_one("#note-body", TextArea).focus()

    def _values(self) -> tuple[str, str, bool]:
        return (self.query_one("#note-author", Input).value,
                self.query_one("#note-body", TextArea).text,
                self.query_one("#note-private", Checkbox).value)

    def _changed(self) -> None:
        self.query_one("#note-live", Markdown).update(visible(self.query_one("#note-body", TextArea).text))
        if self.problem is not None:
            return  # the retry timer is running and saves this too
        now = time.monotonic()
        if self._unsaved_since is None:
            self._unsaved_since = now
        wait = min(SAVE_DELAY, self._unsaved_since + MAX_WAIT - now)
        if wait > 0:
            self._save_in(wait)
        else:  # the typing has not paused for the longest wait: this keystroke saves
            self.save()

    def _save_in(self, seconds: float) -> None:
        """(Re-)arm the one save timer (``seconds`` > 0: Textual's timer never fires with no delay)."""
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(seconds, self.save)

    def on_text_area_changed(self) -> None:
        self._changed()

    def on_input_changed(self) -> None:
        self._changed()

    def on_checkbox_changed(self) -> None:
        self._changed()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        """Leaving a field saves it at once (not while the editor is closing: closing has saved)."""
        if self.is_current:
            self.save()

    def save(self) -> bool:
        """Save what is typed if it changed; False when the database refused it (it is tried again)."""
        values = self._values()
        if values != self._saved and values[1].strip():
            try:
                self._save(*values)
            except StoreError as exc:
                self._refused(exc)
                return False
            self._saved = values
        self._unsaved_since = None
        if self.problem is not None:
            self.problem = None
            self.query_one("#note-status", Static).update("")
            self.wat_app.store_saved()
        return True

    def _refused(self, error: StoreError) -> None:
        self.problem = error
        self.query_one("#note-status", Static).update(Text(
            f"Not saved yet: {visible(str(error))}\n{what_to_do(RETRY_EVERY)} The note stays open until it is saved."))
        self.wat_app.store_failed(error)
        self._save_in(RETRY_EVERY)

    def flush_edits(self) -> None:
        """Before the app quits: save now, or raise why not."""
        if not self.save() and self.problem is not None:
            raise self.problem

    def action_save(self) -> None:
        self.save()

    def action_close(self) -> None:
        if self.save():
            if self._timer is not None:
                self._timer.stop()
            self.dismiss(None)
        else:
            self.app.bell()
